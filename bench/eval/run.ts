/**
 * Runs the systems over one archive: the known-item rows (model × words × typo)
 * and, for Cranfield, the ad hoc task.
 */
import type { Archive } from './archives.ts';
import { adHocFigures, knownItemFigures, rankOf, KNOWN_ITEM_DEPTH, type AdHocFigures, type KnownItemFigures } from './metrics.ts';
import { archiveWords, knownItemCell, type KnownItemQuery, type ModelName } from './query-models.ts';
import type { Ranker, System } from './types.ts';

/** Query lengths of the known-item rows. */
export const QUERY_WORDS = [2, 3] as const;

/** A query the first system (tinker) misses in its top 5 that a baseline finds there. */
export interface Loss {
  query: string;
  target: string;
  /** tinker's rank, 1-based; 0 when not in the top KNOWN_ITEM_DEPTH. */
  rank: number;
  baseline: string;
  baselineRank: number;
}

export interface KnownItemRow {
  model: ModelName;
  words: number;
  typo: boolean;
  /** Documents the model can make such a query for (the sample is drawn from them). */
  eligible: number;
  figures: Record<string, KnownItemFigures>;
  /** A few of the first system's losses, for the search engineer. */
  losses: Loss[];
}

export interface AdHocResult {
  strict: AdHocFigures;
  withMinusOne: AdHocFigures;
}

export interface ArchiveResult {
  name: string;
  docs: number;
  skipped: number;
  rows: KnownItemRow[];
  adHoc?: Record<string, AdHocResult>;
  seconds: number;
  /** Where the time went, per system: building its index, the known-item queries, the ad hoc ones. */
  systemSeconds: Record<string, { build: number; knownItem: number; adHoc: number }>;
}

export interface RunOptions {
  models: readonly ModelName[];
  /** Target documents per row (a seeded sample when the archive has more). */
  sample: number;
  /** Losses kept per row. */
  losses?: number;
}

const AD_HOC_DEPTH = 1000;
const MAX_LOSSES = 8;

/** Ranks of each query's target under one ranker. */
function ranksOf(ranker: Ranker, queries: readonly KnownItemQuery[]): number[] {
  return queries.map((query) => rankOf(ranker(query.text, KNOWN_ITEM_DEPTH), query.target));
}

export function evaluateArchive(archive: Archive, systems: readonly System[], options: RunOptions): ArchiveResult {
  const started = performance.now();
  const seconds: Record<string, { build: number; knownItem: number; adHoc: number }> = {};
  const timed = <T>(name: string, part: 'build' | 'knownItem' | 'adHoc', work: () => T): T => {
    const start = performance.now();
    try {
      return work();
    } finally {
      seconds[name]![part] += (performance.now() - start) / 1000;
    }
  };
  const rankers = systems.map((system) => {
    seconds[system.name] = { build: 0, knownItem: 0, adHoc: 0 };
    return { name: system.name, ranker: timed(system.name, 'build', () => system.build(archive.docs)) };
  });
  const words = archiveWords(archive.docs);
  const rows: KnownItemRow[] = [];
  for (const model of options.models) {
    for (const count of QUERY_WORDS) {
      const cell = knownItemCell(words, model, count, { sample: options.sample, seed: archive.name });
      for (const [typo, queries] of [[false, cell.clean], [true, cell.typo]] as const) {
        const ranks = rankers.map(({ name, ranker }) => timed(name, 'knownItem', () => ranksOf(ranker, queries)));
        const figures: Record<string, KnownItemFigures> = {};
        rankers.forEach(({ name }, i) => (figures[name] = knownItemFigures(ranks[i]!)));
        rows.push({ model, words: count, typo, eligible: cell.eligible, figures, losses: lossesOf(queries, ranks, rankers.map((r) => r.name), options.losses ?? MAX_LOSSES) });
      }
    }
  }
  let adHoc: Record<string, AdHocResult> | undefined;
  if (archive.adHoc) {
    const task = archive.adHoc;
    adHoc = {};
    for (const { name, ranker } of rankers) {
      const rankings = timed(name, 'adHoc', () => task.queries.map((query) => ranker(query, AD_HOC_DEPTH)));
      adHoc[name] = {
        strict: adHocFigures(rankings.map((ranking, i) => ({ ranking, gains: task.gains[i]! }))),
        withMinusOne: adHocFigures(rankings.map((ranking, i) => ({ ranking, gains: task.gainsWithMinusOne[i]! }))),
      };
    }
  }
  return {
    name: archive.name,
    docs: archive.docs.length,
    skipped: archive.skipped.length,
    rows,
    ...(adHoc ? { adHoc } : {}),
    seconds: (performance.now() - started) / 1000,
    systemSeconds: seconds,
  };
}

/** Queries the first system misses in its top 5 that another finds there (best of them named). */
function lossesOf(queries: readonly KnownItemQuery[], ranks: readonly number[][], names: readonly string[], keep: number): Loss[] {
  const losses: Loss[] = [];
  queries.forEach((query, q) => {
    if (losses.length >= keep) return;
    const own = ranks[0]![q]!;
    if (own >= 0 && own < 5) return;
    let best = -1;
    for (let s = 1; s < ranks.length; s += 1) {
      const rank = ranks[s]![q]!;
      if (rank >= 0 && rank < 5 && (best < 0 || rank < ranks[best]![q]!)) best = s;
    }
    if (best < 0) return;
    losses.push({ query: query.text, target: query.target, rank: own + 1, baseline: names[best]!, baselineRank: ranks[best]![q]! + 1 });
  });
  return losses;
}
