/**
 * Runs the systems over one archive: the known-item rows (model × words × typo)
 * and, for Cranfield, the ad hoc task.
 */
import type { Archive } from './archives.ts';
import { adHocFigures, knownItemFigures, rankOf, KNOWN_ITEM_DEPTH, type AdHocFigures, type KnownItemFigures } from './metrics.ts';
import { archiveWords, knownItemCell, type KnownItemQuery, type ModelName } from './query-models.ts';
import type { RankCache } from './rank-cache.ts';
import { TYPO_KINDS, type TypoStyle } from './typos.ts';
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
  /**
   * Per system, the target's rank for each query of the row (0-based, -1 not
   * within KNOWN_ITEM_DEPTH), in the same query order for every system: the
   * paired tests (paired.ts) compare systems query by query.
   */
  ranks: Record<string, number[]>;
  /** Typo rows: the figures by kind of edit (drop, insert, substitute, swap), per system. */
  byTypoKind?: Record<string, Record<string, KnownItemFigures>>;
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
  /** Whether the documents came from the parse cache. */
  cached: boolean;
  rows: KnownItemRow[];
  adHoc?: Record<string, AdHocResult>;
  seconds: number;
  /** Where the time went, per system: building its index, the known-item queries, the ad hoc ones. */
  systemSeconds: Record<string, { build: number; knownItem: number; adHoc: number }>;
  /** Baseline answers reused from earlier runs, and computed in this one. */
  baselineAnswers?: { reused: number; computed: number };
}

export interface RunOptions {
  models: readonly ModelName[];
  /** Target documents per row (a seeded sample when the archive has more). */
  sample: number;
  /** Losses kept per row. */
  losses?: number;
  /** The systems a loss is counted against (default: all but the first). */
  baselines?: readonly string[];
  /** Earlier runs' baseline answers over the same documents; none: every system runs every query. */
  cache?: RankCache;
  /** How the typo rows are mistyped (default `keyboard`). */
  typos?: TypoStyle;
}

const AD_HOC_DEPTH = 1000;
const MAX_LOSSES = 8;

/** One system as the run uses it: the target's rank for a known-item query, and a ranking for an ad hoc one. */
interface Runner {
  name: string;
  rank(query: KnownItemQuery): number;
  ranking(query: string, limit: number): string[];
}

type Timings = ArchiveResult['systemSeconds'];

/**
 * A system's runner: its index is built on first use, and a stable system
 * (a baseline) answers from the cache when an earlier run over the same
 * documents asked the same query.
 */
function runnerOf(system: System, docs: Archive['docs'], seconds: Timings, cache: RankCache | undefined): Runner {
  const spent = (seconds[system.name] = { build: 0, knownItem: 0, adHoc: 0 });
  const timed = <T>(part: keyof typeof spent, work: () => T): T => {
    const start = performance.now();
    try {
      return work();
    } finally {
      spent[part] += (performance.now() - start) / 1000;
    }
  };
  let ranker: Ranker | undefined;
  const built = () => (ranker ??= timed('build', () => system.build(docs)));
  const memo = <T>(key: string, compute: () => T): T => (cache && system.stable ? cache.memo(system.name, key, compute) : compute());
  return {
    name: system.name,
    rank: (query) =>
      memo(`k\u0000${query.text}\u0000${query.target}`, () => {
        const rank = built();
        return timed('knownItem', () => rankOf(rank(query.text, KNOWN_ITEM_DEPTH), query.target));
      }),
    ranking: (query, limit) =>
      memo(`a\u0000${limit}\u0000${query}`, () => {
        const rank = built();
        return timed('adHoc', () => rank(query, limit));
      }),
  };
}

export function evaluateArchive(archive: Archive, systems: readonly System[], options: RunOptions): ArchiveResult {
  const started = performance.now();
  const systemSeconds: Timings = {};
  const runners = systems.map((system) => runnerOf(system, archive.docs, systemSeconds, options.cache));
  const words = archiveWords(archive.docs);
  const rows: KnownItemRow[] = [];
  for (const model of options.models) {
    for (const count of QUERY_WORDS) {
      const cell = knownItemCell(words, model, count, { sample: options.sample, seed: archive.name, ...(options.typos ? { typos: options.typos } : {}) });
      for (const [typo, queries] of [[false, cell.clean], [true, cell.typo]] as const) {
        const ranks = runners.map((runner) => queries.map((query) => runner.rank(query)));
        const figures: Record<string, KnownItemFigures> = {};
        runners.forEach(({ name }, i) => (figures[name] = knownItemFigures(ranks[i]!)));
        const names = runners.map((runner) => runner.name);
        const against = names.map((name, i) => i > 0 && (options.baselines?.includes(name) ?? true));
        const losses = lossesOf(queries, ranks, names, against, options.losses ?? MAX_LOSSES);
        const ranksBySystem = Object.fromEntries(names.map((name, i) => [name, ranks[i]!]));
        rows.push({ model, words: count, typo, eligible: cell.eligible, figures, ranks: ranksBySystem, ...(typo ? { byTypoKind: byKind(queries, ranks, names) } : {}), losses });
      }
    }
  }
  let adHoc: Record<string, AdHocResult> | undefined;
  if (archive.adHoc) {
    const task = archive.adHoc;
    adHoc = {};
    for (const runner of runners) {
      const rankings = task.queries.map((query) => runner.ranking(query, AD_HOC_DEPTH));
      adHoc[runner.name] = {
        strict: adHocFigures(rankings.map((ranking, i) => ({ ranking, gains: task.gains[i]! }))),
        withMinusOne: adHocFigures(rankings.map((ranking, i) => ({ ranking, gains: task.gainsWithMinusOne[i]! }))),
      };
    }
  }
  return {
    name: archive.name,
    docs: archive.docs.length,
    skipped: archive.skipped.length,
    cached: archive.cached ?? false,
    rows,
    ...(adHoc ? { adHoc } : {}),
    seconds: (performance.now() - started) / 1000,
    systemSeconds,
  };
}

function byKind(queries: readonly KnownItemQuery[], ranks: readonly number[][], names: readonly string[]): Record<string, Record<string, KnownItemFigures>> {
  const figures: Record<string, Record<string, KnownItemFigures>> = {};
  for (const kind of TYPO_KINDS) {
    const picked = queries.flatMap((query, q) => (query.typo?.kind === kind ? [q] : []));
    figures[kind] = Object.fromEntries(names.map((name, s) => [name, knownItemFigures(picked.map((q) => ranks[s]![q]!))]));
  }
  return figures;
}

/** Queries the first system misses in its top 5 that a baseline finds there (the best of them named). */
function lossesOf(queries: readonly KnownItemQuery[], ranks: readonly number[][], names: readonly string[], against: readonly boolean[], keep: number): Loss[] {
  const losses: Loss[] = [];
  queries.forEach((query, q) => {
    if (losses.length >= keep) return;
    const own = ranks[0]![q]!;
    if (own >= 0 && own < 5) return;
    let best = -1;
    for (let s = 1; s < ranks.length; s += 1) {
      if (!against[s]) continue;
      const rank = ranks[s]![q]!;
      if (rank >= 0 && rank < 5 && (best < 0 || rank < ranks[best]![q]!)) best = s;
    }
    if (best < 0) return;
    losses.push({ query: query.text, target: query.target, rank: own + 1, baseline: names[best]!, baselineRank: ranks[best]![q]! + 1 });
  });
  return losses;
}
