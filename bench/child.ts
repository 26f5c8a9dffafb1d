/**
 * One benchmark process: opens the real knowledge base over a DATA_DIR (cold,
 * or from a snapshot), then optionally runs `/find` and `/note` through the
 * real dispatcher. Reports JSON lines on stdout; the parent times the process
 * from spawn to the `ready` line.
 *
 * Usage: node --expose-gc bench/.work/dist/bench-child.js <job.json> (compiled by `scripts/build.mjs --bench`
 * the way `npm start` compiles the bot, but apart from the bot's dist/)
 */
import { readFile, rm } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { commands } from '../commands/index.ts';
import { KnowledgeBase, createDispatcher, openNoteStore, silentLogger, type Invocation } from '../src/core/index.ts';
import { parsingWorkerStarter } from '../src/parsing-worker.ts';
import type { BenchQuery } from './queries.ts';

export interface ChildJob {
  dataDir: string;
  /** SQLite file for notes (removed first when `freshStore`). */
  storeFile: string;
  freshStore: boolean;
  /** Snapshot file, or `off`. */
  snapshot: string;
  /** Queries to time; none: only open and report. */
  queries: BenchQuery[];
  warmup: number;
  /** How many `/note` calls to time. */
  notes: number;
  /** Write a snapshot before exiting (timed). */
  writeSnapshot: boolean;
}

const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const job = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as ChildJob;
  if (job.freshStore) await rm(job.storeFile, { force: true });
  const logger = silentLogger();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const openStart = performance.now();
  const store = await openNoteStore(`sqlite://${job.storeFile}`, { logger });
  const kb = startKnowledgeBase(job, store, logger);
  // Ready: the index answers (from a snapshot, before every file's modification time is checked).
  await kb.ready;
  const readyAt = performance.now();
  emit({ event: 'ready', sinceProcessStartMs: readyAt, openMs: readyAt - openStart, docs: kb.index.size, load: kb.loadReport });
  await kb.checked;
  const checkedAt = performance.now();
  emit({ event: 'checked', sinceProcessStartMs: checkedAt, openMs: checkedAt - openStart, load: kb.loadReport });

  // Steady state: the parsing worker's last batches are released a moment after the build ends.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  const memory = process.memoryUsage();
  emit({
    event: 'memory',
    docs: kb.index.size,
    heapUsed: memory.heapUsed,
    heapPerDoc: (memory.heapUsed - heapBefore) / kb.index.size,
    external: memory.external,
    rss: memory.rss,
  });

  const dispatcher = createDispatcher(commands, { kb, searchLimit: 5, noteWriters: [] }, logger);
  // The console user: an owner, who reads every note (as the bench's /find and /note need).
  const BENCH_USER = { platform: 'console', id: 'bench', name: 'bench' };
  const invoke = (command: string, text: string): Promise<unknown> =>
    dispatcher.dispatch({
      command,
      text,
      user: BENCH_USER,
      origin: { platform: 'console' },
    } satisfies Invocation);

  if (job.queries.length > 0) {
    for (const query of job.queries.slice(0, job.warmup)) await invoke('find', query.text);
    const times: number[] = [];
    const tops: string[] = [];
    for (const query of job.queries) {
      const start = performance.now();
      const reply = (await invoke('find', query.text)) as { sections: Array<{ type: string; hits?: Array<{ id: string; kind: string }> }> };
      times.push(performance.now() - start);
      // The first write-up hit: the second start also holds the notes the first one saved.
      tops.push(reply.sections.find((s) => s.type === 'hits')?.hits?.find((hit) => hit.kind !== 'note')?.id ?? '');
    }
    emit({ event: 'find', times, tops });
  }

  if (job.notes > 0) {
    const saved: number[] = [];
    const findable: number[] = [];
    let missing = 0;
    for (let i = 0; i < job.notes; i += 1) {
      const token = `benchnote${process.pid}x${i}`;
      const start = performance.now();
      const reply = (await invoke('note', `bench note ${token} about mmap windows on NFS #bench`)) as { text: string };
      const stored = performance.now();
      if (!reply.text.startsWith('Saved note')) throw new Error(`bench: /note failed: ${reply.text}`);
      const found = kb.search({ text: token, kinds: ['note'], tags: [] }, { viewer: BENCH_USER, limit: 1 });
      if (found.hits.length === 0) missing += 1;
      findable.push(performance.now() - start);
      saved.push(stored - start);
    }
    emit({ event: 'note', saved, findable, missing });
  }

  if (job.writeSnapshot && job.snapshot !== 'off') {
    // How long the event loop was held at a stretch while saving: what a command arriving then would wait.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const start = performance.now();
    await kb.saveSnapshot();
    const writeMs = performance.now() - start;
    delay.disable();
    emit({ event: 'snapshot', writeMs, maxBlockMs: delay.max / 1e6 });
  }
  await kb.close();
  emit({ event: 'done' });
}

function startKnowledgeBase(
  job: ChildJob,
  store: Awaited<ReturnType<typeof openNoteStore>>,
  logger: ReturnType<typeof silentLogger>,
): KnowledgeBase {
  // As the bot does: a cold build parses on a worker thread (a bench built without the script fails here, not quietly slower).
  const startParsingWorker = parsingWorkerStarter();
  if (!startParsingWorker) throw new Error('the article-parsing worker script is missing beside the bench child');
  return KnowledgeBase.start({
    dataDir: job.dataDir,
    store,
    logger,
    startParsingWorker,
    ...(job.snapshot !== 'off' ? { snapshot: job.snapshot, snapshotDelayMs: 3_600_000 } : {}),
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench child: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
