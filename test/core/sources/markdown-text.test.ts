import { describe, expect, it } from 'vitest';
import { markdownText, snippetText } from '../../../src/core/sources/markdown-text.ts';
import { splitFrontMatter } from '../../../src/core/sources/front-matter.ts';

/** Blocks' texts, runs of white space folded (the tokenizer and snippets fold them). */
const texts = (source: string, mdx = false) => markdownText(source, { mdx }).blocks.map((block) => block.text.replace(/\s+/g, ' '));

describe('markdownText', () => {
  it('gives each block its own text, markup and link targets removed', () => {
    const blocks = markdownText(
      '# Title\n\nSome **bold** and _em_ and `code` and [a link](https://x.org "t") and ![alt text](i.png).\n\n' +
        '- first item\n- second item\n  - nested\n\n| a | b |\n| - | - |\n| one | two |\n\n```sh\ngit gc --aggressive\n```\n\n' +
        'Setext heading\n---\n\nline one  \nline two &amp; &copy;\n',
    ).blocks.map((block) => ({ ...block, text: block.text.replace(/\s+/g, ' ') }));
    expect(blocks).toEqual([
      { depth: 1, text: 'Title' },
      { depth: 0, text: 'Some bold and em and code and a link and alt text .' },
      { depth: 0, text: 'first item' },
      { depth: 0, text: 'second item' },
      { depth: 0, text: 'nested' },
      { depth: 0, text: 'a' },
      { depth: 0, text: 'b' },
      { depth: 0, text: 'one' },
      { depth: 0, text: 'two' },
      { depth: 0, text: 'git gc --aggressive' },
      { depth: 2, text: 'Setext heading' },
      { depth: 0, text: 'line one line two & ©' },
    ]);
  });

  it('leaves out HTML and task boxes, keeps footnotes and the words of a placeholder in angle brackets', () => {
    expect(
      texts(
        '<!-- hidden -->\n<div align="center">\n\nkept\n\n</div>\n\nSee <a href="https://x.org">the pen</a><br/> <!-- inline comment --> ' +
          'run `git restore <file>` or <file> and "<App Name> Cluster"\n\n- [ ] todo\n- [x] done\n\nText[^1].\n\n[^1]: The note.\n',
      ),
    ).toEqual(['kept', 'See the pen run git restore <file> or file and " App Name Cluster"', 'todo', 'done', 'Text.', 'The note.']);
  });

  it('keeps the text of a block of HTML, without its tags, comments, scripts and styles (acceptance 30)', () => {
    expect(
      texts(
        '<details>\n<summary>Why fsync stalls happen</summary>\nThe journal waits on quixotic dirty pages &amp; more.\n</details>\n\n' +
          '<div align="center"><sub>Remember the ionosphere checklist</sub></div>\n\n' +
          '<!-- a comment\nover lines -->\n\n<script>var hidden = 1;</script>\n<style>p { color: red }</style>\n\nPlain paragraph.\n',
      ),
    ).toEqual(['Why fsync stalls happen The journal waits on quixotic dirty pages & more.', 'Remember the ionosphere checklist', 'Plain paragraph.']);
  });

  it('leaves images out of a heading: a badge is not part of a name (acceptance 31)', () => {
    const blocks = markdownText(
      '# fastqueue [![Build Status](https://ci.example/x.svg)](https://ci.example) ![npm version](https://img.shields.io/x.svg)\n\n![diagram of the queue](q.png)\n',
    ).blocks;
    expect(blocks).toEqual([
      { depth: 1, text: 'fastqueue' },
      { depth: 0, text: 'diagram of the queue' },
    ]);
  });

  it('drops highlight marks and block ids, and a mark still separates words (acceptance 39, 40)', () => {
    expect(texts('Term numbers are ==monotonically increasing== and votes are durable. ^blockref123\n\nx==iotanine and `a == b`\n\n^own-line-id\n')).toEqual([
      'Term numbers are monotonically increasing and votes are durable.',
      'x iotanine and a == b',
    ]);
    const snippet = snippetText('Term numbers are ==monotonically increasing== and durable. ^blockref123\nx==iotanine and `a == b`\n');
    expect(snippet.replace(/\s+/g, ' ').trim()).toBe('Term numbers are monotonically increasing and durable. x iotanine and a == b');
  });

  it('keeps a block id rule off code: `git log ^main` at the end of a block stays (review 47)', () => {
    expect(texts('Exclude merged work with `git log ^main`\n')).toEqual(['Exclude merged work with git log ^main']);
  });

  it('agrees with the snippet on a block of HTML: scripts and styles are in neither (review 43)', () => {
    const source = '<div>\nshown words\n<script>var hiddenScript = 1;</script>\n<style>.hiddenStyle {}</style>\n</div>\n';
    expect(texts(source)).toEqual(['shown words']);
    expect(snippetText(source).replace(/\s+/g, ' ').trim()).toBe('shown words');
  });

  it('reads a megabyte of unclosed tags, comments and links in one pass, not one per opening (review 42)', () => {
    for (const unit of ['<a ', '<!-- ', '[x ', '](y ', '{% ', '{{ ']) {
      const source = unit.repeat(Math.ceil(1_000_000 / unit.length));
      expect(markdownText(source, { templates: true }).blocks.length, unit).toBeGreaterThanOrEqual(0);
      expect(snippetText(source, { templates: true }).length, unit).toBeGreaterThan(0);
    }
  });

  it('reads Obsidian markup as Obsidian shows it', () => {
    expect(
      texts(
        'See [[Internal links|internal link]], [[Other note]], [[Note#Heading]], [[#Local heading]], [[Third#^abc123]], [[Third^abc123]] and [[a\\|b]].\n\n' +
          '![[diagram.png]] Embedded above. %%a comment%% visible %%\n\nspanning\n\nblocks%% after\n\n' +
          '> [!tip]- Fold me\n> The tip text.\n\n> [!NOTE]\n> A GitHub alert.\n\n`[[not a link]]` and `%%not a comment%%`\n',
      ),
    ).toEqual([
      'See internal link, Other note, Note, Local heading, Third, Third and b.',
      'Embedded above. visible',
      'after',
      'Fold me The tip text.',
      'A GitHub alert.',
      '[[not a link]] and %%not a comment%%',
    ]);
  });

  it('finds inline #tags in text, not in code, headings or numbers', () => {
    const { inlineTags } = markdownText('# Heading\n\nAbout #rust and #Async/await, not C# or #42.\n\n`#notag`\n\n```\n#include <x>\n```\n\n#second line\n');
    expect(inlineTags).toEqual(['rust', 'async/await', 'second']);
  });

  it('reads MDX as its text: no import/export blocks, JSX tags or expressions', () => {
    expect(
      texts(
        "import { Chart } from '../chart'\nexport const meta = {\n  title: 'x',\n}\n\n# Hello {props.name}\n\n<Chart data={[1, 2]} />\n\n" +
          '<Callout type="warn">\nMind the gap.\n</Callout>\n\nText with <Badge>new</Badge> inline.\n\n```js\nimport x from "y"\n```\n',
        true,
      ),
    ).toEqual(['Hello', 'Mind the gap.', 'Text with new inline.', 'import x from "y"']);
  });
});

describe('snippetText', () => {
  it('keeps code as written, fenced or in backticks, and drops tags and MDX expressions in prose only', () => {
    const md = 'Use <b>generics</b>: `Vec<i32>`.\n\n```rust\nfn make() -> Vec<i32> { vec![] } // <!-- not a comment -->\n```\n';
    expect(snippetText(md).replace(/\s+/g, ' ').trim()).toBe('Use generics : Vec<i32>. fn make() -> Vec<i32> { vec![] } // <!-- not a comment -->');
    const mdx = 'Hi {props.name} <Badge>new</Badge> and `{ literal }`.\n\n~~~jsx\nconst A = () => <h1>{title}</h1>;\n~~~\n';
    expect(snippetText(mdx, { mdx: true }).replace(/\s+/g, ' ').trim()).toBe('Hi new and { literal }. const A = () => <h1>{title}</h1>;');
  });
});

describe('snippetText of Obsidian links', () => {
  it('reads a block reference as the note it is in, as the index does', () => {
    expect(snippetText('See [[Third^abc123]] and [[Third#^abc123|the quote]].').trim()).toBe('See Third and the quote.');
  });
});

describe('splitFrontMatter', () => {
  it('reads YAML between --- lines and TOML between +++ lines, behind a byte-order mark and with CRLF', () => {
    expect(splitFrontMatter('---\ntitle: A\ntags: [x]\n---\n# Body\n')).toEqual({ format: 'yaml', data: { title: 'A', tags: ['x'] }, body: '# Body\n' });
    expect(splitFrontMatter('\uFEFF+++\r\ntitle = "B"\r\n[taxonomies]\r\ntags = ["t"]\r\n+++\r\nbody')).toEqual({
      format: 'toml',
      data: { title: 'B', taxonomies: { tags: ['t'] } },
      body: 'body',
    });
    expect(splitFrontMatter('---\n---\ntext')).toEqual({ format: 'yaml', data: {}, body: 'text' });
    expect(splitFrontMatter('---\ntitle: C\n...\ntext')).toMatchObject({ data: { title: 'C' }, body: 'text' });
  });

  it('leaves a file without front matter, or with an opening rule and no closing one, as it is', () => {
    expect(splitFrontMatter('# Title\n---\n')).toEqual({ data: {}, body: '# Title\n' + '---\n' });
    expect(splitFrontMatter('---\nno closing line')).toEqual({ data: {}, body: '---\nno closing line' });
  });

  it('says what is wrong with front matter it cannot read', () => {
    expect(() => splitFrontMatter('+++\ntitle = \n+++\n')).toThrow(/^invalid TOML front matter: /);
    expect(() => splitFrontMatter('---\njust a sentence\n---\n')).toThrow('invalid YAML front matter: not a mapping of names to values');
  });
});
