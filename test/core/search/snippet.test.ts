import { describe, expect, it } from 'vitest';
import { makeSnippet, spansToText } from '../../../src/core/search/snippet.ts';
import { foldCase } from '../../../src/core/text/words.ts';

/** Matched words as a ranking reports them: folded, as the index holds them. */
const terms = (...words: string[]) => new Set(words.map(foldCase));
const strong = (spans: ReturnType<typeof makeSnippet>) => spans.filter((span) => span.strong).map((span) => span.text);

describe('snippets', () => {
  it('marks the matched words in any case and with any accents, whole words only', () => {
    expect(strong(makeSnippet('Caching helps. We cache; the Cached copy wins (caches!) cachet', terms('cache', 'cached', 'caching')))).toEqual([
      'Caching',
      'cache',
      'Cached',
    ]);
    expect(strong(makeSnippet('À l’École — ecole, ÉCOLES… and “école”', terms('ecole')))).toEqual(['École', 'ecole', 'école']);
  });

  it('marks every form a ranking reports, as the index holds them', async () => {
    const { SearchIndex } = await import('../../../src/core/search/search-index.ts');
    const index = new SearchIndex();
    index.upsert({ id: 'a', kind: 'article', title: 'Caches', text: 'Caching helps. We cache; the Cached copy wins (caches!)', tags: [], source: { label: 'a' } });
    const match = index.rank('cache', 1).matches[0]!;
    expect(strong(index.hit(index.get('a')!, new Set(match.terms), match.score).snippet)).toEqual(['Caching', 'cache', 'Cached', 'caches']);
  });

  it('splits words at punctuation outside the BMP, as the tokenizer does', () => {
    expect(strong(makeSnippet('configuration\u{10100}rubies and more', terms('rubies')))).toEqual(['rubies']);
  });

  it('marks words glued to = and + as the index splits them, and C++ whole (acceptance 39)', async () => {
    expect(strong(makeSnippet('PRAGMA synchronous=FULL and --max-old-space-size=6144 x==iotanine', terms('full', '6144', 'iotanine')))).toEqual(['FULL', '6144', 'iotanine']);
    expect(strong(makeSnippet('C++, c+++ and c++d or c', terms('c')))).toEqual(['c', 'c', 'c']);
    expect(strong(makeSnippet('C++, c+++ and c++d or c', terms('c++')))).toEqual(['C++']);
    const { SearchIndex } = await import('../../../src/core/search/search-index.ts');
    const index = new SearchIndex();
    const text = 'Tokens: =alphaone ==betatwo ===gammathree ++etaseven foo=thetaeight x==iotanine; PRAGMA synchronous=FULL; --max-old-space-size=6144';
    index.upsert({ id: 'tok', kind: 'article', title: 'Tokens', text, tags: [], source: { label: 'tok' } });
    index.upsert({ id: 'cpp', kind: 'article', title: 'Languages', text: 'Templates in C++ and generics in Rust', tags: [], source: { label: 'cpp' } });
    for (const word of ['betatwo', 'gammathree', 'etaseven', 'thetaeight', 'iotanine', 'full', '6144']) {
      const match = index.rank(word, 5).matches[0];
      expect(match?.id, word).toBe('tok');
      expect(strong(index.hit(index.get('tok')!, new Set(match!.terms), match!.score).snippet).map(foldCase), word).toEqual([word]);
    }
    expect(index.rank('c++', 5).matches.map((match) => match.id)).toEqual(['cpp']);
  });

  it('finds words in text whose folding moves characters (Hangul, combining marks)', () => {
    expect(strong(makeSnippet('한국어 텍스트 and a cafe\u0301 on the cache', terms('cache', 'café')))).toEqual(['cafe\u0301', 'cache']);
  });

  it('picks the window with the most distinct matched words, cut at words', () => {
    const text = `${'filler '.repeat(60)}alpha ${'pad '.repeat(10)}alpha beta gamma ${'filler '.repeat(60)}`;
    const snippet = spansToText(makeSnippet(text, terms('alpha', 'beta', 'gamma'), 80));
    expect(snippet).toMatch(/^…/);
    expect(snippet).toContain('alpha beta gamma');
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.replace(/…/g, '').trim().split(' ').every((word) => ['filler', 'pad', 'alpha', 'beta', 'gamma'].includes(word))).toBe(true);
  });
});
