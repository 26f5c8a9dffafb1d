import { readFile, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { KnowledgeBase, SEARCH_OPTIONS_VERSION, createDispatcher, openNoteStore, parseQuery, silentLogger } from '../../../src/core/index.ts';
import { ARTICLE_FORMAT_VERSION } from '../../../src/core/sources/articles.ts';
import { encodeContainer } from '../../../src/core/snapshot/format.ts';
import { DEFAULT_SNAPSHOT_NAME } from '../../../src/core/snapshot/snapshot-file.ts';
import { encodeSources } from '../../../src/core/snapshot/sources.ts';
import { CONSOLE_USER, makeDataDir } from '../../helpers/context.ts';

const ARTICLES = {
  'git/nfs.md': '# libgit2 over NFS\nStat calls dominate. Packfile windows need tuning.\n',
  'ops/drills.md': '# Recovery drills\nWe restore repositories from backups every quarter.\n',
  'ops/old.md': '# Old runbook\nThe zeppelin procedure is retired.\n',
};

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function setup() {
  const dataDir = await makeDataDir({ articles: ARTICLES });
  cleanup.push(dataDir);
  const snapshot = path.join(dataDir, DEFAULT_SNAPSHOT_NAME);
  const storeUrl = `sqlite://${path.join(dataDir, 'notes.sqlite')}`;
  const logger = silentLogger();
  const open = async () => KnowledgeBase.open({ dataDir, store: await openNoteStore(storeUrl, { logger }), logger, snapshot });
  return { dataDir, snapshot, storeUrl, logger, open };
}

const titles = (kb: KnowledgeBase, q: string) => kb.search(parseQuery(q), { viewer: CONSOLE_USER, limit: 10 }).hits.map((h) => h.title);
const author = { platform: 'console', id: 'local', name: 'owner' };

describe('knowledge base with an index snapshot', () => {
  it('is rebuilt when ARTICLES_URL changed since it was saved, so no hit keeps a link made with the old template', async () => {
    const { dataDir, snapshot, storeUrl, logger } = await setup();
    const open = async (linkTemplate?: string) =>
      KnowledgeBase.open({ dataDir, store: await openNoteStore(storeUrl, { logger }), logger, snapshot, ...(linkTemplate ? { linkTemplate } : {}) });
    const linkOf = (kb: KnowledgeBase) => kb.search(parseQuery('zeppelin'), { viewer: CONSOLE_USER, limit: 1 }).hits[0]?.source.url;

    const first = await open('https://old.example.org/{path}');
    expect(linkOf(first)).toBe('https://old.example.org/ops/old.md');
    await first.close();

    const second = await open('https://new.example.org/{path}');
    try {
      expect(second.loadReport).toMatchObject({ from: 'cold' });
      expect(linkOf(second)).toBe('https://new.example.org/ops/old.md');
    } finally {
      await second.close();
    }

    // Same template again: the snapshot saved under it is used.
    const third = await open('https://new.example.org/{path}');
    try {
      expect(third.loadReport).toMatchObject({ from: 'snapshot' });
      expect(linkOf(third)).toBe('https://new.example.org/ops/old.md');
    } finally {
      await third.close();
    }

    const none = await open();
    try {
      expect(none.loadReport).toMatchObject({ from: 'cold' });
      expect(linkOf(none)).toBeUndefined();
    } finally {
      await none.close();
    }
  });

  it('builds cold, saves, then loads the snapshot and re-indexes only what changed', async () => {
    const { dataDir, snapshot, open } = await setup();
    const first = await open();
    expect(first.loadReport).toMatchObject({ from: 'cold' });
    await first.saveNote({ text: 'kept note about quokkas #zoo', author, source: { platform: 'console' } });
    await first.close();
    // close() saved the pending change.
    expect((await stat(snapshot)).size).toBeGreaterThan(0);

    // Changes while the bot was down: an edit, a deletion, a new file, a note written by another process.
    const edited = path.join(dataDir, 'articles/git/nfs.md');
    await writeFile(edited, '# libgit2 over NFS\nMmap windows are the real culprit.\n');
    const later = new Date(Date.now() + 60_000);
    await utimes(edited, later, later);
    await unlink(path.join(dataDir, 'articles/ops/old.md'));
    await writeFile(path.join(dataDir, 'articles/ops/new.md'), '# New runbook\nFailover with the walrus script.\n');
    const other = await openNoteStore(`sqlite://${path.join(dataDir, 'notes.sqlite')}`, { logger: silentLogger() });
    await other.put({ id: 'abcdefgh12', text: 'note from elsewhere about pangolins', tags: [], author, source: { platform: 'console' }, createdAt: new Date().toISOString() });
    await other.close();

    const second = await open();
    try {
      expect(second.loadReport).toMatchObject({ from: 'snapshot', reindexed: 3, removed: 1 });
      expect(titles(second, 'mmap')).toEqual(['libgit2 over NFS']);
      expect(titles(second, 'packfile')).toEqual([]);
      expect(titles(second, 'zeppelin')).toEqual([]);
      expect(titles(second, 'walrus')).toEqual(['New runbook']);
      expect(titles(second, 'pangolins')).toEqual(['note from elsewhere about pangolins']);
      expect(titles(second, 'quokkas')).toEqual(['kept note about quokkas #zoo']);
      expect(titles(second, 'restore backups')).toEqual(['Recovery drills']);
      // Snippets of articles are read back from the files.
      expect(second.search(parseQuery('mmap'), { viewer: CONSOLE_USER, limit: 1 }).hits[0]!.snippet.some((s) => s.strong && s.text === 'Mmap')).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('from a snapshot, answers at ready and has every write-up changed since in the index once checked', async () => {
    const { dataDir, storeUrl, snapshot, logger, open } = await setup();
    await (await open()).close();
    await writeFile(path.join(dataDir, 'articles/ops/new.md'), '# New runbook\nFailover with the walrus script.\n');
    await unlink(path.join(dataDir, 'articles/ops/old.md'));

    const kb = KnowledgeBase.start({ dataDir, store: await openNoteStore(storeUrl, { logger }), logger, snapshot });
    try {
      await kb.ready;
      // The snapshot's index answers (whatever the check has reached by now).
      expect(kb.loadReport).toMatchObject({ from: 'snapshot' });
      expect(titles(kb, 'restore backups')).toEqual(['Recovery drills']);
      await kb.checked;
      expect(kb.loadReport).toMatchObject({ from: 'snapshot', reindexed: 1, removed: 1 });
      expect(kb.loadReport!.checkedMs).toBeGreaterThanOrEqual(kb.loadReport!.ms);
      expect(titles(kb, 'walrus')).toEqual(['New runbook']);
      expect(titles(kb, 'zeppelin')).toEqual([]);
    } finally {
      await kb.close();
    }
  });

  it('rebuilds when the snapshot was written under other search options', async () => {
    const { snapshot, open } = await setup();
    await (await open()).close();
    const stale = encodeContainer({ version: SEARCH_OPTIONS_VERSION + 1, articleFormat: ARTICLE_FORMAT_VERSION, savedAt: Date.now() }, [
      ['SRCS', encodeSources({ profile: '', articles: { paths: '', mtimes: new Float64Array(0) }, notes: {} })],
      ['IBIN', Buffer.from('TKIX not read: the stamp is checked first')],
    ]);
    await writeFile(snapshot, stale);
    const kb = await open();
    expect(kb.loadReport).toMatchObject({ from: 'cold' });
    expect(titles(kb, 'packfile')).toEqual(['libgit2 over NFS']);
    await kb.close();
  });

  it('a snapshot that checks out but whose index cannot be restored is built cold, with one warning, and replaced', async () => {
    const { dataDir, snapshot, storeUrl, open } = await setup();
    await (await open()).close();
    // The right versions and a valid checksum around index bytes that are not an index (another build's, say).
    const unreadable = encodeContainer({ version: SEARCH_OPTIONS_VERSION, articleFormat: ARTICLE_FORMAT_VERSION, savedAt: Date.now() }, [
      ['SRCS', encodeSources({ profile: '', articles: { paths: '', mtimes: new Float64Array(0) }, notes: {} })],
      ['IBIN', Buffer.from('TKIX\u0002\u0000\u0000\u0000 not an index at all')],
    ]);
    await writeFile(snapshot, unreadable);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const kb = await KnowledgeBase.open({ dataDir, store: await openNoteStore(storeUrl, { logger }), logger, snapshot });
    try {
      expect(kb.loadReport).toMatchObject({ from: 'cold' });
      expect(titles(kb, 'packfile')).toEqual(['libgit2 over NFS']);
      const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level >= 40);
      expect(warnings.map((line) => line.msg)).toEqual(['snapshot: its index cannot be restored; building the index from the files (the next save replaces it)']);
    } finally {
      await kb.close();
    }
    const again = await open();
    expect(again.loadReport).toMatchObject({ from: 'snapshot' });
    expect(titles(again, 'packfile')).toEqual(['libgit2 over NFS']);
    await again.close();
  });

  it('a damaged snapshot at the default path is rebuilt from the files and replaced', async () => {
    const { snapshot, open } = await setup();
    for (const damaged of ['garbage \u0000\u0001', '{}', '0123456789']) {
      await writeFile(snapshot, damaged);
      const kb = await open();
      expect(kb.loadReport).toMatchObject({ from: 'cold' });
      expect(titles(kb, 'packfile')).toEqual(['libgit2 over NFS']);
      await kb.close();
      // The save at close replaced it with a snapshot the next start loads.
      const again = await open();
      expect(again.loadReport).toMatchObject({ from: 'snapshot' });
      expect(titles(again, 'packfile')).toEqual(['libgit2 over NFS']);
      await again.close();
    }
  });

  it('an old JSON snapshot (the old default .index-snapshot.json, or INDEX_SNAPSHOT naming one) is ignored with at most one warning, never crashes, and is replaced', async () => {
    // What the versions before the binary layout wrote: JSON text, the stamp first, then the index.
    const oldJson = JSON.stringify({
      version: 4,
      format: 2,
      savedAt: '2025-01-01T00:00:00.000Z',
      sources: { profile: '', articles: { 'articles/git/nfs.md': 1 }, notes: {} },
      index: { layout: 'tinker-postings-1', ids: ['article:articles/git/nfs.md'], lengths: [[3], [5], [0]], index: [['packfil', [null, [0, 1], null]]] },
      docs: [{ id: 'article:articles/git/nfs.md', kind: 'article', title: 'libgit2 over NFS', text: '', tags: [], source: { label: 'git/nfs.md' } }],
    });
    const { dataDir, storeUrl } = await setup();
    const legacyDefault = path.join(dataDir, '.index-snapshot.json');
    const chosen = path.join(dataDir, 'index.json');
    for (const [file, configured] of [[legacyDefault, path.join(dataDir, DEFAULT_SNAPSHOT_NAME)], [chosen, chosen]] as const) {
      await writeFile(file, oldJson);
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      const kb = await KnowledgeBase.open({ dataDir, store: await openNoteStore(storeUrl, { logger }), logger, snapshot: configured });
      try {
        expect(kb.loadReport, file).toMatchObject({ from: 'cold' });
        expect(titles(kb, 'packfile')).toEqual(['libgit2 over NFS']);
        const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level >= 40);
        expect(warnings.length, `${file}: ${warnings.map((line) => line.msg).join('; ')}`).toBeLessThanOrEqual(1);
      } finally {
        await kb.close();
      }
      // The old default is gone; a chosen path now holds a binary snapshot that the next start loads.
      if (file === legacyDefault) await expect(stat(legacyDefault)).rejects.toThrow();
      else expect((await readFile(chosen)).subarray(0, 16).toString('latin1')).toBe('tinker snapshot\n');
      const again = await KnowledgeBase.open({ dataDir, store: await openNoteStore(storeUrl, { logger: silentLogger() }), logger: silentLogger(), snapshot: configured });
      expect(again.loadReport).toMatchObject({ from: 'snapshot' });
      await again.close();
    }
  });

  it('answers /find with "still indexing" until the index is ready', async () => {
    const { dataDir, storeUrl, logger } = await setup();
    const kb = KnowledgeBase.start({ dataDir, store: await openNoteStore(storeUrl, { logger }), logger });
    const dispatcher = createDispatcher(commands, { kb, searchLimit: 5, noteWriters: [] }, logger);
    const find = () => dispatcher.dispatch({ command: 'find', text: 'packfile', user: author, origin: { platform: 'console' } });
    expect(await find()).toMatchObject({ tone: 'error', text: 'find: still indexing — try again in a few seconds' });
    await kb.ready;
    expect(await find()).toMatchObject({ tone: 'ok', text: '1 result for "packfile"' });
    await kb.close();
  });
});
