import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleTexts } from '../../../src/core/sources/article-texts.ts';
import { readArticleTextSync } from '../../../src/core/sources/articles.ts';
import { makeTempDir } from '../../helpers/context.ts';

async function archive(files: Record<string, string>): Promise<string> {
  const dir = await makeTempDir();
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

describe('article texts for snippets', () => {
  it('read a file as readArticleTextSync does, vaults included', async () => {
    const dir = await archive({
      'articles/a.md': '---\ntitle: A\n---\n# Heading\n\nSome **bold** text.\n',
      'articles/vault/.obsidian/app.json': '{}',
      'articles/vault/b.md': '# Opening heading\n\nBody with [[link]].\n',
    });
    const texts = new ArticleTexts(dir);
    expect(texts.read('articles/a.md')).toBe(readArticleTextSync(dir, 'articles/a.md'));
    expect(texts.read('articles/vault/b.md')).toBe(readArticleTextSync(dir, 'articles/vault/b.md', { vault: true }));
    expect(texts.read('articles/vault/b.md')).toContain('Opening heading');
    expect(texts.read('articles/missing.md')).toBeUndefined();
  });

  it('keep a text for the version the index holds, and read again for another', async () => {
    const dir = await archive({ 'articles/a.md': 'first words\n' });
    const texts = new ArticleTexts(dir);
    expect(texts.read('articles/a.md', 1000)).toContain('first words');
    await writeFile(path.join(dir, 'articles/a.md'), 'second words\n');
    // Not re-indexed yet: the snippet shows what the document was found by.
    expect(texts.read('articles/a.md', 1000)).toContain('first words');
    // Re-indexed (another modification time): read afresh.
    expect(texts.read('articles/a.md', 2000)).toContain('second words');
  });

  it('without an indexed time, see an edit at once', async () => {
    const dir = await archive({ 'articles/a.md': 'first words\n' });
    const texts = new ArticleTexts(dir);
    expect(texts.read('articles/a.md')).toContain('first words');
    await writeFile(path.join(dir, 'articles/a.md'), 'the second, longer words\n');
    expect(texts.read('articles/a.md')).toContain('second, longer words');
    await rm(path.join(dir, 'articles/a.md'));
    expect(texts.read('articles/a.md')).toBeUndefined();
  });

  it('keep only the most recently read', async () => {
    const dir = await archive({ 'articles/a.md': 'alpha\n', 'articles/b.md': 'bravo\n', 'articles/c.md': 'charlie\n' });
    const texts = new ArticleTexts(dir, { entries: 2 });
    texts.read('articles/a.md', 1);
    texts.read('articles/b.md', 1);
    texts.read('articles/a.md', 1); // a is now the most recent: b goes first
    texts.read('articles/c.md', 1);
    for (const file of ['a', 'b', 'c']) await writeFile(path.join(dir, `articles/${file}.md`), `changed ${file}\n`);
    expect(texts.read('articles/a.md', 1)).toContain('alpha');
    expect(texts.read('articles/c.md', 1)).toContain('charlie');
    expect(texts.read('articles/b.md', 1)).toContain('changed b');
  });

  it('do not keep a text too large to share the room', async () => {
    const dir = await archive({ 'articles/big.md': `${'word '.repeat(100)}\n` });
    const texts = new ArticleTexts(dir, { chars: 100 });
    expect(texts.read('articles/big.md', 1)).toContain('word');
    await writeFile(path.join(dir, 'articles/big.md'), 'small now\n');
    expect(texts.read('articles/big.md', 1)).toContain('small now');
  });
});
