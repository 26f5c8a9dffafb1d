/**
 * Query planning: which index terms each query word is searched as, and at
 * what weight: itself, the tag it names, its prefix completions and its typo
 * neighbours, each list capped so that no word can fan out without bound.
 */
import type SearchableMap from 'minisearch/SearchableMap';
import { foldCase, indexTerm, tagTerm, tokenize } from '../text/words.ts';
import { spellingCorrections } from './corrections.ts';
import { MAX_FUZZY_EXPANSIONS, MAX_PREFIX_EXPANSIONS, MIN_PREFIX_LENGTH, fuzzyDistance, type SearchPolicy } from './policy.ts';
import { ALL_FIELDS, FIELD_ID, type Postings } from './postings.ts';

/** The index's terms: their postings, and the vocabulary in a tree for prefix and typo lookups. */
export interface Lexicon {
  postings: Postings;
  /** Index term → term id. */
  vocabulary: SearchableMap<number>;
}

export const TAGS_ONLY = 1 << FIELD_ID.tags;

/** A query term with what the policy allows for it. */
export interface TermPlan {
  term: string;
  prefix: boolean;
  fuzzy: number | false;
  /** Index terms one edit away from the word as typed (spelling corrections), for a word the index lacks. */
  corrections: string[];
  /** The word as a tag (folded, not stemmed), when the index holds that tag and it differs from `term`. */
  tag?: string;
}

/** One index term a query word is searched as, with its weight. */
export interface Expansion {
  term: string;
  termId: number;
  /** The fields it is searched in (bit per field id). */
  mask: number;
  weight: number;
  /** The query word it stands for (coordination counts words); -1 for a feedback term, which does not count. */
  word: number;
}

/** The query's index terms with the prefix and typo allowance each one gets. */
export function planQuery(text: string, policy: SearchPolicy, lexicon: Lexicon): TermPlan[] {
  const { postings } = lexicon;
  const words = tokenize(text);
  const plans: TermPlan[] = [];
  const seen = new Set<string>();
  words.forEach((word, i) => {
    const term = indexTerm(word);
    if (!term || seen.has(term)) return;
    seen.add(term);
    const folded = foldCase(word);
    const last = i === words.length - 1;
    // The length rule applies to the word as typed and to its stem: "used" stems to "us", which must not expand to every "us…".
    const prefix =
      folded.length >= MIN_PREFIX_LENGTH && term.length >= MIN_PREFIX_LENGTH && (policy.prefix === 'all' || (policy.prefix === 'last' && last));
    // Tags are indexed as written, not stemmed: "ruby" must also find the tag ruby, though its stem is "rubi".
    const tag = tagTerm(word);
    const tagKnown = tag !== undefined && tag !== term && holdsTag(postings, tag);
    const unknown = !postings.hasTerm(term) && !tagKnown;
    const typoAllowed = policy.fuzzy === 'all' || (policy.fuzzy === 'unknown' && unknown);
    const fuzzy = typoAllowed ? fuzzyDistance(folded) : false;
    const corrections =
      fuzzy !== false && unknown && policy.corrections
        ? spellingCorrections(folded, (candidate) => postings.hasTerm(candidate)).filter((candidate) => candidate !== term)
        : [];
    plans.push({ term, prefix, fuzzy, corrections, ...(tagKnown ? { tag } : {}) });
  });
  return plans;
}

/** Whether a term is some document's tag. */
export function holdsTag(postings: Postings, tag: string): boolean {
  const termId = postings.termId(tag);
  return termId !== undefined && postings.count(termId, FIELD_ID.tags) > 0;
}

/**
 * The index terms each planned word is searched as: itself (weight 1), its
 * closest prefix completions and typo neighbours (lower weights, as MiniSearch
 * weighs them). Exact before prefix before fuzzy.
 */
export function expandPlans(plans: readonly TermPlan[], policy: SearchPolicy, lexicon: Lexicon): Expansion[] {
  const { postings, vocabulary } = lexicon;
  const { prefix: prefixWeight, fuzzy: fuzzyWeight } = policy.weights;
  const df = (termId: number) => postings.documentFrequency(termId);
  const out: Expansion[] = [];
  plans.forEach((plan, word) => {
    const seen = new Set<string>([plan.term]);
    const exact = postings.termId(plan.term);
    if (exact !== undefined) out.push({ term: plan.term, termId: exact, mask: ALL_FIELDS, weight: 1, word });
    if (plan.tag !== undefined && holdsTag(postings, plan.tag)) {
      seen.add(plan.tag);
      out.push({ term: plan.tag, termId: postings.termId(plan.tag)!, mask: TAGS_ONLY, weight: 1, word });
    }
    if (plan.prefix) {
      const completions: Array<[string, number]> = [];
      for (const [term, termId] of vocabulary.atPrefix(plan.term)) if (!seen.has(term)) completions.push([term, termId]);
      // Closest completions first; among equals, the more common (the likelier word).
      completions.sort((x, y) => x[0].length - y[0].length || df(y[1]) - df(x[1]));
      for (const [term, termId] of completions.slice(0, MAX_PREFIX_EXPANSIONS)) {
        seen.add(term);
        const distance = term.length - plan.term.length;
        out.push({ term, termId, mask: ALL_FIELDS, weight: (prefixWeight * term.length) / (term.length + 0.3 * distance), word });
      }
    }
    if (plan.fuzzy !== false) {
      // Spelling corrections first (one edit of the word as typed); stems one edit away only when
      // there are none, and two edits only when neither finds anything: a search at distance 2
      // visits far more of the tree, and adds more noise than answers.
      const corrected = plan.corrections.some((term) => !seen.has(term));
      let near = corrected ? [] : [...vocabulary.fuzzyGet(plan.term, 1)].filter(([term]) => !seen.has(term));
      if (plan.fuzzy > 1 && near.length === 0 && !corrected) {
        near = [...vocabulary.fuzzyGet(plan.term, plan.fuzzy)].filter(([term]) => !seen.has(term));
      }
      near.sort((x, y) => x[1][1] - y[1][1] || df(y[1][0]) - df(x[1][0]));
      for (const [term, [termId, distance]] of near.slice(0, MAX_FUZZY_EXPANSIONS)) {
        seen.add(term);
        out.push({ term, termId, mask: ALL_FIELDS, weight: (fuzzyWeight * term.length) / (term.length + distance), word });
      }
    }
    for (const term of plan.corrections) {
      const termId = seen.has(term) ? undefined : postings.termId(term);
      if (termId === undefined) continue;
      seen.add(term);
      out.push({ term, termId, mask: ALL_FIELDS, weight: fuzzyWeight, word });
    }
  });
  return out;
}
