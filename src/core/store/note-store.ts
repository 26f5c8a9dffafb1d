/**
 * The notes store: one Keyv key per note, on SQLite, Redis or PostgreSQL.
 * Every operation either completes as confirmed by the store or throws a
 * `StoreUnavailableError`; nothing is reported saved on a guess.
 */
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { StartupError, StoreReadOnlyError, StoreUnavailableError } from '../domain/errors.ts';
import type { Logger } from '../util/logger.ts';
import { withTimeout } from '../util/timeouts.ts';
import { asNote, type Note } from '../domain/notes.ts';
import type { ChangeFeed, NoteChange, NoteStore } from './types.ts';
import { checkDurability, type DurabilityReport } from './durability.ts';
import { parseStoreUrl, redactUrl } from './store-url.ts';

export type { NoteChange, NoteStore };
export { redactUrl };

const NAMESPACE = 'tinker';
const NOTE_PREFIX = 'note:';
/** Keys of `remember`: beside the notes, never listed as notes nor exported. */
const STATE_PREFIX = 'state:';
/** Longest `remember` key; a key is a short name, not data. */
const STATE_KEY_MAX = 200;

export interface NoteStoreOptions {
  logger: Logger;
  /** Longest wait for one store operation before it counts as unavailable. */
  timeoutMs?: number;
  /** Carries changes between processes sharing the store; none for SQLite and memory. */
  feed?: ChangeFeed;
}

/** Opens the store a URL names. Creates nothing but a SQLite file (and its -wal and -shm) in an existing folder. */
export async function openNoteStore(url: string, options: NoteStoreOptions): Promise<NoteStore> {
  const { adapter, feed, useKeyPrefix, durability } = await adapterFor(url, options.logger);
  try {
    await feed?.start();
  } catch (error) {
    await feed?.close().catch(() => {});
    await (adapter as { disconnect?: () => Promise<void> }).disconnect?.().catch(() => {});
    const refusal = readOnlyRefusal(error);
    if (refusal) throw new StartupError(`STORE_URL: ${redactUrl(url)} is read-only (${refusal.reason}) — ${refusal.hint}`);
    throw new StoreUnavailableError(`STORE_URL: ${isConnectError(error) ? 'cannot connect to' : 'cannot open'} ${redactUrl(url)} (${errorSummary(error)})`, { cause: error });
  }
  // A store that could lose what it confirms is named at start, with what to set.
  if (durability) await checkDurability(durability, redactUrl(url), options.logger);
  const keyv = new Keyv<unknown>({
    store: adapter,
    namespace: NAMESPACE,
    throwOnErrors: true,
    ...(useKeyPrefix === false ? { useKeyPrefix } : {}),
  });
  return new KeyvNoteStore(keyv, redactUrl(url), { ...options, ...(feed ? { feed } : {}) });
}

interface StoreParts {
  adapter: KeyvStoreAdapter | Map<string, unknown>;
  feed?: ChangeFeed;
  /** False where the adapter prefixes keys with the namespace itself. */
  useKeyPrefix?: boolean;
  /** Asks a server whether it keeps confirmed writes (SQLite: FULL, always). */
  durability?: () => Promise<DurabilityReport>;
}

async function adapterFor(raw: string, logger: Logger): Promise<StoreParts> {
  const parsed = parseStoreUrl(raw);
  if (!parsed.ok) throw new StartupError(parsed.problem);
  const target = parsed.target;
  const url = raw.trim();
  if (target.kind === 'memory') {
    logger.warn('notes: STORE_URL=memory:// keeps notes in this process only: they are lost when it stops');
    return { adapter: new Map() };
  }
  if (target.kind === 'sqlite') {
    const { createSqliteAdapter } = await import('./backends/sqlite.ts');
    return { adapter: (await createSqliteAdapter(target.file, logger)) as unknown as KeyvStoreAdapter };
  }
  if (target.kind === 'redis') {
    const { createRedisStore } = await import('./backends/redis.ts');
    // NOTE: @keyv/redis prefixes keys with the namespace itself ("tinker::note:…"); Keyv must not add its own.
    try {
      return { ...(await createRedisStore(url, logger)), useKeyPrefix: false };
    } catch (error) {
      throw new StoreUnavailableError(`STORE_URL: cannot connect to ${redactUrl(url)} (${errorSummary(error)})`, { cause: error });
    }
  }
  const { createPostgresStore } = await import('./backends/postgres.ts');
  return createPostgresStore(url, logger);
}

/** A NoteStore over any Keyv instance (tests use an in-memory Map). */
export class KeyvNoteStore implements NoteStore {
  private readonly timeoutMs: number;
  private readonly publishing = new Set<Promise<void>>();

  constructor(
    private readonly keyv: Keyv<unknown>,
    readonly label: string,
    private readonly options: NoteStoreOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    // NOTE: Keyv reports adapter errors as events; without a listener they are uncaught.
    // A server that is down repeats the same error at every reconnect attempt: log it once a minute.
    let last = { message: '', at: 0 };
    keyv.on('error', (error: unknown) => {
      const message = errorSummary(error);
      const now = Date.now();
      if (message === last.message && now - last.at < 60_000) return;
      last = { message, at: now };
      options.logger.warn({ err: message, store: label }, 'note store error');
    });
  }

  async loadAll(): Promise<Note[]> {
    const iterate = this.keyv.iterator?.(undefined);
    if (!iterate) throw new StartupError(`notes: the store ${this.label} cannot list its notes`);
    const notes: Note[] = [];
    try {
      for await (const [key, value] of iterate as AsyncIterable<[string, unknown]>) {
        if (!String(key).startsWith(NOTE_PREFIX)) continue;
        const note = asNote(value);
        if (note) notes.push(note);
        else this.options.logger.warn({ key }, 'notes: skipped a value that is not a note');
      }
    } catch (error) {
      throw new StoreUnavailableError(`notes: cannot read the store ${this.label} (${errorSummary(error)})`, { cause: error });
    }
    return notes;
  }

  async get(id: string): Promise<Note | undefined> {
    const value = await this.withTimeout('read', () => this.keyv.get(NOTE_PREFIX + id));
    return value === undefined || value === null ? undefined : asNote(value);
  }

  async put(note: Note): Promise<void> {
    let ok: boolean;
    try {
      ok = await this.withTimeout('write', () => this.keyv.set(NOTE_PREFIX + note.id, note));
    } catch (error) {
      // A write we stopped waiting for may still land: then the note is in the
      // store, and the other processes must hear of it like of any other.
      this.publishWhenLanded(error, (landed) => landed !== false, { type: 'put', id: note.id });
      throw error;
    }
    if (ok === false) throw new StoreUnavailableError(`notes: the store ${this.label} refused the write`);
    this.publish({ type: 'put', id: note.id });
  }

  async delete(id: string): Promise<boolean> {
    let deleted: boolean;
    try {
      deleted = await this.withTimeout('delete', () => this.keyv.delete(NOTE_PREFIX + id));
    } catch (error) {
      this.publishWhenLanded(error, (landed) => landed === true, { type: 'delete', id });
      throw error;
    }
    if (deleted) this.publish({ type: 'delete', id });
    return deleted;
  }

  async remember(key: string, value: unknown, ttlMs?: number): Promise<void> {
    checkStateKey(key);
    if (ttlMs !== undefined && !(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError(`notes: remember: ttlMs must be a positive number of ms, not ${ttlMs}`);
    if (value === undefined) throw new TypeError('notes: remember: the value is undefined — use a JSON value');
    const ok = await this.withTimeout('write', () => this.keyv.set(STATE_PREFIX + key, value, ttlMs));
    if (ok === false) throw new StoreUnavailableError(`notes: the store ${this.label} refused the write`);
  }

  async recall<T = unknown>(key: string): Promise<T | undefined> {
    checkStateKey(key);
    const value = await this.withTimeout('read', () => this.keyv.get(STATE_PREFIX + key));
    return value === undefined || value === null ? undefined : (value as T);
  }

  private publishWhenLanded(error: unknown, landed: (result: unknown) => boolean, change: NoteChange): void {
    if (!(error instanceof StoreUnavailableError) || !error.pending) return;
    error.pending.then(
      (result) => {
        if (landed(result)) this.publish(change);
      },
      () => {},
    );
  }

  async subscribe(listener: (change: NoteChange) => void): Promise<void> {
    if (!this.options.feed) return;
    try {
      await this.options.feed.subscribe(listener);
    } catch (error) {
      throw new StoreUnavailableError(`notes: cannot follow changes on ${this.label} (${errorSummary(error)})`, { cause: error });
    }
  }

  /**
   * Tells other processes; the write is already confirmed, so a failure here is
   * logged, not reported to the user (they would see the note after a restart).
   */
  private publish(change: NoteChange): void {
    const feed = this.options.feed;
    if (!feed) return;
    const sent = feed
      .publish(change)
      .catch((error: unknown) => this.options.logger.warn({ ...change, err: errorSummary(error) }, 'notes: could not announce a change'))
      .finally(() => this.publishing.delete(sent));
    this.publishing.add(sent);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.publishing]);
    await this.options.feed?.close().catch((error: unknown) => {
      this.options.logger.warn({ err: errorSummary(error) }, 'notes: error while closing the change feed');
    });
    try {
      await this.keyv.disconnect();
    } catch (error) {
      this.options.logger.warn({ err: errorSummary(error) }, 'notes: error while closing the store');
    }
  }

  private async withTimeout<T>(what: string, operation: () => Promise<T>): Promise<T> {
    const running = operation();
    try {
      return await withTimeout(
        running,
        this.timeoutMs,
        () => new StoreUnavailableError(`notes: the store did not confirm the ${what} within ${this.timeoutMs} ms`, { pending: running }),
      );
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      const refusal = readOnlyRefusal(error);
      if (refusal) {
        const detail = `${this.label}: ${refusal.reason}`;
        throw new StoreReadOnlyError(`notes: ${what} refused: the store is read-only (${detail})`, { detail, hint: refusal.hint, cause: error });
      }
      throw new StoreUnavailableError(`notes: ${what} failed on ${this.label} (${errorSummary(error)})`, { cause: error });
    }
  }

}

/**
 * A refusal that will not go away by itself, with what would end it; undefined
 * for anything else (down, slow, busy), which "try again in a moment" fits.
 */
export function readOnlyRefusal(error: unknown): { reason: string; hint: string } | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message.split('\n')[0]!.trim() : '';
  if (code === 'SQLITE_READONLY' || text.startsWith('SQLITE_READONLY')) {
    return {
      reason: text.replace(/^SQLITE_READONLY:\s*/, ''),
      hint: 'make the file and its folder writable for the user the bot runs as, or point STORE_URL at a writable store',
    };
  }
  if (code === '25006') {
    return {
      reason: text,
      hint: 'the database is read-only for the bot (a standby, or default_transaction_read_only): point STORE_URL at the primary, or turn read-only off',
    };
  }
  if (code === '42501') {
    return { reason: text, hint: "grant the bot's database user INSERT, UPDATE and DELETE on the notes table" };
  }
  if (/^READONLY\b/.test(text)) {
    return { reason: text, hint: 'this Redis is a read-only replica: point STORE_URL at the primary' };
  }
  if (/^NOPERM\b/.test(text)) {
    return { reason: text, hint: 'the Redis user may not write these keys: allow it (ACL SETUSER … +@write ~tinker*), or point STORE_URL at a user that may' };
  }
  return undefined;
}

function checkStateKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > STATE_KEY_MAX) {
    throw new RangeError(`notes: a remembered key is 1-${STATE_KEY_MAX} characters, not ${JSON.stringify(String(key).slice(0, 40))}`);
  }
}

/** Codes and messages of a server that cannot be reached (as opposed to one that refuses what we ask). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

function isConnectError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectError);
  return typeof message === 'string' && /timeout|terminated unexpectedly|Connection terminated/i.test(message);
}

function errorSummary(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
