/**
 * PostgreSQL: @keyv/postgres with a pool of its own per store, and a change
 * feed over LISTEN/NOTIFY on a dedicated connection that comes back by itself.
 */
import KeyvPostgres, { type KeyvPostgresOptions } from '@keyv/postgres';
import type { KeyvStoreAdapter } from 'keyv';
import pg from 'pg';
import type { Logger } from './logger.ts';
import type { NoteChange } from './note-store.ts';
import { decodeChange, encodeChange, newSenderId, type ChangeFeed } from './store-feed.ts';

/** The NOTIFY channel (per database: PostgreSQL delivers only within one). */
export const POSTGRES_CHANNEL = 'tinker_notes_changes';

const CONNECT_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;

const pools = new WeakMap<object, pg.Pool>();

/**
 * @keyv/postgres keeps one pool per process in a module variable: two stores on one
 * URL share it, and closing one ends the other's. It also has no `error` listener on
 * the pool, so an idle connection dropped by a server restart crashes the process,
 * and its iterator swallows errors, so a failed startup scan looks like an empty store.
 * This subclass fixes all three and keeps the table layout (key, value) unchanged.
 */
class TinkerKeyvPostgres extends KeyvPostgres {
  constructor(
    options: KeyvPostgresOptions,
    private readonly logger: Logger,
  ) {
    super(options);
  }

  // NOTE: called by the parent constructor, before this class's fields exist.
  override async connect(): Promise<(sql: string, values?: unknown) => Promise<unknown[]>> {
    const pool = new pg.Pool({
      connectionString: this.opts.uri,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 10_000,
      max: 10,
    });
    pool.on('error', (error) => {
      // An idle client lost its server; the pool drops it and opens a new one on demand.
      (this.logger as Logger | undefined)?.warn({ err: error.message }, 'notes: PostgreSQL connection lost');
    });
    pools.set(this, pool);
    return async (sql, values) => (await pool.query(sql, values as unknown[] | undefined)).rows;
  }

  override async disconnect(): Promise<void> {
    const pool = pools.get(this);
    pools.delete(this);
    await pool?.end();
  }

  /** Keyset pagination like the parent's, but a failed query throws. */
  override async *iterator(namespace?: string): AsyncGenerator<string[], void, unknown> {
    const limit = Number(this.opts.iterationLimit) || 1000;
    const pattern = `${namespace ? `${namespace.replace(/[%_\\]/g, '\\$&')}:` : ''}%`;
    const table = `${quote(this.opts.schema ?? 'public')}.${quote(this.opts.table ?? 'keyv')}`;
    let lastKey: string | undefined;
    for (;;) {
      const rows: Array<{ key: string; value: string }> =
        lastKey === undefined
          ? await this.query(`SELECT key, value FROM ${table} WHERE key LIKE $1 ORDER BY key LIMIT $2`, [pattern, limit])
          : await this.query(`SELECT key, value FROM ${table} WHERE key LIKE $1 AND key > $2 ORDER BY key LIMIT $3`, [pattern, lastKey, limit]);
      for (const row of rows) yield [row.key, row.value];
      if (rows.length < limit) return;
      lastKey = rows[rows.length - 1]!.key;
    }
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

export interface PostgresStore {
  adapter: KeyvStoreAdapter;
  feed: ChangeFeed;
}

/** The Keyv adapter and change feed for a `postgresql://` URL. */
export function createPostgresStore(url: string, logger: Logger): PostgresStore {
  const adapter = new TinkerKeyvPostgres({ uri: url, table: 'notes', iterationLimit: 1000 }, logger);
  return {
    adapter: adapter as unknown as KeyvStoreAdapter,
    feed: new PostgresChangeFeed(url, (sql, values) => adapter.query(sql, values), logger),
  };
}

class PostgresChangeFeed implements ChangeFeed {
  private listenClient: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly sender = newSenderId();

  constructor(
    private readonly url: string,
    private readonly query: (sql: string, values?: unknown[]) => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  async publish(change: NoteChange): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [POSTGRES_CHANNEL, encodeChange(change, this.sender)]);
  }

  async subscribe(listener: (change: NoteChange) => void): Promise<void> {
    // At startup a failure is the caller's to report; after that, the feed keeps trying.
    await this.listen(listener);
  }

  /** Opens the LISTEN connection; throws when it cannot. */
  private async listen(listener: (change: NoteChange) => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => {});
      if (this.listenClient !== client || this.closed) return;
      this.listenClient = undefined;
      this.logger.warn({ err: error?.message, channel: POSTGRES_CHANNEL }, 'notes: change feed lost its connection; reconnecting');
      this.reconnect(listener, 0);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== POSTGRES_CHANNEL || !message.payload) return;
      const change = decodeChange(message.payload, this.sender);
      if (change) listener(change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${POSTGRES_CHANNEL}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listenClient = client;
  }

  private reconnect(listener: (change: NoteChange) => void, attempt: number): void {
    if (this.closed || this.retry) return;
    const delay = Math.min(100 * 2 ** attempt, MAX_RECONNECT_DELAY_MS);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.listen(listener).then(
        () => this.logger.info({ channel: POSTGRES_CHANNEL }, 'notes: change feed reconnected'),
        () => this.reconnect(listener, attempt + 1),
      );
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    const client = this.listenClient;
    this.listenClient = undefined;
    await client?.end().catch(() => {});
  }
}
