/**
 * Whether a path may receive an index snapshot: only a path with nothing there
 * yet, an empty file, or a file that already holds a tinker snapshot, so a
 * mistyped INDEX_SNAPSHOT can never replace the notes store, the profile or any
 * other file. Kept apart from snapshot.ts so configuration can check it without
 * loading the search index and the markdown parser.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { SNAPSHOT_MAGIC } from './format.ts';

/** The snapshot's file name in DATA_DIR when INDEX_SNAPSHOT is unset. */
export const DEFAULT_SNAPSHOT_NAME = '.index-snapshot.bin';
/** The default before the binary layout (a JSON file); removed once the new one is in use. */
export const LEGACY_SNAPSHOT_NAME = '.index-snapshot.json';

/**
 * Whether a snapshot path is tinker's own file: the default name, which no
 * other program writes. A damaged file there is rebuilt and replaced, with a
 * warning; under any other name a file that is not a snapshot is never replaced.
 */
export function isOwnedSnapshotPath(file: string): boolean {
  return path.basename(file) === DEFAULT_SNAPSHOT_NAME;
}

/**
 * How the JSON snapshots of earlier versions begin, whatever their options
 * version or format: `{"version":3,"format":2,"savedAt":"…`.
 */
const LEGACY_HEAD = /^\{"version":\d+,"format":\d+,"savedAt":"/;

/** Bytes read to recognise a snapshot; both heads are under 50. */
const HEAD_BYTES = 64;

/** True when `text` is the beginning of a tinker index snapshot, binary or of an earlier JSON layout. */
export function isSnapshotHead(text: string): boolean {
  return text.startsWith(SNAPSHOT_MAGIC) || LEGACY_HEAD.test(text);
}

/** Why a snapshot must not be written at a path. */
export type SnapshotTargetProblem =
  /** A folder is there. */
  | { kind: 'folder' }
  /** A non-empty file that is not a snapshot is there. */
  | { kind: 'not-snapshot' }
  /** The folder it would go in does not exist. */
  | { kind: 'no-folder' }
  /** The path cannot be inspected (permissions, a file where a folder should be, …). */
  | { kind: 'unreadable'; reason: string };

/**
 * What stands in the way of writing a snapshot at `file`; undefined when nothing
 * does (no file yet, an empty file, or a snapshot of any version). Reads at most
 * the first 64 bytes.
 */
export function snapshotTargetProblem(file: string): SnapshotTargetProblem | undefined {
  let isDirectory: boolean;
  let size: number;
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info) {
      const folder = statSync(path.dirname(file), { throwIfNoEntry: false });
      if (!folder) return { kind: 'no-folder' };
      return folder.isDirectory() ? undefined : { kind: 'unreadable', reason: `${path.dirname(file)} is not a folder` };
    }
    isDirectory = info.isDirectory();
    size = info.size;
  } catch (error) {
    return { kind: 'unreadable', reason: errorCode(error) };
  }
  if (isDirectory) return { kind: 'folder' };
  // An empty file holds nothing to lose.
  if (size === 0) return undefined;
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { kind: 'unreadable', reason: errorCode(error) };
  }
  return isSnapshotHead(head) ? undefined : { kind: 'not-snapshot' };
}

function errorCode(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message ?? error);
}
