/**
 * PostgreSQL: @keyv/postgres with a pool of its own per store, and a change
 * feed over LISTEN/NOTIFY on a dedicated connection that comes back by itself
 * and reads what it missed from a change log table.
 */
import KeyvPostgres, { type KeyvPostgresOptions } from '@keyv/postgres';
import type { KeyvStoreAdapter } from 'keyv';
import pg from 'pg';
import type { Logger } from '../../util/logger.ts';
import type { ChangeFeed, NoteChange } from '../types.ts';
import { postgresDurability, type DurabilityReport } from '../durability.ts';
import { decodeChange, encodeChange, newSenderId } from '../feed.ts';
import { redactUrl } from '../store-url.ts';

/** The NOTIFY channel (per database: PostgreSQL delivers only within one). */
export const POSTGRES_CHANNEL = 'tinker_notes_changes';

const CONNECT_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;

type Query = (sql: string, values?: unknown) => Promise<unknown[]>;

const CREATE_IF_NOT_EXISTS = /^\s*CREATE\b[^;]*\bIF NOT EXISTS\b/i;

/**
 * `query`, where a CREATE … IF NOT EXISTS that lost a race counts as done. Two
 * processes starting at once on a new database both create the tables; the one
 * that loses gets a duplicate error (unique_violation, duplicate_table or
 * duplicate_object), which one depends on timing, although what it asked for is there.
 */
export function toleratingCreateRace(query: Query): Query {
  return async (sql, values) => {
    try {
      return await query(sql, values);
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code;
      if (CREATE_IF_NOT_EXISTS.test(sql) && (code === '23505' || code === '42P07' || code === '42710')) return [];
      throw error;
    }
  };
}

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
  override async connect(): Promise<Query> {
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
    // NOTE: the parent runs its CREATE TABLE through this at connect; a failure there is
    // emitted as an 'error' nobody listens to yet, which fails every later query.
    return toleratingCreateRace(async (sql, values) => (await pool.query(sql, values as unknown[] | undefined)).rows);
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
  /** Whether commits are on disk when confirmed (synchronous_commit, fsync), in tinker's own sessions. */
  durability: () => Promise<DurabilityReport>;
}

/** The Keyv adapter and change feed for a `postgresql://` URL. */
export function createPostgresStore(url: string, logger: Logger): PostgresStore {
  const adapter = new TinkerKeyvPostgres({ uri: url, table: 'notes', iterationLimit: 1000 }, logger);
  return {
    adapter: adapter as unknown as KeyvStoreAdapter,
    feed: new PostgresChangeFeed(url, (sql, values) => adapter.query(sql, values), logger),
    durability: () => postgresDurability((sql) => adapter.query(sql), `PostgreSQL at ${redactUrl(url)}`),
  };
}

/**
 * The change log table. NOTIFY alone drops what is sent while a listener is
 * reconnecting; each change is also a row here, so a listener that comes back
 * reads what it missed. Rows older than a week are pruned.
 */
export const CHANGES_TABLE = 'notes_changes';
const PRUNE_EVERY = 1000;
/**
 * How far before the last change seen a catch-up reads again: longer than any
 * insert stays uncommitted (store operations give up after seconds).
 */
const CATCH_UP_OVERLAP = '1 minute';
/** Delivered sequence numbers remembered for skipping repeats. */
const DELIVERED_KEPT = 20_000;

class PostgresChangeFeed implements ChangeFeed {
  private listenClient: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly sender = newSenderId();
  private tableReady: Promise<void> | undefined;
  /** The newest change seen; what a reconnected listener reads on from. */
  private lastSeq: number | undefined;
  /** Changes already delivered, so the overlap a catch-up re-reads is not delivered twice. */
  private readonly delivered = new Set<number>();
  private published = 0;

  constructor(
    private readonly url: string,
    private readonly query: (sql: string, values?: unknown[]) => Promise<unknown[]>,
    private readonly logger: Logger,
  ) {}

  /**
   * Changes are sent in batches: every change made while the previous batch was
   * on its way goes out in the next one statement, so a burst of saves costs a
   * few round trips instead of one per note, and leaves the pool to the saves.
   */
  publish(change: NoteChange): Promise<void> {
    const sent = new Promise<void>((resolve, reject) => this.pending.push({ change, resolve, reject }));
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
    });
    return sent;
  }

  private pending: Array<{ change: NoteChange; resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, 500);
      try {
        await this.ensureTable();
        // One statement: the rows and their notifications are committed together.
        await this.query(
          `WITH c AS (
             INSERT INTO ${CHANGES_TABLE} (type, id, sender)
             SELECT type, id, $3::text FROM unnest($1::text[], $2::text[]) AS u(type, id)
             RETURNING seq, type, id, sender)
           SELECT pg_notify($4, json_build_object('type', c.type, 'id', c.id, 'from', c.sender, 'seq', c.seq)::text) FROM c`,
          [batch.map((p) => p.change.type), batch.map((p) => p.change.id), this.sender, POSTGRES_CHANNEL],
        );
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
      this.published += batch.length;
      if (this.published >= PRUNE_EVERY) {
        this.published = 0;
        await this.prune().catch(() => {});
      }
    }
  }

  async start(): Promise<void> {
    await this.ensureTable();
    const rows = (await this.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM ${CHANGES_TABLE}`)) as Array<{ seq: string }>;
    this.lastSeq = Number(rows[0]?.seq ?? 0);
    // What is committed now comes before the startup scan: the first catch-up need not deliver it again.
    const recent = (await this.query(
      `SELECT seq::text AS seq FROM ${CHANGES_TABLE}
       WHERE at >= (SELECT at FROM ${CHANGES_TABLE} WHERE seq <= $1 ORDER BY seq DESC LIMIT 1) - $2::interval
       ORDER BY seq`,
      [this.lastSeq, CATCH_UP_OVERLAP],
    )) as Array<{ seq: string }>;
    for (const row of recent.slice(-DELIVERED_KEPT)) this.delivered.add(Number(row.seq));
  }

  async subscribe(listener: (change: NoteChange) => void): Promise<void> {
    await this.ensureTable();
    await this.prune();
    // At startup a failure is the caller's to report; after that, the feed keeps trying.
    await this.listen(listener);
  }

  private ensureTable(): Promise<void> {
    this.tableReady ??= this.query(
      `CREATE TABLE IF NOT EXISTS ${CHANGES_TABLE} (seq BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, sender TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    ).then(
      () => undefined,
      (error: unknown) => {
        this.tableReady = undefined;
        throw error;
      },
    );
    return this.tableReady;
  }

  private async prune(): Promise<void> {
    await this.query(`DELETE FROM ${CHANGES_TABLE} WHERE at < now() - interval '7 days'`);
  }

  private deliver(listener: (change: NoteChange) => void, payload: string): void {
    const change = decodeChange(payload, this.sender);
    const seq = seqOf(payload);
    if (seq !== undefined) {
      if (this.delivered.has(seq)) return;
      this.delivered.add(seq);
      if (this.delivered.size > DELIVERED_KEPT) {
        // Sets iterate in insertion order: drop the oldest.
        for (const old of this.delivered) {
          this.delivered.delete(old);
          if (this.delivered.size <= DELIVERED_KEPT / 2) break;
        }
      }
      if (this.lastSeq === undefined || seq > this.lastSeq) this.lastSeq = seq;
    }
    if (change) listener(change);
  }

  /** Opens the LISTEN connection and reads what was missed since `lastSeq`; throws when it cannot. */
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
      if (message.channel === POSTGRES_CHANNEL && message.payload) this.deliver(listener, message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${POSTGRES_CHANNEL}`);
      // After LISTEN, so nothing falls between the two; a change seen twice is harmless.
      // lastSeq is set by start(); without it, follow from now on.
      if (this.lastSeq === undefined) {
        const { rows } = await client.query<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM ${CHANGES_TABLE}`);
        this.lastSeq = Number(rows[0]?.seq ?? 0);
      } else {
        // NOTE: sequence numbers are taken at insert and committed in any order: a change
        // with a smaller seq than the last one seen can commit later, its notification
        // missed while this connection was down. So the catch-up re-reads every change
        // made from a while before the last one seen; those already delivered are skipped.
        const { rows } = await client.query<{ type: string; id: string; sender: string; seq: string }>(
          `SELECT type, id, sender, seq::text AS seq FROM ${CHANGES_TABLE}
           WHERE seq > $1
              OR at >= (SELECT at FROM ${CHANGES_TABLE} WHERE seq <= $1 ORDER BY seq DESC LIMIT 1) - $2::interval
           ORDER BY seq`,
          [this.lastSeq, CATCH_UP_OVERLAP],
        );
        for (const row of rows) {
          this.deliver(listener, JSON.stringify({ type: row.type, id: row.id, from: row.sender, seq: Number(row.seq) }));
        }
      }
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
    await this.flushing;
    clearTimeout(this.retry);
    this.retry = undefined;
    const client = this.listenClient;
    this.listenClient = undefined;
    await client?.end().catch(() => {});
  }
}

function seqOf(payload: string): number | undefined {
  try {
    const seq: unknown = (JSON.parse(payload) as { seq?: unknown }).seq;
    return typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : undefined;
  } catch {
    return undefined;
  }
}
