import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SEARCH_OPTIONS_VERSION, SearchIndex, silentLogger, type IndexedDoc, type Logger } from '../../../src/core/index.ts';
import { Postings } from '../../../src/core/search/postings.ts';
import { ARTICLE_FORMAT_VERSION } from '../../../src/core/sources/articles.ts';
import { decodeContainer, encodeContainer, type SectionTag } from '../../../src/core/snapshot/format.ts';
import {
  articleMtimes,
  articleMtimesOffThread,
  articleStamps,
  createSnapshotScheduler,
  diffSources,
  hashProfile,
  mtimesWorkerSource,
  readSnapshot,
  sourcesOf,
  stampPaths,
  writeSnapshot,
  type SnapshotSources,
} from '../../../src/core/snapshot/snapshot.ts';
import { DEFAULT_SNAPSHOT_NAME, isSnapshotHead, snapshotTargetProblem } from '../../../src/core/snapshot/snapshot-file.ts';
import { decodeSources, encodeSources } from '../../../src/core/snapshot/sources.ts';
import { makeTempDir } from '../../helpers/context.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempFile(name: string): Promise<string> {
  const dir = await makeTempDir('tinker-snapshot-');
  dirs.push(dir);
  return path.join(dir, name);
}

function docs(count: number): IndexedDoc[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `article:articles/a${i}.md`,
    kind: 'article' as const,
    title: `Article ${i}`,
    text: `word${i % 13} shared text about replication and backups number ${i}`,
    tags: [`t${i % 3}`],
    source: { label: `articles/a${i}.md`, path: `articles/a${i}.md` },
    mtimeMs: 1000 + i,
  }));
}

/** A logger that keeps what it is told, to assert warnings. */
function recordingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function indexOf(count: number): SearchIndex {
  const index = new SearchIndex();
  index.addAll(docs(count));
  return index;
}

describe('index snapshot', () => {
  it('lists articles in path order, as sourcesOf keeps them, so an unchanged archive compares equal at once', async () => {
    const dataDir = path.dirname(await tempFile('x'));
    const files = ['articles/zeta.md', 'articles/b/second.md', 'articles/a/first.md', 'articles/a/b/deep.md', 'articles/A-upper.md'];
    for (const file of files) {
      await mkdir(path.dirname(path.join(dataDir, file)), { recursive: true });
      await writeFile(path.join(dataDir, file), `# ${file}\n`);
    }
    const listed = await articleMtimes(dataDir);
    expect(stampPaths(listed)).toEqual([...files].sort());
    expect(stampPaths(await articleMtimesOffThread(dataDir))).toEqual([...files].sort());
    // An index holding them, in any order, reports the same stamps.
    const index = new SearchIndex();
    for (const file of [...files].reverse()) {
      index.upsert({ id: `article:${file}`, kind: 'article', title: file, text: 'x', tags: [], source: { label: file, path: file }, mtimeMs: listed.mtimes[stampPaths(listed).indexOf(file)]! });
    }
    expect(sourcesOf(index, '').articles.paths).toBe(listed.paths);
    expect(diffSources(sourcesOf(index, ''), { profile: '', articles: listed, notes: {} })).toMatchObject({ changedArticles: [], removedArticles: [] });
  });


  it('leaves out a symlink loop between two files and reports it, on this thread and on the listing worker', async () => {
    const dataDir = path.dirname(await tempFile('x'));
    await mkdir(path.join(dataDir, 'articles/x'), { recursive: true });
    await writeFile(path.join(dataDir, 'articles/x/ok.md'), '# Ok\n');
    await symlink('b.md', path.join(dataDir, 'articles/x/a.md'));
    await symlink('a.md', path.join(dataDir, 'articles/x/b.md'));
    await symlink('gone.md', path.join(dataDir, 'articles/x/dangling.md'));
    const problems = [
      { path: 'articles/x/a.md', reason: 'a symlink loop (ELOOP)' },
      { path: 'articles/x/b.md', reason: 'a symlink loop (ELOOP)' },
    ];
    const here = await articleMtimes(dataDir);
    expect({ paths: stampPaths(here), problems: here.problems }).toEqual({ paths: ['articles/x/ok.md'], problems });
    // The worker itself, not articleMtimesOffThread's fallback to this thread when it fails.
    const worker = new Worker(mtimesWorkerSource(), { eval: true, workerData: { dataDir } });
    const offThread = await new Promise<{ paths: string; problems?: unknown }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect({ paths: offThread.paths, problems: offThread.problems }).toEqual({ paths: 'articles/x/ok.md', problems });
  });

  it('writes a binary file and reads back an index that ranks the same, with its sources', async () => {
    const file = await tempFile('snap.bin');
    const index = indexOf(4500);
    index.upsert({ id: 'note:n1', kind: 'note', title: 'n', text: 'replication note', tags: [], date: '2026-01-01T00:00:00.000Z', source: { label: 'note n1', noteId: 'n1' } });
    const sources = sourcesOf(index, hashProfile({ sections: [] }));
    await writeSnapshot(file, index, sources);

    const bytes = await readFile(file);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('tinker snapshot\n');
    // The index went in as its binary form (SearchIndex.toBinary), one section.
    expect(decodeContainer(bytes).sections.get('IBIN')).toHaveLength(1);
    expect(decodeContainer(bytes).sections.get('IJSN')).toBeUndefined();
    const snapshot = await readSnapshot(file);
    expect(snapshot).toBeDefined();
    expect(snapshot!.version).toBe(SEARCH_OPTIONS_VERSION);
    const paths = stampPaths(snapshot!.sources.articles);
    expect(paths).toHaveLength(4500);
    expect(snapshot!.sources.articles.mtimes[paths.indexOf('articles/a7.md')]).toBe(1007);
    expect(snapshot!.sources.notes).toEqual({ n1: '2026-01-01T00:00:00.000Z' });
    expect(snapshot!.sources.profile).toBe(hashProfile({ sections: [] }));
    const restored = await snapshot!.restore();
    expect(restored.size).toBe(4501);
    expect(restored.rank('word7 replication', { limit: 10 })).toEqual(index.rank('word7 replication', { limit: 10 }));
  });

  it('does not read the JSON index of an earlier layout (section IJSN, no IBIN): another version\'s, rebuilt without a warning', async () => {
    const file = await tempFile('snap.bin');
    const index = indexOf(3);
    const older = encodeContainer({ version: SEARCH_OPTIONS_VERSION, articleFormat: ARTICLE_FORMAT_VERSION, savedAt: 0 }, [
      ['SRCS', encodeSources(sourcesOf(index, ''))],
      ['IJSN' as SectionTag, Buffer.from('{"index":{"layout":"tinker-postings-1","ids":[],"lengths":[[],[],[]],"index":[]},"docs":[]}')],
    ]);
    await writeFile(file, older);
    const { logger, lines } = recordingLogger();
    expect(await readSnapshot(file, logger)).toBeUndefined();
    expect(lines().map((line) => [line.level, line.msg])).toEqual([[30, 'snapshot: written by another version of tinker; rebuilding']]);
    // It is a snapshot: the next save replaces it with one that loads.
    await writeSnapshot(file, index, sourcesOf(index, ''));
    expect((await (await readSnapshot(file))?.restore())?.size).toBe(3);
  });

  it('keeps sources compactly and exactly: unicode paths, fractional mtimes, none at all', () => {
    const sources: SnapshotSources = {
      profile: 'p',
      articles: articleStamps([['articles/日本/ünï cödé.md', 1712345678901.25], ['articles/a.md', 0]]),
      notes: { k3v9x2ma7q: '2024-05-01T10:20:30.000Z', p0o9i8u7y6: 'not a date but kept as is' },
    };
    const back = decodeSources(encodeSources(sources));
    expect(stampPaths(back.articles)).toEqual(['articles/日本/ünï cödé.md', 'articles/a.md']);
    expect([...back.articles.mtimes]).toEqual([1712345678901.25, 0]);
    expect(back.notes).toEqual(sources.notes);
    const empty = decodeSources(encodeSources({ profile: '', articles: articleStamps([]), notes: {} }));
    expect(stampPaths(empty.articles)).toEqual([]);
    expect(empty.notes).toEqual({});
    // 100k article stamps: one string and one array, about 50 bytes each.
    const many = articleStamps(Array.from({ length: 100_000 }, (_, i) => [`articles/topic${i % 76}/write-up-${i}.md`, 1.7e12 + i] as const));
    expect(encodeSources({ profile: 'p', articles: many, notes: {} }).byteLength).toBeLessThan(100_000 * 50);
  });

  it('never trusts a damaged, cut short, foreign or other-version file; says so and rebuilds', async () => {
    const file = await tempFile('snap.bin');
    expect(await readSnapshot(file)).toBeUndefined();
    await writeSnapshot(file, indexOf(50), sourcesOf(indexOf(50), 'p'));
    const good = await readFile(file);
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)]! ^= 0x01;
    const cases: Array<[string, Buffer, string]> = [
      ['cut short by one byte', good.subarray(0, good.length - 1), 'damaged'],
      ['cut after its head', good.subarray(0, 60), 'damaged'],
      ['one bit flipped', flipped, 'damaged'],
      ['garbage', Buffer.from('\u0000\u00ff garbage that is no snapshot'), 'damaged'],
      ['{}', Buffer.from('{}'), 'damaged'],
      ['10 bytes', Buffer.from('0123456789'), 'damaged'],
      ['an older JSON layout', Buffer.from('{"version":4,"format":2,"savedAt":"2025-01-01T00:00:00.000Z","sources":{}}'), 'other'],
      ['another layout', Buffer.concat([good.subarray(0, 16), Buffer.from([99, 0, 0, 0]), good.subarray(20)]), 'other'],
    ];
    for (const [what, bytes, kind] of cases) {
      await writeFile(file, bytes);
      const { logger, lines } = recordingLogger();
      expect(await readSnapshot(file, logger), what).toBeUndefined();
      const logged = lines().map((line) => line.msg);
      expect(logged, what).toEqual([
        kind === 'damaged'
          ? 'snapshot: damaged or not a snapshot; building the index from the files (the next save replaces it)'
          : 'snapshot: written by another version of tinker; rebuilding',
      ]);
    }
    // Other search options: the stamp says so before anything else is read.
    await writeFile(file, encodeContainer({ version: SEARCH_OPTIONS_VERSION + 1, articleFormat: ARTICLE_FORMAT_VERSION, savedAt: 0 }, [['SRCS', encodeSources(sourcesOf(indexOf(1), ''))]]));
    const { logger, lines } = recordingLogger();
    expect(await readSnapshot(file, logger)).toBeUndefined();
    expect(lines().map((line) => line.msg)).toEqual(['snapshot: written under other search options; rebuilding']);
    // Articles read another way (sources' ARTICLE_FORMAT_VERSION): rebuilt too.
    await writeSnapshot(file, indexOf(3), sourcesOf(indexOf(3), 'p'));
    const stamped = await readFile(file);
    const other = encodeContainer({ version: SEARCH_OPTIONS_VERSION, articleFormat: ARTICLE_FORMAT_VERSION + 1, savedAt: 0 }, [
      ['SRCS', decodeContainer(stamped).sections.get('SRCS')![0]!],
      ['IBIN', Buffer.concat(decodeContainer(stamped).sections.get('IBIN')!)],
    ]);
    await writeFile(file, other);
    const second = recordingLogger();
    expect(await readSnapshot(file, second.logger)).toBeUndefined();
    expect(second.lines().map((line) => line.msg)).toEqual(['snapshot: articles were read another way then; rebuilding']);
  });

  it('never replaces a file that is not a snapshot; replaces an older snapshot or an empty file', async () => {
    const index = indexOf(3);
    const sources = sourcesOf(index, '');
    const store = await tempFile('notes.sqlite');
    const dir = path.dirname(store);
    await writeFile(store, 'SQLite format 3\0 every note');
    await expect(writeSnapshot(store, index, sources)).rejects.toThrow(
      `INDEX_SNAPSHOT: ${store} is not an index snapshot — not replacing it`,
    );
    expect(await readFile(store, 'utf8')).toBe('SQLite format 3\0 every note');
    const folder = path.join(dir, 'a-folder');
    await mkdir(folder);
    await expect(writeSnapshot(folder, index, sources)).rejects.toThrow(`INDEX_SNAPSHOT: ${folder} is a folder — not replacing it`);
    // A damaged file under a name of the user's choosing is not ours to replace either.
    const chosen = path.join(dir, 'chosen.bin');
    await writeFile(chosen, '{}');
    await expect(writeSnapshot(chosen, index, sources)).rejects.toThrow(`INDEX_SNAPSHOT: ${chosen} is not an index snapshot — not replacing it`);
    // No temporary file is left behind by a refused save.
    expect((await readdir(dir)).sort()).toEqual(['a-folder', 'chosen.bin', 'notes.sqlite']);

    const older = path.join(dir, 'older.json');
    await writeFile(older, '{"version":1,"format":1,"savedAt":"2025-01-01T00:00:00.000Z","sources":{"profile":""}}');
    const empty = path.join(dir, 'empty.bin');
    await writeFile(empty, '');
    for (const file of [older, empty]) {
      await writeSnapshot(file, index, sources);
      expect((await (await readSnapshot(file))?.restore())?.size).toBe(3);
    }
    // What writeSnapshot writes is what the check recognises.
    expect(isSnapshotHead((await readFile(older, 'utf8')).slice(0, 64))).toBe(true);
    await writeSnapshot(older, index, sources);
  });

  it('the default file (.index-snapshot.bin) is tinker\'s own: a damaged one is replaced; the old JSON default is removed', async () => {
    const file = await tempFile(DEFAULT_SNAPSHOT_NAME);
    const dir = path.dirname(file);
    const index = indexOf(3);
    for (const damaged of ['garbage', '{}', '0123456789']) {
      await writeFile(file, damaged);
      expect(await readSnapshot(file, silentLogger())).toBeUndefined();
      await writeSnapshot(file, index, sourcesOf(index, ''));
      expect((await (await readSnapshot(file))?.restore())?.size).toBe(3);
    }
    // The old default, when it is a tinker snapshot, goes at the next start; a file of the user's by that name stays.
    const legacy = path.join(dir, '.index-snapshot.json');
    await writeFile(legacy, '{"version":4,"format":2,"savedAt":"2025-01-01T00:00:00.000Z","sources":{}}');
    const { logger, lines } = recordingLogger();
    expect(await readSnapshot(file, logger)).toBeDefined();
    expect(existsSync(legacy)).toBe(false);
    expect(lines().map((line) => line.msg)).toEqual(['snapshot: removed the old JSON snapshot; the index is now kept in the binary one']);
    await writeFile(legacy, 'my own notes');
    await readSnapshot(file);
    expect(await readFile(legacy, 'utf8')).toBe('my own notes');
  });

  it('tells why a path cannot take a snapshot, reading only its first bytes', async () => {
    const file = await tempFile('snap.bin');
    const dir = path.dirname(file);
    expect(snapshotTargetProblem(file)).toBeUndefined();
    await writeFile(file, 'tinker snapshot\n' + 'x'.repeat(100_000));
    expect(snapshotTargetProblem(file)).toBeUndefined();
    await writeFile(file, '{"version":3,"format":2,"savedAt":"2026-01-01T00:00:00.000Z",' + 'x'.repeat(100_000));
    expect(snapshotTargetProblem(file)).toBeUndefined();
    await writeFile(file, '{"sources":{},"version":3}');
    expect(snapshotTargetProblem(file)).toEqual({ kind: 'not-snapshot' });
    await writeFile(file, '# Profile\n');
    expect(snapshotTargetProblem(file)).toEqual({ kind: 'not-snapshot' });
    expect(snapshotTargetProblem(dir)).toEqual({ kind: 'folder' });
    expect(snapshotTargetProblem(path.join(dir, 'missing', 'snap.bin'))).toEqual({ kind: 'no-folder' });
    expect(snapshotTargetProblem(path.join(file, 'snap.bin'))).toEqual({ kind: 'unreadable', reason: 'ENOTDIR' });
  });

  it('tells what changed since a snapshot; an unchanged archive by two comparisons', () => {
    const saved: SnapshotSources = { profile: 'p1', articles: articleStamps([['a.md', 1], ['b.md', 2], ['c.md', 3]]), notes: { n1: 'd1', n2: 'd2' } };
    const current: SnapshotSources = { profile: 'p2', articles: articleStamps([['d.md', 4], ['b.md', 5], ['a.md', 1]]), notes: { n1: 'd1', n3: 'd3' } };
    expect(diffSources(saved, current)).toEqual({
      profileChanged: true,
      changedArticles: ['d.md', 'b.md'],
      removedArticles: ['c.md'],
      changedNotes: ['n3'],
      removedNotes: ['n2'],
    });
    expect(diffSources(saved, { ...saved, articles: articleStamps([['a.md', 1], ['b.md', 2], ['c.md', 3]]) })).toEqual({
      profileChanged: false,
      changedArticles: [],
      removedArticles: [],
      changedNotes: [],
      removedNotes: [],
    });
    // In path order (as the listing and sourcesOf give them), one merge of the two lists.
    const before = articleStamps([['articles/a.md', 1], ['articles/b/c.md', 2], ['articles/b/d.md', 3], ['articles/e.md', 4]]);
    const after = articleStamps([['articles/a.md', 1], ['articles/b/c.md', 9], ['articles/b/cc.md', 5], ['articles/e.md', 4], ['articles/f.md', 6]]);
    expect(diffSources({ ...saved, articles: before }, { ...saved, articles: after })).toMatchObject({
      changedArticles: ['articles/b/c.md', 'articles/b/cc.md', 'articles/f.md'],
      removedArticles: ['articles/b/d.md'],
    });
    // The same files listed in another order are no change.
    expect(diffSources(saved, { ...saved, articles: articleStamps([['c.md', 3], ['a.md', 1], ['b.md', 2]]) }).changedArticles).toEqual([]);
    expect(hashProfile({ sections: [] })).toBe(hashProfile({ sections: [] }));
    expect(hashProfile({ sections: [] })).not.toBe(hashProfile({ sections: [{ title: 'x' }] }));
  });

  it('encodes the index for a save over many turns of the event loop, so commands are answered meanwhile', async () => {
    const file = await tempFile('snap.bin');
    const index = indexOf(12_000);
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    // The turn each document was read in for the save (the encoder reads each one once).
    const turns = new Set<number>();
    const recordAt = Postings.prototype.recordAt;
    const spy = vi.spyOn(Postings.prototype, 'recordAt').mockImplementation(function (this: Postings, slot: number) {
      turns.add(turn);
      return recordAt.call(this, slot);
    });
    try {
      expect(await writeSnapshot(file, index, sourcesOf(index, 'p'))).toBe(true);
    } finally {
      spy.mockRestore();
      ticking = false;
    }
    // One synchronous encoding would read them all in one turn.
    expect(turns.size).toBeGreaterThan(1);
    const restored = await (await readSnapshot(file))!.restore();
    expect(restored.size).toBe(12_000);
    expect(restored.rank('word7 replication', { limit: 10 })).toEqual(index.rank('word7 replication', { limit: 10 }));
  });

  it('a change during a save abandons it: the file keeps the last whole snapshot, and the next save has the change', async () => {
    const file = await tempFile('snap.bin');
    const index = indexOf(12_000);
    expect(await writeSnapshot(file, index, sourcesOf(index, 'p'))).toBe(true);
    const note = (id: string): IndexedDoc => ({ id: `note:${id}`, kind: 'note', title: id, text: `zebra ${id}`, tags: [], date: '2026-01-01T00:00:00.000Z', source: { label: id, noteId: id } });
    index.upsert(note('first'));
    const saving = writeSnapshot(file, index, sourcesOf(index, 'p'));
    // A /note arriving while the save runs.
    setImmediate(() => index.upsert(note('second')));
    expect(await saving).toBe(false);
    const old = (await readSnapshot(file))!;
    const before = await old.restore();
    expect(before.size).toBe(12_000);
    expect(before.has('note:first')).toBe(false);
    expect(old.sources.notes).toEqual({});
    expect(await writeSnapshot(file, index, sourcesOf(index, 'p'))).toBe(true);
    const now = (await readSnapshot(file))!;
    const after = await now.restore();
    expect(after.size).toBe(12_002);
    expect(Object.keys(now.sources.notes).sort()).toEqual(['first', 'second']);
    expect(after.rank('zebra', { limit: 5 })).toEqual(index.rank('zebra', { limit: 5 }));
    // Encoded at once, a save is not overtaken by a change made after it starts.
    const atOnce = writeSnapshot(file, index, sourcesOf(index, 'p'), { atOnce: true });
    setImmediate(() => index.upsert(note('third')));
    expect(await atOnce).toBe(true);
    expect((await (await readSnapshot(file))!.restore()).size).toBe(12_002);
  });

  it('a save of an index with removed documents, abandoned by a change during it, leaves the index whole; the next save restores it', async () => {
    const file = await tempFile('snap.bin');
    const index = indexOf(20_000);
    for (let i = 0; i < 100; i += 1) index.remove(`article:articles/a${i * 7}.md`);
    const expected = new SearchIndex();
    expected.addAll(docs(20_000).filter((_, i) => i % 7 !== 0 || i >= 700));
    expected.upsert({ id: 'note:late', kind: 'note', title: 'late', text: 'zebra late', tags: [], source: { label: 'late', noteId: 'late' } });
    const saving = writeSnapshot(file, index, sourcesOf(index, 'p'));
    setImmediate(() => index.upsert({ id: 'note:late', kind: 'note', title: 'late', text: 'zebra late', tags: [], source: { label: 'late', noteId: 'late' } }));
    expect(await saving).toBe(false);
    expect(existsSync(file)).toBe(false);
    for (const query of ['word7 replication', 'zebra', 'article 21']) expect(index.rank(query, { limit: 10 })).toEqual(expected.rank(query, { limit: 10 }));
    expect(await writeSnapshot(file, index, sourcesOf(index, 'p'))).toBe(true);
    const restored = await (await readSnapshot(file))!.restore();
    expect(restored.size).toBe(19_901);
    for (const query of ['word7 replication', 'zebra', 'article 21']) expect(restored.rank(query, { limit: 10 })).toEqual(expected.rank(query, { limit: 10 }));
  });

  it('saves again when a save was abandoned by a change during it, on flush too', async () => {
    const results = [false, true];
    const save = vi.fn(async () => results.shift());
    const scheduler = createSnapshotScheduler({ save, logger: silentLogger(), delayMs: 3_600_000 });
    scheduler.schedule();
    await scheduler.flush();
    expect(save).toHaveBeenCalledTimes(2);
    await scheduler.close();
  });

  it('saves once after changes settle, and on flush', async () => {
    const save = vi.fn(async () => {});
    const scheduler = createSnapshotScheduler({ save, logger: silentLogger(), delayMs: 30 });
    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    expect(save).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(save).toHaveBeenCalledTimes(1);
    await scheduler.flush();
    expect(save).toHaveBeenCalledTimes(1);
    scheduler.schedule();
    await scheduler.flush();
    expect(save).toHaveBeenCalledTimes(2);
    await scheduler.close();
    scheduler.schedule();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(save).toHaveBeenCalledTimes(2);
  });
});
