/**
 * The archives people already have, read through /find's replies: an Obsidian
 * vault, a Jekyll site, a Hugo site, a Zola blog and MDX docs
 * (test/fixtures/archives/*, each copied as DATA_DIR/articles).
 */
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../../src/adapters/console/console-format.ts';
import type { Reply, SearchHit } from '../../../src/core/index.ts';
import { REPO_ROOT, createTestContext, type TestContext } from '../../helpers/context.ts';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/archives');
const contexts: TestContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((ctx) => ctx.close()));
});

async function archive(name: string, linkTemplate?: string): Promise<TestContext> {
  const ctx = await createTestContext({ articlesFrom: path.join(FIXTURES, name), searchLimit: 10, ...(linkTemplate ? { linkTemplate } : {}) });
  contexts.push(ctx);
  return ctx;
}

const hitsOf = (reply: Reply): SearchHit[] => reply.sections?.flatMap((section) => (section.type === 'hits' ? section.hits : [])) ?? [];
const snippetOf = (hit: SearchHit) => hit.snippet.map((span) => span.text).join('');
/** The best hit of a /find, with the parts a person reads. */
async function top(ctx: TestContext, query: string) {
  const hit = hitsOf(await ctx.run(`/find ${query}`))[0];
  expect(hit, query).toBeDefined();
  if (!hit) throw new Error(`no hit for ${query}`);
  return { title: hit.title, date: hit.date, dateSource: hit.dateSource, tags: hit.tags, url: hit.source.url, path: hit.source.path, snippet: snippetOf(hit) };
}

describe('an Obsidian vault', () => {
  it('titles notes by file name, reads wikilinks, callouts, comments and embeds as Obsidian shows them, and finds aliases and inline #tags', async () => {
    const ctx = await archive('obsidian');
    const note = await top(ctx, 'supports formats');
    expect(note).toMatchObject({ title: 'Internal links', path: 'articles/Internal links.md', tags: ['linking', 'navigation'], dateSource: 'modified' });
    expect(note.snippet).toMatch(/^Supported formats for internal links Obsidian supports internal link syntax and Markdown links, and links to a heading such as Basic formatting syntax/);
    const callout = (await top(ctx, 'modifier key')).snippet;
    expect(callout).toContain('Drag and drop Hold the modifier key');
    for (const snippet of [note.snippet, callout]) expect(snippet).not.toMatch(/\[\[|\]\]|\[!tip\]|%%|Engelbart|xylophone/);
    // An alias is searched like the title; a comment's words are not searched at all.
    expect((await top(ctx, 'wikilink')).title).toBe('Internal links');
    expect(hitsOf(await ctx.run('/find xylophone'))).toEqual([]);
    expect((await top(ctx, '#navigation')).title).toBe('Internal links');
  });

  it('links each note to the vault, or to a repository, with ARTICLES_URL', async () => {
    const vault = await archive('obsidian', 'obsidian://open?vault=Notes&file={path}');
    expect((await top(vault, 'modifier key')).url).toBe('obsidian://open?vault=Notes&file=Internal%20links.md');
    const repository = await archive('obsidian', 'https://github.com/me/notes/blob/main/{path}');
    expect((await top(repository, 'atomic notes')).url).toBe('https://github.com/me/notes/blob/main/Projects/Zettelkasten.md');
  });

  it("titles a note by its file name even when it opens with a heading, dates a daily note by its name, and skips the vault's .trash", async () => {
    const ctx = await archive('obsidian');
    expect(await top(ctx, 'atomic notes')).toMatchObject({ title: 'Zettelkasten', snippet: expect.stringContaining('Zettelkasten method') });
    expect(await top(ctx, 'flaky replication')).toMatchObject({ title: '2024-05-01', date: '2024-05-01', dateSource: 'file-name', tags: ['standup'] });
    expect(hitsOf(await ctx.run('/find discarded'))).toEqual([]);
    // A note's file name is its name, as typed: a hyphenated one is not read as a slug.
    expect(await top(ctx, 'sprint board')).toMatchObject({ title: 'weekly-review', path: 'articles/Projects/weekly-review.md' });
  });
});

describe('a Jekyll site', () => {
  it('reads .markdown posts, dates them by their file name, tags them by categories, and names an untitled post by its slug', async () => {
    const ctx = await archive('jekyll');
    expect(await top(ctx, 'gist tag')).toMatchObject({
      title: 'Jekyll 1.0.0 Released',
      date: '2013-05-06',
      dateSource: 'file-name',
      tags: ['release'],
      path: 'articles/_posts/2013-05-06-jekyll-1-0-0-released.markdown',
    });
    // As Jekyll titles it: the slug's words, capitalised.
    expect(await top(ctx, 'where_exp')).toMatchObject({ title: 'Liquid Filters Cheatsheet', date: '2014-01-15', tags: ['liquid', 'templates'] });
  });

  it('reads Liquid and kramdown as Jekyll shows them: no tags, {% highlight %} as code, captions kept (acceptance 43)', async () => {
    const ctx = await archive('jekyll');
    const post = await top(ctx, 'capybara migrations');
    expect(post.title).toBe('Liquid heavy post');
    expect(post.snippet).toContain('Intro about capybara migrations and more, see the guide.');
    expect(post.snippet).toContain('def capybara_method; end');
    expect(post.snippet).toContain('a capybara figure');
    expect(post.snippet).toContain('{{ page.title }}');
    for (const raw of ['{%', '{:', 'TOC', 'site.baseurl', 'post_url', 'wombat']) expect(post.snippet).not.toContain(raw);
    for (const word of ['endhighlight', 'baseurl', 'wombat', 'toc']) expect(hitsOf(await ctx.run(`/find ${word}`)), word).toEqual([]);
  });

  it('links to the permalink with ARTICLES_URL', async () => {
    const ctx = await archive('jekyll', 'https://blog.example.org/{permalink}');
    expect((await top(ctx, 'hosted repository')).url).toBe('https://blog.example.org/about/');
    // A post without a permalink gets no link rather than a wrong one.
    expect((await top(ctx, 'gist tag')).url).toBeUndefined();
  });
});

describe('a Hugo site', () => {
  it('reads TOML front matter (title, the date as written, tags and categories) and names an untitled bundle by its folder\'s slug', async () => {
    const ctx = await archive('hugo');
    const post = await top(ctx, 'GOGC');
    expect(post).toMatchObject({ title: 'Tuning the garbage collector', date: '2024-01-15', dateSource: 'front-matter', tags: ['go', 'performance', 'runtime'] });
    expect(post.snippet).not.toContain('+++');
    expect(await top(ctx, 'page bundle')).toMatchObject({ title: 'Bundle Post', date: '2023-11-02', tags: ['photos'] });
    expect(await top(ctx, 'notebook')).toMatchObject({ title: 'Home' });
  });
});

describe('Hugo shortcodes', () => {
  it('are not text, but what they show is: a figure\'s title, a notice\'s words (acceptance 43)', async () => {
    const ctx = await archive('hugo');
    const post = await top(ctx, 'tapir');
    expect(post.title).toBe('The tapir rollout');
    expect(post.snippet.replace(/\s+/g, ' ')).toContain('The tapir rollout Tapir diagram went well. Tapir caches must be warmed.');
    for (const raw of ['{{', 'figure', 'notice', 'youtube', 'w7Ft2ymGmfc']) expect(post.snippet).not.toContain(raw);
    expect(hitsOf(await ctx.run('/find youtube'))).toEqual([]);
  });
});

describe('a Zola blog', () => {
  it('takes the title from the front matter, not the first ## heading, the tags from [taxonomies], the date from the file name or the path', async () => {
    const ctx = await archive('zola', 'https://blog.rust-lang.org/{permalink}');
    const post = await top(ctx, 'faster compilation');
    expect(post).toMatchObject({ title: 'Rust 1.1 stable, the Community Subteam, and RustCamp', date: '2015-06-25', dateSource: 'file-name', tags: ['release', 'community'] });
    expect(post.snippet).not.toMatch(/\+\+\+|title =|taxonomies/);
    expect(post.url).toBeUndefined();
    // Zola's aliases are old URLs, not names: not searched as a title.
    const bundle = await top(ctx, 'error message format');
    expect(bundle).toMatchObject({ title: 'Announcing Rust 1.12', date: '2016-09-29', dateSource: 'front-matter', url: 'https://blog.rust-lang.org/2016/09/29/Rust-1.12' });
    expect(ctx.kb.index.get('article:articles/content/blog/release-bundle/index.md')).toMatchObject({ title: 'Announcing Rust 1.12' });
    expect(ctx.kb.index.get('article:articles/content/blog/release-bundle/index.md')?.aliases).toBeUndefined();
  });
});

describe('MDX', () => {
  it('reads the text, without import/export blocks, JSX tags or expressions', async () => {
    const ctx = await archive('mdx');
    const page = await top(ctx, 'schema cache');
    expect(page).toMatchObject({ title: 'Getting started', path: 'articles/docs/getting-started.mdx' });
    expect(page.snippet).toBe('Install the command line tool with and run it once. The first run downloads the schema cache.');
    expect(hitsOf(await ctx.run('/find sidebar'))).toEqual([]);
  });

  it('keeps code as written, in fences and backticks (MDX does not read JSX there), and drops JSX and {expressions} in prose only', async () => {
    const ctx = await archive('mdx');
    const page = await top(ctx, 'React.Children.forEach');
    expect(page).toMatchObject({ title: 'Check the type of a child component', path: 'articles/docs/child-type.mdx' });
    expect(page.snippet).toBe(
      '…const Hello = () => <h1>Hello</h1>; React.Children.forEach(children, child => { if (child.type === Hello) found = child; }); ' +
        'Inline code stays too: { kestrel: true } and <Badge /> in backticks, while…',
    );
    expect((await top(ctx, 'kestrel')).snippet).toContain('Inline code stays too: { kestrel: true } and <Badge /> in backticks, while prose goes.');
    expect(hitsOf(await ctx.run('/find chartlabel'))).toEqual([]);
    expect(hitsOf(await ctx.run('/find hidden'))).toEqual([]);
  });
});

describe("a date that is only the file's modification time", () => {
  it('is shown as such', async () => {
    const ctx = await archive('obsidian');
    await utimes(path.join(ctx.dataDir, 'articles/Internal links.md'), new Date('2024-03-04T12:00:00Z'), new Date('2024-03-04T12:00:00Z'));
    await ctx.kb.reloadArticle('articles/Internal links.md');
    const reply = await ctx.run('/find modifier key');
    expect(hitsOf(reply)[0]).toMatchObject({ date: '2024-03-04', dateSource: 'modified' });
    expect(renderConsoleReply(reply)).toContain('article · modified 2024-03-04 · #linking #navigation');
  });
});
