/**
 * Redis: the Keyv adapter with the client options tinker needs, and a change
 * feed over a Redis stream read on a second connection.
 */
import KeyvRedis from '@keyv/redis';
import { createClient } from '@redis/client';
import type { KeyvStoreAdapter } from 'keyv';
import type { Logger } from '../../util/logger.ts';
import { withTimeout } from '../../util/timeouts.ts';
import type { ChangeFeed, NoteChange } from '../types.ts';
import { redisDurability, type DurabilityReport } from '../durability.ts';
import { decodeChange, encodeChange, newSenderId } from '../feed.ts';
import { redactUrl } from '../store-url.ts';

type RedisClient = ReturnType<typeof createClient>;

/** Longest wait for the first connection at startup. */
const CONNECT_TIMEOUT_MS = 5000;

/** Reconnects after 100 ms, 200 ms, … up to every 2 s, forever: the bot recovers by itself. */
function reconnectDelay(attempts: number): number {
  return Math.min(100 * 2 ** attempts, 2000);
}

function newClient(url: string): RedisClient {
  return createClient({
    url,
    // NOTE: with the offline queue a command sent during an outage waits and runs
    // when the server returns, after we already answered "not saved". Fail it now instead.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: reconnectDelay, connectTimeout: CONNECT_TIMEOUT_MS },
  });
}

export interface RedisStore {
  adapter: KeyvStoreAdapter;
  feed: ChangeFeed;
  /** Whether this Redis keeps what it confirmed (AOF, RDB), from its own settings. */
  durability: () => Promise<DurabilityReport>;
}

/**
 * The Keyv adapter and change feed for a `redis://` URL, connected: with the offline
 * queue off, commands sent before the first connection is ready would fail.
 */
export async function createRedisStore(url: string, logger: Logger): Promise<RedisStore> {
  const client = newClient(url);
  await connectWithin(client, CONNECT_TIMEOUT_MS);
  const adapter = new KeyvRedis(client, {
    // NOTE: by default @keyv/redis swallows errors and answers "not found" or "done":
    // a failed write would be reported saved.
    throwOnErrors: true,
    throwOnConnectError: true,
    connectionTimeout: CONNECT_TIMEOUT_MS,
  });
  return {
    adapter: adapter as unknown as KeyvStoreAdapter,
    feed: new RedisChangeFeed(url, client, logger),
    durability: () => redisDurability((args) => client.sendCommand(args), `Redis at ${redactUrl(url)}`),
  };
}

async function connectWithin(client: RedisClient, timeoutMs: number): Promise<void> {
  // Until connected, errors are the connect promise's to report; keep them from being uncaught,
  // and keep the last one: the client retries, so the timeout is what ends the wait.
  let lastError: Error | undefined;
  const ignore = (error: Error) => {
    lastError = error;
  };
  client.on('error', ignore);
  try {
    await withTimeout(
      client.connect(),
      timeoutMs,
      () => new Error(`no connection within ${timeoutMs} ms${lastError ? `; last error: ${describe(lastError)}` : ''}`),
    );
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    client.off('error', ignore);
  }
}

/** An error in a few words; a refused dual-stack connect is an AggregateError with no message. */
function describe(error: Error): string {
  const { code } = error as { code?: unknown };
  return error.message || (typeof code === 'string' ? code : error.name);
}

/**
 * The change log: a Redis stream in the store's own database, capped near
 * STREAM_LENGTH entries. A stream rather than pub/sub because a reader that lost
 * its connection picks up where it left off; pub/sub drops what is sent meanwhile.
 */
export const CHANGES_KEY = 'tinker:changes';
const STREAM_LENGTH = 10_000;
const READ_BLOCK_MS = 2000;

class RedisChangeFeed implements ChangeFeed {
  private reader: RedisClient | undefined;
  private closed = false;
  private readonly sender = newSenderId();

  constructor(
    private readonly url: string,
    private readonly client: RedisClient,
    private readonly logger: Logger,
  ) {}

  async publish(change: NoteChange): Promise<void> {
    const message = encodeChange(change, this.sender);
    await this.client.sendCommand(['XADD', CHANGES_KEY, 'MAXLEN', '~', String(STREAM_LENGTH), '*', 'change', message]);
  }

  private startId = '0-0';

  async start(): Promise<void> {
    const newest = await this.client.sendCommand(['XREVRANGE', CHANGES_KEY, '+', '-', 'COUNT', '1']);
    this.startId = Array.isArray(newest) && Array.isArray(newest[0]) ? String(newest[0][0]) : '0-0';
  }

  async subscribe(listener: (change: NoteChange) => void): Promise<void> {
    // A blocking read holds its connection, hence a second one.
    const reader = newClient(this.url);
    this.reader = reader;
    await connectWithin(reader, CONNECT_TIMEOUT_MS);
    reader.on('error', () => {}); // reported by the read loop below
    void this.follow(reader, this.startId, listener);
  }

  /** Reads the stream from `lastId` on, for as long as the feed is open; rides out reconnects. */
  private async follow(reader: RedisClient, lastId: string, listener: (change: NoteChange) => void): Promise<void> {
    let failing = false;
    while (!this.closed) {
      let reply: unknown;
      try {
        reply = await reader.sendCommand(['XREAD', 'COUNT', '500', 'BLOCK', String(READ_BLOCK_MS), 'STREAMS', CHANGES_KEY, lastId]);
      } catch (error) {
        if (this.closed) return;
        if (!failing) this.logger.warn({ err: (error as Error).message }, 'notes: change feed lost its connection; reconnecting');
        failing = true;
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      if (failing) this.logger.info('notes: change feed reconnected');
      failing = false;
      for (const [id, message] of streamEntries(reply)) {
        lastId = id;
        const change = decodeChange(message, this.sender);
        if (change) listener(change);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const reader = this.reader;
    this.reader = undefined;
    // NOTE: destroy, not close: close would wait for the blocked XREAD.
    if (reader?.isOpen) reader.destroy();
  }
}

/** `[id, change]` pairs from an XREAD reply: `[[key, [[id, [field, value, …]], …]]]`, or null. */
export function streamEntries(reply: unknown): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  if (!Array.isArray(reply)) return entries;
  for (const stream of reply) {
    const messages: unknown = Array.isArray(stream) ? stream[1] : undefined;
    if (!Array.isArray(messages)) continue;
    for (const entry of messages) {
      if (!Array.isArray(entry) || !Array.isArray(entry[1])) continue;
      const fields = entry[1] as unknown[];
      const at = fields.indexOf('change');
      if (at >= 0 && typeof fields[at + 1] === 'string') entries.push([String(entry[0]), fields[at + 1] as string]);
    }
  }
  return entries;
}
