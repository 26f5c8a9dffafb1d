/**
 * Writing profile.md from chat: one edit at a time per file, each on the file
 * as it is on disk now (a hand edit made meanwhile is kept), written to a
 * temporary file beside it and renamed over it, so a reader (the watcher, an
 * editor, git) never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { editProfileText, type ProfileEdit, type ProfileEditOutcome } from './profile-edit.ts';

/** Work on one profile file, in the order it was asked for (edits and re-reads alike). */
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier piece of work on the same file has settled. */
export function serializeProfileWork<T>(file: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.then(
    () => {},
    () => {},
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/** A profile file's text and how to write text back in the same encoding. */
interface ProfileBytes {
  bytes: Buffer;
  text: string;
  encode: (text: string) => Buffer | undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const WINDOWS_1252 = new TextDecoder('windows-1252', { ignoreBOM: true });
/** Windows-1252 code points back to bytes (the 0x80-0x9F block is not Latin-1). */
const TO_1252 = new Map<string, number>(Array.from({ length: 256 }, (_, byte) => [WINDOWS_1252.decode(Uint8Array.of(byte)), byte]));

/** Reads the file as the knowledge base does (UTF-8, else Windows-1252), keeping a byte-order mark. */
function decode(bytes: Buffer): ProfileBytes {
  try {
    return { bytes, text: UTF8.decode(bytes), encode: (text) => Buffer.from(text, 'utf8') };
  } catch {
    const encode = (text: string) => {
      const out: number[] = [];
      for (const char of text) {
        const byte = TO_1252.get(char);
        if (byte === undefined) return undefined;
        out.push(byte);
      }
      return Buffer.from(out);
    };
    return { bytes, text: WINDOWS_1252.decode(bytes), encode };
  }
}

/** A day as the owner's calendar shows it (the process's time zone): `2024-06-15`. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** How often an edit is redone when the file changed while it was being written. */
const ATTEMPTS = 5;

export interface ProfileFileEdit {
  outcome: ProfileEditOutcome;
  /** The file's text after the edit, as the knowledge base would read it (no byte-order mark). */
  text?: string;
  /** Why the file could not be read or written (the outcome says so to the person), for the log. */
  error?: NodeJS.ErrnoException;
}

/**
 * Applies one edit to the profile file on disk. Resolves with the refusal (and
 * nothing written) or the new text once it is on disk; a file that cannot be
 * read or written is a refusal that says why (`topics: cannot write profile.md (permission denied) …`).
 * `written` runs with the new text before any later work on the file starts
 * (the knowledge base re-indexes the profile there, so a re-read queued meanwhile comes after it).
 */
export function editProfileFile(file: string, edit: ProfileEdit, today: string, written?: (text: string) => void): Promise<ProfileFileEdit> {
  return serializeProfileWork(file, async () => {
    const phase: Phase = { verb: 'read' };
    try {
      // The file a symlink names is the one edited; the link stays a link.
      const target = await realpath(file);
      const result = await editOnce(target, file, edit, today, phase);
      if (result.text !== undefined) written?.(result.text);
      return result;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!code) throw error;
      return { outcome: { ok: false, message: fileProblem(phase.verb, file, code) }, error: error as NodeJS.ErrnoException };
    }
  });
}

/** What an edit was doing when the file system refused, for the reply. */
interface Phase {
  verb: 'read' | 'write';
}

async function editOnce(target: string, file: string, edit: ProfileEdit, today: string, phase: Phase): Promise<ProfileFileEdit> {
  for (let attempt = 1; ; attempt++) {
    phase.verb = 'read';
    const before = decode(await readFile(target));
    const outcome = editProfileText(before.text, edit, today);
    if (!outcome.ok) return { outcome };
    const bytes = before.encode(outcome.markdown);
    if (!bytes) {
      return {
        outcome: {
          ok: false,
          message: `topics: ${path.basename(file)} is saved as Windows-1252 (Latin-1), which cannot hold "${edit.topic.trim()}" — nothing changed`,
        },
      };
    }
    phase.verb = 'write';
    const written = await replaceIfUnchanged(target, before.bytes, bytes);
    if (written) return { outcome, text: outcome.markdown.replace(/^\uFEFF/, '') };
    // Changed on disk meanwhile (an editor, another process): redo the edit on what is there now.
    if (attempt >= ATTEMPTS) {
      return { outcome: { ok: false, message: `topics: ${path.basename(file)} keeps changing on disk — nothing changed; please try again` } };
    }
  }
}

/**
 * Writes `bytes` to a temporary file beside `target` (flushed to disk, the
 * original's permissions) and renames it over `target`, unless `target` no
 * longer holds `expected`. False when it did not (nothing written).
 */
async function replaceIfUnchanged(target: string, expected: Buffer, bytes: Buffer): Promise<boolean> {
  const dir = path.dirname(target);
  // Hidden and not named *.md: the data watcher and the article loader leave it alone.
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const { mode } = await stat(target);
  const handle = await open(temp, 'wx', mode & 0o7777);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.chmod(mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const now = await readFile(target);
    if (!now.equals(expected)) {
      await unlink(temp);
      return false;
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncFolder(dir);
  return true;
}

/** Makes the rename itself durable; some file systems (and Windows) cannot open a folder: then the rename stands as is. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

function fileProblem(verb: 'read' | 'write', file: string, code: string): string {
  return `topics: cannot ${verb} ${path.basename(file)} (${REASONS[code] ?? code}) — nothing changed`;
}
