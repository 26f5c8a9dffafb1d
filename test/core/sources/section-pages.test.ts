import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBase, openNoteStore, parseQuery, silentLogger } from '../../../src/core/index.ts';
import { readArticle } from '../../../src/core/sources/articles.ts';
import { DEFAULT_SNAPSHOT_NAME } from '../../../src/core/snapshot/snapshot-file.ts';
import { CONSOLE_USER, makeDataDir } from '../../helpers/context.ts';

const ARTICLES = {
  // Zola's section settings: front matter only, or with blank lines and a shortcode.
  'content/_index.md': '+++\ntitle = "Rust Blog"\nsort_by = "permalink"\n[taxonomies]\ntags = ["sections"]\n+++\n',
  'content/releases/_index.md': '+++\ntitle = "Rust Release Announcements"\ntemplate = "releases.html"\n+++\n\n{{ youtube(id="dQw4w9WgXcQ") }}\n\n   \n',
  // Hugo's, in YAML, with only a heading that becomes its title.
  'hugo/_index.md': '---\ntags: [sections]\n---\n# Changelog\n',
  // A section index with text of its own is a write-up.
  'content/inside/_index.md': '+++\ntitle = "Inside Rust Blog"\n+++\nThis blog follows the zeppelin working groups.\n',
  'content/releases/1.0.md': '+++\ntitle = "Announcing Rust 1.0"\n[taxonomies]\ntags = ["sections"]\n+++\nThe zeppelin release is stable.\n',
};

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function setup() {
  const dataDir = await makeDataDir({ articles: ARTICLES });
  cleanup.push(dataDir);
  const logger = silentLogger();
  const storeUrl = `sqlite://${path.join(dataDir, 'notes.sqlite')}`;
  const open = async () => KnowledgeBase.open({ dataDir, store: await openNoteStore(storeUrl, { logger }), logger, snapshot: path.join(dataDir, DEFAULT_SNAPSHOT_NAME) });
  return { dataDir, open };
}

const titles = (kb: KnowledgeBase, q: string) => kb.search(parseQuery(q), { viewer: CONSOLE_USER, limit: 10 }).hits.map((h) => h.title).sort();
const tagCount = (kb: KnowledgeBase, tag: string) => kb.tags(CONSOLE_USER).find((t) => t.tag === tag)?.count ?? 0;

describe('section pages (a Hugo or Zola _index.md without text)', () => {
  it('reads an empty _index.md as a section page, one with text as a write-up', async () => {
    const { dataDir } = await setup();
    expect(await readArticle(dataDir, 'articles/content/_index.md')).toMatchObject({ section: { path: 'articles/content/_index.md' } });
    expect(await readArticle(dataDir, 'articles/content/releases/_index.md')).toHaveProperty('section');
    expect(await readArticle(dataDir, 'articles/hugo/_index.md')).toHaveProperty('section');
    expect(await readArticle(dataDir, 'articles/content/inside/_index.md')).toMatchObject({ article: { title: 'Inside Rust Blog' } });
    // Only a section index: an empty write-up elsewhere is still one.
    await writeFile(path.join(dataDir, 'articles', 'content', 'empty.md'), '+++\ntitle = "Empty"\n+++\n');
    expect(await readArticle(dataDir, 'articles/content/empty.md')).toHaveProperty('article');
  });

  it('leaves section pages out of /find, the counts and /tags', async () => {
    const { open } = await setup();
    const kb = await open();
    try {
      expect(kb.counts().articles).toBe(2);
      expect(titles(kb, 'blog')).toEqual(['Inside Rust Blog']);
      expect(titles(kb, 'release announcements')).toEqual(['Announcing Rust 1.0']);
      expect(titles(kb, 'changelog')).toEqual([]);
      expect(titles(kb, '#sections')).toEqual(['Announcing Rust 1.0']);
      expect(tagCount(kb, 'sections')).toBe(1);
    } finally {
      await kb.close();
    }
  });

  it('keeps section pages as seen in the snapshot: a start does not read them again', async () => {
    const { open } = await setup();
    const first = await open();
    await first.close();
    const second = await open();
    try {
      await second.checked;
      expect(second.loadReport).toMatchObject({ from: 'snapshot', reindexed: 0, removed: 0 });
      expect(second.counts().articles).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('indexes a section page that gets text, and drops one whose text is removed (as the watcher reloads them)', async () => {
    const { dataDir, open } = await setup();
    const kb = await open();
    try {
      const releases = 'articles/content/releases/_index.md';
      await writeFile(path.join(dataDir, releases), '+++\ntitle = "Rust Release Announcements"\n+++\nEvery zeppelin release, announced.\n');
      expect(await kb.reloadArticle(releases)).toBe(true);
      expect(titles(kb, 'zeppelin')).toEqual(['Announcing Rust 1.0', 'Inside Rust Blog', 'Rust Release Announcements']);

      const inside = 'articles/content/inside/_index.md';
      await writeFile(path.join(dataDir, inside), '+++\ntitle = "Inside Rust Blog"\n+++\n\n');
      expect(await kb.reloadArticle(inside)).toBe(false);
      expect(titles(kb, 'zeppelin')).toEqual(['Announcing Rust 1.0', 'Rust Release Announcements']);
      expect(kb.counts().articles).toBe(2);
    } finally {
      await kb.close();
    }
    // The snapshot saved at close holds both changes, so the next start reads neither again.
    const again = await open();
    try {
      await again.checked;
      expect(again.loadReport).toMatchObject({ from: 'snapshot', reindexed: 0, removed: 0 });
      expect(titles(again, 'zeppelin')).toEqual(['Announcing Rust 1.0', 'Rust Release Announcements']);
    } finally {
      await again.close();
    }
  });
});
