/**
 * One contract for every note store: SQLite always; Redis and PostgreSQL when
 * REDIS_URL / POSTGRES_URL are set (skipped with a plain message otherwise).
 */
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@redis/client';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KnowledgeBase,
  newNoteId,
  noteIdForKey,
  openNoteStore,
  parseArticle,
  redactUrl,
  silentLogger,
  type NoteChange,
  type NoteStore,
  exportNotes,
  importNotes,
  noteFromMarkdown,
  noteToMarkdown,
} from '../../../src/core/index.ts';
import { makeDataDir, makeTempDir } from '../../helpers/context.ts';
import { announceSkip, createTestStore, type StoreKind, type TestStore } from '../../helpers/servers.ts';
import { makeNote } from '../../helpers/notes.ts';

const logger = silentLogger();


async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const KINDS: StoreKind[] = ['sqlite', 'redis', 'postgres'];

for (const kind of KINDS) {
  const skipped = announceSkip(kind, 'the note store contract');

  describe.skipIf(skipped)(`note store contract: ${kind}`, () => {
    let target: TestStore;
    const open: NoteStore[] = [];
    const openStore = async (timeoutMs?: number) => {
      const store = await openNoteStore(target.url, { logger, ...(timeoutMs ? { timeoutMs } : {}) });
      open.push(store);
      return store;
    };

    beforeEach(async () => {
      target = await createTestStore(kind);
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
      await target.cleanup();
    });

    it('gives back what was put, and nothing for an unknown id', async () => {
      const store = await openStore();
      const note = makeNote('libgit2 mmap window 👩🏽‍💻 שלום e\u0301 "quotes" \\ #git', {
        tags: ['git'],
        source: { platform: 'slack', channel: 'C1', permalink: 'https://x.slack.com/p1' },
        idempotencyKey: 'slack:cmd:1',
      });
      await store.put(note);
      expect(await store.get(note.id)).toEqual(note);
      expect(await store.get(newNoteId())).toBeUndefined();
    });

    it('keeps one key per note: a second put of an id replaces it', async () => {
      const store = await openStore();
      const note = makeNote('first');
      await store.put(note);
      await store.put({ ...note, text: 'second' });
      const all = await store.loadAll();
      expect(all).toHaveLength(1);
      expect(all[0]!.text).toBe('second');
    });

    it('lists every note, across more than one page of the startup scan', async () => {
      const store = await openStore();
      const notes = Array.from({ length: 1203 }, (_, i) => makeNote(`note number ${i}`));
      for (let i = 0; i < notes.length; i += 100) await Promise.all(notes.slice(i, i + 100).map((n) => store.put(n)));
      const listed = await store.loadAll();
      expect(listed).toHaveLength(notes.length);
      expect(new Set(listed.map((n) => n.id))).toEqual(new Set(notes.map((n) => n.id)));
    });

    it('deletes: true once, false after, and the note is gone', async () => {
      const store = await openStore();
      const keep = makeNote('keep me');
      const drop = makeNote('drop me');
      await store.put(keep);
      await store.put(drop);
      expect(await store.delete(drop.id)).toBe(true);
      expect(await store.delete(drop.id)).toBe(false);
      expect(await store.get(drop.id)).toBeUndefined();
      expect((await store.loadAll()).map((n) => n.id)).toEqual([keep.id]);
    });

    it('keeps notes across close and reopen', async () => {
      const first = await openStore();
      const notes = [makeNote('one #a', { tags: ['a'] }), makeNote('two')];
      for (const note of notes) await first.put(note);
      await first.close();
      open.splice(open.indexOf(first), 1);
      const second = await openStore();
      const listed = await second.loadAll();
      expect(listed.sort((a, b) => a.id.localeCompare(b.id))).toEqual([...notes].sort((a, b) => a.id.localeCompare(b.id)));
    });

    it('stores keys as tinker namespace + note:<id>, with no doubled prefix', async () => {
      const store = await openStore();
      const note = makeNote('layout');
      await store.put(note);
      expect(await rawKeys(target)).toEqual([kind === 'redis' ? `tinker::note:${note.id}` : `tinker:note:${note.id}`]);
    });

    it('remember/recall: small JSON state beside the notes, shared by every connection, never a note', async () => {
      await rememberRecallContract(openStore);
      // Kept under tinker's namespace, apart from the notes.
      const keys = await rawKeys(target);
      expect(keys).toContain(kind === 'redis' ? 'tinker::state:resurfaced:U1' : 'tinker:state:resurfaced:U1');
      expect(keys.filter((key) => key.includes('note:'))).toEqual([]);
    });

    it('remember with a time to live: recalled until it expires, then gone', async () => {
      await rememberTtlContract(openStore);
    });

    it('two knowledge bases on one store: 1,000 saves at once make 1,000 notes; a repeated key makes none', async () => {
      const dataDir = await makeDataDir({ profile: '# Me\n', articles: {} });
      try {
        // What is checked is that none is lost or doubled, not speed: on a loaded machine the
        // last of 500 writes queued on one process's pool can wait past the 2 s default.
        const [a, b] = await Promise.all([
          KnowledgeBase.open({ dataDir, store: await openStore(20_000), logger }),
          KnowledgeBase.open({ dataDir, store: await openStore(20_000), logger }),
        ]);
        const save = (kb: KnowledgeBase, i: number) =>
          kb.saveNote({ text: `burst ${i} #load`, author: { platform: 'console', id: 'local', name: 'o' }, source: { platform: 'console' } });
        const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => save(i % 2 ? a : b, i)));
        expect(new Set(results.map((r) => r.note.id)).size).toBe(1000);
        // The same platform request retried through either process, even at the same moment.
        const retried = await Promise.all(
          [a, b, a, b].map((kb) =>
            kb.saveNote({ text: 'retried', author: { platform: 'slack', id: 'U1', name: 'o' }, source: { platform: 'slack' }, idempotencyKey: 'slack:retry:42' }),
          ),
        );
        expect(new Set(retried.map((r) => r.note.id))).toEqual(new Set([noteIdForKey('slack:retry:42')]));
        const later = await b.saveNote({ text: 'retried again', author: { platform: 'slack', id: 'U1', name: 'o' }, source: { platform: 'slack' }, idempotencyKey: 'slack:retry:42' });
        expect(later.created).toBe(false);
        const reader = await openStore();
        const stored = await reader.loadAll();
        expect(stored).toHaveLength(1001);
        expect(stored.filter((n) => n.text.startsWith('retried'))).toHaveLength(1);
        await a.close();
        await b.close();
        open.splice(0, 2);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it('export then import into an empty store round-trips every note; a second import adds none', async () => {
      const source = await openStore();
      const notes = [
        makeNote('plain note'),
        makeNote('tagged #git #perf\n\nsecond paragraph with `code` and a --- line\n---\nstill text', { tags: ['git', 'perf'] }),
        makeNote('---\nlooks: like front matter\n---', { idempotencyKey: 'discord:interaction:9' }),
        makeNote('ünïcödé 🎉 עברית', { author: { platform: 'discord', id: '8035', name: 'Ada: "the" #1' }, source: { platform: 'discord', channel: '42', permalink: 'https://discord.com/channels/1/42/7' } }),
      ];
      for (const note of notes) await source.put(note);
      const folder = await makeTempDir('tinker-export-');
      try {
        expect(await exportNotes(source, folder)).toEqual({ written: notes.length, folder });
        expect((await readdir(folder)).sort()).toEqual(notes.map((n) => `${n.id}.md`).sort());

        const other = await createTestStore(kind);
        try {
          const destination = await openNoteStore(other.url, { logger });
          try {
            expect(await importNotes(destination, folder)).toEqual({ imported: notes.length, skipped: 0, failed: [] });
            expect(await importNotes(destination, folder)).toEqual({ imported: 0, skipped: notes.length, failed: [] });
            const back = await destination.loadAll();
            expect(back.sort((a, b) => a.id.localeCompare(b.id))).toEqual([...notes].sort((a, b) => a.id.localeCompare(b.id)));
          } finally {
            await destination.close();
          }
        } finally {
          await other.cleanup();
        }
        // Importing into the store the notes came from changes nothing either.
        expect(await importNotes(source, folder)).toEqual({ imported: 0, skipped: notes.length, failed: [] });
        expect(await source.loadAll()).toHaveLength(notes.length);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    if (kind !== 'sqlite') {
      it('tells another connection about puts and deletes, not itself', async () => {
        const writer = await openStore();
        const reader = await openStore();
        const seenByReader: NoteChange[] = [];
        const seenByWriter: NoteChange[] = [];
        await reader.subscribe?.((change) => seenByReader.push(change));
        await writer.subscribe?.((change) => seenByWriter.push(change));
        const note = makeNote('announced');
        await writer.put(note);
        await until(() => seenByReader.length === 1);
        await writer.delete(note.id);
        await until(() => seenByReader.length === 2);
        expect(seenByReader).toEqual([
          { type: 'put', id: note.id },
          { type: 'delete', id: note.id },
        ]);
        expect(seenByWriter).toEqual([]);
      });

      if (kind === 'postgres') {
        it('announces a write that timed out but landed late, so other processes index it too', async () => {
          const writer = await openNoteStore(target.url, { logger, timeoutMs: 300 });
          open.push(writer);
          const reader = await openStore();
          const seen: NoteChange[] = [];
          await reader.subscribe?.((change) => seen.push(change));
          await writer.put(makeNote('warm up: creates the table'));
          await until(() => seen.length === 1);

          // Another session holds the table: the write waits past the timeout, then lands.
          const locker = new pg.Client({ connectionString: target.url });
          await locker.connect();
          try {
            await locker.query('BEGIN');
            await locker.query('LOCK TABLE notes IN ACCESS EXCLUSIVE MODE');
            const late = makeNote('landed after the timeout');
            await expect(writer.put(late)).rejects.toThrow('notes: the store did not confirm the write within 300 ms');
            await locker.query('COMMIT');
            await until(async () => (await reader.get(late.id)) !== undefined);
            await until(() => seen.length === 2);
            expect(seen[1]).toEqual({ type: 'put', id: late.id });
          } finally {
            await locker.end();
          }
        });
      }

      if (kind === 'postgres') {
        it('a reconnected listener catches up on a change that committed after a newer one, its notification missed', async () => {
          const writer = await openStore();
          const reader = await openStore();
          const seen: NoteChange[] = [];
          await reader.subscribe?.((change) => seen.push(change));
          const slow = new pg.Client({ connectionString: target.url });
          await slow.connect();
          try {
            // The slow change takes its sequence number first and commits last, without a
            // notification (as if it went out while the listener was away).
            const lateId = newNoteId();
            await slow.query('BEGIN');
            await slow.query("INSERT INTO notes_changes (type, id, sender) VALUES ('put', $1, 'another-process')", [lateId]);
            const fast = makeNote('committed first, with a newer sequence number');
            await writer.put(fast);
            await until(() => seen.some((c) => c.id === fast.id));
            await slow.query('COMMIT');
            // Drop the listener's connection; it comes back and catches up.
            await slow.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
            await until(() => seen.some((c) => c.id === lateId), 10_000);
            // The changes already delivered are not delivered again.
            await new Promise((resolve) => setTimeout(resolve, 300));
            expect(seen.filter((c) => c.id === fast.id)).toHaveLength(1);
          } finally {
            await slow.end();
          }
        });
      }

      it('delivers a change made after the store opened but before the subscription (between startup scan and subscribe)', async () => {
        const reader = await openStore();
        const writer = await openStore();
        const note = makeNote('saved while the reader was scanning');
        await writer.put(note);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const seen: NoteChange[] = [];
        await reader.subscribe?.((change) => seen.push(change));
        await until(() => seen.length >= 1);
        expect(seen[0]).toEqual({ type: 'put', id: note.id });
      });
    }
  });
}

describe('remember/recall on the memory store', () => {
  const open: NoteStore[] = [];
  const openMemory = async () => {
    const store = await openNoteStore('memory://', { logger });
    open.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });

  it('keeps JSON state apart from the notes', async () => {
    const store = await openMemory();
    await store.remember('hint:open:slack:U1', true);
    expect(await store.recall('hint:open:slack:U1')).toBe(true);
    expect(await store.recall('hint:open:slack:U2')).toBeUndefined();
    await store.remember('resurfaced:U1', ['a', 'b']);
    expect(await store.recall<string[]>('resurfaced:U1')).toEqual(['a', 'b']);
    expect(await store.loadAll()).toEqual([]);
  });

  it('with a time to live: recalled until it expires, then gone', async () => {
    await rememberTtlContract(async () => openMemory());
  });

  it('refuses an empty or overlong key, a bad time to live and an undefined value', async () => {
    const store = await openMemory();
    await expect(store.remember('', 1)).rejects.toThrow('notes: a remembered key is 1-200 characters, not ""');
    await expect(store.recall('x'.repeat(201))).rejects.toThrow('notes: a remembered key is 1-200 characters');
    await expect(store.remember('k', 1, 0)).rejects.toThrow('notes: remember: ttlMs must be a positive number of ms, not 0');
    await expect(store.remember('k', undefined)).rejects.toThrow('notes: remember: the value is undefined — use a JSON value');
  });
});

/** What every store does with remember/recall (the store contract, contract 7). */
async function rememberRecallContract(openStore: () => Promise<NoteStore>): Promise<void> {
  const writer = await openStore();
  const reader = await openStore();
  const value = { shown: ['k3v9x2ma7q', 'p0o9i8u7y6'], at: '2024-05-01T10:20:30.000Z', count: 2, nested: { ok: true } };
  await writer.remember('resurfaced:U1', value);
  expect(await writer.recall('resurfaced:U1')).toEqual(value);
  // Another connection (another process, on a shared store) reads the same state.
  expect(await reader.recall('resurfaced:U1')).toEqual(value);
  expect(await reader.recall('resurfaced:nobody')).toBeUndefined();
  await reader.remember('resurfaced:U1', ['replaced']);
  expect(await writer.recall('resurfaced:U1')).toEqual(['replaced']);
  await writer.remember('hint:open:discord:80351110224678912', true);
  expect(await reader.recall('hint:open:discord:80351110224678912')).toBe(true);
  await writer.remember('counter', 0);
  expect(await reader.recall('counter')).toBe(0);
  // State is not a note: not listed, not exported.
  expect(await reader.loadAll()).toEqual([]);
  const folder = await makeTempDir('tinker-export-');
  try {
    expect(await exportNotes(writer, folder)).toMatchObject({ written: 0 });
    expect(await readdir(folder)).toEqual([]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function rememberTtlContract(openStore: () => Promise<NoteStore>): Promise<void> {
  const store = await openStore();
  await store.remember('short', 'lived', 400);
  await store.remember('long', 'lived', 60_000);
  expect(await store.recall('short')).toBe('lived');
  await until(async () => (await store.recall('short')) === undefined, 5000);
  expect(await store.recall('long')).toBe('lived');
}

describe('store URLs in logs', () => {
  it('hide the password, with or without a user name', () => {
    expect(redactUrl('redis://:s3cret@cache:6379/2')).toBe('redis://:***@cache:6379/2');
    expect(redactUrl('postgresql://tinker:s3cret@db:5432/notes')).toBe('postgresql://tinker:***@db:5432/notes');
    expect(redactUrl('sqlite://data/notes.sqlite')).toBe('sqlite://data/notes.sqlite');
  });
});

describe('note files', () => {
  it('an exported note reads as an article: title, date and tags from its front matter', () => {
    const note = makeNote('Window size matters on NFS\n\nmmap #git #perf', { tags: ['git', 'perf'], createdAt: '2024-05-01T10:20:30.000Z' });
    const article = parseArticle(`articles/notes/${note.id}.md`, noteToMarkdown(note));
    expect(article).toMatchObject({ title: 'Window size matters on NFS', date: '2024-05-01', dateSource: 'front-matter', tags: ['git', 'perf'] });
    expect(article.text).toContain('Window size matters on NFS');
  });

  it('a hand-written file without an id gets the same id each time it is read', () => {
    const source = '---\ntitle: A thought\ndate: 2024-05-01\ntags: [Ideas]\n---\n\nA thought about #caching\n';
    const first = noteFromMarkdown(source);
    expect(first).toMatchObject({ text: 'A thought about #caching', tags: ['ideas'], createdAt: '2024-05-01T00:00:00.000Z' });
    expect(noteFromMarkdown(source).id).toBe(first.id);
  });

  it('a hand-written file without an id or a date keeps its id when the file is copied or touched', async () => {
    const source = 'Just a thought about #caching\n';
    const first = noteFromMarkdown(source, new Date('2024-01-01T00:00:00Z'));
    const second = noteFromMarkdown(source, new Date('2025-06-30T12:00:00Z'));
    expect(second.id).toBe(first.id);
    expect(first.createdAt).toBe('2024-01-01T00:00:00.000Z');

    const folder = await makeTempDir('tinker-import-');
    const store = await openNoteStore('memory://', { logger });
    try {
      const file = path.join(folder, 'thought.md');
      await writeFile(file, source);
      await utimes(file, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'));
      expect(await importNotes(store, folder)).toEqual({ imported: 1, skipped: 0, failed: [] });
      await utimes(file, new Date('2025-06-30T12:00:00Z'), new Date('2025-06-30T12:00:00Z'));
      expect(await importNotes(store, folder)).toEqual({ imported: 0, skipped: 1, failed: [] });
      expect(await store.loadAll()).toHaveLength(1);
    } finally {
      await store.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('applies the rules of /note: control characters and lone surrogates cleaned, 4,000 characters at most', async () => {
    const cleaned = noteFromMarkdown('---\nid: 0123456789\n---\n\nbell\u0007 esc\u001b tab\tkept \ud800 lone #x\n');
    expect(cleaned.text).toBe('bell esc tab\tkept \ufffd lone #x');
    expect(() => noteFromMarkdown('\u0001\u0002\n')).toThrow('the note text is empty');

    const folder = await makeTempDir('tinker-import-');
    const store = await openNoteStore('memory://', { logger });
    try {
      await writeFile(path.join(folder, 'long.md'), `${'a'.repeat(4001)}\n`);
      await writeFile(path.join(folder, 'max.md'), `${'b'.repeat(4000)}\n`);
      await writeFile(path.join(folder, 'controls.md'), 'nul-free \u0007bell\n');
      expect(await importNotes(store, folder)).toEqual({
        imported: 2,
        skipped: 0,
        failed: [{ file: 'long.md', reason: 'the note is 4,001 characters; a note can hold at most 4,000 (put it under articles/)' }],
      });
      expect((await store.loadAll()).map((n) => n.text).sort()).toEqual(['b'.repeat(4000), 'nul-free bell']);
    } finally {
      await store.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('says why a file cannot be a note', () => {
    expect(() => noteFromMarkdown('---\nid: nope\n---\n\ntext\n')).toThrow(
      `"nope" is not a note id (10 of 0-9 and a-z except i, l, o, u); leave the id: line out to have one made from the note's date and text`,
    );
    // Ten letters and digits, but an o and an i: not in the alphabet; without the id: line it imports.
    expect(() => noteFromMarkdown('---\nid: oldpriv001\n---\n\ntext\n')).toThrow(/^"oldpriv001" is not a note id \(10 of 0-9 and a-z except i, l, o, u\)/);
    expect(noteFromMarkdown('---\ndate: 2024-01-02\n---\n\ntext\n').id).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
    expect(() => noteFromMarkdown('---\ntitle: x\n---\n\n  \n')).toThrow('the note text is empty');
    expect(() => noteFromMarkdown('---\ntitle: [x\n---\n\ntext\n')).toThrow(/^invalid front matter: /);
  });

  it('import reports unreadable files by name and imports the rest', async () => {
    const folder = await makeTempDir('tinker-import-');
    const store = await openNoteStore('memory://', { logger });
    try {
      await mkdir(path.join(folder, 'nested'));
      await writeFile(path.join(folder, 'nested', 'good.md'), '---\ndate: 2024-01-02\n---\n\ngood one #x\n');
      await writeFile(path.join(folder, 'bad.md'), '---\nid: nope\n---\n\nbad\n');
      await writeFile(path.join(folder, 'ignored.txt'), 'not markdown');
      expect(await importNotes(store, folder)).toEqual({
        imported: 1,
        skipped: 0,
        failed: [{ file: 'bad.md', reason: `"nope" is not a note id (10 of 0-9 and a-z except i, l, o, u); leave the id: line out to have one made from the note's date and text` }],
      });
      const [note] = await store.loadAll();
      expect(note).toMatchObject({ text: 'good one #x', tags: ['x'] });
    } finally {
      await store.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

async function rawKeys(target: TestStore): Promise<string[]> {
  if (target.kind === 'redis') {
    const client = createClient({ url: target.url });
    await client.connect();
    try {
      // The change log stream sits beside the notes, outside their namespace.
      return (await client.keys('*')).filter((key) => key !== 'tinker:changes').sort();
    } finally {
      await client.close();
    }
  }
  if (target.kind === 'postgres') {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      return (await client.query<{ key: string }>('SELECT key FROM notes ORDER BY key')).rows.map((r) => r.key);
    } finally {
      await client.end();
    }
  }
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const db = new KeyvSqlite({ uri: target.url, table: 'notes' });
  try {
    return ((await db.query('SELECT key FROM notes ORDER BY key')) as Array<{ key: string }>).map((r) => r.key);
  } finally {
    await db.disconnect();
  }
}
