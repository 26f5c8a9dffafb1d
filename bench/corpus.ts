/**
 * Benchmark and evaluation corpora, built from ../shared/corpora (never copied
 * into the repository): the til write-ups, replicated under new paths to reach
 * a size, and Cranfield 1400.
 */
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_CORPORA = path.resolve(REPO_ROOT, '../shared/corpora');
export const TIL_DIR = path.join(SHARED_CORPORA, 'til');
export const CRANFIELD_DIR = path.join(SHARED_CORPORA, 'cranfield');
/** Scratch space for generated corpora, snapshots and stores (git-ignored). */
export const WORK_DIR = path.join(REPO_ROOT, 'bench', '.work');

/** Exits with a clear message when a shared corpus is missing. */
export function requireCorpus(dir: string): void {
  if (!existsSync(dir)) {
    process.stderr.write(`bench: corpus not found at ${dir} — the benchmark needs ../shared/corpora next to the checkout\n`);
    process.exit(2);
  }
}

/** The til write-ups as paths relative to TIL_DIR (`git/accessing-a-lost-commit.md`), sorted. */
export async function tilFiles(): Promise<string[]> {
  requireCorpus(TIL_DIR);
  const entries = (await readdir(TIL_DIR, { recursive: true })) as string[];
  return entries.filter((entry) => entry.endsWith('.md') && entry.includes(path.sep)).map(toPosix).sort();
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

export interface BenchCorpus {
  size: number;
  /** A DATA_DIR: profile.md and articles/. */
  dataDir: string;
  /** Article paths relative to dataDir, in replication order. */
  files: string[];
}

/**
 * A DATA_DIR with `size` articles: copy k of til file i lives at
 * `articles/c{k}/{topic}/{name}.md` (a new id, the same text). Copies are hard
 * links to one private copy of the corpus, so 100k files cost no extra disk.
 */
export async function ensureTilCorpus(size: number): Promise<BenchCorpus> {
  const sources = await tilFiles();
  const dataDir = path.join(WORK_DIR, `til-${size}`);
  const files = Array.from({ length: size }, (_, i) => `articles/c${Math.floor(i / sources.length)}/${sources[i % sources.length]}`);
  const marker = path.join(dataDir, '.complete');
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === String(size)) return { size, dataDir, files };

  const base = path.join(WORK_DIR, 'til-base');
  if (!existsSync(path.join(base, '.complete'))) {
    await rm(base, { recursive: true, force: true });
    for (const file of sources) {
      await mkdir(path.dirname(path.join(base, file)), { recursive: true });
      await copyFile(path.join(TIL_DIR, file), path.join(base, file));
    }
    await writeFile(path.join(base, '.complete'), 'ok');
  }
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  await copyFile(path.join(REPO_ROOT, 'data', 'profile.md'), path.join(dataDir, 'profile.md'));
  const made = new Set<string>();
  for (let i = 0; i < size; i += 1) {
    const target = path.join(dataDir, files[i]!);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await link(path.join(base, sources[i % sources.length]!), target);
  }
  await writeFile(marker, String(size));
  return { size, dataDir, files };
}

/** One Cranfield document. */
export interface CranfieldDoc {
  /** `.I` number as written (1..1400). */
  id: number;
  title: string;
  text: string;
}

export interface Cranfield {
  docs: CranfieldDoc[];
  /** Queries in file order; query n (1-based, by position) is `queries[n - 1]`. */
  queries: string[];
  /** Judgments by query position: doc id → code (1-4, or -1). */
  qrels: Map<number, Map<number, number>>;
}

/** Parses Cranfield 1400. Queries are numbered by position in cran.qry, not by their `.I` label. */
export async function loadCranfield(): Promise<Cranfield> {
  requireCorpus(CRANFIELD_DIR);
  const [all, qry, rel] = await Promise.all(
    ['cran.all.1400', 'cran.qry', 'cranqrel'].map((name) => readFile(path.join(CRANFIELD_DIR, name), 'utf8')),
  );
  const docs = splitRecords(all!).map(({ id, fields }) => ({ id, title: fields.T ?? '', text: fields.W ?? '' }));
  const queries = splitRecords(qry!).map(({ fields }) => fields.W ?? '');
  const qrels = new Map<number, Map<number, number>>();
  for (const line of rel!.split('\n')) {
    const [q, d, code] = line.trim().split(/\s+/).map(Number);
    if (!q || !d || code === undefined || Number.isNaN(code)) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, code);
  }
  return { docs, queries, qrels };
}

function splitRecords(source: string): Array<{ id: number; fields: Record<string, string> }> {
  const records: Array<{ id: number; fields: Record<string, string> }> = [];
  let current: { id: number; fields: Record<string, string> } | undefined;
  let field = '';
  for (const line of source.replace(/\r/g, '').split('\n')) {
    const marker = /^\.([ITABW])\b\s*(.*)$/.exec(line);
    if (marker) {
      if (marker[1] === 'I') {
        current = { id: Number(marker[2]), fields: {} };
        records.push(current);
      } else {
        field = marker[1]!;
        if (current) current.fields[field] = '';
      }
      continue;
    }
    if (current && field) current.fields[field] = `${current.fields[field] ?? ''}${line}\n`;
  }
  return records;
}
