import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SEARCH_OPTIONS_VERSION, SearchIndex, silentLogger, type IndexedDoc } from '../../../src/core/index.ts';
import {
  createSnapshotScheduler,
  diffSources,
  hashProfile,
  readSnapshot,
  sourcesOf,
  writeSnapshot,
} from '../../../src/core/snapshot/snapshot.ts';
import { isSnapshotHead, snapshotTargetProblem } from '../../../src/core/snapshot/snapshot-file.ts';
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

describe('index snapshot', () => {
  it('writes in slices and reads back an index that ranks the same', async () => {
    const file = await tempFile('snap.json');
    const index = new SearchIndex();
    index.addAll(docs(4500));
    index.upsert({ id: 'note:n1', kind: 'note', title: 'n', text: 'replication note', tags: [], date: '2026-01-01T00:00:00.000Z', source: { label: 'note n1', noteId: 'n1' } });
    const sources = sourcesOf(index, hashProfile({ sections: [] }));
    await writeSnapshot(file, index, sources);

    const snapshot = await readSnapshot(file);
    expect(snapshot).toBeDefined();
    expect(snapshot!.version).toBe(SEARCH_OPTIONS_VERSION);
    expect(snapshot!.sources.articles['articles/a7.md']).toBe(1007);
    expect(snapshot!.sources.notes).toEqual({ n1: '2026-01-01T00:00:00.000Z' });
    const restored = await SearchIndex.fromJSON(snapshot!.index);
    expect(restored.size).toBe(4501);
    expect(restored.rank('word7 replication', 10)).toEqual(index.rank('word7 replication', 10));
  });

  it('ignores a missing, corrupt or other-version snapshot', async () => {
    const file = await tempFile('snap.json');
    expect(await readSnapshot(file)).toBeUndefined();
    const corrupt = await tempFile('corrupt.json');
    await writeFile(corrupt, '{"format":1,');
    expect(await readSnapshot(corrupt, silentLogger())).toBeUndefined();
    const index = new SearchIndex();
    index.addAll(docs(3));
    await writeSnapshot(file, index, sourcesOf(index, ''));
    const json = JSON.parse(await readFile(file, 'utf8')) as { version: number };
    await writeFile(file, JSON.stringify({ ...json, version: SEARCH_OPTIONS_VERSION + 1 }));
    expect(await readSnapshot(file, silentLogger())).toBeUndefined();
  });

  it('never replaces a file that is not a snapshot; replaces an older snapshot or an empty file', async () => {
    const index = new SearchIndex();
    index.addAll(docs(3));
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
    // No temporary file is left behind by a refused save.
    expect((await readdir(dir)).sort()).toEqual(['a-folder', 'notes.sqlite']);

    const older = path.join(dir, 'older.json');
    await writeFile(older, '{"version":1,"format":1,"savedAt":"2025-01-01T00:00:00.000Z","sources":{"profile":""}}');
    const empty = path.join(dir, 'empty.json');
    await writeFile(empty, '');
    for (const file of [older, empty]) {
      await writeSnapshot(file, index, sources);
      expect((await readSnapshot(file))?.index.docs.length).toBe(3);
    }
    // What writeSnapshot writes is what the check recognises.
    expect(isSnapshotHead((await readFile(older, 'utf8')).slice(0, 64))).toBe(true);
    await writeSnapshot(older, index, sources);
  });

  it('tells why a path cannot take a snapshot, reading only its first bytes', async () => {
    const file = await tempFile('snap.json');
    const dir = path.dirname(file);
    expect(snapshotTargetProblem(file)).toBeUndefined();
    await writeFile(file, '{"version":3,"format":2,"savedAt":"2026-01-01T00:00:00.000Z",' + 'x'.repeat(100_000));
    expect(snapshotTargetProblem(file)).toBeUndefined();
    await writeFile(file, '{"sources":{},"version":3}');
    expect(snapshotTargetProblem(file)).toEqual({ kind: 'not-snapshot' });
    await writeFile(file, '# Profile\n');
    expect(snapshotTargetProblem(file)).toEqual({ kind: 'not-snapshot' });
    expect(snapshotTargetProblem(dir)).toEqual({ kind: 'folder' });
    expect(snapshotTargetProblem(path.join(dir, 'missing', 'snap.json'))).toEqual({ kind: 'no-folder' });
    expect(snapshotTargetProblem(path.join(file, 'snap.json'))).toEqual({ kind: 'unreadable', reason: 'ENOTDIR' });
  });

  it('tells what changed since a snapshot', () => {
    const saved = { profile: 'p1', articles: { 'a.md': 1, 'b.md': 2, 'c.md': 3 }, notes: { n1: 'd1', n2: 'd2' } };
    const current = { profile: 'p2', articles: { 'a.md': 1, 'b.md': 5, 'd.md': 4 }, notes: { n1: 'd1', n3: 'd3' } };
    expect(diffSources(saved, current)).toEqual({
      profileChanged: true,
      changedArticles: ['b.md', 'd.md'],
      removedArticles: ['c.md'],
      changedNotes: ['n3'],
      removedNotes: ['n2'],
    });
    expect(hashProfile({ sections: [] })).toBe(hashProfile({ sections: [] }));
    expect(hashProfile({ sections: [] })).not.toBe(hashProfile({ sections: [{ title: 'x' }] }));
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
