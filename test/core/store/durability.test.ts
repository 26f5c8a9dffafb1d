/**
 * A store that could lose notes is named at start, with what to set: Redis
 * without AOF or RDB (or with CONFIG refused), PostgreSQL with
 * synchronous_commit=off or fsync=off, and the memory store. Real servers:
 * private redis-servers started for each setting, a database of the test's own.
 */
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openNoteStore, redactUrl, type Logger } from '../../../src/core/index.ts';
import { announceSkip, createTestStore, privateServerSkipReason, startPrivatePostgres, startPrivateRedis } from '../../helpers/servers.ts';

/** A logger that keeps its warnings. */
function recordingLogger(): { logger: Logger; warnings: () => string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  return { logger, warnings: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg) };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function warningsOpening(url: string): Promise<string[]> {
  const { logger, warnings } = recordingLogger();
  const store = await openNoteStore(url, { logger });
  await store.close();
  return warnings();
}

const redisSkip = privateServerSkipReason('redis');
if (redisSkip) console.log(`skipped: the Redis persistence check: ${redisSkip}`);

describe.skipIf(Boolean(redisSkip))('Redis persistence at start', () => {
  async function redisWith(settings: string[]): Promise<string> {
    const server = await startPrivateRedis({ settings });
    cleanups.push(() => server.destroy());
    return server.url;
  }

  it('no AOF and no RDB: a warning that every note is lost at the next restart, and what to set', async () => {
    const url = await redisWith(['--save', '', '--appendonly', 'no']);
    expect(await warningsOpening(url)).toEqual([
      `notes: Redis at ${url} keeps notes in memory only (appendonly no, no save points): its next restart loses every note — set appendonly yes (in redis.conf, or CONFIG SET appendonly yes)`,
    ]);
  });

  it('RDB snapshots only: a warning that a crash loses the notes since the last one', async () => {
    const url = await redisWith(['--save', '3600 1 300 100', '--appendonly', 'no']);
    expect(await warningsOpening(url)).toEqual([
      `notes: Redis at ${url} only saves snapshots (save 3600 1 300 100): a crash of Redis loses the notes saved since the last one — set appendonly yes (in redis.conf, or CONFIG SET appendonly yes)`,
    ]);
  });

  it('AOF left to the OS (appendfsync no): a warning about power cuts', async () => {
    const url = await redisWith(['--save', '', '--appendonly', 'yes', '--appendfsync', 'no']);
    expect(await warningsOpening(url)).toEqual([
      `notes: Redis at ${url} leaves flushing its append-only file to the OS (appendfsync no): a power cut can lose the last notes saved — set appendfsync everysec or always`,
    ]);
  });

  it('AOF on: nothing to say', async () => {
    expect(await warningsOpening(await redisWith(['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec']))).toEqual([]);
  });

  it('CONFIG refused (as on managed services): says it could not check', async () => {
    const url = await redisWith(['--save', '', '--appendonly', 'no', '--rename-command', 'CONFIG', '']);
    const [warning, ...rest] = await warningsOpening(url);
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^notes: could not check whether Redis at redis:\/\/127\.0\.0\.1:\d+ keeps notes on disk \(CONFIG GET was refused: ERR unknown command 'CONFIG'/);
    expect(warning).toMatch(/\) — make sure it runs with appendonly yes, or a restart of Redis can lose notes$/);
  });
});

describe.skipIf(announceSkip('postgres', 'the PostgreSQL durability check'))('PostgreSQL durability at start', () => {
  it('synchronous_commit=off (set on the database): a warning with what to set; on: nothing', async () => {
    const target = await createTestStore('postgres');
    cleanups.push(() => target.cleanup());
    expect(await warningsOpening(target.url)).toEqual([]);
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${new URL(target.url).pathname.slice(1)} SET synchronous_commit = off`);
    await admin.end();
    expect(await warningsOpening(target.url)).toEqual([
      `notes: PostgreSQL at ${redactUrl(target.url)} runs with synchronous_commit=off: a crash of the database server can lose the last notes reported saved — set it on (ALTER DATABASE … SET synchronous_commit = on, the same for the role, or in postgresql.conf)`,
    ]);
  });

  it.skipIf(Boolean(privateServerSkipReason('postgres')))('fsync=off on the server: a warning', { timeout: 60_000 }, async () => {
    // The private cluster runs with fsync=off (fast for tests, and exactly what must be named).
    const server = await startPrivatePostgres();
    cleanups.push(() => server.destroy());
    expect(await warningsOpening(server.url)).toEqual([
      `notes: PostgreSQL at ${server.url} runs with fsync=off: a power cut or OS crash can lose or damage notes — set fsync = on in postgresql.conf`,
    ]);
  });
});

describe('the memory store', () => {
  it('says notes are lost when the process stops', async () => {
    expect(await warningsOpening('memory://')).toEqual(['notes: STORE_URL=memory:// keeps notes in this process only: they are lost when it stops']);
  });
});
