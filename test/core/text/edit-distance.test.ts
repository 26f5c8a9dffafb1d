import { describe, expect, it } from 'vitest';
import { MATCH_TYPO_LENGTHS, SUGGEST_TYPO_LENGTHS, editDistance, typoBudget, type TypoLengths } from '../../../src/core/text/edit-distance.ts';
import { SEARCH_POLICY, SearchIndex, closestName, matchTopic, type IndexedDoc } from '../../../src/core/index.ts';

describe('edit distance', () => {
  it('counts a dropped, added or changed letter and a swap of neighbours as one edit each', () => {
    expect(editDistance('parser', 'parser', 2)).toBe(0);
    expect(editDistance('parser', 'parer', 2)).toBe(1);
    expect(editDistance('parser', 'parsesr', 2)).toBe(1);
    expect(editDistance('parser', 'parsar', 2)).toBe(1);
    expect(editDistance('parser', 'paresr', 2)).toBe(1);
    expect(editDistance('kubernetes', 'kubernxtxs', 2)).toBe(2);
    // Past the limit it stops counting: limit + 1.
    expect(editDistance('markdown', 'mrkdwnx', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });
});

describe('edit distance, one for the whole bot', () => {
  it('counts a swap of two letters as one edit, where Levenshtein counts two', () => {
    // /topics done and "Tags like it" counted these as Levenshtein did (2 and 3), /find and command names as 1 and 2.
    expect(editDistance('rsut', 'rust', 1)).toBe(1);
    expect(editDistance('tpyescrpt', 'typescript', 2)).toBe(2);
  });
  it('has no limit unless given one, and grows past 63 letters', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    const long = 'a'.repeat(100);
    expect(editDistance(long, `${long}bc`)).toBe(2);
    expect(editDistance(long, 'b'.repeat(100), 64)).toBe(65);
  });
});

describe('one typo budget (review 2)', () => {
  it('allows none under 3 letters, one from 3, two from 6 to match; one more from 4 letters to suggest', () => {
    const budget = (lengths?: TypoLengths) => ['ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg'].map((word) => typoBudget(word, lengths));
    expect(budget()).toEqual([0, 1, 1, 1, 2, 2]);
    expect(budget(MATCH_TYPO_LENGTHS)).toEqual([0, 1, 1, 1, 2, 2]);
    expect(budget(SUGGEST_TYPO_LENGTHS)).toEqual([0, 1, 2, 2, 2, 3]);
    expect(SEARCH_POLICY.typoLengths).toBe(MATCH_TYPO_LENGTHS);
  });

  it('is the rule of search, completions, topics, "did you mean", similar command names alike', () => {
    const doc = (id: string, text: string): IndexedDoc => ({ id: `article:${id}`, kind: 'article', title: id, text, tags: [], source: { label: id, path: id } });
    const index = new SearchIndex();
    index.addAll([doc('git.md', 'git workflows'), doc('rust.md', 'rust lifetimes'), doc('mark.md', 'markdown tables')]);
    // Three letters: one edit, in search, in completions (no word starts with "gti") and in topics.
    expect(index.rank('gti', 5).matches.map((m) => m.id)).toEqual(['article:git.md']);
    expect(index.complete('gti', 5)).toEqual(['git']);
    expect(matchTopic('gti', ['git workflows', 'rust lifetimes'])).toEqual({ kind: 'one', index: 0 });
    // Two letters: none anywhere.
    expect(index.rank('gt', 5).matches).toEqual([]);
    expect(matchTopic('gt', ['git workflows']).kind).toBe('none');
    expect(closestName('fi', ['find', 'note'])).toBeUndefined();
    // Suggesting reaches one edit further: two edits at 4 letters, three at 7.
    expect(index.rank('ruzz', 5).matches).toEqual([]);
    expect(index.didYouMean('ruzz')).toEqual(['rust']);
    expect(index.didYouMean('mrkdwnx')).toEqual(['markdown']);
    expect(closestName('nte', ['note', 'find'])).toBe('note');
    expect(closestName('fnid', ['find', 'note'])).toBe('find');
  });
});
