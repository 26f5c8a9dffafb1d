/**
 * A store that refuses writes for good says so plainly, with what would fix it,
 * instead of "try again in a moment" forever: a read-only SQLite file, a
 * read-only PostgreSQL database, a Redis replica. Nothing is reported saved.
 */
import { spawn } from 'node:child_process';
import { chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import Keyv from 'keyv';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyvNoteStore, StoreReadOnlyError, openNoteStore, redactUrl, silentLogger } from '../../../src/core/index.ts';
import { createSqliteAdapter } from '../../../src/core/store/backends/sqlite.ts';
import { REPO_ROOT, createTestContext, makeTempDir } from '../../helpers/context.ts';
import { announceSkip, createTestStore, privateServerSkipReason, startPrivateRedis } from '../../helpers/servers.ts';
import { makeNote } from '../../helpers/notes.ts';

const logger = silentLogger();
const SQLITE_HINT = 'make the file and its folder writable for the user the bot runs as, or point STORE_URL at a writable store';


const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a read-only SQLite store', () => {
  it('/note and /forget say the store is read-only and what to do; /find still answers', async () => {
    const dir = await makeTempDir('tinker-ro-');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'notes.sqlite');
    const adapter = await createSqliteAdapter(file, logger);
    const label = `sqlite://${file}`;
    const store = new KeyvNoteStore(new Keyv<unknown>({ store: adapter as never, namespace: 'tinker', throwOnErrors: true }), label, { logger });
    const context = await createTestContext({ store, articles: { 'a.md': '# Herons\nHerons wade.\n' } });
    cleanups.push(() => context.close());
    const saved = await context.run('/note kept before #x');
    const id = /Saved note ([0-9a-z]{10})/.exec(saved.text ?? '')![1]!;
    // From now on the connection refuses every write, as SQLite does for a read-only file.
    await adapter.query('PRAGMA query_only = 1');

    const reply = await context.run('/note refused #x');
    expect(reply).toMatchObject({
      tone: 'error',
      text: `note: not saved — the note store refuses writes (${label}: attempt to write a readonly database); ${SQLITE_HINT}.`,
    });
    expect(await context.run(`/forget ${id}`)).toMatchObject({
      tone: 'error',
      text: `forget: not deleted — the note store refuses writes (${label}: attempt to write a readonly database); ${SQLITE_HINT}.`,
    });
    expect((await context.run('/find herons')).text).toBe('1 result for "herons"');
    expect((await store.loadAll()).map((n) => n.text)).toEqual(['kept before #x']);
  });

  it('a file this process may not write: the real SQLite refusal is named as read-only', async () => {
    const dir = await makeTempDir('tinker-ro-');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'notes.sqlite');
    const first = await openNoteStore(`sqlite://${file}`, { logger });
    await first.put(makeNote('written while writable'));
    await first.close();
    await chmod(file, 0o444);
    // Root may write any file: run the writer as nobody, as a bot started by a user without rights would be.
    await chmod(dir, 0o777);
    const asRoot = process.getuid?.() === 0;
    const result = await runWriter(`sqlite://${file}`, asRoot ? { uid: 65534, gid: 65534 } : {});
    expect(result).toEqual({
      name: 'StoreReadOnlyError',
      detail: `sqlite://${file}: attempt to write a readonly database`,
      hint: SQLITE_HINT,
      notes: 1,
    });
  });
});

describe('a read-only folder', () => {
  it('stops start-up saying the folder or file is read-only (SQLite must write -wal and -shm beside the file)', async () => {
    const dir = await makeTempDir('tinker-ro-');
    cleanups.push(async () => {
      await chmod(dir, 0o755);
      await rm(dir, { recursive: true, force: true });
    });
    const file = path.join(dir, 'notes.sqlite');
    const first = await openNoteStore(`sqlite://${file}`, { logger });
    await first.put(makeNote('written while writable'));
    await first.close();
    await chmod(dir, 0o555);
    const asRoot = process.getuid?.() === 0;
    expect(await runWriter(`sqlite://${file}`, asRoot ? { uid: 65534, gid: 65534 } : {})).toEqual({
      name: 'StartupError',
      message: `STORE_URL: cannot open ${file}: ${dir} or the file is read-only for this process (SQLITE_READONLY: attempt to write a readonly database) — SQLite needs to write the file and its -wal and -shm files beside it`,
    });
  });
});

/** Opens a store in a child process (as another user, when given), tries one write, reports the error. */
async function runWriter(url: string, user: { uid?: number; gid?: number }): Promise<unknown> {
  const script = `
    import { openNoteStore, silentLogger, newNoteId } from './src/core/index.ts';
    let store;
    try {
      store = await openNoteStore(${JSON.stringify(url)}, { logger: silentLogger() });
    } catch (error) {
      process.stdout.write(JSON.stringify({ name: error.constructor.name, message: error.message }));
      process.exit(0);
    }
    let outcome = { name: 'saved' };
    try {
      await store.put({ id: newNoteId(), text: 'refused', tags: [], author: { platform: 'console', id: 'local', name: 'o' }, source: { platform: 'console' }, createdAt: new Date().toISOString() });
    } catch (error) {
      outcome = { name: error.constructor.name, detail: error.detail, hint: error.hint };
    }
    outcome.notes = (await store.loadAll()).length;
    await store.close();
    process.stdout.write(JSON.stringify(outcome));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: '/tmp', TMPDIR: '/tmp' },
    ...user,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`writer exited with ${code}: ${err}`);
  return JSON.parse(out);
}

describe.skipIf(announceSkip('postgres', 'the read-only store'))('PostgreSQL that refuses writes', () => {
  it('a user without write rights on the table: read-only, naming the refusal and the grant', async () => {
    const target = await createTestStore('postgres');
    cleanups.push(() => target.cleanup());
    const store = await openNoteStore(target.url, { logger });
    cleanups.push(() => store.close());
    await store.put(makeNote('creates the table'));
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query('REVOKE INSERT, UPDATE ON notes FROM CURRENT_USER');
    await admin.end();
    const error = await store.put(makeNote('refused')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreReadOnlyError);
    expect((error as StoreReadOnlyError).detail).toBe(`${store.label}: permission denied for table notes`);
    expect((error as StoreReadOnlyError).hint).toBe("grant the bot's database user INSERT, UPDATE and DELETE on the notes table");
    expect(await store.loadAll()).toHaveLength(1);
  });

  it('a read-only database: the start-up error says read-only and what to do', async () => {
    const target = await createTestStore('postgres');
    cleanups.push(() => target.cleanup());
    const first = await openNoteStore(target.url, { logger });
    await first.put(makeNote('creates the tables'));
    await first.close();
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${new URL(target.url).pathname.slice(1)} SET default_transaction_read_only = on`);
    await admin.end();
    await expect(openNoteStore(target.url, { logger })).rejects.toThrow(
      `STORE_URL: ${redactUrl(target.url)} is read-only (cannot execute CREATE TABLE in a read-only transaction) — the database is read-only for the bot (a standby, or default_transaction_read_only): point STORE_URL at the primary, or turn read-only off`,
    );
  });
});

describe.skipIf(Boolean(privateServerSkipReason('redis')))('a Redis replica', () => {
  it('says read-only: point STORE_URL at the primary', async () => {
    // A replica of a primary that is not there: it serves reads and refuses every write.
    const server = await startPrivateRedis({ settings: ['--save', '', '--appendonly', 'no', '--replicaof', '127.0.0.1', '1'] });
    cleanups.push(() => server.destroy());
    const store = await openNoteStore(server.url, { logger });
    cleanups.push(() => store.close());
    const error = await store.put(makeNote('refused')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreReadOnlyError);
    expect((error as StoreReadOnlyError).detail).toBe(`${server.url}: READONLY You can't write against a read only replica.`);
    expect((error as StoreReadOnlyError).hint).toBe('this Redis is a read-only replica: point STORE_URL at the primary');
  });
});
