/**
 * Ranking: BM25 over each query word's groups of index words into flat score
 * arrays, the word's kinds of match combined under the policy, the best few
 * documents kept as they come; and pseudo-relevance feedback for long queries.
 */
import { stemOf, surfaceTerm, tokenize } from '../text/words.ts';
import type { Lexicon, MatchGroup, WordPlan } from './plan.ts';
import type { MatchKind, SearchPolicy } from './policy.ts';
import { FIELD_COUNT, FIELDS } from './postings.ts';
import type { RankedMatch, Ranking } from './types.ts';

/** What a pass of scoring weighs: the kinds of match, coordination, BM25's parameters. */
export interface ScoreMode {
  weights: Readonly<Record<MatchKind, number>>;
  coordination: number;
  bm25: SearchPolicy['bm25'];
}

/** A policy's mode for short queries, or for questions when `question` is set and the policy has one. */
export function modeOf(policy: SearchPolicy, question = false): ScoreMode {
  const questions = question ? policy.questions : false;
  return {
    weights: questions ? questions.weights : policy.weights,
    coordination: policy.coordination,
    bm25: questions && questions.bm25 ? questions.bm25 : policy.bm25,
  };
}

/** Whether the slot's document may be ranked (the caller's `keep`, applied before counting). */
export type KeepSlot = (slot: number) => boolean;

/** Grows a buffer to at least `size`, or returns it as it is. */
function sized<T extends Float64Array | Int32Array>(buffer: T, size: number): T {
  return buffer.length >= size ? buffer : (new (buffer.constructor as new (length: number) => T)(Math.max(size, buffer.length * 2)));
}

/**
 * Scores word plans. The arrays (a score per document and lists of the
 * documents written) are kept between searches and cleared where they were
 * written: allocating them per search (several MB at 100k documents) made the
 * young-generation collections that set the p99. 0 means "not yet": a slot is
 * pushed on a stack when its value leaves 0, and only a positive amount is
 * ever written (a member weighted 0 is skipped, so idf and BM25 stay
 * positive), so a value never returns to 0 and no slot is pushed twice: no
 * stack outgrows the slot count.
 */
export class Scorer {
  /** Per slot: the query's score so far, and the words it matched (fractions with `partialWords`). */
  private total = new Float64Array(0);
  private matched = new Float64Array(0);
  /** Per slot, for the word being scored: its score, its best kind's score, one group's score, a group's weighted frequency in one field, its best match strength. */
  private word = new Float64Array(0);
  private kind = new Float64Array(0);
  private group = new Float64Array(0);
  private frequency = new Float64Array(0);
  private strength = new Float64Array(0);
  /** The slots written in each of the arrays above, as stacks. */
  private touched = new Int32Array(0);
  private inWord = new Int32Array(0);
  private inKind = new Int32Array(0);
  private inGroup = new Int32Array(0);
  private holders = new Int32Array(0);

  constructor(
    private readonly lexicon: Lexicon,
    private readonly policy: SearchPolicy,
  ) {}

  /** The best `limit` documents for the plans, and how many matched (among those `keep` keeps). */
  score(plans: readonly WordPlan[], limit: number, keep: KeepSlot | undefined, mode: ScoreMode = modeOf(this.policy)): Ranking {
    this.ensure(this.lexicon.postings.slotCount);
    let touched = 0;
    try {
      for (const plan of plans) touched = this.scoreWord(plan, touched, mode);
      return this.best(plans, limit, keep, mode.coordination, touched);
    } finally {
      // Cleared even when `keep` throws: the next search starts from zeros.
      for (let i = 0; i < touched; i += 1) {
        const slot = this.touched[i]!;
        this.total[slot] = 0;
        this.matched[slot] = 0;
      }
    }
  }

  private ensure(size: number): void {
    if (this.total.length >= size) return;
    this.total = sized(this.total, size);
    this.matched = sized(this.matched, size);
    this.word = sized(this.word, size);
    this.kind = sized(this.kind, size);
    this.group = sized(this.group, size);
    this.frequency = sized(this.frequency, size);
    this.strength = sized(this.strength, size);
    this.touched = sized(this.touched, size);
    this.inWord = sized(this.inWord, size);
    this.inKind = sized(this.inKind, size);
    this.inGroup = sized(this.inGroup, size);
    this.holders = sized(this.holders, size);
  }

  /**
   * Adds one word's score to the total of every document it matches, and to
   * its count of matched words: 1, or with `partialWords` the weight of the
   * best kind of match it has there relative to the word's strongest kind (a
   * word found only by a prefix of it counts as less than one found as typed).
   * Groups of one kind (the corrections of a typo) count by their best; kinds
   * add up (with `combine: 'max'`, the best counts; with 'forms', the word's
   * forms add up and a prefix or typo reading is an alternative). Returns the new
   * number of touched slots.
   */
  private scoreWord(plan: WordPlan, touchedCount: number, mode: ScoreMode): number {
    const weights = mode.weights;
    const { total, matched, word, kind, group, strength, touched, inWord, inKind, inGroup } = this;
    const combineMax = this.policy.combine === 'max';
    const combineForms = this.policy.combine === 'forms';
    const weightOf = (g: MatchGroup) => {
      const own = weights[g.kind];
      if (!g.alsoStem) return own;
      return combineMax ? Math.max(own, weights.stem) : own + weights.stem;
    };
    let strongest = 0;
    for (const g of plan.groups) strongest = Math.max(strongest, weights[g.kind]);
    let wordCount = 0;
    let kindCount = 0;
    const groups = plan.groups;
    for (let i = 0; i < groups.length; i += 1) {
      const g = groups[i]!;
      const kindWeight = weights[g.kind];
      const weight = plan.weight * weightOf(g);
      if (weight > 0) {
        const counted = !plan.counts ? 0 : this.policy.partialWords ? kindWeight / strongest : 1;
        const groupCount = this.scoreGroup(g, mode.bm25);
        for (let j = 0; j < groupCount; j += 1) {
          const slot = inGroup[j]!;
          const score = weight * group[slot]!;
          group[slot] = 0;
          if (!(score > 0)) continue;
          const before = kind[slot]!;
          if (before === 0) inKind[kindCount++] = slot;
          if (score > before) kind[slot] = score;
          if (counted > strength[slot]!) strength[slot] = counted;
        }
      }
      if (groups[i + 1]?.kind === g.kind) continue;
      const alternative = combineMax || (combineForms && (g.kind === 'prefix' || g.kind === 'fuzzy'));
      for (let j = 0; j < kindCount; j += 1) {
        const slot = inKind[j]!;
        const score = kind[slot]!;
        kind[slot] = 0;
        const before = word[slot]!;
        if (before === 0) inWord[wordCount++] = slot;
        word[slot] = alternative ? (score > before ? score : before) : before + score;
      }
      kindCount = 0;
    }
    for (let j = 0; j < wordCount; j += 1) {
      const slot = inWord[j]!;
      if (total[slot] === 0) touched[touchedCount++] = slot;
      total[slot] = total[slot]! + word[slot]!;
      matched[slot] = matched[slot]! + strength[slot]!;
      word[slot] = 0;
      strength[slot] = 0;
    }
    return touchedCount;
  }

  /**
   * BM25 of a group as one term, field by field (boosted), into `group`
   * (the slots written listed in `inGroup`; returns how many): its frequency in
   * a document is its members' weighted frequencies added, its document
   * frequency the documents holding any member.
   */
  private scoreGroup(g: MatchGroup, bm25: SearchPolicy['bm25']): number {
    const postings = this.lexicon.postings;
    const { k, b, d } = bm25;
    // Removed documents count in document frequencies until a vacuum: they count in the
    // number of documents too, so that idf stays positive.
    const n = postings.slotCount;
    const { alive, docs, tfs } = postings;
    const { group, frequency, inGroup, holders } = this;
    let count = 0;
    const single = g.members.length === 1 && g.members[0]!.weight === 1 ? g.members[0]!.termId : -1;
    const boosts = this.policy.boost;
    for (let fieldId = 0; fieldId < FIELD_COUNT; fieldId += 1) {
      const boost = boosts[FIELDS[fieldId]!];
      if (boost <= 0) continue;
      const lengths = postings.lengths[fieldId]!;
      // BM25's saturation term, tf + k (1 - b + b length / average), as constant + slope × length.
      const constant = k * (1 - b);
      const slope = (k * b) / postings.averageLength(fieldId);
      if (single >= 0) {
        // One word as typed: its postings directly.
        const listed = postings.count(single, fieldId);
        if (listed === 0) continue;
        const factor = boost * Math.log(1 + (n - listed + 0.5) / (listed + 0.5));
        const start = postings.start(single, fieldId);
        const end = start + listed;
        for (let i = start; i < end; i += 1) {
          const slot = docs[i]!;
          // Postings of a removed document stay until the next vacuum.
          if (alive[slot] !== 1) continue;
          const tf = tfs[i]!;
          const score = factor * (d + (tf * (k + 1)) / (tf + constant + slope * lengths[slot]!));
          if (!(score > 0)) continue;
          if (group[slot] === 0) inGroup[count++] = slot;
          group[slot] = group[slot]! + score;
        }
        continue;
      }
      let held = 0;
      for (const { termId, weight } of g.members) {
        // A form weighted 0 (a typo's other forms when stems weigh 0) adds nothing: a document
        // holding only such forms does not hold the group, nor count in its document frequency
        // (it was listed once per form, so more holders than documents made idf negative).
        if (!(weight > 0)) continue;
        const listed = postings.count(termId, fieldId);
        const start = postings.start(termId, fieldId);
        const end = start + listed;
        for (let i = start; i < end; i += 1) {
          const slot = docs[i]!;
          const added = weight * tfs[i]!;
          if (!(added > 0)) continue;
          if (frequency[slot] === 0) holders[held++] = slot;
          frequency[slot] = frequency[slot]! + added;
        }
      }
      if (held === 0) continue;
      const factor = boost * Math.log(1 + (n - held + 0.5) / (held + 0.5));
      for (let j = 0; j < held; j += 1) {
        const slot = holders[j]!;
        const tf = frequency[slot]!;
        frequency[slot] = 0;
        if (alive[slot] !== 1) continue;
        const score = factor * (d + (tf * (k + 1)) / (tf + constant + slope * lengths[slot]!));
        if (!(score > 0)) continue;
        if (group[slot] === 0) inGroup[count++] = slot;
        group[slot] = group[slot]! + score;
      }
    }
    return count;
  }

  private best(plans: readonly WordPlan[], limit: number, keep: KeepSlot | undefined, coordination: number, touchedCount: number): Ranking {
    const { total, matched, touched } = this;
    const postings = this.lexicon.postings;
    const top: Array<{ slot: number; score: number }> = [];
    let count = 0;
    const profileWeight = this.policy.profileWeight;
    // No document matches more words than the query has: a bound that spares most the power.
    const words = plans.filter((plan) => plan.counts).length;
    const bound = coordination === 0 ? 1 : Math.max(1, words) ** coordination;
    for (let i = 0; i < touchedCount; i += 1) {
      const slot = touched[i]!;
      if (keep && !keep(slot)) continue;
      count += 1;
      const floor = top.length >= limit ? top[top.length - 1]!.score : -1;
      if (total[slot]! * bound <= floor) continue;
      // A document matching more of the query's words ranks higher.
      let score = coordination === 0 ? total[slot]! : total[slot]! * matched[slot]! ** coordination;
      if (score <= floor) continue;
      // Only a document that could enter the top is looked up (the weight only lowers a score).
      if (profileWeight !== 1 && postings.ids[slot]!.startsWith('profile:')) {
        score *= profileWeight;
        if (score <= floor) continue;
      }
      insertSorted(top, { slot, score }, limit);
    }
    const matches = top.map(({ slot, score }) => ({ id: postings.ids[slot]!, score, terms: this.matchedWords(plans, slot) }));
    return { matches, total: count };
  }

  /** The index words of the query's words (not feedback terms) a document holds: the snippet marks them. */
  private matchedWords(plans: readonly WordPlan[], slot: number): string[] {
    const { postings, vocabulary } = this.lexicon;
    const words = new Set<string>();
    for (const plan of plans) {
      if (!plan.counts) continue;
      for (const group of plan.groups) {
        for (const { termId } of group.members) if (postings.holds(termId, slot)) words.add(vocabulary.word(termId));
      }
    }
    return [...words];
  }

  /**
   * Pseudo-relevance feedback (RM3-style): each stem of the top documents
   * weighed by its share of each document's words times the document's share
   * of the first-pass score, times idf; the best `terms` of them, as plans with
   * weights relative to the best one. `textOf` gives a document's title and text.
   */
  feedbackPlans(top: readonly RankedMatch[], plans: readonly WordPlan[], textOf: (id: string) => string): WordPlan[] {
    const feedback = this.policy.feedback;
    if (feedback === false || top.length === 0) return [];
    const { postings, vocabulary } = this.lexicon;
    const queryStems = new Set(plans.map((plan) => stemOf(plan.word)));
    const totalScore = top.reduce((sum, match) => sum + match.score, 0) || 1;
    const relevance = new Map<string, number>();
    for (const match of top) {
      const counts = new Map<string, number>();
      let length = 0;
      for (const raw of tokenize(textOf(match.id))) {
        const word = surfaceTerm(raw);
        if (word === undefined) continue;
        const stem = stemOf(word);
        length += 1;
        counts.set(stem, (counts.get(stem) ?? 0) + 1);
      }
      if (length === 0) continue;
      const docWeight = match.score / totalScore;
      for (const [stem, count] of counts) relevance.set(stem, (relevance.get(stem) ?? 0) + (docWeight * count) / length);
    }
    const n = postings.documentCount;
    const candidates: Array<{ stem: string; members: number[]; value: number }> = [];
    for (const [stem, value] of relevance) {
      if (queryStems.has(stem)) continue;
      const members = vocabulary.withStem(stem);
      if (members.length === 0) continue;
      // The stem's document frequency, at least: its most common form's.
      const df = Math.max(...members.map((termId) => postings.documentFrequency(termId)));
      // A word in most documents tells nothing; one in a single document is no topic.
      if (df < 2) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      candidates.push({ stem, members, value: value * idf });
    }
    candidates.sort((x, y) => y.value - x.value || (x.stem < y.stem ? -1 : 1));
    const chosen = candidates.slice(0, feedback.terms);
    const best = chosen[0]?.value ?? 0;
    if (best <= 0) return [];
    return chosen.map(({ stem, members, value }) => ({
      word: stem,
      groups: [{ kind: 'stem' as const, members: members.map((termId) => ({ termId, weight: 1 })) }],
      counts: false,
      // NOTE: relative to the policy's stem weight, which scales every stem group.
      weight: (feedback.weight * value) / best,
    }));
  }
}

/** Inserts into a list sorted by descending score, keeping at most `limit` entries. */
export function insertSorted<T extends { score: number }>(list: T[], item: T, limit: number): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.score < item.score) at -= 1;
  if (at >= limit) return;
  list.splice(at, 0, item);
  if (list.length > limit) list.pop();
}
