/**
 * What an index was built from, in the compact form the snapshot keeps and the
 * start-up check compares: article paths as one NUL-separated string (no path
 * can hold a NUL) beside their modification times in a Float64Array, so 100k
 * stamps are one string and one array, not 100k object keys, and an unchanged
 * archive is told apart from a changed one by two comparisons.
 */
import type { ListingProblem } from '../sources/article-files.ts';

/** Article paths (relative to DATA_DIR, `/`-separated) and their modification times in ms, in the same order. */
export interface ArticleStamps {
  /** The paths joined by `\0`; empty when there are none. */
  paths: string;
  mtimes: Float64Array;
  /** Sub-folders the listing could not read (their files are left out) and links it could not follow, for the start-up warning. */
  problems?: ListingProblem[];
}

/** What an index was built from: enough to tell, at the next start, what changed. */
export interface SnapshotSources {
  /** Fingerprint of the parsed profile (`hashProfile`). */
  profile: string;
  articles: ArticleStamps;
  /** Note id → `createdAt` (notes are immutable; an id with another date is another note). */
  notes: Record<string, string>;
}

/** Stamps from (path, mtime) pairs. */
export function articleStamps(entries: Iterable<readonly [string, number]>): ArticleStamps {
  const paths: string[] = [];
  const mtimes: number[] = [];
  for (const [file, mtime] of entries) {
    paths.push(file);
    mtimes.push(mtime);
  }
  return { paths: paths.join('\0'), mtimes: Float64Array.from(mtimes) };
}

/** The paths of a set of stamps, in order. */
export function stampPaths(stamps: ArticleStamps): string[] {
  return stamps.mtimes.length === 0 ? [] : stamps.paths.split('\0');
}

/** The sources as bytes: a `SRCS` section. */
export function encodeSources(sources: SnapshotSources): Uint8Array {
  const profile = Buffer.from(sources.profile, 'utf8');
  const paths = Buffer.from(sources.articles.paths, 'utf8');
  const ids = Object.keys(sources.notes);
  const noteIds = Buffer.from(ids.join('\0'), 'utf8');
  const noteDates = Buffer.from(ids.map((id) => sources.notes[id]).join('\0'), 'utf8');
  const count = sources.articles.mtimes.length;
  const mtimesAt = align8(4 + profile.length + 8 + paths.length);
  const notesAt = mtimesAt + count * 8;
  const out = Buffer.alloc(notesAt + 12 + noteIds.length + noteDates.length);
  let at = 0;
  at = out.writeUInt32LE(profile.length, at);
  at += profile.copy(out, at);
  at = out.writeUInt32LE(count, at);
  at = out.writeUInt32LE(paths.length, at);
  paths.copy(out, at);
  Buffer.from(sources.articles.mtimes.buffer, sources.articles.mtimes.byteOffset, count * 8).copy(out, mtimesAt);
  at = out.writeUInt32LE(ids.length, notesAt);
  at = out.writeUInt32LE(noteIds.length, at);
  at += noteIds.copy(out, at);
  at = out.writeUInt32LE(noteDates.length, at);
  noteDates.copy(out, at);
  return out;
}

/** Reads a `SRCS` section back; throws when its lengths do not add up. */
export function decodeSources(section: Uint8Array): SnapshotSources {
  const bytes = Buffer.from(section.buffer, section.byteOffset, section.byteLength);
  const fail = (what: string): never => {
    throw new Error(`sources: ${what}`);
  };
  let at = 0;
  const u32 = () => {
    if (at + 4 > bytes.length) fail('cut short');
    const value = bytes.readUInt32LE(at);
    at += 4;
    return value;
  };
  const text = (length: number) => {
    if (at + length > bytes.length) fail('cut short');
    const value = bytes.toString('utf8', at, at + length);
    at += length;
    return value;
  };
  const profile = text(u32());
  const count = u32();
  const paths = text(u32());
  const mtimesAt = align8(at);
  if (mtimesAt + count * 8 > bytes.length) fail('cut short');
  // A copy: the section need not be 8-byte aligned in memory.
  const mtimes = new Float64Array(count);
  Buffer.from(mtimes.buffer).set(bytes.subarray(mtimesAt, mtimesAt + count * 8));
  at = mtimesAt + count * 8;
  const noteCount = u32();
  const ids = text(u32());
  const dates = text(u32());
  const idList = noteCount === 0 ? [] : ids.split('\0');
  const dateList = noteCount === 0 ? [] : dates.split('\0');
  const pathCount = count === 0 ? 0 : paths.split('\0', count + 1).length;
  if (pathCount !== count || idList.length !== noteCount || dateList.length !== noteCount) fail('counts do not match');
  const notes: Record<string, string> = {};
  for (let i = 0; i < noteCount; i += 1) notes[idList[i]!] = dateList[i]!;
  return { profile, articles: { paths, mtimes }, notes };
}

function align8(n: number): number {
  return (n + 7) & ~7;
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

export function diffSources(saved: SnapshotSources, current: SnapshotSources): SourcesDiff {
  const changed = <T>(before: Record<string, T>, now: Record<string, T>) =>
    Object.keys(now).filter((key) => !Object.hasOwn(before, key) || before[key] !== now[key]);
  const removed = <T>(before: Record<string, T>, now: Record<string, T>) => Object.keys(before).filter((key) => !Object.hasOwn(now, key));
  return {
    profileChanged: saved.profile !== current.profile,
    ...diffArticles(saved.articles, current.articles),
    changedNotes: changed(saved.notes, current.notes),
    removedNotes: removed(saved.notes, current.notes),
  };
}

/**
 * Articles new or changed, and removed. Both sides come in path order (the
 * listing sorts, and so does `sourcesOf`): an unchanged archive is two
 * comparisons, a changed one a single merge of the two lists.
 */
export function diffArticles(saved: ArticleStamps, current: ArticleStamps): Pick<SourcesDiff, 'changedArticles' | 'removedArticles'> {
  if (saved.paths === current.paths && sameTimes(saved.mtimes, current.mtimes)) return { changedArticles: [], removedArticles: [] };
  const before = stampPaths(saved);
  const now = stampPaths(current);
  const changedArticles: string[] = [];
  const removedArticles: string[] = [];
  if (!isSorted(before) || !isSorted(now)) {
    // Not in order (a snapshot from elsewhere): by lookup.
    const times = new Map<string, number>();
    before.forEach((file, i) => times.set(file, saved.mtimes[i]!));
    now.forEach((file, i) => {
      if (times.get(file) !== current.mtimes[i]) changedArticles.push(file);
      times.delete(file);
    });
    return { changedArticles, removedArticles: [...times.keys()] };
  }
  let i = 0;
  let j = 0;
  while (i < before.length || j < now.length) {
    const a = before[i];
    const b = now[j];
    if (b === undefined || (a !== undefined && a < b)) {
      removedArticles.push(a!);
      i += 1;
    } else if (a === undefined || b < a) {
      changedArticles.push(b);
      j += 1;
    } else {
      if (saved.mtimes[i] !== current.mtimes[j]) changedArticles.push(b);
      i += 1;
      j += 1;
    }
  }
  return { changedArticles, removedArticles };
}

function isSorted(paths: readonly string[]): boolean {
  for (let i = 1; i < paths.length; i += 1) if (!(paths[i - 1]! < paths[i]!)) return false;
  return true;
}

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
