import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../src/core/sources/markdown.ts';

/** The parse with every extension on, as it was before extensions were chosen per source. */
const parseWithEverything = (source: string) =>
  fromMarkdown(source, {
    extensions: [frontmatter(['yaml']), gfm()],
    mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmFromMarkdown()],
  });

// Each one needs an extension, or sits on the edge of a test that turns one off.
const SAMPLES = [
  '---\ntitle: T\n---\n# Heading\ntext',
  '\uFEFF---\ntitle: BOM\n---\ntext',
  'text\n---\nnot front matter',
  'see www.example.com, and WWW.EXAMPLE.ORG.',
  'at http://a.b/c_d_e_ and https://x.y/(z))',
  'mail a@b.co or mailto:me@host.org, or xmpp:me@host.org/x',
  'escaped www\\.example.com and http:\\/\\/x.y and a&#64;b.org and &#x77;ww.x.com',
  '~~gone~~ and ~one~ and a~~b~~c@d.e',
  '| a | b |\n| - | - |\n| 1 | `x \\| y` |',
  'a\n:-\nb',
  'x\n-:\ny',
  'not a table: a | b',
  '- [ ] todo\n- [x] done\n* [X] Done',
  'text[^1] more\n\n[^1]: the note',
  '[link](http://q.r) [ref] ![img](x.png "t")\n\n[ref]: http://ref.x',
  '`code www.x.com` and\n\n```\ncode | x ~~ y a@b.c\n```\n\n    indented a@b.c',
  '> quote www.q.com\n> - [ ] item ~~x~~',
  '<!-- www.hidden.com --> <b>html</b> <http://auto.link> <a@b.c>',
  'www.x.com/_a_ https://x.com/a~b~c',
  'plain words only, nothing special: 1. 2) * _ ** #',
];

describe('parseMarkdown', () => {
  it('gives the tree that every extension would give, for sources that need each one or none', () => {
    for (const source of SAMPLES) expect(parseMarkdown(source), source).toEqual(parseWithEverything(source));
  });

  it('gives the same tree for every write-up and profile of the test fixtures', async () => {
    const root = path.resolve('test/fixtures');
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.md'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = await readFile(path.join(root, file), 'utf8');
      expect(parseMarkdown(source), file).toEqual(parseWithEverything(source));
    }
  });

  it('textOnly keeps the text, without turning URLs found in text into links', () => {
    for (const source of SAMPLES) {
      expect(toString(parseMarkdown(source, { textOnly: true })), source).toBe(toString(parseWithEverything(source)));
    }
    const links = (source: string, textOnly: boolean) =>
      JSON.stringify(parseMarkdown(source, { textOnly })).match(/"type":"link"/g)?.length ?? 0;
    // `www\.x.com` is no autolink while tokenizing; only the pass over the tree links it.
    expect(links('escaped www\\.x.com here', false)).toBe(1);
    expect(links('escaped www\\.x.com here', true)).toBe(0);
    // Recognised while tokenizing: a link either way.
    expect(links('see www.x.com', true)).toBe(1);
  });

  it('textOnly leaves e-mail autolinks out of a large source (their cost grows with the square of a paragraph) and keeps its text', () => {
    // A pasted mail thread: one paragraph of 150 KB with addresses and URLs.
    const source = Array.from({ length: 3000 }, (_, i) => `from user${i}@example.com see www.x${i}.org ok`).join('\n');
    const tree = parseMarkdown(source, { textOnly: true });
    expect(toString(tree)).toBe(toString(parseWithEverything(source)));
    const links = JSON.stringify(tree).match(/"url":"[^"]*"/g) ?? [];
    expect(links.some((url) => url.includes('mailto:'))).toBe(false);
    expect(links.filter((url) => url.includes('www.x')).length).toBe(3000);
    // A small source keeps them: the tree is the full one.
    const small = 'from a@example.com see www.x.org';
    expect(parseMarkdown(small, { textOnly: true })).toEqual(parseWithEverything(small));
  });
});
