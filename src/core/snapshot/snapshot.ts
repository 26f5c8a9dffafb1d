/**
 * The index snapshot: the search index saved to one JSON file with a stamp of
 * the search options and of the files and notes it was built from, so a start
 * can load it and re-index only what changed since.
 *
 * Saving runs after changes settle (debounced) and writes in slices that yield
 * to the event loop, so a command is never queued behind a whole 100k-document
 * serialisation; the file is replaced atomically (write, then rename).
 */
import { createHash } from 'node:crypto';
import { statSync, type Dirent } from 'node:fs';
import { open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isArticlePath, isListedPath, toPosix } from '../sources/articles.ts';
import type { Logger } from '../util/logger.ts';
import { snapshotTargetProblem } from './snapshot-file.ts';
import { SEARCH_OPTIONS_VERSION, type SearchIndex, type SearchIndexJSON } from '../search/search-index.ts';

/** Bump when the file layout below changes. */
const SNAPSHOT_FORMAT = 2;

/** What an index was built from: enough to tell, at the next start, what changed. */
export interface SnapshotSources {
  /** Fingerprint of the parsed profile (`hashProfile`). */
  profile: string;
  /** Article path (relative to DATA_DIR) → modification time in ms. */
  articles: Record<string, number>;
  /** Note id → `createdAt` (notes are immutable; an id with another date is another note). */
  notes: Record<string, string>;
}

/** A snapshot as read back. */
export interface Snapshot {
  /** `SEARCH_OPTIONS_VERSION` it was written under. */
  version: number;
  format: number;
  /** ISO time it was written. */
  savedAt: string;
  sources: SnapshotSources;
  index: SearchIndexJSON;
}

/** What differs between the sources a snapshot was built from and the current ones. */
export interface SourcesDiff {
  profileChanged: boolean;
  /** Articles that are new or whose mtime differs. */
  changedArticles: string[];
  removedArticles: string[];
  /** Notes that are new or whose `createdAt` differs. */
  changedNotes: string[];
  removedNotes: string[];
}

/** A fingerprint of the parsed profile, for `SnapshotSources.profile`. */
export function hashProfile(profile: unknown): string {
  return createHash('sha256').update(JSON.stringify(profile)).digest('hex').slice(0, 32);
}

/** The sources an index holds, read from its documents (articles by path and mtime, notes by id and date). */
export function sourcesOf(index: SearchIndex, profile: string): SnapshotSources {
  const sources: SnapshotSources = { profile, articles: {}, notes: {} };
  for (const doc of index.all()) {
    if (doc.kind === 'article' && doc.source.path) sources.articles[doc.source.path] = doc.mtimeMs ?? 0;
    else if (doc.kind === 'note' && doc.source.noteId) sources.notes[doc.source.noteId] = doc.date ?? '';
  }
  return sources;
}

/**
 * Every article under DATA_DIR/articles with its modification time: one
 * recursive listing and a stat per file, no parsing. Synchronous stats in
 * slices were 5× faster than 100k promise-based ones (0.5 s against 2.5 s).
 */
export async function articleMtimes(dataDir: string): Promise<Record<string, number>> {
  const root = path.join(dataDir, 'articles');
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const mtimes: Record<string, number> = {};
  const prefix = dataDir.endsWith(path.sep) ? dataDir : dataDir + path.sep;
  for (let from = 0; from < entries.length; from += 5000) {
    for (const entry of entries.slice(from, from + 5000)) {
      if (!(entry.isFile() || entry.isSymbolicLink()) || !entry.name.toLowerCase().endsWith('.md')) continue;
      // NOTE: `parentPath` is Node 20.12+; `path` is the older name of the same field.
      const dir = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? root;
      const file = path.join(dir, entry.name);
      const relative = toPosix(file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(dataDir, file));
      // The same articles as listMarkdownFiles: hidden folders and node_modules left out, symlinks to files followed.
      if (!isArticlePath(relative)) continue;
      const info = statSync(file, { throwIfNoEntry: false });
      // A file gone since the listing counts as removed.
      if (info?.isFile()) mtimes[relative] = info.mtimeMs;
    }
    await yieldToLoop();
  }
  return mtimes;
}

/**
 * The same listing as articleMtimes, as a script for a worker thread (plain
 * CommonJS: no loader needed). Which paths are articles comes from articles.ts
 * itself (`isListedPath`'s own source), so the rule is written once.
 */
export function mtimesWorkerSource(): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, statSync } = require('node:fs');
const path = require('node:path');
const isListedPath = ${isListedPath.toString()};
const { dataDir } = workerData;
const root = path.join(dataDir, 'articles');
const prefix = dataDir.endsWith(path.sep) ? dataDir : dataDir + path.sep;
const mtimes = {};
let entries = [];
try {
  entries = readdirSync(root, { withFileTypes: true, recursive: true });
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
for (const entry of entries) {
  if (!(entry.isFile() || entry.isSymbolicLink()) || !entry.name.toLowerCase().endsWith('.md')) continue;
  const file = path.join(entry.parentPath ?? entry.path ?? root, entry.name);
  const relative = (file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(dataDir, file)).split(path.sep).join('/');
  if (!isListedPath(relative.slice('articles/'.length))) continue;
  const info = statSync(file, { throwIfNoEntry: false });
  if (info && info.isFile()) mtimes[relative] = info.mtimeMs;
}
parentPort.postMessage(mtimes);
`;
}

/**
 * `articleMtimes` on a worker thread, so the listing overlaps with parsing the
 * snapshot on the main thread (100k stats take about a second); falls back to
 * the main thread when a worker cannot run.
 */
export function articleMtimesOffThread(dataDir: string): Promise<Record<string, number>> {
  return new Promise<Record<string, number>>((resolve, reject) => {
    const worker = new Worker(mtimesWorkerSource(), { eval: true, workerData: { dataDir: path.resolve(dataDir) } });
    worker.once('message', (mtimes: Record<string, number>) => {
      resolve(mtimes);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`snapshot: article listing worker exited with ${code}`));
    });
  }).catch(() => articleMtimes(dataDir));
}

export function diffSources(saved: SnapshotSources, current: SnapshotSources): SourcesDiff {
  const changed = <T>(before: Record<string, T>, now: Record<string, T>) =>
    Object.keys(now).filter((key) => !Object.hasOwn(before, key) || before[key] !== now[key]);
  const removed = <T>(before: Record<string, T>, now: Record<string, T>) => Object.keys(before).filter((key) => !Object.hasOwn(now, key));
  return {
    profileChanged: saved.profile !== current.profile,
    changedArticles: changed(saved.articles, current.articles),
    removedArticles: removed(saved.articles, current.articles),
    changedNotes: changed(saved.notes, current.notes),
    removedNotes: removed(saved.notes, current.notes),
  };
}

/**
 * Reads a snapshot; undefined when there is none, it cannot be parsed, or it was
 * written under other search options (the caller then builds from scratch).
 */
export async function readSnapshot(file: string, logger?: Logger): Promise<Snapshot | undefined> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger?.warn({ file, err: (error as Error).message }, 'snapshot: cannot read it; building the index from scratch');
    }
    return undefined;
  }
  let parsed: Partial<Snapshot>;
  try {
    parsed = JSON.parse(source) as Partial<Snapshot>;
  } catch (error) {
    logger?.warn({ file, err: (error as Error).message }, 'snapshot: not valid JSON; building the index from scratch');
    return undefined;
  }
  if (parsed.format !== SNAPSHOT_FORMAT || parsed.version !== SEARCH_OPTIONS_VERSION) {
    logger?.info({ file, version: parsed.version, expected: SEARCH_OPTIONS_VERSION }, 'snapshot: written under other search options; rebuilding');
    return undefined;
  }
  if (!isSources(parsed.sources) || !parsed.index || !Array.isArray(parsed.index.docs)) {
    logger?.warn({ file }, 'snapshot: incomplete; building the index from scratch');
    return undefined;
  }
  return parsed as Snapshot;
}

function isSources(value: unknown): value is SnapshotSources {
  if (typeof value !== 'object' || value === null) return false;
  const sources = value as Partial<SnapshotSources>;
  return typeof sources.profile === 'string' && typeof sources.articles === 'object' && typeof sources.notes === 'object';
}

/** Entries of a large array serialised per slice before yielding to the event loop. */
const SLICE = 2000;

/**
 * Writes a snapshot of `index` built from `sources`. The index is copied in one
 * step (MiniSearch's `toJSON`), then serialised slice by slice, yielding between
 * slices; the file appears under its name only once complete.
 */
export async function writeSnapshot(file: string, index: SearchIndex, sources: SnapshotSources): Promise<void> {
  refuseToReplace(file);
  const json = index.toJSON();
  const { index: raw, docs } = json;
  const { index: terms, ...header } = raw as { index: unknown[] } & Record<string, unknown>;
  const temp = `${file}.${process.pid}.tmp`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temp, 'w');
  } catch (error) {
    throw new Error(`INDEX_SNAPSHOT: cannot write ${file} (${(error as Error).message})`, { cause: error });
  }
  try {
    const write = (text: string) => handle.write(text);
    const head = { version: SEARCH_OPTIONS_VERSION, format: SNAPSHOT_FORMAT, savedAt: new Date().toISOString(), sources };
    await write(`${JSON.stringify(head).slice(0, -1)},"index":{"index":${JSON.stringify(header).slice(0, -1)},"index":[`);
    await writeArray(write, terms);
    await write(']},"docs":[');
    await writeArray(write, docs);
    await write(']}}\n');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  // Again: the file may have appeared while the snapshot was being written.
  try {
    refuseToReplace(file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, file);
}

/**
 * Throws unless `file` is free for a snapshot (nothing there, empty, or a snapshot):
 * a mistyped INDEX_SNAPSHOT must never replace the notes store or the profile.
 * Configuration refuses such a path at start-up; this guards a file put there later.
 */
function refuseToReplace(file: string): void {
  const problem = snapshotTargetProblem(file);
  if (!problem || problem.kind === 'no-folder') return; // no folder: opening the temp file reports it
  const what =
    problem.kind === 'folder' ? 'is a folder' : problem.kind === 'not-snapshot' ? 'is not an index snapshot' : `cannot be checked (${problem.reason})`;
  throw new Error(`INDEX_SNAPSHOT: ${file} ${what} — not replacing it`);
}

async function writeArray(write: (text: string) => Promise<unknown>, items: readonly unknown[]): Promise<void> {
  for (let from = 0; from < items.length; from += SLICE) {
    const slice = items.slice(from, from + SLICE).map((item) => JSON.stringify(item)).join(',');
    await write(from === 0 ? slice : `,${slice}`);
    await yieldToLoop();
  }
}

/** Saves a snapshot some time after the last change, one save at a time. */
export interface SnapshotScheduler {
  /** Notes that the index changed; a save follows once changes stop for `delayMs`. */
  schedule(): void;
  /** Saves now if anything changed (or `force`), waiting for a save under way. */
  flush(force?: boolean): Promise<void>;
  /** Stops scheduling; a save under way finishes. */
  close(): Promise<void>;
}

export interface SnapshotSchedulerOptions {
  /** Writes one snapshot. */
  save: () => Promise<void>;
  logger: Logger;
  /** Quiet time after the last change before saving; default 30 s. */
  delayMs?: number;
  /** Longest a change waits under a steady stream of changes; default 5 min. */
  maxDelayMs?: number;
}

export function createSnapshotScheduler(options: SnapshotSchedulerOptions): SnapshotScheduler {
  const delayMs = options.delayMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? 300_000;
  let timer: NodeJS.Timeout | undefined;
  let firstChangeAt: number | undefined;
  let dirty = false;
  let running: Promise<void> | undefined;
  let closed = false;

  const run = async (): Promise<void> => {
    if (running) await running.catch(() => {});
    if (!dirty) return;
    dirty = false;
    firstChangeAt = undefined;
    const started = Date.now();
    running = options.save().then(
      () => options.logger.debug({ ms: Date.now() - started }, 'snapshot: saved'),
      (error: unknown) => {
        dirty = true;
        options.logger.warn({ err: (error as Error).message }, 'snapshot: save failed; will retry after the next change');
      },
    );
    await running;
    running = undefined;
  };

  return {
    schedule() {
      if (closed) return;
      dirty = true;
      firstChangeAt ??= Date.now();
      clearTimeout(timer);
      const wait = Math.max(0, Math.min(delayMs, firstChangeAt + maxDelayMs - Date.now()));
      timer = setTimeout(() => void run(), wait);
      // A pending snapshot must not keep the process alive.
      timer.unref();
    },
    async flush(force = false) {
      clearTimeout(timer);
      if (force) dirty = true;
      await run();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      if (running) await running.catch(() => {});
    },
  };
}
