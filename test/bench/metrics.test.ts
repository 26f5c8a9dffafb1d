import { describe, expect, it } from 'vitest';
import { adHocFigures, averagePrecision, cranfieldGain, knownItemFigures, ndcgAt, rankOf, reciprocalRank } from '../../bench/eval/metrics.ts';

describe('known-item metrics', () => {
  it('finds the target in a ranking, within the depth read', () => {
    expect(rankOf(['a', 'b', 'c'], 'c')).toBe(2);
    expect(rankOf(['a', 'b', 'c'], 'z')).toBe(-1);
    expect(rankOf(['a', 'b', 'c'], 'c', 2)).toBe(-1);
  });

  it('computes hit@1, hit@5 and MRR from ranks', () => {
    // ranks 0, 1, 4, 5, not found: hit@1 1/5, hit@5 3/5, MRR (1 + 1/2 + 1/5 + 1/6 + 0) / 5
    const figures = knownItemFigures([0, 1, 4, 5, -1]);
    expect(figures.n).toBe(5);
    expect(figures.hit1).toBeCloseTo(0.2, 12);
    expect(figures.hit5).toBeCloseTo(0.6, 12);
    expect(figures.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 5 + 1 / 6) / 5, 12);
  });

  it('has no figures without queries', () => {
    expect(knownItemFigures([]).hit5).toBeNaN();
  });
});

describe('ad hoc metrics', () => {
  const gains = new Map([
    ['d1', 3],
    ['d2', 1],
    ['d3', 2],
  ]);

  it('nDCG@k: DCG of the ranking over DCG of the ideal one', () => {
    // ranking d2, x, d1: DCG = 1/log2(2) + 0 + 3/log2(4) = 1 + 1.5; ideal 3, 2, 1: 3 + 2/log2(3) + 1/2
    const expected = 2.5 / (3 + 2 / Math.log2(3) + 0.5);
    expect(ndcgAt(['d2', 'x', 'd1'], gains, 10)).toBeCloseTo(expected, 12);
    expect(ndcgAt(['d1', 'd3', 'd2'], gains, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt(['x', 'y'], gains, 10)).toBe(0);
    // Only the first k count.
    expect(ndcgAt(['x', 'd1'], gains, 1)).toBe(0);
  });

  it('average precision counts unretrieved relevant documents as misses', () => {
    // relevant at ranks 1 and 3 of 3 relevant: (1/1 + 2/3) / 3
    expect(averagePrecision(['d1', 'x', 'd3'], gains)).toBeCloseTo((1 + 2 / 3) / 3, 12);
  });

  it('reciprocal rank of the first relevant document', () => {
    expect(reciprocalRank(['x', 'y', 'd3'], gains)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank(['x'], gains)).toBe(0);
  });

  it('averages over judged queries only', () => {
    const figures = adHocFigures([
      { ranking: ['d1'], gains },
      { ranking: ['d1'], gains: new Map() },
    ]);
    expect(figures.n).toBe(1);
    expect(figures.mrr).toBe(1);
  });

  it("grades Cranfield's codes: 1 → 4 … 4 → 1, -1 only when counted", () => {
    expect([1, 2, 3, 4].map((code) => cranfieldGain(code, false))).toEqual([4, 3, 2, 1]);
    expect(cranfieldGain(-1, false)).toBe(0);
    expect(cranfieldGain(-1, true)).toBe(4);
    expect(cranfieldGain(undefined, true)).toBe(0);
    expect(cranfieldGain(5, true)).toBe(0);
  });
});
