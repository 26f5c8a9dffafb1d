/**
 * The index snapshot: the search index saved to one binary file (format.ts)
 * with a stamp of the search options and of the files and notes it was built
 * from (sources.ts), so a start can load it and re-index only what changed.
 *
 * Saving runs after changes settle (debounced); the index's bytes are its
 * binary form (`SearchIndex.toBinary`, no JSON to build or parse), and the
 * file is replaced atomically (write, fsync, rename).
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isArticlePath, isListedPath, listArticleFiles, statListedFile, statProblemReason, toPosix, type ListingProblem } from '../sources/article-files.ts';
import { ARTICLE_FORMAT_VERSION } from '../sources/articles.ts';
import type { Logger } from '../util/logger.ts';
import { SEARCH_OPTIONS_VERSION, SearchIndex, type SearchIndexOptions } from '../search/search-index.ts';
import { SnapshotFormatError, crc32Of, decodeContainer, encodeContainerHead, encodeSectionHead, encodeTail, linksStamp, padding } from './format.ts';
import { LEGACY_SNAPSHOT_NAME, isOwnedSnapshotPath, isSnapshotHead, snapshotTargetProblem } from './snapshot-file.ts';
import { decodeSources, encodeSources, type ArticleStamps, type SnapshotSources } from './sources.ts';

export { articleStamps, diffArticles, diffSources, stampPaths, type ArticleStamps, type SnapshotSources, type SourcesDiff } from './sources.ts';

/** A snapshot as read back: its stamp, and the index it holds, restored on demand. */
export interface Snapshot {
  /** `SEARCH_OPTIONS_VERSION` it was written under. */
  version: number;
  format: number;
  /** ISO time it was written. */
  savedAt: string;
  sources: SnapshotSources;
  /** Rebuilds the search index from the file's bytes. */
  restore(options?: SearchIndexOptions): Promise<SearchIndex>;
}

/** A fingerprint of the parsed profile, for `SnapshotSources.profile`. */
export function hashProfile(profile: unknown): string {
  return createHash('sha256').update(JSON.stringify(profile)).digest('hex').slice(0, 32);
}

/**
 * The sources an index holds, read from its documents (articles by path and
 * mtime, notes by id and date). Articles in path order, as the listing at start
 * gives them, so an unchanged archive compares equal in one step.
 */
export function sourcesOf(index: SearchIndex, profile: string): SnapshotSources {
  // NOTE: this runs in one go when a save starts (100k documents): two flat arrays, no pair per article.
  const paths: string[] = [];
  const mtimes: number[] = [];
  const notes: Record<string, string> = {};
  let ordered = true;
  for (const doc of index.all()) {
    const file = doc.kind === 'article' ? doc.source.path : undefined;
    if (file) {
      if (ordered && paths.length > 0 && !(paths[paths.length - 1]! < file)) ordered = false;
      paths.push(file);
      mtimes.push(doc.mtimeMs ?? 0);
    } else if (doc.kind === 'note' && doc.source.noteId) {
      notes[doc.source.noteId] = doc.date ?? '';
    }
  }
  // Usually in order, or nearly (a cold build indexes in the order of its folder walk; new files come last).
  if (!ordered) {
    const order = Array.from(paths.keys()).sort((a, b) => (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : 0));
    return { profile, articles: { paths: order.map((i) => paths[i]!).join('\0'), mtimes: Float64Array.from(order, (i) => mtimes[i]!) }, notes };
  }
  return { profile, articles: { paths: paths.join('\0'), mtimes: Float64Array.from(mtimes) }, notes };
}

/**
 * Every article under DATA_DIR/articles with its modification time: one
 * recursive listing and a stat per file, no parsing. Synchronous stats in
 * slices were 5× faster than 100k promise-based ones (0.5 s against 2.5 s).
 */
export async function articleMtimes(dataDir: string): Promise<ArticleStamps> {
  const root = path.join(dataDir, 'articles');
  let entries: Dirent[];
  const prefix = dataDir.endsWith(path.sep) ? dataDir : dataDir + path.sep;
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { paths: '', mtimes: new Float64Array(0) };
    // A sub-folder that cannot be read (EACCES) stops a recursive listing: the loader's own walk
    // skips it, so the snapshot is checked against the same articles the loader indexed.
    const listing = await listArticleFiles(dataDir, root);
    return stampsOf(listing.files, prefix, listing.problems);
  }
  const listed: string[] = [];
  // The relative folder is worked out once per folder, not per file: most of the listing's cost otherwise.
  let lastDir: string | undefined;
  let dirPrefix = '';
  for (const entry of entries) {
    if (!(entry.isFile() || entry.isSymbolicLink())) continue;
    // NOTE: `parentPath` is Node 20.12+; `path` is the older name of the same field.
    const dir = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? root;
    if (dir !== lastDir) {
      lastDir = dir;
      dirPrefix = `${toPosix(dir.startsWith(prefix) ? dir.slice(prefix.length) : path.relative(dataDir, dir))}/`;
    }
    const relative = dirPrefix + entry.name;
    // The same articles as listMarkdownFiles: hidden folders and node_modules left out, symlinks to files followed.
    if (isArticlePath(relative)) listed.push(relative);
  }
  // Path order, as the snapshot keeps them.
  listed.sort();
  return stampsOf(listed, prefix);
}

/**
 * Paths (in order) with their modification times; a file gone since the listing is left out, and so
 * is a symlink that cannot be followed (a loop between two links), reported as the loader reports it.
 */
async function stampsOf(listed: readonly string[], prefix: string, problems: ListingProblem[] = []): Promise<ArticleStamps> {
  const paths: string[] = [];
  const mtimes: number[] = [];
  for (let from = 0; from < listed.length; from += 5000) {
    for (const relative of listed.slice(from, from + 5000)) {
      const info = statListedFile(prefix + relative, relative, problems);
      // A file gone since the listing counts as removed.
      if (info?.isFile()) {
        paths.push(relative);
        mtimes.push(info.mtimeMs);
      }
    }
    await yieldToLoop();
  }
  const stamps = { paths: paths.join('\0'), mtimes: Float64Array.from(mtimes) };
  return problems.length > 0 ? { ...stamps, problems: [...problems].sort((a, b) => a.path.localeCompare(b.path)) } : stamps;
}

/**
 * The same listing as articleMtimes, as a script for a worker thread (plain
 * CommonJS: no loader needed, it starts in milliseconds). Which paths are
 * articles comes from articles.ts itself (`isArticlePath` and `isListedPath`,
 * their own source), so the rule is written once. The answer is one string and
 * one transferred array: 100k object keys would cost more to build and to copy
 * between threads than the stats themselves.
 */
export function mtimesWorkerSource(): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, statSync } = require('node:fs');
const path = require('node:path');
const isListedPath = ${isListedPath.toString()};
const isArticlePath = ${isArticlePath.toString()};
const statProblemReason = ${statProblemReason.toString()};
const { dataDir } = workerData;
const root = path.join(dataDir, 'articles');
const prefix = dataDir.endsWith(path.sep) ? dataDir : dataDir + path.sep;
const listed = [];
let entries = [];
try {
  entries = readdirSync(root, { withFileTypes: true, recursive: true });
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
let lastDir;
let dirPrefix = '';
for (const entry of entries) {
  if (!(entry.isFile() || entry.isSymbolicLink())) continue;
  const dir = entry.parentPath ?? entry.path ?? root;
  if (dir !== lastDir) {
    lastDir = dir;
    dirPrefix = (dir.startsWith(prefix) ? dir.slice(prefix.length) : path.relative(dataDir, dir)).split(path.sep).join('/') + '/';
  }
  const relative = dirPrefix + entry.name;
  if (isArticlePath(relative)) listed.push(relative);
}
listed.sort();
const paths = [];
const mtimes = [];
const problems = [];
for (const relative of listed) {
  let info;
  try {
    info = statSync(prefix + relative, { throwIfNoEntry: false });
  } catch (error) {
    problems.push({ path: relative, reason: statProblemReason(error.code) });
    continue;
  }
  if (info && info.isFile()) {
    paths.push(relative);
    mtimes.push(info.mtimeMs);
  }
}
const times = Float64Array.from(mtimes);
parentPort.postMessage({ paths: paths.join('\\0'), mtimes: times, ...(problems.length > 0 ? { problems } : {}) }, [times.buffer]);
`;
}

/**
 * `articleMtimes` on a worker thread, so the listing overlaps with reading the
 * snapshot on the main thread (100k stats take about half a second); falls back
 * to the main thread when a worker cannot run.
 */
export function articleMtimesOffThread(dataDir: string): Promise<ArticleStamps> {
  return new Promise<ArticleStamps>((resolve, reject) => {
    const worker = new Worker(mtimesWorkerSource(), { eval: true, workerData: { dataDir: path.resolve(dataDir) } });
    worker.once('message', (stamps: ArticleStamps) => {
      resolve(stamps);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`snapshot: article listing worker exited with ${code}`));
    });
  }).catch(() => articleMtimes(dataDir));
}

/** What a snapshot must have been made under, beside the versions it carries. */
export interface SnapshotOptions {
  /** ARTICLES_URL: the articles' links in the index were made with it. */
  linkTemplate?: string;
}

/**
 * Reads a snapshot; undefined when there is none, or it cannot be used (damaged,
 * cut short, not a snapshot, another layout, other search options): the caller
 * then builds from scratch and a later save replaces it. Nothing in a file is
 * trusted before its length and checksum are.
 */
export async function readSnapshot(file: string, logger?: Logger, options: SnapshotOptions = {}): Promise<Snapshot | undefined> {
  if (isOwnedSnapshotPath(file)) await removeLegacySnapshot(file, logger);
  let bytes: Buffer;
  try {
    bytes = await readWhole(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger?.warn({ file, err: (error as Error).message }, 'snapshot: cannot read it; building the index from the files');
    }
    return undefined;
  }
  try {
    const container = decodeContainer(bytes);
    if (container.version !== SEARCH_OPTIONS_VERSION) {
      logger?.info({ file, version: container.version, expected: SEARCH_OPTIONS_VERSION }, 'snapshot: written under other search options; rebuilding');
      return undefined;
    }
    if (container.articleFormat !== ARTICLE_FORMAT_VERSION) {
      logger?.info({ file, articles: container.articleFormat, expected: ARTICLE_FORMAT_VERSION }, 'snapshot: articles were read another way then; rebuilding');
      return undefined;
    }
    if (container.links !== linksStamp(options.linkTemplate)) {
      logger?.info({ file }, 'snapshot: made with another ARTICLES_URL (the links would be old ones); rebuilding');
      return undefined;
    }
    const sourcesSection = container.sections.get('SRCS');
    const binary = container.sections.get('IBIN');
    if (sourcesSection?.length !== 1) throw new SnapshotFormatError('a section is missing');
    // Earlier builds could keep the index as JSON text (section IJSN): not read any more.
    if (!binary) throw new SnapshotFormatError('holds no binary index (an older layout)', 'other-format');
    const sources = decodeSources(sourcesSection[0]!);
    return {
      version: container.version,
      format: container.format,
      savedAt: new Date(container.savedAt).toISOString(),
      sources,
      restore: async (options = {}) => SearchIndex.fromBinary(joined(binary), options),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof SnapshotFormatError && error.kind === 'other-format') {
      logger?.info({ file, reason }, 'snapshot: written by another version of tinker; rebuilding');
    } else {
      logger?.warn({ file, reason }, 'snapshot: damaged or not a snapshot; building the index from the files (the next save replaces it)');
    }
    return undefined;
  }
}

/**
 * A file's bytes in as few reads as the system gives them (one, for a file on
 * disk), not readFile's 512 KB at a time: each of those waits for a turn of a
 * busy event loop at start-up (the notes and profile load meanwhile), and a 32 MB
 * snapshot took 0.2 s to come in that way, against 20 ms.
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      // Shorter than its size said (truncated meanwhile): what was read is checked like any other cut-short file.
      if (bytesRead === 0) return bytes.subarray(0, at);
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** A section's payloads as one: a view when there is one, a copy when it came in pieces. */
function joined(payloads: Uint8Array[]): Uint8Array {
  return payloads.length === 1 ? payloads[0]! : Buffer.concat(payloads);
}

/**
 * The default snapshot used to be `.index-snapshot.json`; this version cannot
 * read it, and it holds the same private text as the store. When it is there
 * beside the new default and is a tinker snapshot, it goes.
 */
async function removeLegacySnapshot(file: string, logger?: Logger): Promise<void> {
  const legacy = path.join(path.dirname(file), LEGACY_SNAPSHOT_NAME);
  try {
    const handle = await open(legacy, 'r');
    let head: string;
    try {
      const buffer = Buffer.alloc(64);
      const { bytesRead } = await handle.read(buffer, 0, 64, 0);
      head = buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
    if (!isSnapshotHead(head)) return;
    await rm(legacy, { force: true });
    logger?.info({ file: legacy, now: file }, 'snapshot: removed the old JSON snapshot; the index is now kept in the binary one');
  } catch {
    // Not there, or not ours to touch.
  }
}

/** How a snapshot is written. */
export interface WriteSnapshotOptions extends SnapshotOptions {
  /** Encode the index in one go, without yielding to the event loop (and so without a change to abandon it for). */
  atOnce?: boolean;
}

/**
 * Writes a snapshot of `index` built from `sources` (taken from it in the same
 * turn of the event loop as this call). The index's bytes are the search
 * index's binary form (`binaryPieces`), encoded a slice at a time with a turn
 * of the event loop between slices, so commands are answered during a save of
 * a large index. The file appears under its name only once complete and on disk.
 *
 * NOTE: a change to the index while it is being encoded (a /note, a file edited)
 * abandons the save: nothing is written, the file keeps the last snapshot (the
 * change's own `onChange` schedules the next save), and this returns false.
 * Encoding from a copy would have kept the save, at the price of copying the
 * posting arrays at every save; a change within the second or two a 100k save
 * takes is rare, and `atOnce` (no yielding) is there for a caller that must not be
 * overtaken for ever.
 */
export async function writeSnapshot(file: string, index: SearchIndex, sources: SnapshotSources, options: WriteSnapshotOptions = {}): Promise<boolean> {
  const revision = index.revision;
  refuseToReplace(file);
  const sourceBytes = encodeSources(sources);
  // The index first, in memory (as one buffer before): its length heads its section.
  const pieces: Uint8Array[] = [];
  let length = 0;
  const encoding = index.binaryPieces();
  try {
    for (const piece of encoding) {
      if (piece.length > 0) pieces.push(piece);
      length += piece.length;
      if (options.atOnce) continue;
      await yieldToLoop();
      if (index.revision !== revision) return false;
    }
  } finally {
    encoding.return(undefined);
  }
  const temp = `${file}.${process.pid}.tmp`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temp, 'w');
  } catch (error) {
    throw new Error(`INDEX_SNAPSHOT: cannot write ${file} (${(error as Error).message})`, { cause: error });
  }
  try {
    let crc = 0;
    const write = async (bytes: Uint8Array) => {
      crc = crc32Of(bytes, crc);
      await handle.write(bytes);
    };
    await write(encodeContainerHead({ version: SEARCH_OPTIONS_VERSION, articleFormat: ARTICLE_FORMAT_VERSION, links: linksStamp(options.linkTemplate), savedAt: Date.now() }));
    await write(encodeSectionHead('SRCS', sourceBytes.byteLength));
    await write(sourceBytes);
    await write(padding(sourceBytes.byteLength));
    // One section for the whole index, written piece by piece: it is read back as one view, no copy.
    await write(encodeSectionHead('IBIN', length));
    for (const piece of pieces) await write(piece);
    await write(padding(length));
    await handle.write(encodeTail(crc));
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
  return true;
}

/**
 * Throws unless `file` is free for a snapshot (nothing there, empty, or a snapshot):
 * a mistyped INDEX_SNAPSHOT must never replace the notes store or the profile.
 * Configuration refuses such a path at start-up; this guards a file put there later.
 * The default file (`.index-snapshot.bin`) is tinker's own: a damaged one is replaced.
 */
function refuseToReplace(file: string): void {
  const problem = snapshotTargetProblem(file);
  if (!problem || problem.kind === 'no-folder') return; // no folder: opening the temp file reports it
  if (problem.kind === 'not-snapshot' && isOwnedSnapshotPath(file)) return;
  const what =
    problem.kind === 'folder' ? 'is a folder' : problem.kind === 'not-snapshot' ? 'is not an index snapshot' : `cannot be checked (${problem.reason})`;
  throw new Error(`INDEX_SNAPSHOT: ${file} ${what} — not replacing it`);
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
  /** Writes one snapshot; false: abandoned (the index changed meanwhile, and that change schedules the next). */
  save: () => Promise<boolean | void>;
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
  /** The last save was abandoned (the index changed during it). */
  let abandoned = false;

  const run = async (): Promise<void> => {
    if (running) await running.catch(() => {});
    if (!dirty) return;
    dirty = false;
    firstChangeAt = undefined;
    const started = Date.now();
    running = options.save().then(
      (saved) => {
        abandoned = saved === false;
        if (abandoned) {
          dirty = true;
          options.logger.debug({ ms: Date.now() - started }, 'snapshot: the index changed during the save; saving again later');
        } else {
          options.logger.debug({ ms: Date.now() - started }, 'snapshot: saved');
        }
      },
      (error: unknown) => {
        abandoned = false;
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
      // A save abandoned because of a change during it: again (the owner's third try does not yield, so it ends).
      for (let again = 0; again < 2 && dirty && abandoned; again += 1) {
        clearTimeout(timer);
        await run();
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      if (running) await running.catch(() => {});
    },
  };
}
