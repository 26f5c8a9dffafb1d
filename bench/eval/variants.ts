/**
 * `npm run eval -- --variants`: one row per design choice of the ranking, each
 * the shipped policy with one thing changed, so the report shows what every
 * choice is worth on every archive and query model. The search engineer keeps
 * this list; the shipped policy comes first.
 */
import { SEARCH_POLICY, type SearchPolicy } from '../../src/core/index.ts';

export interface Variant {
  name: string;
  /** Changes to the shipped policy ({} = shipped). */
  policy: Partial<SearchPolicy>;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'shipped', policy: {} },
  { name: 'prefix: last word only', policy: { prefix: 'last' } },
  { name: 'prefix: none', policy: { prefix: 'none' } },
  { name: 'fuzzy: every word', policy: { fuzzy: 'all' } },
  { name: 'fuzzy: none', policy: { fuzzy: 'none' } },
  { name: 'spelling corrections off', policy: { corrections: false } },
  { name: 'feedback off (long queries)', policy: { feedback: false } },
  { name: 'title boost 1', policy: { boost: { ...SEARCH_POLICY.boost, title: 1 } } },
  { name: 'BM25+ (d 0.5)', policy: { bm25: { ...SEARCH_POLICY.bm25, d: 0.5 } } },
  { name: 'no word-count multiplier', policy: { coordination: false } },
];
