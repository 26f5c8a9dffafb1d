import { describe, expect, it } from 'vitest';
import { exactMcNemar, formatP, pairedHits, standingOf } from '../../bench/eval/paired.ts';

describe('exact McNemar', () => {
  it('gives the two-sided binomial p of the discordant split', () => {
    // 2 · 0.5^10: ten discordant queries, all one way.
    expect(exactMcNemar(10, 0)).toBeCloseTo(0.001953125, 12);
    // 2 · (1 + 15 + 105 + 455) / 2^15
    expect(exactMcNemar(12, 3)).toBeCloseTo(0.03515625, 12);
    expect(exactMcNemar(6, 0)).toBeCloseTo(0.03125, 12);
    expect(exactMcNemar(5, 0)).toBeCloseTo(0.0625, 12);
    expect(exactMcNemar(40, 60)).toBeCloseTo(0.05688793364, 9);
    expect(exactMcNemar(600, 500)).toBeCloseTo(0.00281954499, 9);
  });

  it('is symmetric', () => {
    for (const [b, c] of [[10, 0], [12, 3], [40, 60], [1, 7]] as const) expect(exactMcNemar(b, c)).toBe(exactMcNemar(c, b));
  });

  it('is 1 when the split is even or nothing is discordant', () => {
    expect(exactMcNemar(0, 0)).toBe(1);
    expect(exactMcNemar(1, 0)).toBe(1);
    expect(exactMcNemar(7, 7)).toBe(1);
    expect(exactMcNemar(1200, 1200)).toBe(1);
  });

  it('stays exact past the point where 2^-n underflows', () => {
    expect(exactMcNemar(1100, 1000)).toBeCloseTo(0.0307207079, 9);
    expect(exactMcNemar(3000, 0)).toBe(0);
  });

  it('rejects counts that are not whole numbers ≥ 0', () => {
    expect(() => exactMcNemar(-1, 3)).toThrow('paired: discordant counts must be whole numbers ≥ 0, got -1 and 3');
    expect(() => exactMcNemar(1.5, 3)).toThrow(RangeError);
  });
});

describe('paired hits', () => {
  it('counts the queries only one system hits, at the cut-off', () => {
    // ranks 0-based, -1 not found; top 5 = rank < 5
    const tinker = [0, 4, 5, -1, 2, 0];
    const other = [-1, 7, 0, 3, 1, 0];
    expect(pairedHits(tinker, other, 5)).toEqual({ wins: 2, losses: 2, p: 1 });
    expect(pairedHits(tinker, other, 1)).toEqual({ wins: 1, losses: 1, p: 1 });
    expect(pairedHits(other, tinker, 5)).toEqual({ wins: 2, losses: 2, p: 1 });
  });

  it('refuses systems that answered different queries', () => {
    expect(() => pairedHits([0, 1], [0], 5)).toThrow('paired: the systems answered different query sets (2 and 1 ranks)');
  });

  it('calls a difference significant only below 0.05, in the direction of the wins', () => {
    expect(standingOf({ wins: 10, losses: 0, p: exactMcNemar(10, 0) })).toBe('above');
    expect(standingOf({ wins: 0, losses: 10, p: exactMcNemar(0, 10) })).toBe('below');
    expect(standingOf({ wins: 5, losses: 0, p: exactMcNemar(5, 0) })).toBe('noise');
    expect(standingOf({ wins: 40, losses: 60, p: exactMcNemar(40, 60) })).toBe('noise');
  });

  it('prints p so that a significant one never reads 0.05', () => {
    expect(formatP(0.0496)).toBe('p=0.049');
    expect(formatP(0.0504)).toBe('p=0.050');
    expect(formatP(0.0039)).toBe('p=0.003');
    expect(formatP(0.0004)).toBe('p<0.001');
    expect(formatP(0.39)).toBe('p=0.39');
    expect(formatP(1)).toBe('p=1.00');
  });
});
