/**
 * Redis: the Keyv adapter with the client options tinker needs, and a change
 * feed over pub/sub on a second connection.
 */
import KeyvRedis from '@keyv/redis';
import { createClient } from '@redis/client';
import type { KeyvStoreAdapter } from 'keyv';
import type { Logger } from './logger.ts';
import type { NoteChange } from './note-store.ts';
import { decodeChange, encodeChange, newSenderId, type ChangeFeed } from './store-feed.ts';

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
  return { adapter: adapter as unknown as KeyvStoreAdapter, feed: new RedisChangeFeed(url, client, logger) };
}

async function connectWithin(client: RedisClient, timeoutMs: number): Promise<void> {
  // Until connected, errors are the connect promise's to report; keep them from being uncaught.
  const ignore = () => {};
  client.on('error', ignore);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
    client.off('error', ignore);
  }
}

/** The pub/sub channel; per database number, since channels are shared by all databases of a server. */
export function redisChannel(url: string): string {
  const db = /^\/(\d+)/.exec(safePathname(url))?.[1] ?? '0';
  return `tinker:notes:changes:${db}`;
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

class RedisChangeFeed implements ChangeFeed {
  private readonly channel: string;
  private subscriber: RedisClient | undefined;
  private readonly sender = newSenderId();

  constructor(
    private readonly url: string,
    private readonly client: RedisClient,
    private readonly logger: Logger,
  ) {
    this.channel = redisChannel(url);
  }

  async publish(change: NoteChange): Promise<void> {
    // The data client is connected by the store's first operation.
    if (!this.client.isOpen) return;
    await this.client.publish(this.channel, encodeChange(change, this.sender));
  }

  async subscribe(listener: (change: NoteChange) => void): Promise<void> {
    // A subscribed connection can run nothing else, hence a second one.
    const subscriber = newClient(this.url);
    this.subscriber = subscriber;
    let down = false;
    subscriber.on('error', (error: unknown) => {
      if (!down) this.logger.warn({ err: (error as Error).message, channel: this.channel }, 'notes: change feed lost its connection; reconnecting');
      down = true;
    });
    // NOTE: @redis/client subscribes again by itself after a reconnect.
    subscriber.on('ready', () => {
      if (down) this.logger.info({ channel: this.channel }, 'notes: change feed reconnected');
      down = false;
    });
    await connectWithin(subscriber, CONNECT_TIMEOUT_MS);
    await subscriber.subscribe(this.channel, (message) => {
      const change = decodeChange(message, this.sender);
      if (change) listener(change);
    });
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber?.isOpen) await subscriber.close().catch(() => subscriber.destroy());
  }
}
