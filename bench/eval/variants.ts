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

const weights = (changes: Partial<SearchPolicy['weights']>): Partial<SearchPolicy> => ({ weights: { ...SEARCH_POLICY.weights, ...changes } });

export const VARIANTS: readonly Variant[] = [
  { name: 'shipped', policy: {} },
  { name: 'stems only (no word as typed)', policy: weights({ exact: 0, stem: 1 }) },
  { name: 'words as typed only (no stems)', policy: weights({ stem: 0 }) },
  { name: 'stem weight 1', policy: weights({ stem: 1 }) },
  { name: 'stem weight 0.5 (before issue #15)', policy: weights({ stem: 0.5 }) },
  { name: 'kinds of match: best only', policy: { combine: 'max' } },
  { name: 'kinds of match: forms add up, prefix or typo the best', policy: { combine: 'forms' } },
  { name: 'prefix: every word', policy: { prefix: 'all' } },
  { name: 'prefix: none', policy: { prefix: 'none' } },
  { name: 'fuzzy: every word', policy: { fuzzy: 'all' } },
  { name: 'fuzzy: none', policy: { fuzzy: 'none' } },
  { name: "an unknown last word's completions as prefixes (before finding 17)", policy: { unknownCompletions: 'prefix' } },
  { name: 'typo weight 0.5', policy: weights({ fuzzy: 0.5 }) },
  { name: 'typos from 4 letters', policy: { typoLengths: { ...SEARCH_POLICY.typoLengths, one: 4 } } },
  { name: 'typo candidates by frequency', policy: { typoPrior: 1 } },
  { name: 'typo candidates by √frequency', policy: { typoPrior: 0.5 } },
  { name: 'coordination 1 (MiniSearch)', policy: { coordination: 1 } },
  { name: 'coordination 0', policy: { coordination: 0 } },
  { name: 'whole words in coordination', policy: { partialWords: false } },
  { name: 'BM25 (d 0)', policy: { bm25: { ...SEARCH_POLICY.bm25, d: 0 } } },
  { name: 'title boost 1.5', policy: { boost: { ...SEARCH_POLICY.boost, title: 1.5 } } },
  { name: 'title boost 0.5', policy: { boost: { ...SEARCH_POLICY.boost, title: 0.5 } } },
  { name: 'questions as short queries', policy: { questions: false } },
  { name: 'feedback off (long queries)', policy: { feedback: false } },
];
