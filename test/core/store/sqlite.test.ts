/**
 * SQLite specifics: synchronous=FULL, group commit (concurrent writes share a
 * commit; each is acknowledged only once committed), a failed group reports
 * every write in it, and files written before group commit open unchanged.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyvNoteStore, openNoteStore, silentLogger } from '../../../src/core/index.ts';
import { GroupCommitSqlite, createSqliteAdapter } from '../../../src/core/store/backends/sqlite.ts';
import { makeTempDir } from '../../helpers/context.ts';
import { makeNote } from '../../helpers/notes.ts';

const logger = silentLogger();


describe('SQLite store', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function tempFile(): Promise<string> {
    const dir = await makeTempDir('tinker-sqlite-');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return path.join(dir, 'notes.sqlite');
  }

  async function openAdapter(file: string): Promise<GroupCommitSqlite> {
    const adapter = (await createSqliteAdapter(file, logger)) as GroupCommitSqlite;
    cleanups.push(() => adapter.disconnect());
    return adapter;
  }

  /** A NoteStore over the given adapter, as openNoteStore builds it. */
  function storeOver(adapter: KeyvSqlite): KeyvNoteStore {
    const keyv = new Keyv<unknown>({ store: adapter, namespace: 'tinker', throwOnErrors: true });
    return new KeyvNoteStore(keyv, 'sqlite://test', { logger });
  }

  it('runs in WAL with synchronous=FULL on the connection that writes', async () => {
    const adapter = await openAdapter(await tempFile());
    expect(adapter).toBeInstanceOf(GroupCommitSqlite);
    expect(await adapter.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
    expect(await adapter.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
  });

  it('commits 500 concurrent notes in a few groups, and acknowledges each only once another connection can read it', async () => {
    const file = await tempFile();
    const adapter = await openAdapter(file);
    const store = storeOver(adapter);
    const reader = await openNoteStore(`sqlite://${file}`, { logger });
    cleanups.push(() => reader.close());
    const notes = Array.from({ length: 500 }, (_, i) => makeNote(`grouped ${i}`));
    const seenAtAck: boolean[] = [];
    await Promise.all(
      notes.map(async (note) => {
        await store.put(note);
        // Committed means visible to any other connection from this moment.
        seenAtAck.push((await reader.get(note.id)) !== undefined);
      }),
    );
    expect(seenAtAck.filter(Boolean)).toHaveLength(500);
    expect(adapter.stats.writes).toBe(500);
    // The first note goes alone; the rest wait for it and go together (at most 500 a statement).
    expect(adapter.stats.commits).toBeGreaterThanOrEqual(2);
    expect(adapter.stats.commits).toBeLessThanOrEqual(10);
    expect(await reader.loadAll()).toHaveLength(500);
  });

  it('a delete waits for the writes queued before it', async () => {
    const adapter = await openAdapter(await tempFile());
    const first = adapter.set('tinker:note:aaaaaaaaaa', '{"value":1}');
    const put = adapter.set('tinker:note:bbbbbbbbbb', '{"value":2}');
    const deleted = adapter.delete('tinker:note:bbbbbbbbbb');
    await Promise.all([first, put]);
    expect(await deleted).toBe(true);
    expect(await adapter.get('tinker:note:bbbbbbbbbb')).toBeUndefined();
    expect(await adapter.get('tinker:note:aaaaaaaaaa')).toBe('{"value":1}');
  });

  it('a group that fails fails every write in it: none is reported saved, none is stored', async () => {
    const file = await tempFile();
    const adapter = await openAdapter(file);
    const store = storeOver(adapter);
    await store.put(makeNote('before'));
    // The connection refuses writes from now on (as a read-only file would).
    await adapter.query('PRAGMA query_only = 1');
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.put(makeNote(`refused ${i}`))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill('rejected'));
    await adapter.query('PRAGMA query_only = 0');
    expect((await store.loadAll()).map((n) => n.text)).toEqual(['before']);
  });

  it('opens a notes.sqlite written before group commit (plain @keyv/sqlite) with every note in it', async () => {
    const file = await tempFile();
    const old = new KeyvSqlite({ uri: `sqlite://${file}`, table: 'notes' });
    const oldStore = storeOver(old);
    const notes = [makeNote('written by an older tinker #old'), makeNote('second')];
    for (const note of notes) await oldStore.put(note);
    await oldStore.close();

    const store = await openNoteStore(`sqlite://${file}`, { logger });
    cleanups.push(() => store.close());
    expect((await store.loadAll()).sort((a, b) => a.id.localeCompare(b.id))).toEqual([...notes].sort((a, b) => a.id.localeCompare(b.id)));
    await store.put(makeNote('written by this one'));
    expect(await store.loadAll()).toHaveLength(3);
  });
});
