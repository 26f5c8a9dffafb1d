import { describe, expect, it } from 'vitest';
import { editDistance } from '../../../src/core/text/edit-distance.ts';

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
