/**
 * How a query is matched and ranked: the shipped policy, and the knobs the
 * evaluation (`npm run eval -- --variants`) turns one at a time.
 */

/**
 * Changing what is indexed, or the policy below, changes what a snapshot means:
 * bump this so an old snapshot is rebuilt rather than loaded with the wrong meaning.
 */
export const SEARCH_OPTIONS_VERSION = 5;

/** Shortest word (as typed, and as stemmed) that is also matched as the start of longer words. */
export const MIN_PREFIX_LENGTH = 3;

/** Most index terms one query word expands to by prefix, and by typo: the cost of a word stays bounded. */
export const MAX_PREFIX_EXPANSIONS = 24;
export const MAX_FUZZY_EXPANSIONS = 12;

/** Edit distance allowed for a query term: none up to 3 characters, 1 up to 5, then 2. */
export function fuzzyDistance(term: string): number | false {
  if (term.length <= 3) return false;
  if (term.length <= 5) return 1;
  return 2;
}

/**
 * How a query is matched and ranked. The shipped policy is `SEARCH_POLICY`;
 * the evaluation compares variants of it.
 */
export interface SearchPolicy {
  /** Field weights: a word in the title counts this many times a word in the text. */
  boost: { title: number; tags: number; text: number };
  /** Which query words also match longer index terms: every word of 3+ characters, the last one only (as typed), or none. */
  prefix: 'all' | 'last' | 'none';
  /**
   * Which query words are matched with typos: those the index does not hold
   * (`unknown`: a word that exists is taken as meant), every word, or none.
   */
  fuzzy: 'unknown' | 'all' | 'none';
  /** Score multipliers for a prefix and a fuzzy match, relative to an exact one (1). */
  weights: { prefix: number; fuzzy: number };
  /** BM25 parameters (d > 0: BM25+). */
  bm25: { k: number; b: number; d: number };
  /** Multiply a document's score by how many query words it matched (MiniSearch's default), or not. */
  coordination: boolean;
  /** For a word the index lacks, also search the index terms of its one-edit spelling corrections (at the fuzzy weight). */
  corrections: boolean;
  /**
   * Pseudo-relevance feedback for long queries (RM3-style): when a query has at least
   * `minWords` distinct index terms, the best `terms` terms of the first pass's top `docs`
   * documents are added at `weight` (relative to a query word) and the query is run again.
   * `false`: off.
   */
  feedback: { minWords: number; docs: number; terms: number; weight: number } | false;
  /**
   * Score multiplier for profile items: one line each, BM25 (which favours short
   * documents) put them above the write-ups they name.
   */
  profileWeight: number;
}

/** The shipped policy; changing it changes what a snapshot means (bump SEARCH_OPTIONS_VERSION). */
// Tuned with `npm run eval` (Cranfield nDCG@10 and til known-item recall; see bench/eval --variants):
// a title boost of 3 buried write-ups whose words sit in the body (known-item hit@1 0.73 → 0.85 at 1.5);
// plain BM25 (d 0) and b 0.75 add about 0.01 nDCG; the word-count multiplier is worth 0.3 hit@1.
export const SEARCH_POLICY: SearchPolicy = {
  boost: { title: 1.5, tags: 1.5, text: 1 },
  prefix: 'all',
  fuzzy: 'unknown',
  weights: { prefix: 0.3, fuzzy: 0.5 },
  bm25: { k: 1.2, b: 0.75, d: 0 },
  coordination: true,
  // Worth +0.03 known-item hit@5 on typo queries (eval --variants): a typo often changes how a word
  // stems (cryptominnig), so it is corrected as typed, then stemmed.
  corrections: true,
  // Long questions (Cranfield's) gain from the words of their first pass's top documents: nDCG@10
  // 0.375 → 0.407, MAP 0.310 → 0.345 (eval; 0.399-0.412 over docs 5-15, terms 10-20, weight 0.3-0.7).
  // /find queries of 1-4 words never reach minWords: they run exactly as before, at the same cost.
  feedback: { minWords: 5, docs: 10, terms: 20, weight: 0.5 },
  profileWeight: 0.5,
};
