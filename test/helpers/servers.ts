/**
 * Real database servers for the store tests. Redis and PostgreSQL tests run
 * when REDIS_URL / POSTGRES_URL are set (`source .ci/services.sh` sets both)
 * and are skipped with a plain message otherwise. Each test gets a store of its
 * own (a Redis database number, a PostgreSQL database) so test files can run in
 * parallel; outage tests start private servers they are free to stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { createClient } from '@redis/client';
import pg from 'pg';
import { makeTempDir } from './context.ts';

export type StoreKind = 'sqlite' | 'redis' | 'postgres';

export const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;
export const POSTGRES_URL = process.env.POSTGRES_URL?.trim() || undefined;

/** Why a server's tests are skipped, or undefined when they run. */
export function skipReason(kind: StoreKind): string | undefined {
  if (kind === 'redis' && !REDIS_URL) return 'REDIS_URL is not set (source .ci/services.sh to start Redis)';
  if (kind === 'postgres' && !POSTGRES_URL) return 'POSTGRES_URL is not set (source .ci/services.sh to start PostgreSQL)';
  return undefined;
}

/** Prints one plain line saying what is skipped and why; true when skipped. */
export function announceSkip(kind: StoreKind, what: string): boolean {
  const reason = skipReason(kind);
  if (reason) console.log(`skipped: ${what} on ${kind}: ${reason}`);
  return reason !== undefined;
}

/** A store of its own for one test, and how to remove it. */
export interface TestStore {
  kind: StoreKind;
  url: string;
  /** Drops the database (or flushes the Redis database) and frees it. */
  cleanup(): Promise<void>;
}

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = await makeTempDir('tinker-sqlite-');
    return { kind, url: `sqlite://${path.join(dir, 'notes.sqlite')}`, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  if (kind === 'redis') return claimRedisDatabase(required(REDIS_URL, 'REDIS_URL'));
  return createPostgresDatabase(required(POSTGRES_URL, 'POSTGRES_URL'));
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`test servers: ${name} is not set`);
  return value;
}

/**
 * Claims one of Redis databases 1–15 for this test (a key in database 0 marks
 * it taken, so parallel test files never share one) and empties it.
 */
async function claimRedisDatabase(baseUrl: string): Promise<TestStore> {
  const admin = createClient({ url: withRedisDb(baseUrl, 0) });
  admin.on('error', () => {});
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      for (let db = 1; db <= 15; db += 1) {
        const claimed = await admin.set(`tinker-test:claim:${db}`, String(process.pid), { NX: true, EX: 600 });
        if (claimed !== 'OK') continue;
        const url = withRedisDb(baseUrl, db);
        await flushRedis(url);
        return {
          kind: 'redis',
          url,
          async cleanup() {
            await flushRedis(url);
            const release = createClient({ url: withRedisDb(baseUrl, 0) });
            release.on('error', () => {});
            await release.connect();
            await release.del(`tinker-test:claim:${db}`);
            await release.close();
          },
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('test servers: all Redis databases 1–15 stayed claimed for 20 s');
  } finally {
    await admin.close();
  }
}

function withRedisDb(url: string, db: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${db}`;
  return parsed.toString();
}

async function flushRedis(url: string): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  await client.flushDb();
  await client.close();
}

/** Creates a fresh database next to POSTGRES_URL's (its user needs CREATEDB). */
async function createPostgresDatabase(baseUrl: string): Promise<TestStore> {
  const name = `tinker_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    async cleanup() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A server this test owns: it may stop and start it at will. */
export interface PrivateServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
}

/** Why a private server of this kind cannot be started here, or undefined when it can. */
export function privateServerSkipReason(kind: 'redis' | 'postgres'): string | undefined {
  const shared = skipReason(kind);
  if (shared) return shared;
  if (kind === 'redis' && !which('redis-server')) return 'redis-server is not on PATH';
  if (kind === 'postgres' && !postgresBin('initdb')) return 'initdb is not installed (apt-get install postgresql)';
  return undefined;
}

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function postgresBin(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return which(name) ? name : undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin', name);
    if (existsSync(bin)) return bin;
  }
  return undefined;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`test servers: ${what} did not happen within ${timeoutMs} ms`);
}

export interface PrivateRedisOptions {
  /**
   * Settings after port and folder; default an append-only file fsynced at every
   * write (keeps data across a stop): `--save '' --appendonly yes --appendfsync always`.
   */
  settings?: string[];
}

/** A redis-server of this test's own on a free port; by default its append-only file keeps data across a stop. */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateServer> {
  const port = await freePort();
  const dir = await makeTempDir('tinker-redis-');
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const ping = async () => {
    const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      if (client.isOpen) client.destroy();
    }
  };
  const server: PrivateServer = {
    url,
    async start() {
      const settings = options.settings ?? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
      const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, ...settings];
      child = spawn('redis-server', args, { stdio: 'ignore' });
      await waitFor(ping, `redis-server on port ${port} answering`);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    async destroy() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/**
 * A PostgreSQL cluster of this test's own (initdb in a temp folder, trust auth on
 * 127.0.0.1, fsync off). As root, the server runs as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const initdb = postgresBin('initdb')!;
  const pgCtl = postgresBin('pg_ctl')!;
  const port = await freePort();
  const dir = await makeTempDir('tinker-pg-');
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // NOTE: postgres refuses to run as root; its files must belong to the postgres user.
  const owner = asRoot
    ? { uid: Number(spawnSync('id', ['-u', 'postgres']).stdout.toString()), gid: Number(spawnSync('id', ['-g', 'postgres']).stdout.toString()) }
    : undefined;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) {
    await chmod(dir, 0o755);
    await chown(dir, owner.uid, owner.gid);
    await chown(dataDir, owner.uid, owner.gid);
  }
  const run = (command: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] as const : [command, args] as const;
    const result = spawnSync(full[0], [...full[1]], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`test servers: ${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  };
  run(initdb, ['-D', dataDir, '--no-sync', '-A', 'trust', '-U', 'postgres']);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const server: PrivateServer = {
    url,
    async start() {
      run(pgCtl, ['-D', dataDir, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
    },
    async stop() {
      run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    },
    async destroy() {
      try {
        await server.stop();
      } catch {
        // already stopped
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
