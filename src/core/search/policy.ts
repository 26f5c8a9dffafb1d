/**
 * How a query is matched and ranked: the shipped policy, and the knobs the
 * evaluation (`npm run eval -- --variants`) turns one at a time.
 */

/**
 * Changing what is indexed, or the policy below, changes what a snapshot means:
 * bump this so an old snapshot is rebuilt rather than loaded with the wrong meaning.
 */
export const SEARCH_OPTIONS_VERSION = 12;

import { MATCH_TYPO_LENGTHS, type TypoLengths } from '../text/edit-distance.ts';

/** Shortest word (as typed, and as stemmed) that is also matched as the start of longer words. */
export const MIN_PREFIX_LENGTH = 3;

/** Most index terms one query word expands to by prefix, and by typo: the cost of a word stays bounded. */
export const MAX_PREFIX_EXPANSIONS = 24;
export const MAX_FUZZY_EXPANSIONS = 12;

/** The kinds of match a query word has in a document, strongest first. */
export const MATCH_KINDS = ['exact', 'stem', 'prefix', 'fuzzy'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/**
 * How a query is matched and ranked. The shipped policy is `SEARCH_POLICY`;
 * the evaluation compares variants of it (bench/eval/variants.ts).
 */
export interface SearchPolicy {
  /** Field weights: a word in the title counts this many times a word in the text. */
  boost: { title: number; tags: number; text: number };
  /**
   * Score weight of each kind of match of a query word: `exact` the word as
   * typed (folded), `stem` any word of its stem (the typed one included),
   * `prefix` longer words it starts (3+ letters), `fuzzy` words a typo away.
   */
  weights: Record<MatchKind, number>;
  /**
   * Questions (queries of at least `minWords` distinct words) weigh the kinds of
   * match this way instead: asked in a person's own words, their word forms say
   * little about the answer's. `false`: as short queries.
   */
  questions: { minWords: number; weights: Record<MatchKind, number>; bm25?: { k: number; b: number; d: number } } | false;
  /**
   * How one word's kinds of match add up in a document: all of them (`sum`),
   * only the best (`max`), or (`forms`) its forms add up (as typed, by stem:
   * the same word) while a prefix or typo reading is an alternative to them
   * (another word the person may have meant): the best reading counts.
   */
  combine: 'sum' | 'max' | 'forms';
  /** Which query words also match longer words: every word of 3+ letters, the last one only (as typed), or none. */
  prefix: 'all' | 'last' | 'none';
  /**
   * Which query words are matched with typos: those the index does not hold
   * (`unknown`: a word that exists is taken as meant), every word, or none.
   */
  fuzzy: 'unknown' | 'all' | 'none';
  /**
   * How the completions of a last word the index does not hold are weighed:
   * as prefix matches beside its typo corrections (`prefix`), or as one more
   * reading of what was meant (`reading`): weighed as a correction, the
   * document counting its likeliest reading (a completion or a correction).
   */
  unknownCompletions: 'prefix' | 'reading';
  /**
   * Shortest word (folded) allowed one typo, and two (when nothing is one typo
   * away): the bot's typo budget (`typoBudget`, text/edit-distance.ts) with
   * these lengths; more than two are not tried.
   */
  typoLengths: Readonly<TypoLengths>;
  /**
   * Typo candidates weighed by how common they are: each by (its document
   * frequency / the most common candidate's) to this power; 0 weighs them alike.
   */
  typoPrior: number;
  /** BM25 parameters (d > 0: BM25+). */
  bm25: { k: number; b: number; d: number };
  /**
   * A document's score is multiplied by (query words it matched) to this
   * power: 1 is MiniSearch's rule, 0 none.
   */
  coordination: number;
  /**
   * In coordination, a word matched only by a weaker kind (its stem, a prefix,
   * a typo) counts as that kind's weight relative to the word's strongest
   * kind, not as a whole word.
   */
  partialWords: boolean;
  /**
   * Pseudo-relevance feedback for long queries (RM3-style): when a query has at least
   * `minWords` distinct words, the best `terms` stems of the first pass's top `docs`
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
// Chosen with `npm run eval -- --variants` (bench/eval/variants.ts has a row per choice): known-item
// queries under four query models on til, rust-blog and Cranfield, beside MiniSearch and BM25.
export const SEARCH_POLICY: SearchPolicy = {
  boost: { title: 1, tags: 1.5, text: 1 },
  // The word as typed counts four times its other forms: a document holding the words typed is the one
  // looked for more often than one holding their stems (Porter groups general with generate). At half,
  // a document with other forms of a word (in its title, or several of them) outranked the one with the
  // words as typed: hit@1 significantly below MiniSearch's exact words on til and Cranfield (middling,
  // 2 words) and below BM25 on rust-blog and Cranfield (rarest, 3 words); at a quarter none is (issue #15).
  weights: { exact: 1, stem: 0.25, prefix: 0.3, fuzzy: 0.75 },
  // Long questions (Cranfield's) are asked in the asker's words, not the answer's: their words are
  // matched by stem, as plain BM25.
  questions: { minWords: 5, weights: { exact: 0.25, stem: 1, prefix: 0.3, fuzzy: 0.5 }, bm25: { k: 1.2, b: 0.75, d: 0 } },
  combine: 'sum',
  // Completion where people type it: the last word (the eval finds no gain in expanding the others).
  prefix: 'last',
  fuzzy: 'unknown',
  // "jso", "tim", "rul": a word the index lacks is as likely unfinished as mistyped (finding 17).
  unknownCompletions: 'reading',
  // The bot's one typo budget (text/edit-distance.ts): one edit from 3 letters, two from 6.
  typoLengths: MATCH_TYPO_LENGTHS,
  typoPrior: 0,
  bm25: { k: 1.2, b: 0.75, d: 0.5 },
  coordination: 1.5,
  partialWords: true,
  // Long questions gain from the words of their first pass's top documents (RM3-style feedback).
  // /find queries of 1-4 words never reach minWords: they run without it, at the same cost.
  feedback: { minWords: 5, docs: 10, terms: 20, weight: 0.5 },
  profileWeight: 0.5,
};
