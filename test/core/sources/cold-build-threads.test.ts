import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleDoc } from '../../../src/core/kb/knowledge-base.ts';
import { SearchIndex } from '../../../src/core/search/search-index.ts';
import { streamArticles, type ArticleBatch, type BatchRequest } from '../../../src/core/sources/article-loader.ts';
import { parsingWorkerStarter } from '../../../src/parsing-worker.ts';
import { makeTempDir } from '../../helpers/context.ts';

const startWorker = parsingWorkerStarter()!;

/** Texts that test the tokenizer's edges: other scripts, diacritics, invisible characters, joined words, C++. */
const EDGES = [
  'Ça va? naïve café Straße İstanbul ǅ ﬁle',
  'ｆｕｌｌ　ｗｉｄｔｈ 日本語のテキスト 한국어 텍스트 Ελληνικά',
  'zero\u200bwidth \u202Eevil\u202C e\u0301te\u0301 x\u0300',
  'C++ g++ notepad++ a+b ++x node.js asp.net e-mail utf-8 1.2.3 www.example.com x86-64 v0.10 real-time',
  '😀 emoji © 25 °C soft\u00adhyphen snake_case `code` and the of a',
];

/** A DATA_DIR of every fixture archive (Hugo, Jekyll, Zola, MDX, an Obsidian vault) 24 times over, and edge texts. */
async function mixedArchive(): Promise<string> {
  const dir = await makeTempDir();
  const fixtures = path.resolve('test/fixtures/archives');
  for (let copy = 0; copy < 24; copy += 1) await cp(fixtures, path.join(dir, 'articles', `copy-${copy}`), { recursive: true });
  const edges = path.join(dir, 'articles', 'edges');
  await mkdir(edges, { recursive: true });
  for (let i = 0; i < 120; i += 1) {
    const text = EDGES[i % EDGES.length]!;
    await writeFile(path.join(edges, `edge-${i}.md`), `---\ntags: [${text.split(' ').slice(0, 3).join(', ')}]\naliases: [${JSON.stringify(text)}]\n---\n# ${text}\n\n${text} word${i}\n\n- ${text}\n`);
  }
  return dir;
}

async function build(dir: string, options: Parameters<typeof streamArticles>[1]): Promise<{ index: SearchIndex; threads: Set<ArticleBatch['thread']> }> {
  const index = new SearchIndex();
  const threads = new Set<ArticleBatch['thread']>();
  for await (const batch of streamArticles(dir, options)) {
    threads.add(batch.thread);
    index.addAll(batch.articles.map(articleDoc));
  }
  return { index, threads };
}

describe('a cold build parsed on a worker and on this thread', () => {
  it('gives the index that reading every file on this thread gives, byte for byte, and the same results', async () => {
    const dir = await mixedArchive();
    // A worker slow to receive its batches: this thread takes some of them meanwhile.
    const slow = (options: Parameters<typeof startWorker>[0]) => {
      const worker = startWorker(options);
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (request: BatchRequest) => void setTimeout(() => post(request), 40);
      return worker;
    };
    const both = await build(dir, { startWorker: slow, workers: 1, minFilesForWorkers: 0 });
    const here = await build(dir, { workers: 0 });
    expect(both.threads).toEqual(new Set(['worker', 'main']));
    expect(here.threads).toEqual(new Set(['main']));
    expect(both.index.size).toBe(here.index.size);
    expect(both.index.size).toBeGreaterThan(24 * 15);
    expect(Buffer.from(both.index.toBinary()).equals(Buffer.from(here.index.toBinary()))).toBe(true);
    const queries = ['capybara', 'rust release', 'zettelkasten', 'nodejs', 'e-mail', 'c++', 'cafe', 'istanbul', '日本語', 'evil', 'ete', 'softhyphen', 'word7', 'liqid filtrs', 'tapir', 'getting start'];
    for (const query of queries) expect(both.index.rank(query, 10), query).toEqual(here.index.rank(query, 10));
    for (const query of ['capybara', 'nodejs', 'cafe', '日本語', 'evil', 'liqid filtrs']) expect(here.index.rank(query, 10).total, query).toBeGreaterThan(0);
  });
});
