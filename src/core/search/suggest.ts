/**
 * Suggestions from the vocabulary: "did you mean" words for a query that found
 * nothing, and completions of a partly typed query. The index holds words as
 * written, so a suggestion is a word of the documents, never a stem. With
 * `keep`, only the documents it keeps are read: nothing a hidden document
 * holds is suggested.
 */
import { SUGGEST_TYPO_LENGTHS, typoBudget } from '../text/edit-distance.ts';
import { foldCase, stemOf, surfaceTerm, tokenize } from '../text/words.ts';
import type { Lexicon } from './plan.ts';
import type { KeepSlot } from './rank.ts';

/** Most candidate words a completion looks at: each costs a walk over its postings. */
const MAX_COMPLETION_CANDIDATES = 48;

/** Most documents counted for one word: past this, how many more hold it does not change an order. */
const COUNT_CAP = 1000;
/** Most candidate words a suggestion reads the documents of (nearest and most common first). */
const MAX_SUGGESTION_CANDIDATES = 32;

/**
 * How many live documents that `keep` keeps (and `eligible` marks, when
 * given) hold a word, counted up to `cap`; without either, its document
 * frequency. `seen` is a scratch array of the slots' size, `stamp` a value
 * not yet in it.
 */
function frequency(
  lexicon: Lexicon,
  keep: KeepSlot | undefined,
  termId: number,
  scratch: { seen: Int32Array; stamp: number },
  eligible?: Uint8Array,
  cap = COUNT_CAP,
): number {
  const { postings } = lexicon;
  // Removed documents count in document frequencies until a vacuum: then count the live ones.
  if (!keep && !eligible && !postings.hasDead) return postings.documentFrequency(termId);
  const stamp = ++scratch.stamp;
  const seen = scratch.seen;
  let count = 0;
  postings.visitSlots(termId, (slot) => {
    if (seen[slot] === stamp || (eligible && eligible[slot] !== 1) || (keep && !keep(slot))) return false;
    seen[slot] = stamp;
    count += 1;
    return count >= cap;
  });
  return count;
}

function scratchFor(lexicon: Lexicon): { seen: Int32Array; stamp: number } {
  return { seen: new Int32Array(lexicon.postings.slotCount), stamp: 0 };
}

/**
 * Up to `limit` "did you mean" words for a query that found nothing: index
 * words near each query word that no kept document holds (as many edits as
 * the suggestion typo budget allows: up to three), nearer and more common first.
 */
export function didYouMean(lexicon: Lexicon, keep: KeepSlot | undefined, text: string, limit: number): string[] {
  const { postings, vocabulary } = lexicon;
  const scratch = scratchFor(lexicon);
  const held = (word: string) => {
    const forms = vocabulary.withStem(stemOf(word));
    const termId = postings.termId(word);
    if (termId !== undefined) forms.push(termId);
    return forms.some((form) => frequency(lexicon, keep, form, scratch, undefined, 1) > 0);
  };
  const words = tokenize(text)
    .map((raw) => surfaceTerm(raw))
    .filter((word): word is string => word !== undefined)
    .slice(0, 8);
  const typed = new Set(words);
  const edits = new Map<number, number>();
  for (const word of words) {
    // A word the index holds is not misspelt (the filters must have excluded it), and one or two
    // letters are too little to guess from.
    const distance = typoBudget(word, SUGGEST_TYPO_LENGTHS);
    if (distance === 0 || held(word)) continue;
    for (const [termId, distanceOf] of vocabulary.near(word, distance)) {
      if (typed.has(vocabulary.word(termId))) continue;
      edits.set(termId, Math.min(distanceOf, edits.get(termId) ?? Infinity));
    }
  }
  // The likeliest by the whole index first; only those are counted among the documents `keep` keeps.
  const likelihood = (termId: number, count: number) => count / (1 + edits.get(termId)!) ** 2;
  const byWord = (a: number, b: number) => (vocabulary.word(a) < vocabulary.word(b) ? -1 : 1);
  const candidates = [...edits.keys()]
    .sort((a, b) => likelihood(b, postings.documentFrequency(b)) - likelihood(a, postings.documentFrequency(a)) || byWord(a, b))
    .slice(0, MAX_SUGGESTION_CANDIDATES);
  // With `keep`, a word only hidden documents hold is no suggestion.
  const scored = candidates.map((termId) => ({ termId, score: likelihood(termId, frequency(lexicon, keep, termId, scratch)) })).filter((c) => c.score > 0);
  return scored
    .sort((a, b) => b.score - a.score || byWord(a.termId, b.termId))
    .slice(0, limit)
    .map(({ termId }) => vocabulary.word(termId));
}

/**
 * Completions for a partly typed query, whole queries, best first: the last
 * word completed to index words that start like it (or, when none do, that are
 * a typo away), among the kept documents that also hold every earlier word (in
 * any form); the completions that most such documents hold come first.
 */
export function complete(lexicon: Lexicon, keep: KeepSlot | undefined, partial: string, limit: number): string[] {
  const { postings, vocabulary } = lexicon;
  const words = tokenize(partial.trim());
  const last = words[words.length - 1];
  if (!last || limit <= 0) return [];
  const prefix = foldCase(last);
  if (prefix.length < 2) return [];
  // Documents holding every earlier word: marked in one array (a word's forms all count).
  const head = words.slice(0, -1).map((raw) => surfaceTerm(raw)).filter((word): word is string => word !== undefined);
  let eligible: Uint8Array | undefined;
  if (head.length > 0) {
    const held = new Uint8Array(postings.slotCount);
    for (const [i, word] of head.entries()) {
      const forms = vocabulary.withStem(stemOf(word));
      if (forms.length === 0) return [];
      for (const termId of forms) {
        postings.forEachSlot(termId, (slot) => {
          if (held[slot] === i) held[slot] = i + 1;
        });
      }
    }
    eligible = held.map((count) => (count === head.length ? 1 : 0));
  }
  const candidates = new Map<number, number>();
  vocabulary.withPrefix(prefix, (termId) => candidates.set(termId, 0));
  const distance = typoBudget(prefix);
  if (candidates.size === 0 && distance > 0) for (const [termId, edits] of vocabulary.near(prefix, distance)) candidates.set(termId, edits);
  const df = (termId: number) => postings.documentFrequency(termId);
  // The likeliest first: nearer, then more common, then shorter.
  const ordered = [...candidates.entries()]
    .sort((x, y) => x[1] - y[1] || df(y[0]) - df(x[0]) || vocabulary.word(x[0]).length - vocabulary.word(y[0]).length)
    .slice(0, MAX_COMPLETION_CANDIDATES)
    .map(([termId]) => termId);
  const scratch = scratchFor(lexicon);
  const scored: Array<{ termId: number; count: number; order: number }> = [];
  ordered.forEach((termId, order) => {
    const count = frequency(lexicon, keep, termId, scratch, eligible);
    if (count > 0) scored.push({ termId, count, order });
  });
  scored.sort((x, y) => y.count - x.count || x.order - y.order);
  const typedHead = words.slice(0, -1).map(foldCase).join(' ');
  return scored.slice(0, limit).map(({ termId }) => (typedHead ? `${typedHead} ${vocabulary.word(termId)}` : vocabulary.word(termId)));
}
