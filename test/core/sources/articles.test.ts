import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArticles, parseArticle } from '../../../src/core/index.ts';
import { Worker } from 'node:worker_threads';
import { articleMtimes, articleMtimesOffThread, mtimesWorkerSource, stampPaths } from '../../../src/core/snapshot/snapshot.ts';
import { makeTempDir } from '../../helpers/context.ts';

describe('parseArticle', () => {
  it('reads front matter: title, date, tags, url', () => {
    const article = parseArticle(
      'articles/git/a.md',
      '---\ntitle: Packfiles on NFS\ndate: 2024-05-01\ntags: [Git, "#nfs"]\nurl: https://example.com/a\n---\n# Other heading\nBody with **bold**.\n',
    );
    expect(article).toMatchObject({
      path: 'articles/git/a.md',
      title: 'Packfiles on NFS',
      date: '2024-05-01',
      tags: ['git', 'nfs'],
      url: 'https://example.com/a',
    });
    expect(article.text).toBe('Other heading\nBody with bold.');
  });

  it('falls back to the # heading that opens the file (not repeated in the text), then the file name', () => {
    expect(parseArticle('articles/x.md', '<!-- draft -->\n# Opening title\n\nSetext below\n===\n')).toMatchObject({ title: 'Opening title', text: 'Setext below' });
    expect(parseArticle('articles/x.md', 'Setext title\n===\n\ntext')).toMatchObject({ title: 'Setext title', text: 'text' });
    // A heading further down, or of another level, is a section of the text, not its title.
    expect(parseArticle('articles/intro.md', 'Intro line\n\n# Later heading\ntext')).toMatchObject({ title: 'intro', text: 'Intro line\nLater heading\ntext' });
    expect(parseArticle('articles/sub.md', '## Second-level title\ntext')).toMatchObject({ title: 'sub', text: 'Second-level title\ntext' });
    expect(parseArticle('articles/no-heading.md', 'just text').title).toBe('No Heading');
    // In an Obsidian vault the file name is the title, as Obsidian shows it.
    expect(parseArticle('articles/Vault/Internal links.md', '# Links\n\ntext', { vault: true })).toMatchObject({ title: 'Internal links', text: 'Links\ntext' });
    // A bundle is named by its folder; a Jekyll post by its name without the date; a slug reads as words, as Jekyll titles it.
    expect(parseArticle('articles/posts/my-trip/index.md', 'text').title).toBe('My Trip');
    expect(parseArticle('articles/content/_index.md', 'text').title).toBe('content');
    expect(parseArticle('articles/index.md', 'text').title).toBe('index');
    expect(parseArticle('articles/_posts/2013-05-06-jekyll-released.markdown', 'text')).toMatchObject({ title: 'Jekyll Released', date: '2013-05-06', dateSource: 'file-name' });
    expect(['rust-1-12', 'café-crème', 'API-notes', 'Meeting notes', 'README', 'notes_2024', '2024-05-01'].map((name) => parseArticle(`articles/${name}.md`, 'text').title)).toEqual([
      'Rust 1 12',
      'Café Crème',
      'API-notes',
      'Meeting notes',
      'README',
      'notes_2024',
      '2024-05-01',
    ]);
    // In a vault the file name is the note's name, as typed, slug or not.
    expect(parseArticle('articles/Vault/weekly-review.md', 'text', { vault: true }).title).toBe('weekly-review');
  });

  it('reads the date from the front matter (as written), a dated file name, a dated permalink, else the modification time', () => {
    const mtimeMs = Date.parse('2024-06-30T12:00:00Z');
    const dated = (source: string, file = 'articles/a.md') => {
      const { date, dateSource } = parseArticle(file, source, { mtimeMs });
      return { date, dateSource };
    };
    expect(dated('---\ndate: 2024-05-01\n---\n')).toEqual({ date: '2024-05-01', dateSource: 'front-matter' });
    expect(dated('---\ndate: 2024-05-01T23:30:00-05:00\n---\n')).toEqual({ date: '2024-05-01', dateSource: 'front-matter' });
    expect(dated('+++\ndate = 2024-05-01T23:30:00-05:00\n+++\n')).toEqual({ date: '2024-05-01', dateSource: 'front-matter' });
    expect(dated('+++\ndate = 2024-05-01\n+++\n')).toEqual({ date: '2024-05-01', dateSource: 'front-matter' });
    expect(dated('---\ndate: May 1, 2024\n---\n')).toEqual({ date: '2024-05-01', dateSource: 'front-matter' });
    expect(dated('---\ncreated: 2024-02-03\n---\n')).toEqual({ date: '2024-02-03', dateSource: 'front-matter' });
    expect(dated('text', 'articles/_posts/2013-05-06-released.md')).toEqual({ date: '2013-05-06', dateSource: 'file-name' });
    expect(dated('text', 'articles/Daily/2024-02-29.md')).toEqual({ date: '2024-02-29', dateSource: 'file-name' });
    expect(dated('text', 'articles/posts/2023-11-02-trip/index.md')).toEqual({ date: '2023-11-02', dateSource: 'file-name' });
    expect(dated('+++\npath = "2015/06/25/rust-1.1"\n+++\n')).toEqual({ date: '2015-06-25', dateSource: 'front-matter' });
    expect(dated('---\npermalink: /2019/01/02/x.html\n---\n')).toEqual({ date: '2019-01-02', dateSource: 'front-matter' });
    // Not dates: an impossible day, a version number in a path.
    expect(dated('---\ndate: 2024-02-30\n---\n', 'articles/2023-13-01-x.md')).toEqual({ date: '2024-06-30', dateSource: 'modified' });
    expect(dated('---\npath: releases/1.12.0\n---\n')).toEqual({ date: '2024-06-30', dateSource: 'modified' });
    expect(parseArticle('articles/a.md', 'text')).not.toHaveProperty('date');
  });

  it('gathers tags from tags, categories, Zola taxonomies and, in a vault, inline #tags; aliases that are names, not old URLs', () => {
    expect(parseArticle('articles/a.md', '---\ntags: [Go]\ncategories: Web Dev\n---\n#inline').tags).toEqual(['go', 'web', 'dev']);
    expect(parseArticle('articles/a.md', '+++\n[taxonomies]\ntags = ["Rust"]\ncategories = ["news"]\n+++\n').tags).toEqual(['rust', 'news']);
    expect(parseArticle('articles/a.md', '---\ntags: [x]\n---\nAbout #rust and `#code`', { vault: true }).tags).toEqual(['x', 'rust']);
    expect(parseArticle('articles/a.md', '---\naliases: [Links, Internal link, /old/url/, x.html]\n---\n').aliases).toEqual(['Links', 'Internal link']);
    expect(parseArticle('articles/a.md', '---\naliases: One name\n---\n').aliases).toEqual(['One name']);
    expect(parseArticle('articles/a.md', '+++\naliases = ["releases/1.12.0"]\n+++\n')).not.toHaveProperty('aliases');
  });

  it('rejects invalid YAML front matter with a short reason', () => {
    expect(() => parseArticle('articles/bad.md', '---\ntitle: [unclosed\n---\ntext')).toThrow(
      'invalid YAML front matter: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 17',
    );
  });

  it('reads front matter behind a byte-order mark and with CRLF line ends; a numeric title is a title', () => {
    const article = parseArticle('articles/w.md', '\uFEFF---\r\ntitle: 1984\r\ntags: git\r\n---\r\nBody\r\n');
    expect(article).toMatchObject({ title: '1984', tags: ['git'], text: 'Body' });
  });

  it('ignores HTML comments and a relative url', () => {
    const article = parseArticle('articles/c.md', '---\nurl: ../local.md\n---\n<!-- hidden -->\n# T\nvisible');
    expect(article.url).toBeUndefined();
    expect(article.text).toBe('visible');
  });
});

describe('loadArticles', () => {
  it('loads nested *.md files and skips broken ones with a reason naming them', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, 'articles/a/b'), { recursive: true });
    await writeFile(path.join(dir, 'articles/top.md'), '# Top\ntext');
    await writeFile(path.join(dir, 'articles/a/b/deep.md'), '---\ntitle: Deep\n---\ntext');
    await writeFile(path.join(dir, 'articles/a/notes.txt'), 'not markdown');
    await writeFile(path.join(dir, 'articles/a/broken.md'), '---\ntags: [x\n---\n');
    await writeFile(path.join(dir, 'articles/a/binary.md'), Buffer.from([0x23, 0x20, 0x00, 0x01]));
    await writeFile(path.join(dir, 'articles/locked.md'), '# Locked');
    await chmod(path.join(dir, 'articles/locked.md'), 0o000);
    const { articles, problems } = await loadArticles(dir);
    const readable = process.getuid?.() === 0; // root reads mode-000 files anyway
    expect(articles.map((a) => a.path)).toEqual(
      readable ? ['articles/a/b/deep.md', 'articles/locked.md', 'articles/top.md'] : ['articles/a/b/deep.md', 'articles/top.md'],
    );
    expect(problems.map((p) => p.path).sort()).toEqual(
      readable ? ['articles/a/binary.md', 'articles/a/broken.md'] : ['articles/a/binary.md', 'articles/a/broken.md', 'articles/locked.md'],
    );
    expect(problems.find((p) => p.path.endsWith('broken.md'))!.reason).toMatch(/^invalid YAML front matter: /);
  });

  it('follows symlinks to files and leaves out hidden folders and node_modules, in the load and in the snapshot check alike', async () => {
    const dataDir = await makeTempDir();
    const articles = path.join(dataDir, 'articles');
    const elsewhere = path.join(dataDir, 'elsewhere');
    for (const dir of ['kept', '.trash', '.git', 'node_modules/pkg', 'kept/.hidden']) await mkdir(path.join(articles, dir), { recursive: true });
    await mkdir(elsewhere);
    await writeFile(path.join(articles, 'kept', 'a.md'), '# A\n\nkept');
    await writeFile(path.join(articles, '.trash', 'deleted.md'), '# Deleted\n\ngone');
    await writeFile(path.join(articles, '.git', 'x.md'), '# Settings');
    await writeFile(path.join(articles, 'node_modules', 'pkg', 'README.md'), '# Package');
    await writeFile(path.join(articles, 'kept', '.hidden', 'h.md'), '# Hidden');
    await writeFile(path.join(articles, 'kept', '.draft.md'), '# Draft');
    await writeFile(path.join(elsewhere, 'linked.md'), '# Linked\n\nfrom elsewhere');
    await symlink(path.join(elsewhere, 'linked.md'), path.join(articles, 'kept', 'linked.md'));
    await symlink(path.join(elsewhere, 'missing.md'), path.join(articles, 'kept', 'dangling.md'));
    const { articles: loaded } = await loadArticles(dataDir);
    expect(loaded.map((a) => a.path)).toEqual(['articles/kept/a.md', 'articles/kept/linked.md']);
    expect(loaded[1]!.title).toBe('Linked');
    expect(stampPaths(await articleMtimes(dataDir)).sort()).toEqual(['articles/kept/a.md', 'articles/kept/linked.md']);
    expect(stampPaths(await articleMtimesOffThread(dataDir)).sort()).toEqual(['articles/kept/a.md', 'articles/kept/linked.md']);
    // The worker's own answer (articleMtimesOffThread falls back to this thread when a worker fails).
    const fromWorker = await new Promise((resolve, reject) => {
      const worker = new Worker(mtimesWorkerSource(), { eval: true, workerData: { dataDir } });
      worker.once('message', (mtimes) => {
        resolve(mtimes);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
    expect(fromWorker).toEqual(await articleMtimes(dataDir));
  });

  it('turns a tag of several words into one that can be typed', () => {
    const article = parseArticle('articles/ml.md', '---\ntags: [Machine Learning, " data  science "]\n---\n# ML\n', { mtimeMs: 1 });
    expect(article.tags).toEqual(['machine-learning', 'data-science']);
  });

  it('reads a Windows-1252 (Latin-1) file as Windows-1252, UTF-16 behind its byte-order mark, and UTF-8 as UTF-8', async () => {
    const dataDir = await makeTempDir();
    await mkdir(path.join(dataDir, 'articles'), { recursive: true });
    await writeFile(path.join(dataDir, 'articles', 'latin1.md'), Buffer.from('# Café à Zürich\n\nCrème brûlée\n', 'latin1'));
    await writeFile(path.join(dataDir, 'articles', 'utf8.md'), '# Ça va\n\nnaïve ☕\n');
    // A Notepad-era file: Windows-1252's quotes, dashes, € and ellipsis in 0x80-0x9F; 0x81 is undefined there.
    await writeFile(path.join(dataDir, 'articles', 'cp1252.md'), Buffer.from([...Buffer.from('# Smart quotes\n\n'), 0x93, ...Buffer.from('quoted'), 0x94, ...Buffer.from(' costs 5'), 0x80, 0x20, 0x96, 0x20, 0x91, 0x97, 0x92, 0x85, 0x99, 0x81, 0x0a]));
    // Windows Notepad's "Unicode": UTF-16 behind its byte-order mark, little- and big-endian.
    await writeFile(path.join(dataDir, 'articles', 'utf16le.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Wide\n\nwombat “€”\n', 'utf16le')]));
    await writeFile(path.join(dataDir, 'articles', 'utf16be.md'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('# Big\n\nnumbat\n', 'utf16le').swap16()]));
    const { articles, problems } = await loadArticles(dataDir);
    expect(problems).toEqual([]);
    expect(articles.map((a) => [a.title, a.text.trim()])).toEqual([
      ['Smart quotes', '“quoted” costs 5€ – ‘—’…™\uFFFD'],
      ['Café à Zürich', 'Crème brûlée'],
      ['Big', 'numbat'],
      ['Wide', 'wombat “€”'],
      ['Ça va', 'naïve ☕'],
    ]);
  });

  it('indexes the first 1 MB of a 20 MB file, with a warning naming it, cut at a line end', async () => {
    const dataDir = await makeTempDir();
    await mkdir(path.join(dataDir, 'articles'), { recursive: true });
    const line = 'connection reset by peer while pulling packfile ñandú\n';
    const head = '# Pasted log\n\nfirst words here\n\n';
    await writeFile(path.join(dataDir, 'articles', 'huge.md'), head + line.repeat(Math.ceil((20 * 2 ** 20) / Buffer.byteLength(line))) + 'zebra at the very end\n');
    const { articles, warnings } = await loadArticles(dataDir);
    expect(warnings).toEqual([{ path: 'articles/huge.md', reason: 'is 20 MB; only its first 1 MB is indexed' }]);
    const [article] = articles;
    expect(article!.title).toBe('Pasted log');
    expect(Buffer.byteLength(article!.text)).toBeLessThanOrEqual(2 ** 20);
    expect(article!.text.startsWith('first words here')).toBe(true);
    // Cut at a line end: no half word, and still read as UTF-8 (a split ñ would make it Latin-1).
    expect(article!.text.trimEnd().endsWith('pulling packfile ñandú')).toBe(true);
    expect(article!.text).not.toContain('zebra');
  });

  it('returns nothing when there is no articles folder', async () => {
    expect(await loadArticles(await makeTempDir())).toEqual({ articles: [], problems: [], warnings: [] });
  });
});
