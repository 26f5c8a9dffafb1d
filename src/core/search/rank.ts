/**
 * Ranking: BM25 over the expansions' posting lists into flat score arrays,
 * the best few kept as they come, and pseudo-relevance feedback for long
 * queries.
 */
import { indexTerm, tokenize } from '../text/words.ts';
import type { Expansion, Lexicon, TermPlan } from './plan.ts';
import type { SearchPolicy } from './policy.ts';
import { ALL_FIELDS, FIELD_ID } from './postings.ts';
import type { RankedMatch, Ranking } from './types.ts';

/** Whether the slot's document may be ranked (the caller's `keep`, applied before counting). */
export type KeepSlot = (slot: number) => boolean;

/**
 * Scores expansions. The score arrays are kept between searches and cleared
 * where they were written: allocating them per search (1.5 MB at 100k
 * documents) made the young-generation collections that set the p99.
 */
export class Scorer {
  private scores = new Float64Array(0);
  private wordsHit = new Uint32Array(0);

  constructor(
    private readonly lexicon: Lexicon,
    private readonly policy: SearchPolicy,
  ) {}

  /** BM25 over the expansions' posting lists: the best `limit` documents and how many matched. */
  score(expansions: readonly Expansion[], limit: number, keep: KeepSlot | undefined, coordination = this.policy.coordination): Ranking {
    const size = this.lexicon.postings.slotCount;
    if (this.scores.length < size) {
      this.scores = new Float64Array(size);
      this.wordsHit = new Uint32Array(size);
    }
    const touched: number[] = [];
    try {
      return this.rankTouched(expansions, limit, keep, coordination, touched);
    } finally {
      for (const slot of touched) {
        this.scores[slot] = 0;
        this.wordsHit[slot] = 0;
      }
    }
  }

  private rankTouched(expansions: readonly Expansion[], limit: number, keep: KeepSlot | undefined, coordination: boolean, touched: number[]): Ranking {
    const { scores, wordsHit } = this;
    const postings = this.lexicon.postings;
    const { k, b, d } = this.policy.bm25;
    const fields = Object.entries(this.policy.boost) as Array<[keyof typeof FIELD_ID, number]>;
    const n = postings.documentCount;
    const alive = postings.alive;
    const docs = postings.docs;
    const tfs = postings.tfs;
    for (const expansion of expansions) {
      const wordBit = expansion.word < 0 ? 0 : 1 << Math.min(expansion.word, 31);
      for (const [field, boost] of fields) {
        const fieldId = FIELD_ID[field];
        if ((expansion.mask & (1 << fieldId)) === 0) continue;
        const count = postings.count(expansion.termId, fieldId);
        if (count === 0) continue;
        const idf = Math.log(1 + (n - count + 0.5) / (count + 0.5));
        const avgLength = postings.averageLength(fieldId);
        const factor = expansion.weight * boost * idf;
        const lengths = postings.lengths[fieldId]!;
        const start = postings.start(expansion.termId, fieldId);
        const end = start + count;
        for (let i = start; i < end; i += 1) {
          const slot = docs[i]!;
          // Postings of a removed document stay until the next vacuum.
          if (alive[slot] !== 1) continue;
          const tf = tfs[i]!;
          const score = factor * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * lengths[slot]!) / avgLength)));
          if (scores[slot] === 0) touched.push(slot);
          scores[slot] = scores[slot]! + score;
          wordsHit[slot] = wordsHit[slot]! | wordBit;
        }
      }
    }
    const top: Array<{ slot: number; score: number }> = [];
    let total = 0;
    const profileWeight = this.policy.profileWeight;
    for (const slot of touched) {
      if (keep && !keep(slot)) continue;
      total += 1;
      // A document matching more of the query's words ranks higher (as in MiniSearch).
      let score = coordination ? scores[slot]! * bitCount(wordsHit[slot]!) : scores[slot]!;
      if (top.length >= limit && score <= top[top.length - 1]!.score) continue;
      // Only a document that could enter the top is looked up (the weight only lowers a score).
      if (profileWeight !== 1 && postings.ids[slot]!.startsWith('profile:')) {
        score *= profileWeight;
        if (top.length >= limit && score <= top[top.length - 1]!.score) continue;
      }
      insertSorted(top, { slot, score }, limit);
    }
    const matches = top.map(({ slot, score }) => ({
      id: postings.ids[slot]!,
      score,
      // Feedback terms are not the user's words: not marked.
      terms: [...new Set(expansions.filter((e) => e.word >= 0 && postings.holds(e.termId, slot, e.mask)).map((e) => e.term))],
    }));
    return { matches, total };
  }

  /**
   * Pseudo-relevance feedback (RM3-style): each term of the top documents
   * weighed by its share of each document's words times the document's share
   * of the first-pass score, times idf; the best `terms` of them, with weights
   * relative to the best one. `textOf` gives a document's title and text.
   */
  feedbackTerms(top: readonly RankedMatch[], plans: readonly TermPlan[], textOf: (id: string) => string): Expansion[] {
    const feedback = this.policy.feedback;
    if (feedback === false || top.length === 0) return [];
    const postings = this.lexicon.postings;
    const queryTerms = new Set(plans.map((plan) => plan.term));
    const totalScore = top.reduce((sum, match) => sum + match.score, 0) || 1;
    const relevance = new Map<string, number>();
    for (const match of top) {
      const counts = new Map<string, number>();
      let length = 0;
      for (const word of tokenize(textOf(match.id))) {
        const term = indexTerm(word);
        if (!term) continue;
        length += 1;
        counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      if (length === 0) continue;
      const docWeight = match.score / totalScore;
      for (const [term, count] of counts) relevance.set(term, (relevance.get(term) ?? 0) + (docWeight * count) / length);
    }
    const n = postings.documentCount;
    const candidates: Array<{ term: string; termId: number; value: number }> = [];
    for (const [term, value] of relevance) {
      if (queryTerms.has(term)) continue;
      const termId = postings.termId(term);
      if (termId === undefined) continue;
      const df = postings.documentFrequency(termId);
      // A word in most documents tells nothing; one in a single document is no topic.
      if (df < 2) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      candidates.push({ term, termId, value: value * idf });
    }
    candidates.sort((x, y) => y.value - x.value || (x.term < y.term ? -1 : 1));
    const chosen = candidates.slice(0, feedback.terms);
    const best = chosen[0]?.value ?? 0;
    if (best <= 0) return [];
    return chosen.map(({ term, termId, value }) => ({ term, termId, mask: ALL_FIELDS, weight: (feedback.weight * value) / best, word: -1 }));
  }
}

/** Number of bits set: how many query words a document matched. */
function bitCount(bits: number): number {
  let count = 0;
  for (let v = bits >>> 0; v !== 0; v &= v - 1) count += 1;
  return count;
}

/** Inserts into a list sorted by descending score, keeping at most `limit` entries. */
export function insertSorted<T extends { score: number }>(list: T[], item: T, limit: number): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.score < item.score) at -= 1;
  if (at >= limit) return;
  list.splice(at, 0, item);
  if (list.length > limit) list.pop();
}
