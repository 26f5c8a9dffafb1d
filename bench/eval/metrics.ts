/**
 * Relevance metrics: known-item (hit@k, reciprocal rank) and ad hoc with graded
 * judgments (nDCG@10, average precision). Rankings are document ids, best first.
 */

/** How deep a known-item ranking is read: a target below this counts as not found (reciprocal rank 0). */
export const KNOWN_ITEM_DEPTH = 100;

/** Where the target sits in a ranking (0 = first), or -1 when it is not within `depth`. */
export function rankOf(ranking: readonly string[], target: string, depth = KNOWN_ITEM_DEPTH): number {
  const at = ranking.indexOf(target);
  return at >= 0 && at < depth ? at : -1;
}

export interface KnownItemFigures {
  /** Queries measured. */
  n: number;
  hit1: number;
  hit5: number;
  /** Mean reciprocal rank (0 for a target not in the top KNOWN_ITEM_DEPTH). */
  mrr: number;
}

/** Figures from the target's rank for each query (-1: not found). */
export function knownItemFigures(ranks: readonly number[]): KnownItemFigures {
  const n = ranks.length;
  if (n === 0) return { n, hit1: Number.NaN, hit5: Number.NaN, mrr: Number.NaN };
  let hit1 = 0;
  let hit5 = 0;
  let rr = 0;
  for (const rank of ranks) {
    if (rank < 0) continue;
    if (rank < 1) hit1 += 1;
    if (rank < 5) hit5 += 1;
    rr += 1 / (rank + 1);
  }
  return { n, hit1: hit1 / n, hit5: hit5 / n, mrr: rr / n };
}

/**
 * Cranfield's graded gain: code 1 (complete answer) → 4 … code 4 (minimum
 * interest) → 1. Code -1 behaves like the query's source document: gain 4 when
 * counted, else 0 (ir_datasets labels it "no interest").
 */
export function cranfieldGain(code: number | undefined, countMinusOne: boolean): number {
  if (code === undefined) return 0;
  if (code === -1) return countMinusOne ? 4 : 0;
  return code >= 1 && code <= 4 ? 5 - code : 0;
}

/** nDCG@k with gains (id → gain > 0), log2 discount; 0 when nothing is relevant. */
export function ndcgAt(ranking: readonly string[], gains: ReadonlyMap<string, number>, k: number): number {
  const dcg = ranking.slice(0, k).reduce((sum, id, rank) => sum + (gains.get(id) ?? 0) / Math.log2(rank + 2), 0);
  const ideal = [...gains.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, rank) => sum + g / Math.log2(rank + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

/** Average precision over the whole ranking; relevant = gain > 0; relevant documents not retrieved count as misses. */
export function averagePrecision(ranking: readonly string[], gains: ReadonlyMap<string, number>): number {
  const relevant = [...gains.values()].filter((g) => g > 0).length;
  if (relevant === 0) return 0;
  let found = 0;
  let sum = 0;
  ranking.forEach((id, rank) => {
    if ((gains.get(id) ?? 0) <= 0) return;
    found += 1;
    sum += found / (rank + 1);
  });
  return sum / relevant;
}

/** 1 / rank of the first relevant document (gain > 0), 0 when none is retrieved. */
export function reciprocalRank(ranking: readonly string[], gains: ReadonlyMap<string, number>): number {
  const at = ranking.findIndex((id) => (gains.get(id) ?? 0) > 0);
  return at < 0 ? 0 : 1 / (at + 1);
}

export interface AdHocFigures {
  /** Queries with at least one relevant document. */
  n: number;
  map: number;
  ndcg10: number;
  mrr: number;
}

/** Means over the queries that have a relevant document (the others cannot be scored). */
export function adHocFigures(runs: ReadonlyArray<{ ranking: readonly string[]; gains: ReadonlyMap<string, number> }>): AdHocFigures {
  const judged = runs.filter((run) => [...run.gains.values()].some((g) => g > 0));
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
  return {
    n: judged.length,
    map: mean(judged.map((run) => averagePrecision(run.ranking, run.gains))),
    ndcg10: mean(judged.map((run) => ndcgAt(run.ranking, run.gains, 10))),
    mrr: mean(judged.map((run) => reciprocalRank(run.ranking, run.gains))),
  };
}
