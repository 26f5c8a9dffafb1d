import { describe, expect, it } from 'vitest';
import { checkTargets, targetRows, type TargetFigures } from '../../bench/targets.ts';
import { table } from '../../bench/stats.ts';

function size(size: number, overrides: Partial<TargetFigures> = {}): TargetFigures {
  return {
    size,
    coldReadyMs: 1000,
    snapshotReadyMs: 500,
    snapshotBytes: 10 * 2 ** 20,
    heapPerDoc: 1024,
    find: { p99: 1 },
    naive: { p99: 5 },
    rg: { p99: 50 },
    note: { findable: { p99: 2 } },
    ...overrides,
  };
}

const byTarget = (lines: ReturnType<typeof checkTargets>) => Object.fromEntries(lines.map((line) => [line.target, line]));

describe('bench targets', () => {
  it('are all met by a run within every limit', () => {
    const lines = checkTargets([size(2000), size(10000), size(100000, { coldReadyMs: 14_000 })]);
    expect(lines.map((line) => line.met)).toEqual(lines.map(() => true));
  });

  it('say which target a run misses, with its figure', () => {
    const lines = byTarget(
      checkTargets([size(2000, { find: { p99: 2 }, rg: { p99: 40 } }), size(10000, { coldReadyMs: 2500 }), size(100000, { snapshotReadyMs: 966, snapshotBytes: 41 * 2 ** 20 })]),
    );
    expect(lines['cold start → ready ≤ 2 s at 10k']).toMatchObject({ met: false, result: '2.50 s' });
    expect(lines['cold start → ready ≤ 15 s at 100k']!.met).toBe(true);
    expect(lines['snapshot start → ready ≤ 0.8 s at 100k']).toMatchObject({ met: false, result: '0.966 s' });
    expect(lines['snapshot size ≤ 40 MB at 100k']!.met).toBe(false);
    // 40 / 2 = 20× at 2k: one size below 25× misses the target for every size.
    expect(lines['/find p99 ≥ 25× faster than rg -il p99 at every size']).toMatchObject({ met: false });
    expect(lines['/find p99 ≥ 25× faster than rg -il p99 at every size']!.result).toContain('2,000: 20.0×');
    // Equal to the naive scan is not below it.
    const tie = byTarget(checkTargets([size(2000, { find: { p99: 5 } })]));
    expect(tie['/find p99 below the naive scan p99 at every size']!.met).toBe(false);
  });

  it('say "not measured" for sizes the run left out, and without rg', () => {
    const lines = byTarget(checkTargets([size(2000, { rg: undefined })]));
    expect(lines['cold start → ready ≤ 15 s at 100k']).toMatchObject({ met: undefined, result: 'not measured (npm run bench -- --sizes=100000)' });
    expect(lines['/find p99 ≥ 25× faster than rg -il p99 at every size']).toMatchObject({ met: undefined, result: '2,000: rg not installed' });
    expect(targetRows(checkTargets([size(2000, { rg: undefined })]))[0]![2]).toBe('not measured');
  });

  it('print as a markdown table', () => {
    expect(table(['', 'a|b'], [['x', '1']])).toBe('|  | a\\|b |\n| --- | ---: |\n| x | 1 |');
  });
});
