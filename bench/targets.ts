/**
 * Issue #13's and #15's speed targets, checked against one `npm run bench`
 * run: one line each, met or missed with the figure, so the run says itself
 * whether it meets them. A target at a size that was not run says so.
 */
import { fmt } from './stats.ts';

/** What a target needs of one size's results (bench/run.ts `SizeResult`). */
export interface TargetFigures {
  size: number;
  coldReadyMs: number;
  snapshotReadyMs?: number;
  snapshotBytes?: number;
  heapPerDoc: number;
  find: { p99: number };
  naive: { p99: number };
  rg?: { p99: number };
  note: { findable: { p99: number } };
}

export interface TargetLine {
  target: string;
  /** Undefined: not measured in this run. */
  met: boolean | undefined;
  result: string;
}

const MB = 2 ** 20;

/** Each target, met or not, with what the run measured. */
export function checkTargets(results: readonly TargetFigures[]): TargetLine[] {
  const at = (size: number) => results.find((r) => r.size === size);
  const atSize = (size: number, target: string, value: (r: TargetFigures) => number | undefined, limit: number, unit: (v: number) => string): TargetLine => {
    const r = at(size);
    const v = r ? value(r) : undefined;
    if (v === undefined) return { target, met: undefined, result: `not measured (npm run bench -- --sizes=${size})` };
    return { target, met: v <= limit, result: unit(v) };
  };
  const everySize = (target: string, check: (r: TargetFigures) => { met: boolean | undefined; text: string }): TargetLine => {
    if (results.length === 0) return { target, met: undefined, result: 'no size run' };
    const checks = results.map((r) => ({ size: r.size, ...check(r) }));
    const measured = checks.filter((c) => c.met !== undefined);
    return {
      target,
      met: measured.length === 0 ? undefined : measured.every((c) => c.met),
      result: checks.map((c) => `${c.size.toLocaleString('en')}: ${c.text}`).join(', '),
    };
  };
  const seconds = (ms: number) => `${fmt(ms / 1000)} s`;
  const millis = (ms: number) => `${fmt(ms)} ms`;
  return [
    atSize(100000, 'cold start → ready ≤ 15 s at 100k', (r) => r.coldReadyMs, 15_000, seconds),
    atSize(10000, 'cold start → ready ≤ 2 s at 10k', (r) => r.coldReadyMs, 2_000, seconds),
    atSize(100000, 'snapshot start → ready ≤ 0.8 s at 100k', (r) => r.snapshotReadyMs, 800, seconds),
    atSize(100000, 'snapshot size ≤ 40 MB at 100k', (r) => r.snapshotBytes, 40 * MB, (b) => `${fmt(b / MB)} MB`),
    atSize(100000, 'heap ≤ 3 KB per document at 100k', (r) => r.heapPerDoc, 3 * 1024, (b) => `${fmt(b / 1024)} KB`),
    atSize(10000, '/find p99 ≤ 10 ms at 10k', (r) => r.find.p99, 10, millis),
    atSize(100000, '/find p99 ≤ 50 ms at 100k', (r) => r.find.p99, 50, millis),
    everySize('/find p99 below the naive scan p99 at every size', (r) => ({
      met: r.find.p99 < r.naive.p99,
      text: `${millis(r.find.p99)} vs ${millis(r.naive.p99)}`,
    })),
    everySize('/find p99 ≥ 25× faster than rg -il p99 at every size', (r) =>
      r.rg ? { met: r.rg.p99 / r.find.p99 >= 25, text: `${fmt(r.rg.p99 / r.find.p99)}×` } : { met: undefined, text: 'rg not installed' },
    ),
    everySize('/note stored and findable p99 ≤ 20 ms', (r) => ({ met: r.note.findable.p99 <= 20, text: millis(r.note.findable.p99) })),
  ];
}

/** The targets as table rows: target, result, met / MISSED / not measured. */
export function targetRows(lines: readonly TargetLine[]): string[][] {
  return lines.map((line) => [line.target, line.result, line.met === undefined ? 'not measured' : line.met ? 'met' : 'MISSED']);
}
