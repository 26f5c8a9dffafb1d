/**
 * The one reading of `STORE_URL`: configuration validates with it and the
 * store opener opens what it says, so the two can never disagree about what a
 * URL means. Pure but for `sqliteFolderProblem`, which looks at the disk and
 * never creates anything: a path into a folder that does not exist is a
 * mistake to name, not a folder to make (an empty store there would look like
 * lost notes).
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { accessSync, constants, existsSync, statSync } from 'node:fs';

/** What a store URL names. */
export type StoreTarget =
  /** Notes kept in this process only (tests, trials): lost when it stops. */
  | { kind: 'memory' }
  /** A SQLite file; `file` is absolute. */
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; url: string };

export type ParsedStoreUrl = { ok: true; target: StoreTarget } | { ok: false; problem: string };

export interface StoreUrlContext {
  /** Where a relative sqlite:// path starts; default the working directory. */
  cwd?: string;
  /** What `~` stands for; default the user's home folder. */
  home?: string;
}

const SCHEMES_HINT = 'use sqlite://path/to/notes.sqlite, redis://host:6379 or postgresql://user:pass@host/db';

/** Removes the password from a URL for display. */
export function redactUrl(url: string): string {
  // The user part may be empty, as in redis://:password@host.
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/**
 * Reads a store URL. Every problem is one line starting `STORE_URL:` that names
 * the value (password hidden) and says what would work.
 */
export function parseStoreUrl(raw: string, context: StoreUrlContext = {}): ParsedStoreUrl {
  const url = raw.trim();
  const shown = redactUrl(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'memory':
      return url.replace(/^memory:(\/\/)?/i, '') === ''
        ? { ok: true, target: { kind: 'memory' } }
        : { ok: false, problem: `STORE_URL: "${shown}" — memory:// takes no path (notes kept in memory are lost when the bot stops)` };
    case 'sqlite':
      return sqliteTarget(url.replace(/^sqlite:(\/\/)?/i, ''), url, context);
    case 'redis':
    case 'rediss':
      return serverTarget('redis', url, shown);
    case 'postgres':
    case 'postgresql':
      return serverTarget('postgres', url, shown);
    default:
      return { ok: false, problem: `STORE_URL: "${shown}" is not a store URL — ${SCHEMES_HINT}` };
  }
}

function sqliteTarget(given: string, url: string, context: StoreUrlContext): ParsedStoreUrl {
  if (!given) return { ok: false, problem: 'STORE_URL: sqlite:// needs a file path, e.g. sqlite://data/notes.sqlite' };
  let file = given;
  if (file === '~' || file.startsWith('~/')) {
    // A shell would have expanded it; in .env nothing does. Never a folder named "~".
    file = path.join(context.home ?? homedir(), file.slice(1));
  } else if (file.startsWith('~')) {
    return { ok: false, problem: `STORE_URL: ${url}: only ~/ (your own home folder) is understood — write the full path` };
  }
  if (file.endsWith('/') || file.endsWith(path.sep)) {
    return { ok: false, problem: `STORE_URL: ${url} names a folder — name the file, e.g. ${url}notes.sqlite` };
  }
  return { ok: true, target: { kind: 'sqlite', file: path.resolve(context.cwd ?? process.cwd(), file) } };
}

function serverTarget(kind: 'redis' | 'postgres', url: string, shown: string): ParsedStoreUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, problem: `STORE_URL: "${shown}" is not a valid URL — ${kind === 'redis' ? 'e.g. redis://:password@host:6379/0' : 'e.g. postgresql://user:password@host:5432/dbname'}` };
  }
  if (!parsed.hostname) return { ok: false, problem: `STORE_URL: "${shown}" names no host — ${kind === 'redis' ? 'e.g. redis://host:6379' : 'e.g. postgresql://user:password@host/dbname'}` };
  return { ok: true, target: { kind, url } };
}

/**
 * Why a SQLite file cannot be opened where it is, or undefined: its folder
 * must exist (SQLite creates the file, and its -wal and -shm files, in it).
 */
export function sqliteFolderProblem(file: string): string | undefined {
  const folder = path.dirname(file);
  try {
    const info = statSync(folder, { throwIfNoEntry: false });
    if (!info) return `the folder ${folder} does not exist — create it, or point STORE_URL at a file in an existing folder`;
    if (!info.isDirectory()) return `${folder} is not a folder — point STORE_URL at a file in a folder`;
    if (!existsSync(file) && !mayWrite(folder)) {
      return `cannot create ${file}: ${folder} is not writable for this user — make it writable, or point STORE_URL at a file in a writable folder`;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return `${folder} is not a folder (a part of its path is a file) — point STORE_URL at a file in a folder`;
    return `the folder ${folder} cannot be read (${code ?? String(error)})`;
  }
  return undefined;
}

function mayWrite(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
