/**
 * Suggestions from the vocabulary: "did you mean" words for a query that found
 * nothing, and completions of a partly typed query. With `keep`, only the
 * documents it keeps are read: nothing a hidden document holds is suggested.
 */
import { foldCase, indexTerm, tokenize } from '../text/words.ts';
import { spellingCorrections } from './corrections.ts';
import type { Lexicon } from './plan.ts';
import { fuzzyDistance } from './policy.ts';
import type { KeepSlot } from './rank.ts';

export interface SuggestContext {
  lexicon: Lexicon;
  keep: KeepSlot | undefined;
  /** The word a document's index term came from, as written there (folded). */
  surfaceOf(slot: number, term: string): string | undefined;
}

/** Most candidate words a completion looks at: each costs a walk over its postings. */
const MAX_COMPLETION_CANDIDATES = 48;
/** Documents tried for a term's surface form (each may read a file). */
const SURFACE_TRIES = 3;

/**
 * How many live documents `keep` keeps hold a term, counted up to `cap`
 * (without `keep`: its document frequency).
 */
function frequency(context: SuggestContext, termId: number, cap = 1000): number {
  const { postings } = context.lexicon;
  if (!context.keep) return postings.documentFrequency(termId);
  const keep = context.keep;
  const seen = new Set<number>();
  postings.forEachSlot(termId, (slot) => {
    if (seen.size < cap && !seen.has(slot) && keep(slot)) seen.add(slot);
  });
  return seen.size;
}

/** The word an index term came from, in the first live, kept document that holds it (a few tried at most). */
export function anySurface(context: SuggestContext, termId: number): string | undefined {
  const { postings } = context.lexicon;
  const term = postings.terms[termId]!;
  const tried = new Set<number>();
  let found: string | undefined;
  postings.forEachSlot(termId, (slot) => {
    if (found !== undefined || tried.size >= SURFACE_TRIES || tried.has(slot)) return;
    if (context.keep && !context.keep(slot)) return;
    tried.add(slot);
    found = context.surfaceOf(slot, term);
  });
  return found;
}

/**
 * Up to `limit` "did you mean" words for a query that found nothing: index
 * words near each query word (with more typos than search allows, and one-edit
 * spelling corrections), nearer and more common first. Looked up in the
 * vocabulary, not by searching documents, so it costs about what a search does.
 */
export function didYouMean(context: SuggestContext, text: string, limit: number): string[] {
  const { postings, vocabulary } = context.lexicon;
  const typed = new Set<string>();
  const likelihood = new Map<number, number>();
  const consider = (termId: number, edits: number) => {
    const count = frequency(context, termId);
    // With `keep`, a word only hidden documents hold is no suggestion.
    if (count === 0) return;
    const score = count / (1 + edits) ** 2;
    if (score > (likelihood.get(termId) ?? 0)) likelihood.set(termId, score);
  };
  const held = (term: string) => {
    const termId = postings.termId(term);
    return termId !== undefined && frequency(context, termId, 1) > 0;
  };
  const words = tokenize(text).filter((word) => indexTerm(word) !== undefined);
  for (const word of words.slice(0, 8)) {
    const term = indexTerm(word)!;
    const folded = foldCase(word);
    typed.add(term);
    typed.add(folded);
    // A word the index holds is not misspelt (the filters must have excluded it), and one or two
    // letters are too little to guess from.
    if (folded.length < 3 || held(term) || held(folded)) continue;
    const distance = Math.min(3, Math.max(1, Math.round(folded.length * 0.4)));
    for (const [, [termId, edits]] of vocabulary.fuzzyGet(term, distance)) consider(termId, edits);
    for (const candidate of spellingCorrections(folded, (c) => postings.hasTerm(c))) consider(postings.termId(candidate)!, 1);
  }
  const out: string[] = [];
  for (const [termId] of [...likelihood.entries()].sort((a, b) => b[1] - a[1])) {
    if (typed.has(postings.terms[termId]!)) continue;
    const surface = anySurface(context, termId);
    if (surface && !typed.has(surface) && !out.includes(surface)) out.push(surface);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Completions for a partly typed query, whole queries, best first: the last
 * word completed to index words that start like it (or, when none do, that are
 * a typo away), among the documents that also hold every earlier word; the
 * completions that most such documents hold come first.
 */
export function complete(context: SuggestContext, partial: string, limit: number): string[] {
  const { postings, vocabulary } = context.lexicon;
  const words = tokenize(partial.trim());
  const last = words[words.length - 1];
  if (!last || limit <= 0) return [];
  const folded = foldCase(last);
  if (folded.length < 2) return [];
  const headTerms: number[] = [];
  for (const word of words.slice(0, -1)) {
    const term = indexTerm(word);
    if (!term) continue;
    const termId = postings.termId(term);
    if (termId === undefined) return [];
    if (!headTerms.includes(termId)) headTerms.push(termId);
  }
  const stem = indexTerm(last) ?? folded;
  const candidates = new Map<number, number>();
  for (const [, termId] of vocabulary.atPrefix(stem)) candidates.set(termId, 0);
  if (stem !== folded) for (const [, termId] of vocabulary.atPrefix(folded)) candidates.set(termId, 0);
  const distance = fuzzyDistance(folded);
  if (candidates.size === 0 && distance !== false) for (const [, [termId, edits]] of vocabulary.fuzzyGet(stem, distance)) candidates.set(termId, edits);
  // The likeliest first: nearer, then more common, then shorter.
  const ordered = [...candidates.entries()]
    .sort((x, y) => x[1] - y[1] || postings.documentFrequency(y[0]) - postings.documentFrequency(x[0]) || postings.terms[x[0]]!.length - postings.terms[y[0]]!.length)
    .slice(0, MAX_COMPLETION_CANDIDATES)
    .map(([termId]) => termId);

  // Documents holding every earlier word (and kept): marked in one array.
  let eligible: Uint8Array | undefined;
  if (headTerms.length > 0) {
    const held = new Uint8Array(postings.slotCount);
    headTerms.forEach((termId, i) => {
      postings.forEachSlot(termId, (slot) => {
        if (held[slot] === i) held[slot] = i + 1;
      });
    });
    eligible = held.map((count) => (count === headTerms.length ? 1 : 0));
  }
  const scored: Array<{ termId: number; count: number; order: number }> = [];
  ordered.forEach((termId, order) => {
    const seen = new Set<number>();
    postings.forEachSlot(termId, (slot) => {
      if (seen.has(slot) || (eligible && eligible[slot] !== 1) || (context.keep && !context.keep(slot))) return;
      seen.add(slot);
    });
    if (seen.size > 0) scored.push({ termId, count: seen.size, order });
  });
  scored.sort((x, y) => y.count - x.count || x.order - y.order);
  const head = words.slice(0, -1).map(foldCase).join(' ');
  const out: string[] = [];
  for (const { termId } of scored) {
    const surface = anySurface(context, termId);
    if (!surface) continue;
    const completed = head ? `${head} ${surface}` : surface;
    if (!out.includes(completed)) out.push(completed);
    if (out.length >= limit) break;
  }
  return out;
}
