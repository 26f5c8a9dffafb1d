/**
 * Several processes started at once on a PostgreSQL database that has no notes
 * table yet (a first deploy with two replicas, a supervisor restarting both bots)
 * all open the store: the one that loses the race to create the table uses the
 * table the other made instead of failing to start. The loss is a matter of
 * timing, so the rule is also checked on each error the server gives for it.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openNoteStore, silentLogger, type NoteStore } from '../../../src/core/index.ts';
import { toleratingCreateRace } from '../../../src/core/store/backends/postgres.ts';
import { announceSkip, createTestStore, skipReason } from '../../helpers/servers.ts';
import { makeNote } from '../../helpers/notes.ts';

const logger = silentLogger();
const OPENED_AT_ONCE = 6;
const FRESH_DATABASES = 3;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});


describe('a CREATE … IF NOT EXISTS that lost the race', () => {
  // Which error the loser gets depends on where in the server's checks the winner committed.
  const failing = (code: string) => async (): Promise<unknown[]> => {
    throw Object.assign(new Error(`duplicate (${code})`), { code });
  };

  it.each(['23505', '42P07', '42710'])('counts as done on %s', async (code) => {
    const query = toleratingCreateRace(failing(code));
    await expect(query('CREATE TABLE IF NOT EXISTS public.notes(key VARCHAR(255) PRIMARY KEY, value TEXT )')).resolves.toEqual([]);
    await expect(query('create index if not exists notes_at on notes_changes (at)')).resolves.toEqual([]);
  });

  it('still fails a plain CREATE, any other statement, and any other error', async () => {
    await expect(toleratingCreateRace(failing('42P07'))('CREATE TABLE public.notes (key TEXT)')).rejects.toThrow('duplicate (42P07)');
    await expect(toleratingCreateRace(failing('23505'))('INSERT INTO notes (key, value) VALUES ($1, $2)')).rejects.toThrow('duplicate (23505)');
    await expect(toleratingCreateRace(failing('42501'))('CREATE TABLE IF NOT EXISTS notes (key TEXT)')).rejects.toThrow('duplicate (42501)');
  });
});

announceSkip('postgres', 'opening one fresh store from several processes at once');

describe.skipIf(skipReason('postgres') !== undefined)('a fresh PostgreSQL store opened by several at once', () => {
  it('an opener whose CREATE TABLE waited on another process creating the same table starts', async () => {
    const database = await createTestStore('postgres');
    cleanups.push(() => database.cleanup());
    // The other process, caught in the middle of creating the notes table.
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    cleanups.push(() => other.end());
    await other.query('BEGIN');
    await other.query('CREATE TABLE public.notes (key VARCHAR(255) PRIMARY KEY, value TEXT)');

    const opening = openNoteStore(database.url, { logger, timeoutMs: 10_000 }).then(
      (store) => ({ store }),
      (error: unknown) => ({ error: String(error) }),
    );
    await waitUntilBlocked(database.url, 'notes');
    await other.query('COMMIT');
    const opened = await opening;
    expect(opened).not.toHaveProperty('error');
    const store = (opened as { store: NoteStore }).store;
    cleanups.push(() => store.close());
    const note = makeNote('saved after losing the race');
    await store.put(note);
    expect((await store.get(note.id))?.text).toBe(note.text);
  }, 30_000);

  it('every opener starts, and a note saved by one is read by the others', async () => {
    for (let round = 0; round < FRESH_DATABASES; round += 1) {
      const database = await createTestStore('postgres');
      cleanups.push(() => database.cleanup());
      const opened = await Promise.allSettled(
        Array.from({ length: OPENED_AT_ONCE }, () => openNoteStore(database.url, { logger, timeoutMs: 10_000 })),
      );
      const stores = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      const closeAll = () => Promise.all(stores.map((store: NoteStore) => store.close()));
      cleanups.push(closeAll);
      const failures = opened.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
      expect(failures).toEqual([]);

      const note = makeNote(`saved in round ${round}`);
      await stores[0]!.put(note);
      for (const store of stores.slice(1)) expect((await store.get(note.id))?.text).toBe(note.text);
      // Each store holds connections of its own; the server's slots are shared with other test files.
      await closeAll();
      cleanups.pop();
    }
  }, 60_000);
});

/**
 * Waits until a session is waiting on a lock while creating `table`. Asked on a
 * connection of its own: inside a transaction pg_stat_activity stays as first read.
 */
async function waitUntilBlocked(url: string, table: string): Promise<void> {
  const watcher = new pg.Client({ connectionString: url });
  await watcher.connect();
  try {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { rows } = await watcher.query(
        `SELECT 1 FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`,
        [`%CREATE%TABLE IF NOT EXISTS%${table}%`],
      );
      if (rows.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no session waited to create ${table} within 10 s`);
  } finally {
    await watcher.end();
  }
}
