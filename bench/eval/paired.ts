/**
 * Paired tests between two systems on the same known-item queries: is a
 * difference in hit@k beyond what chance gives on this many queries? Exact
 * McNemar: only the discordant queries (one system hits, the other misses)
 * tell the systems apart, and if neither is better each goes either way with
 * probability 1/2, so their split is a binomial sign test.
 */

/** A difference counts as beyond noise when its two-sided p is below this (per test, not corrected for the number of rows). */
export const ALPHA = 0.05;

/**
 * Two-sided exact McNemar p for `b` discordant queries won by one system and
 * `c` by the other: 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, 1/2), at most
 * 1 (b = c gives 1, no discordant query too).
 */
export function exactMcNemar(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new RangeError(`paired: discordant counts must be whole numbers ≥ 0, got ${b} and ${c}`);
  const n = b + c;
  const m = Math.min(b, c);
  // P(X = k) in log space: 2^-n underflows past n = 1074.
  let logP = -n * Math.LN2;
  let tail = 0;
  for (let k = 0; k <= m; k += 1) {
    tail += Math.exp(logP);
    logP += Math.log(n - k) - Math.log(k + 1);
  }
  return Math.min(1, 2 * tail);
}

/** One system against another on the same queries, at one cut-off. */
export interface PairedHits {
  /** Queries the first system hits (target in its top k) and the other misses. */
  wins: number;
  /** Queries the other system hits and the first misses. */
  losses: number;
  /** Two-sided exact McNemar p of that split. */
  p: number;
}

const hit = (rank: number, k: number) => rank >= 0 && rank < k;

/** Pairs two systems' ranks of the target (0-based, -1 not found), query by query. */
export function pairedHits(subject: readonly number[], other: readonly number[], k: number): PairedHits {
  if (subject.length !== other.length) throw new RangeError(`paired: the systems answered different query sets (${subject.length} and ${other.length} ranks)`);
  let wins = 0;
  let losses = 0;
  subject.forEach((rank, q) => {
    const mine = hit(rank, k);
    if (mine !== hit(other[q]!, k)) mine ? (wins += 1) : (losses += 1);
  });
  return { wins, losses, p: exactMcNemar(wins, losses) };
}

/** `above`/`below`: significantly (p < ALPHA) more/fewer hits; `noise`: no difference beyond chance. */
export type Standing = 'above' | 'below' | 'noise';

export function standingOf(pair: PairedHits): Standing {
  if (pair.p >= ALPHA) return 'noise';
  return pair.wins > pair.losses ? 'above' : 'below';
}

/**
 * A p for a table: 2 decimals, 3 below 0.1 (cut, not rounded, so a p below
 * ALPHA never prints as 0.050), "<0.001" below that.
 */
export function formatP(p: number): string {
  if (p < 0.001) return 'p<0.001';
  if (p < 0.1) return `p=${(Math.floor(p * 1000) / 1000).toFixed(3)}`;
  return `p=${p.toFixed(2)}`;
}
