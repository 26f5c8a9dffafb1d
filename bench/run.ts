/**
 * `npm run bench [-- --quick] [-- --sizes=2000,10000]`: index build, start-up
 * (cold and from a snapshot), memory, `/find` and `/note` latency over corpora
 * replicated from ../shared/corpora/til, against a naive scan and `rg -il` on
 * the same queries in the same run. Prints a table; writes bench/results.json.
 * Then the markdown parsers tried, parse time per 1,000 files on both shared
 * archives (bench/parsers.ts); `--parsers` prints only that, `--no-parsers` skips it.
 * Then 1,000 `/note` from two processes at once on one SQLite file, before
 * (NORMAL), FULL alone and FULL with group commit (bench/note-burst.ts);
 * `--no-burst` skips it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArticle } from '../src/core/sources/articles.ts';
import { articleDoc } from '../src/core/kb/knowledge-base.ts';
import { SearchIndex } from '../src/core/search/search-index.ts';
import { REPO_ROOT, TIL_DIR, WORK_DIR, ensureTilCorpus, tilFiles } from './corpus.ts';
import type { ChildJob } from './child.ts';
import { benchQueries, type BenchQuery } from './queries.ts';
import { fmt, summarize, table, type Summary } from './stats.ts';
import { benchParsers, parsersTable } from './parsers.ts';
import { burstTable, noteBurst } from './note-burst.ts';
import { checkTargets, targetRows } from './targets.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizesArg = args.find((a) => a.startsWith('--sizes='));
const SIZES = sizesArg ? sizesArg.slice(8).split(',').map(Number) : quick ? [2000] : [2000, 10000, 100000];
const QUERY_COUNT = 1000;
const WARMUP = 50;
const NOTES = quick ? 100 : 300;
/** Queries per size for the slow baselines (every query at small sizes; a fixed sample where a full pass takes minutes). */
const NAIVE_SAMPLE = (size: number) => (size > 20000 ? 200 : QUERY_COUNT);
const RG_SAMPLE = (size: number) => (size > 20000 ? 20 : size > 5000 ? 50 : quick ? 50 : 100);

interface SizeResult {
  size: number;
  docs: number;
  buildMs: number;
  coldReadyMs: number;
  coldOpenMs: number;
  snapshotReadyMs?: number;
  /** Spawn → every file's modification time checked (what changed re-indexed), from the snapshot. */
  snapshotCheckedMs?: number;
  snapshotOpenMs?: number;
  snapshotWriteMs?: number;
  /** Longest event-loop stall while the snapshot was written. */
  snapshotMaxBlockMs?: number;
  snapshotBytes?: number;
  snapshotAgreement?: number;
  /** How the second start loaded its index (`from: snapshot` expected). */
  snapshotLoad?: unknown;
  heapPerDoc: number;
  heapUsedMB: number;
  rssMB: number;
  find: Summary & { typo: Summary; plain: Summary };
  note: { saved: Summary; findable: Summary; missing: number };
  naive: Summary;
  rg?: Summary;
  ratios: { naiveP50: number; naiveP99: number; rgP50?: number; rgP99?: number };
}

async function main(): Promise<void> {
  if (args.includes('--parsers')) {
    process.stdout.write(`${parsersTable(await benchParsers({ log: (line) => process.stderr.write(`${line}\n`) }))}\n`);
    return;
  }
  // The child runs compiled, as `npm start` runs the bot: built the same way, apart from the bot's dist/.
  const build = spawnSync(process.execPath, [path.join('scripts', 'build.mjs'), '--bench'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('bench: could not compile the sources (node scripts/build.mjs --bench)');
  const sources = await tilFiles();
  const parsed = await Promise.all(
    sources.map(async (file) => parseArticle(`articles/${file}`, await readFile(path.join(TIL_DIR, file), 'utf8'), { mtimeMs: 1 })),
  );
  const texts = parsed.map((a) => `${a.title}\n${a.text}`);
  const queries = benchQueries(texts, QUERY_COUNT);
  const rg = hasRipgrep();
  await mkdir(WORK_DIR, { recursive: true });
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    process.stderr.write(`bench: ${size} documents…\n`);
    results.push(await benchSize(size, parsed, queries, rg));
  }
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg(),
    ripgrep: rg ?? 'not installed',
    queries: QUERY_COUNT,
    warmup: WARMUP,
    notes: NOTES,
  };
  const parsers = args.includes('--no-parsers') ? [] : await benchParsers({ rounds: 3, log: (line) => process.stderr.write(`bench: ${line}\n`) });
  if (!args.includes('--no-burst')) process.stderr.write('bench: /note burst, 2 processes…\n');
  const burst = args.includes('--no-burst') ? [] : await noteBurst({ notes: 1000 });
  await writeFile(path.join(REPO_ROOT, 'bench', 'results.json'), `${JSON.stringify({ meta, results, parsers, burst }, null, 2)}\n`);
  process.stdout.write(`${report(results, meta)}\n`);
  if (parsers.length > 0) process.stdout.write(`\nMarkdown → text, parse only (in memory, one thread, best of 3 rounds):\n\n${parsersTable(parsers)}\n`);
  if (burst.length > 0) process.stdout.write(`\n1,000 /note sent at once from two processes to one SQLite file (acknowledged = committed and fsynced):\n\n${burstTable(burst)}\n`);
}

async function benchSize(
  size: number,
  parsed: ReturnType<typeof parseArticle>[],
  queries: BenchQuery[],
  rg: string | undefined,
): Promise<SizeResult> {
  const corpus = await ensureTilCorpus(size);

  // Index build alone: the already-parsed write-ups under their replica ids.
  const docs = corpus.files.map((file, i) => ({ ...articleDoc(parsed[i % parsed.length]!), id: `article:${file}`, source: { label: file, path: file } }));
  const buildStart = performance.now();
  new SearchIndex().addAll(docs);
  const buildMs = performance.now() - buildStart;

  const snapshot = path.join(WORK_DIR, `snapshot-${size}.bin`);
  const storeFile = path.join(WORK_DIR, `notes-${size}.sqlite`);
  await rm(snapshot, { force: true });
  const cold = await runChild({
    dataDir: corpus.dataDir, storeFile, freshStore: true, snapshot, queries, warmup: WARMUP, notes: NOTES, writeSnapshot: true,
  });
  const warm = await runChild({
    dataDir: corpus.dataDir, storeFile, freshStore: false, snapshot, queries: queries.slice(0, 100), warmup: 0, notes: 0, writeSnapshot: false,
  });
  const snapshotBytes = await readFile(snapshot).then((b) => b.length, () => undefined);

  const findTimes = cold.find!.times as number[];
  const typoTimes = findTimes.filter((_, i) => queries[i]!.typo);
  const plainTimes = findTimes.filter((_, i) => !queries[i]!.typo);
  const coldTops = cold.find!.tops as string[];
  const warmTops = (warm.find?.tops ?? []) as string[];
  const agreement = warmTops.length ? warmTops.filter((top, i) => top === coldTops[i]).length / warmTops.length : undefined;

  const naive = naiveScan(corpus.files.map((_, i) => parsed[i % parsed.length]!), queries.slice(0, NAIVE_SAMPLE(size)));
  const rgTimes = rg ? ripgrep(corpus.dataDir, queries.slice(0, RG_SAMPLE(size))) : undefined;
  const find = summarize(findTimes);
  const naiveSummary = summarize(naive);
  const rgSummary = rgTimes ? summarize(rgTimes) : undefined;
  const memory = cold.memory!;
  return {
    size,
    docs: memory.docs as number,
    buildMs,
    coldReadyMs: cold.readyWallMs,
    coldOpenMs: cold.ready!.openMs as number,
    snapshotReadyMs: warm.readyWallMs,
    snapshotCheckedMs: warm.checkedWallMs,
    snapshotOpenMs: warm.ready!.openMs as number,
    snapshotWriteMs: cold.snapshot?.writeMs as number | undefined,
    snapshotMaxBlockMs: cold.snapshot?.maxBlockMs as number | undefined,
    snapshotBytes,
    snapshotAgreement: agreement,
    snapshotLoad: warm.ready?.load,
    heapPerDoc: memory.heapPerDoc as number,
    heapUsedMB: (memory.heapUsed as number) / 2 ** 20,
    rssMB: (memory.rss as number) / 2 ** 20,
    find: { ...find, typo: summarize(typoTimes), plain: summarize(plainTimes) },
    note: {
      saved: summarize(cold.note!.saved as number[]),
      findable: summarize(cold.note!.findable as number[]),
      missing: cold.note!.missing as number,
    },
    naive: naiveSummary,
    ...(rgSummary ? { rg: rgSummary } : {}),
    ratios: {
      naiveP50: naiveSummary.p50 / find.p50,
      naiveP99: naiveSummary.p99 / find.p99,
      ...(rgSummary ? { rgP50: rgSummary.p50 / find.p50, rgP99: rgSummary.p99 / find.p99 } : {}),
    },
  };
}

type ChildEvent = Record<string, unknown>;
interface ChildResult {
  /** Spawn → `ready` line, as seen from the parent. */
  readyWallMs: number;
  /** Spawn → `checked` line (the index up to date with the files). */
  checkedWallMs: number;
  ready?: ChildEvent;
  memory?: ChildEvent;
  find?: ChildEvent;
  note?: ChildEvent;
  snapshot?: ChildEvent;
}

/** Spawns bench/child.ts (compiled: bench/.work/dist/bench-child.js) and collects its events; `readyWallMs` is spawn → `ready` line, as seen from here. */
async function runChild(job: ChildJob): Promise<ChildResult> {
  const jobFile = path.join(WORK_DIR, `job-${process.pid}.json`);
  await writeFile(jobFile, JSON.stringify(job));
  const events: Record<string, ChildEvent> = {};
  let readyWallMs = Number.NaN;
  let checkedWallMs = Number.NaN;
  const start = performance.now();
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=6144', path.join('bench', '.work', 'dist', 'bench-child.js'), jobFile],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event.event === 'ready') readyWallMs = performance.now() - start;
      if (event.event === 'checked') checkedWallMs = performance.now() - start;
      events[String(event.event)] = event;
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  await rm(jobFile, { force: true });
  if (code !== 0) throw new Error(`bench: child process exited with ${code}`);
  return { ...events, readyWallMs, checkedWallMs } as ChildResult;
}

/** The baseline a user could write in a minute: every document, lower-cased, must contain every query word. */
function naiveScan(articles: ReturnType<typeof parseArticle>[], queries: BenchQuery[]): number[] {
  // Distinct strings per document, as a real archive would have.
  const lowered = articles.map((a) => Buffer.from(`${a.title}\n${a.text}`.toLowerCase()).toString());
  const times: number[] = [];
  for (const query of queries) {
    const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
    const start = performance.now();
    const hits: number[] = [];
    for (let i = 0; i < lowered.length; i += 1) {
      const text = lowered[i]!;
      if (words.every((word) => text.includes(word))) hits.push(i);
    }
    times.push(performance.now() - start);
  }
  return times;
}

function hasRipgrep(): string | undefined {
  const result = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0] : undefined;
}

/** `rg -il -F -e w1 -e w2 …` over the articles: files holding any query word, case-insensitive. */
function ripgrep(dataDir: string, queries: BenchQuery[]): number[] {
  const times: number[] = [];
  for (const query of queries) {
    const patterns = query.text.split(/\s+/).filter(Boolean).flatMap((word) => ['-e', word]);
    const start = performance.now();
    const result = spawnSync('rg', ['-il', '-F', ...patterns, path.join(dataDir, 'articles')], { maxBuffer: 1 << 28 });
    times.push(performance.now() - start);
    if (result.status !== 0 && result.status !== 1) throw new Error(`bench: rg exited with ${result.status}`);
  }
  return times;
}

function report(results: SizeResult[], meta: Record<string, unknown>): string {
  const col = (label: string, value: (r: SizeResult) => string) => [label, ...results.map(value)];
  const rows = [
    col('index build (in memory)', (r) => `${fmt(r.buildMs / 1000)} s`),
    col('start → ready, cold', (r) => `${fmt(r.coldReadyMs / 1000)} s`),
    col('start → ready, snapshot', (r) => (r.snapshotReadyMs ? `${fmt(r.snapshotReadyMs / 1000)} s` : '—')),
    col('start → files checked, snapshot', (r) => (r.snapshotCheckedMs ? `${fmt(r.snapshotCheckedMs / 1000)} s` : '—')),
    col('snapshot write (off the reply path)', (r) => (r.snapshotWriteMs ? `${fmt(r.snapshotWriteMs / 1000)} s` : '—')),
    col('longest stall while writing it', (r) => (r.snapshotMaxBlockMs ? `${fmt(r.snapshotMaxBlockMs)} ms` : '—')),
    col('snapshot size', (r) => (r.snapshotBytes ? `${fmt(r.snapshotBytes / 2 ** 20)} MB` : '—')),
    col('heap per document', (r) => `${fmt(r.heapPerDoc / 1024)} KB`),
    col('process RSS', (r) => `${fmt(r.rssMB)} MB`),
    col('/find p50', (r) => `${fmt(r.find.p50)} ms`),
    col('/find p99', (r) => `${fmt(r.find.p99)} ms`),
    col('/find max', (r) => `${fmt(r.find.max)} ms`),
    col('/find p99, typo queries', (r) => `${fmt(r.find.typo.p99)} ms`),
    col('/note stored+indexed p99', (r) => `${fmt(r.note.saved.p99)} ms`),
    col('/note → findable p99', (r) => `${fmt(r.note.findable.p99)} ms`),
    col('naive scan p50 / p99', (r) => `${fmt(r.naive.p50)} / ${fmt(r.naive.p99)} ms`),
    col('rg -il p50 / p99', (r) => (r.rg ? `${fmt(r.rg.p50)} / ${fmt(r.rg.p99)} ms` : 'not installed')),
    col('speed-up vs naive (p50, p99)', (r) => `${fmt(r.ratios.naiveP50)}× / ${fmt(r.ratios.naiveP99)}×`),
    col('speed-up vs rg (p50, p99)', (r) => (r.ratios.rgP50 ? `${fmt(r.ratios.rgP50)}× / ${fmt(r.ratios.rgP99)}×` : '—')),
  ];
  const header = ['', ...results.map((r) => `${r.docs.toLocaleString('en')} docs`)];
  const samples = results
    .map((r) => `${r.size}: naive ${r.naive.n} queries, rg ${r.rg?.n ?? 0}, second start loaded from ${(r.snapshotLoad as { from?: string } | undefined)?.from ?? '?'}, top-hit agreement with the first ${fmt((r.snapshotAgreement ?? Number.NaN) * 100)}%, notes not findable ${r.note.missing}`)
    .join('; ');
  return [
    table(header, rows),
    '',
    'Targets (issues #13 and #15, this run):',
    '',
    table(['target', 'result', ''], targetRows(checkTargets(results))),
    '',
    `node ${String(meta.node)}, ${String(meta.cpus)} × ${String(meta.cpuModel)}, load average ${(meta.loadAverage as number[]).map((x) => x.toFixed(1)).join(' ')} (shared machine: figures are noisy)`,
    `/find: ${QUERY_COUNT} queries of 1-3 words (a third with one typo) after ${WARMUP} warm-up queries, through the real dispatcher (snippets included); /note: ${NOTES} notes into SQLite.`,
    `samples: ${samples}`,
    `ready = spawn of a node process → the knowledge base answers (node start-up included; compiled JavaScript, as npm start runs); from a snapshot, every file's modification time is then checked and what changed re-indexed ("files checked").`,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
