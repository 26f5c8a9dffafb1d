import { describe, expect, it } from 'vitest';
import {
  DISCRIMINATIVE_DF,
  MIDDLING_DF,
  MODELS,
  RAREST_POOL,
  archiveWords,
  candidates,
  drawWeighted,
  knownItemCell,
  surfaceWords,
  type QueryDoc,
} from '../../bench/eval/query-models.ts';
import { seededRandom } from '../../bench/queries.ts';

describe('surfaceWords', () => {
  it('keeps words as written, lower-cased: never stems, drops stop words, digits and short tokens', () => {
    expect(surfaceWords('Running the Successfully-merged libgit2 PRs in C, by 2024: Über')).toEqual(['running', 'successfully', 'merged', 'prs', 'über']);
  });
});

/**
 * A made-up archive: "shared" is in 5 documents (middling), "pair" in 2 (discriminative, not middling),
 * "everywhere" in all 45 (neither), "unique" words in one each, and "title" words in titles only.
 */
function archive(): QueryDoc[] {
  const docs: QueryDoc[] = [];
  for (let i = 0; i < 45; i += 1) {
    const words = ['everywhere', `unique${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}word`];
    if (i < 5) words.push('shared', 'shared', 'middle');
    if (i < 2) words.push('pair');
    // The title's words also occur in the body: the body models must still leave them out.
    docs.push({ id: `d${i}`, title: `Heading topic${i === 0 ? ' shared' : ''}`, text: `${words.join(' ')} heading topic` });
  }
  return docs;
}

describe('query models', () => {
  const words = archiveWords(archive());
  const doc0 = words.docs[0]!;
  const df = (word: string) => words.df.get(word)!;

  it('counts the documents each surface word is in (title or body)', () => {
    expect(df('shared')).toBe(5);
    expect(df('pair')).toBe(2);
    expect(df('everywhere')).toBe(45);
    expect(df('heading')).toBe(45);
  });

  it('middling: body words not in the title, in 4-40 documents', () => {
    const pool = candidates('middling', doc0, words).map((c) => c.word);
    // "shared" is in doc 0's title: left out. "middle" is in 5 documents.
    expect(pool).toEqual(['middle']);
    for (const doc of words.docs) {
      for (const { word } of candidates('middling', doc, words)) {
        expect(df(word)).toBeGreaterThanOrEqual(MIDDLING_DF.min);
        expect(df(word)).toBeLessThanOrEqual(MIDDLING_DF.max);
      }
    }
  });

  it('discriminative: body words in 2-40 documents, weighed by tf × idf', () => {
    const pool = candidates('discriminative', words.docs[1]!, words);
    expect(pool.map((c) => c.word)).toEqual(['middle', 'pair', 'shared']);
    const weight = Object.fromEntries(pool.map((c) => [c.word, c.weight]));
    expect(weight.shared).toBeCloseTo(2 * Math.log(45 / 5), 12);
    expect(weight.pair).toBeCloseTo(1 * Math.log(45 / 2), 12);
    for (const { word } of pool) expect(df(word)).toBeGreaterThanOrEqual(DISCRIMINATIVE_DF.min);
  });

  it('rarest: the 8 body words in fewest documents', () => {
    const pool = candidates('rarest', words.docs[1]!, words).map((c) => c.word);
    expect(pool).toEqual(['uniquebaword', 'pair', 'middle', 'shared', 'everywhere']);
    expect(pool.length).toBeLessThanOrEqual(RAREST_POOL);
  });

  it('title: only the words of the title', () => {
    expect(candidates('title', doc0, words).map((c) => c.word)).toEqual(['heading', 'topic', 'shared']);
  });

  it('no model but the title model ever picks a word of the title', () => {
    for (const model of MODELS.filter((m) => m !== 'title')) {
      for (const doc of words.docs) {
        for (const { word } of candidates(model, doc, words)) expect(doc.titleSet.has(word), `${model} ${doc.id} ${word}`).toBe(false);
      }
      const cell = knownItemCell(words, model, 2, { sample: 50, seed: 'test' });
      for (const query of cell.clean) {
        const title = words.docs.find((d) => d.id === query.target)!.titleSet;
        for (const word of query.text.split(' ')) expect(title.has(word)).toBe(false);
      }
    }
  });

  it('draws in proportion to the weights, without replacement', () => {
    const random = seededRandom(11);
    const counts = { heavy: 0, light: 0 };
    for (let i = 0; i < 2000; i += 1) {
      const [word] = drawWeighted(random, [{ word: 'heavy', weight: 9 }, { word: 'light', weight: 1 }], 1)!;
      counts[word as 'heavy' | 'light'] += 1;
    }
    expect(counts.heavy / 2000).toBeGreaterThan(0.85);
    expect(counts.heavy / 2000).toBeLessThan(0.95);
    expect(drawWeighted(random, [{ word: 'a', weight: 1 }, { word: 'b', weight: 1 }], 2)!.sort()).toEqual(['a', 'b']);
    expect(drawWeighted(random, [{ word: 'a', weight: 1 }], 2)).toBeUndefined();
  });
});

describe('knownItemCell', () => {
  const words = archiveWords(archive());

  it('samples at most n of the eligible documents, the same ones for the same seed', () => {
    const cell = knownItemCell(words, 'discriminative', 2, { sample: 10, seed: 'til' });
    // Documents 0-4 hold two words in 2-40 documents ("middle" and "shared", or for doc 0, whose title
    // holds "shared", "middle" and "pair"); the others only words in 1 or 45 documents.
    expect(cell.eligible).toBe(5);
    expect(cell.clean.map((q) => q.target).sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(knownItemCell(words, 'discriminative', 2, { sample: 10, seed: 'til' })).toEqual(cell);
    expect(knownItemCell(words, 'rarest', 2, { sample: 10, seed: 'til' }).clean).toHaveLength(10);
  });

  it('gives every query the asked number of different words from the target', () => {
    const cell = knownItemCell(words, 'rarest', 3, { sample: 20, seed: 's' });
    for (const query of cell.clean) {
      const parts = query.text.split(' ');
      expect(new Set(parts).size).toBe(3);
      const doc = words.docs.find((d) => d.id === query.target)!;
      for (const part of parts) expect(doc.body.has(part)).toBe(true);
    }
  });

  it('mistypes exactly one word of 4+ letters in each typo query, the rest as in the clean query', () => {
    const cell = knownItemCell(words, 'rarest', 2, { sample: 30, seed: 't' });
    expect(cell.typo).toHaveLength(cell.clean.length);
    cell.typo.forEach((query, i) => {
      const clean = cell.clean[i]!.text.split(' ');
      const typed = query.text.split(' ');
      expect(query.target).toBe(cell.clean[i]!.target);
      const changed = typed.filter((word, j) => word !== clean[j]);
      expect(changed).toEqual([query.typo!.typed]);
      expect(clean).toContain(query.typo!.word);
      expect(query.typo!.word.length).toBeGreaterThanOrEqual(4);
    });
  });

  it('leaves out of the typo row a query without a word of 4+ letters', () => {
    const short = archiveWords([
      { id: 'a', title: 'Sun', text: 'fox cat owl' },
      { id: 'b', title: 'Sun', text: 'elk yak emu' },
    ]);
    const cell = knownItemCell(short, 'rarest', 2, { sample: 10, seed: 'x' });
    expect(cell.clean).toHaveLength(2);
    expect(cell.typo).toHaveLength(0);
  });
});
