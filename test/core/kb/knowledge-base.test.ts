import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase, openNoteStore, parseQuery, silentLogger, spansToText, type Logger, type SearchHit } from '../../../src/core/index.ts';
import { CONSOLE_USER, createTestContext, makeDataDir, type TestContext } from '../../helpers/context.ts';

const ARTICLES = {
  'git/libgit2-nfs.md': '---\ntitle: libgit2 over NFS\ndate: 2024-05-01\ntags: [git, nfs]\nurl: https://example.com/libgit2\n---\nStat calls dominate. Packfile windows need tuning.\n',
  'git/deep/mirrors.md': `# Mirroring repositories\nMirrors mention libgit2 once. ${'Filler sentence about queues and lag. '.repeat(12)}The mirror keeps its RPO under a minute. ${'More filler after the match. '.repeat(10)}\n`,
  'ops/recovery.md': '# Disaster recovery drills\nWe restore repositories from backups every quarter. Café crème is mandatory.\n',
  'ops/pipelines.md': '---\ntitle: Pipelines abuse\ntags: [ci, security]\n---\nCryptomining in build steps; detection by CPU profiles.\n',
  'misc/titled-fuzzy.md': '# Replication\nreplicaton is a typo in this body on purpose\n',
};

function titles(hits: SearchHit[]): string[] {
  return hits.map((h) => h.title);
}

describe('search over profile, articles and notes', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ articles: ARTICLES });
  });
  afterAll(() => ctx.close());
  const find = (q: string, limit = 10) => ctx.kb.search(parseQuery(q), { viewer: CONSOLE_USER, limit });

  it('ranks an exact title match above a text match', () => {
    const { hits } = find('libgit2', 10);
    expect(hits[0]!.title).toBe('libgit2 over NFS');
    expect(titles(hits)).toContain('Mirroring repositories');
    expect(titles(hits).indexOf('libgit2 over NFS')).toBeLessThan(titles(hits).indexOf('Mirroring repositories'));
  });

  it('ranks an exact match above a fuzzy one', () => {
    const { hits } = find('replication');
    expect(hits[0]!.title).toBe('Replication');
  });

  it('finds by prefix for 3+ characters, not for shorter ones', () => {
    expect(titles(find('cryptomin').hits)).toEqual(['Pipelines abuse']);
    expect(find('cr').hits).toEqual([]);
  });

  it('tolerates typos: libgti finds libgit2', () => {
    expect(titles(find('libgti').hits)).toContain('libgit2 over NFS');
  });

  it('allows one typo from 3 letters (a dropped letter makes a 4-letter word 3), none in 1-2 letters', () => {
    expect(titles(find('nfx').hits)).toContain('libgit2 over NFS');
    expect(find('nx').hits).toEqual([]);
  });

  it('folds case and diacritics', () => {
    expect(titles(find('CAFE CREME').hits)).toEqual(['Disaster recovery drills']);
    expect(titles(find('LIBGIT2').hits)[0]).toBe('libgit2 over NFS');
  });

  it('searches tags and filters by #tag and kind:', () => {
    expect(titles(find('security').hits)).toEqual(['Pipelines abuse']);
    expect(titles(find('#nfs').hits)).toEqual(['libgit2 over NFS']);
    expect(titles(find('libgit2 #git').hits)).toEqual(['libgit2 over NFS']);
    expect(find('libgit2 kind:profile').hits.every((h) => h.kind === 'profile')).toBe(true);
    expect(find('libgit2 kind:profile').hits.length).toBeGreaterThan(0);
    expect(find('libgit2 kind:note').hits).toEqual([]);
  });

  it('carries kind, date, source and a marked snippet of about 200 characters', () => {
    const [hit] = find('packfile').hits;
    expect(hit).toMatchObject({
      kind: 'article',
      title: 'libgit2 over NFS',
      date: '2024-05-01',
      tags: ['git', 'nfs'],
      source: { label: 'articles/git/libgit2-nfs.md', path: 'articles/git/libgit2-nfs.md', url: 'https://example.com/libgit2' },
    });
    expect(hit!.snippet.filter((s) => s.strong).map((s) => s.text)).toEqual(['Packfile']);

    const long = find('rpo kind:article').hits[0]!;
    expect(long.source.path).toBe('articles/git/deep/mirrors.md');
    expect(long.snippet.find((s) => s.strong)?.text).toBe('RPO');
    const text = spansToText(long.snippet);
    expect(text.length).toBeGreaterThan(150);
    expect(text.length).toBeLessThanOrEqual(205);
    expect(text.startsWith('…')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
  });

  it('makes a saved note findable at once, and forgets it', async () => {
    const { note } = await ctx.kb.saveNote({
      text: 'zstd dictionary compression for packfiles #compression',
      author: { platform: 'console', id: 'local', name: 'owner' },
      source: { platform: 'console' },
    });
    const [hit] = find('zstd').hits;
    expect(hit).toMatchObject({ kind: 'note', source: { label: `note ${note.id}`, noteId: note.id }, tags: ['compression'] });
    expect(find('#compression kind:note').hits).toHaveLength(1);
    expect(await ctx.kb.forgetNote(note.id, CONSOLE_USER)).toMatchObject({ id: note.id });
    expect(find('zstd').hits).toEqual([]);
    expect(await ctx.store.get(note.id)).toBeUndefined();
  });

  it('saves once per idempotency key', async () => {
    const input = {
      text: 'same message saved twice',
      author: { platform: 'slack', id: 'U1', name: 'ann' },
      source: { platform: 'slack', channel: 'C1' },
      idempotencyKey: 'slack:msg:C1:1.2',
    };
    const [a, b] = await Promise.all([ctx.kb.saveNote(input), ctx.kb.saveNote(input)]);
    const c = await ctx.kb.saveNote(input);
    expect(a.note.id).toBe(b.note.id);
    expect(c).toMatchObject({ created: false, note: { id: a.note.id } });
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(find('\"same message saved twice\" kind:note').total).toBe(1);
  });

  it('corrects a one-edit typo of a long word, and suggests what was meant when a typo is too far off', () => {
    expect(titles(find('cryptomininx').hits)).toEqual(['Pipelines abuse']);
    // Two typos in a long word are still found; three are too far off for a search, not for a suggestion.
    expect(titles(find('crptominig').hits)).toEqual(['Pipelines abuse']);
    expect(find('crptomnig').hits).toHaveLength(0);
    expect(ctx.kb.didYouMean('crptomnig', CONSOLE_USER)).toContain('cryptomining');
  });

  it('counts notes and articles per topic', () => {
    expect(ctx.kb.topicMatches('Disaster recovery for customer git repositories', CONSOLE_USER)).toEqual({ notes: 0, articles: 1 });
  });
});

describe('an article whose file no longer reads after an edit', () => {
  it('is found by its last good version, and its snippet says so instead of showing text that did not match', async () => {
    const ctx = await createTestContext({ articles: { 'first.md': '# First\nalpha giraffe' } });
    try {
      const file = path.join(ctx.dataDir, 'articles/first.md');
      await writeFile(file, '---\ntitle: [broken\n---\nbody zebu\n');
      expect(await ctx.kb.reloadArticle('articles/first.md')).toBe(false);
      const [hit] = ctx.kb.search(parseQuery('giraffe'), { viewer: CONSOLE_USER, limit: 5 }).hits;
      expect(hit?.title).toBe('First');
      expect(spansToText(hit!.snippet)).toBe(
        'This file has changed and no longer reads (the log says why); it is found by its last good version until it is fixed.',
      );
      // Fixed: its text again, and its new words.
      await writeFile(file, '# First\nbody zebu\n');
      expect(await ctx.kb.reloadArticle('articles/first.md')).toBe(true);
      expect(spansToText(ctx.kb.search(parseQuery('zebu'), { viewer: CONSOLE_USER, limit: 5 }).hits[0]!.snippet)).toBe('body zebu');
    } finally {
      await ctx.close();
    }
  });
});

describe('an article re-indexed with its modification time unchanged', () => {
  it('shows its new text in the snippet, not the one kept from before', async () => {
    const ctx = await createTestContext({ articles: { 'first.md': '# First\nalpha giraffe' } });
    try {
      const file = path.join(ctx.dataDir, 'articles/first.md');
      const find = (word: string) => ctx.kb.search(parseQuery(word), { viewer: CONSOLE_USER, limit: 5 }).hits;
      // Whole seconds, as a file system of coarse time resolution keeps them.
      const second = new Date('2024-05-01T10:00:00Z');
      await utimes(file, second, second);
      expect(await ctx.kb.reloadArticle('articles/first.md')).toBe(true);
      expect(spansToText(find('giraffe')[0]!.snippet)).toBe('alpha giraffe');
      // Saved again within that second (or by rsync -t, cp -p): the same modification time.
      await writeFile(file, '# First\nbody zebu\n');
      await utimes(file, second, second);
      expect(await ctx.kb.reloadArticle('articles/first.md')).toBe(true);
      expect(spansToText(find('zebu')[0]!.snippet)).toBe('body zebu');
    } finally {
      await ctx.close();
    }
  });
});

describe('a DATA_DIR without an articles folder', () => {
  it('starts with one warning naming the folder it looked for; an empty folder is quiet', async () => {
    const dataDir = await makeDataDir({ articles: {} });
    try {
      const warnings: string[] = [];
      const logger = silentLogger();
      logger.warn = ((fields: unknown, message?: string) => warnings.push(typeof fields === 'string' ? fields : String(message))) as Logger['warn'];
      const open = async () => (await KnowledgeBase.open({ dataDir, store: await openNoteStore('memory://', { logger: silentLogger() }), logger })).close();
      await open();
      expect(warnings).toEqual([
        `articles: there is no ${path.join(dataDir, 'articles')} folder, so no write-ups are searched — put markdown files there (an empty folder silences this), or check DATA_DIR`,
      ]);
      await mkdir(path.join(dataDir, 'articles'));
      await open();
      expect(warnings).toHaveLength(1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('close() while the knowledge base is still loading', () => {
  it('lets the load settle before the store is closed, and saves no half index as a snapshot', async () => {
    const dataDir = await makeDataDir({ articles: ARTICLES });
    try {
      const store = await openNoteStore(`sqlite://${path.join(dataDir, 'notes.sqlite')}`, { logger: silentLogger() });
      // The notes come in only when the test says: the load waits there, as on a slow store.
      let releaseNotes!: () => void;
      const notesIn = new Promise<void>((resolve) => (releaseNotes = resolve));
      const events: string[] = [];
      const held = Object.assign(Object.create(store) as typeof store, {
        loadAll: async () => {
          await notesIn;
          events.push('notes loaded');
          return store.loadAll();
        },
        close: async () => {
          events.push('store closed');
          await store.close();
        },
      });
      const snapshot = path.join(dataDir, 'index.snapshot');
      const kb = KnowledgeBase.start({ dataDir, store: held, logger: silentLogger(), snapshot, snapshotDelayMs: 0 });
      const closed = kb.close();
      releaseNotes();
      await closed;
      await kb.ready;
      expect(events).toEqual(['notes loaded', 'store closed']);
      expect(kb.indexing).toBe(true);
      expect(existsSync(snapshot)).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
