/**
 * SQLite: @keyv/sqlite's table and connection (existing notes.sqlite files open
 * unchanged), with `synchronous=FULL` and group commit.
 *
 * FULL makes every commit wait for its fsync, so a note reported saved survives
 * a power cut, not only a crash of the bot. One fsync per note made 1,000 notes
 * from two processes take 2.4-3 s; here the writes that arrive while a commit
 * is on its way wait for it and then go together, in one statement (one
 * transaction, one fsync), so a burst costs a handful of commits. node-sqlite3
 * runs statements on libuv's thread pool: the event loop keeps serving commands
 * while a commit waits for the disk (a synchronous driver would stall it).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { StartupError } from '../../domain/errors.ts';
import type { Logger } from '../../util/logger.ts';
import { sqliteFolderProblem } from '../store-url.ts';

/** Rows in one commit: two bound values each, far below SQLite's limit of 32,766. */
const MAX_BATCH = 500;

interface PendingWrite {
  key: string;
  value: unknown;
  resolve: (ok: boolean) => void;
  reject: (error: unknown) => void;
}

export interface SqliteOptions {
  /** `FULL` (default): a commit returns after its fsync. `NORMAL` is for the benchmark's before/after only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Commit waiting writes together (default true); false is for the benchmark's before/after only. */
  groupCommit?: boolean;
}

/** @keyv/sqlite whose writes are committed in groups. */
export class GroupCommitSqlite extends KeyvSqlite {
  private pending: PendingWrite[] = [];
  private flushing: Promise<void> | undefined;
  /** Commits made, and the writes they carried (the tests read these to see writes grouped). */
  readonly stats = { commits: 0, writes: 0 };

  // NOTE: @keyv/sqlite types `value` as any; Keyv hands over the serialised string.
  override async set(key: string, value: any): Promise<any> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ key, value, resolve, reject });
      this.flushing ??= this.flush().finally(() => {
        this.flushing = undefined;
      });
    });
  }

  /** After the writes queued before it, so a delete never overtakes a put of the same key. */
  override async delete(key: string): Promise<boolean> {
    while (this.flushing) await this.flushing;
    return super.delete(key);
  }

  override async disconnect(): Promise<void> {
    while (this.flushing) await this.flushing;
    await super.disconnect();
  }

  /** Commits what waits, one group at a time; whatever arrives meanwhile makes the next group. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, MAX_BATCH);
      try {
        // One statement is one transaction: every row of the group lands, or none does.
        await this.query(
          `INSERT INTO ${this.opts.table} (key, value) VALUES ${group.map(() => '(?, ?)').join(', ')} ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          group.flatMap((write) => [write.key, write.value]),
        );
        this.stats.commits += 1;
        this.stats.writes += group.length;
        for (const write of group) write.resolve(true);
      } catch (error) {
        for (const write of group) write.reject(error);
      }
    }
  }
}

/**
 * Opens (or creates) the SQLite file. Its folder must exist: nothing is created
 * but the file and SQLite's own -wal and -shm files beside it.
 */
export async function createSqliteAdapter(file: string, logger: Logger, options: SqliteOptions = {}): Promise<KeyvSqlite> {
  const problem = sqliteFolderProblem(file);
  if (problem) throw new StartupError(`STORE_URL: ${problem}`);
  // NOTE: iterationLimit pages the startup scan; the default of 10 rows makes 100k notes 10k queries.
  // busyTimeout lets several processes write one file: a writer waits for the lock instead of failing.
  const settings = { uri: `sqlite://${file}`, table: 'notes', busyTimeout: 5000, iterationLimit: 1000 };
  const adapter = options.groupCommit === false ? new KeyvSqlite(settings) : new GroupCommitSqlite(settings);
  // Until Keyv listens, a failure to open is the first query's to report.
  adapter.on('error', () => {});
  // WAL: readers do not block the writer, and a process killed mid-write leaves a file that opens cleanly.
  try {
    await adapter.query('PRAGMA journal_mode=WAL');
    await adapter.query(`PRAGMA synchronous=${options.synchronous ?? 'FULL'}`);
  } catch (error) {
    await adapter.disconnect().catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    if (isSqliteReadOnly(error)) {
      throw new StartupError(
        `STORE_URL: cannot open ${file}: ${path.dirname(file)} or the file is read-only for this process (${message}) — SQLite needs to write the file and its -wal and -shm files beside it`,
      );
    }
    throw new StartupError(`STORE_URL: cannot open ${file} (${message})`);
  }
  if (!writable(file)) {
    logger.warn(`notes: ${file} is read-only for this process: /note and /forget will say so until it is writable`);
  }
  return adapter;
}

/** Whether this process may write the file (and its folder, where -wal and -shm live). */
function writable(file: string): boolean {
  try {
    accessSync(path.dirname(file), constants.W_OK);
    accessSync(file, constants.W_OK);
    return true;
  } catch (error) {
    return false;
  }
}

export function isSqliteReadOnly(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_READONLY' || (typeof message === 'string' && message.startsWith('SQLITE_READONLY'));
}
