/**
 * One search index over profile items, articles and notes: the words of each
 * field as written (folded) in posting lists of our own (typed arrays), a
 * vocabulary that groups them by stem and finds prefixes and typos, and BM25
 * ranking under a `SearchPolicy`.
 */
import { stemOf, surfaceTerm } from '../text/words.ts';
import { decodeIndex, encodeIndex, encodeIndexPieces } from './binary.ts';
import { DocumentReader } from './document-terms.ts';
import { planQuery, type Lexicon } from './plan.ts';
import { SEARCH_POLICY, type SearchPolicy } from './policy.ts';
import { Postings } from './postings.ts';
import { Scorer, modeOf, type KeepSlot } from './rank.ts';
import { makeSnippet } from './snippet.ts';
import { complete, didYouMean } from './suggest.ts';
import { Vocabulary } from './vocabulary.ts';
import type { DocKind, IndexedDoc, Keep, RankOptions, Ranking, SearchHit } from './types.ts';

export type { DocKind, HitSource, IndexedDoc, Keep, RankedMatch, RankOptions, Ranking, SearchHit, SearchOutcome, SearchQuery } from './types.ts';
export { SEARCH_OPTIONS_VERSION, SEARCH_POLICY, type SearchPolicy } from './policy.ts';

/** Options for a `SearchIndex`. */
export interface SearchIndexOptions {
  /** Ranking policy; default `SEARCH_POLICY`. */
  policy?: Partial<SearchPolicy>;
  /**
   * Reads an article's text back for its snippet. When given, article text is
   * indexed but not kept in memory (the index then holds about a third of the
   * bytes per document); notes and profile items always stay in memory.
   */
  loadText?: (doc: IndexedDoc) => string | undefined;
  /** Called after every change (add, replace, remove): the snapshot schedules a save. */
  onChange?: () => void;
}

/** The search index and the documents it was built from. */
export class SearchIndex {
  /** The postings hold each document's kept form as their slot's record: one map from id to slot, no second one to documents. */
  private readonly lexicon: Lexicon = { postings: new Postings<IndexedDoc>(), vocabulary: new Vocabulary(stemOf) };
  private readonly scorer: Scorer;
  private reader!: DocumentReader;
  readonly policy: SearchPolicy;
  private readonly loadText: ((doc: IndexedDoc) => string | undefined) | undefined;
  /** Called after every change; settable so an owner can start listening once loading is over. */
  onChange: (() => void) | undefined;
  private changes = 0;

  constructor(options: SearchIndexOptions = {}) {
    this.policy = { ...SEARCH_POLICY, ...options.policy };
    this.loadText = options.loadText;
    this.onChange = options.onChange;
    this.scorer = new Scorer(this.lexicon, this.policy);
    this.wire();
  }

  /** Connects the document reader and the vacuum's renumbering to the lexicon's postings and vocabulary. */
  private wire(): void {
    const { postings, vocabulary } = this.lexicon;
    this.reader = new DocumentReader(postings, (term, termId) => vocabulary.add(term, termId));
    // A vacuum drops the terms no live document holds and renumbers the rest.
    postings.onRenumberTerms = (map) => {
      vocabulary.renumber(map, postings.terms);
      this.reader.forget();
    };
  }

  /** Number of documents of each kind. */
  counts(): Record<DocKind, number> {
    const counts: Record<DocKind, number> = { note: 0, article: 0, profile: 0 };
    for (const doc of this.lexicon.postings.liveRecords()) counts[doc.kind] += 1;
    return counts;
  }

  get size(): number {
    return this.lexicon.postings.documentCount;
  }

  /** Counts the changes (adds, replacements, removals): a save in slices checks that none came in between. */
  get revision(): number {
    return this.changes;
  }

  has(id: string): boolean {
    return this.lexicon.postings.slotOf(id) !== undefined;
  }

  /** A document as kept in memory (an article's text is empty when `loadText` is set). */
  get(id: string): IndexedDoc | undefined {
    return this.lexicon.postings.record(id);
  }

  /** All documents (for listing by filter). */
  all(): IterableIterator<IndexedDoc> {
    return this.lexicon.postings.liveRecords();
  }

  /** Adds a document, or replaces the one with the same id. */
  upsert(doc: IndexedDoc): void {
    const { postings } = this.lexicon;
    postings.remove(doc.id);
    const { fields, lengths } = this.reader.read(doc);
    postings.addTermIds(doc.id, fields, lengths, this.keptForm(doc));
    this.changes += 1;
    this.onChange?.();
  }

  /** Adds many documents at once (for a first build). */
  addAll(docs: readonly IndexedDoc[]): void {
    for (const doc of docs) this.upsert(doc);
  }

  remove(id: string): boolean {
    if (this.lexicon.postings.remove(id) === undefined) return false;
    this.changes += 1;
    this.onChange?.();
    return true;
  }

  /** Removes every document a predicate selects (a whole kind). */
  removeWhere(predicate: (doc: IndexedDoc) => boolean): void {
    for (const doc of [...this.lexicon.postings.liveRecords()]) {
      if (predicate(doc)) this.remove(doc.id);
    }
  }

  /**
   * The best `limit` documents for a free-text query under the policy, and how
   * many matched in all (among those `keep` keeps). Each word is matched as
   * typed, by the other words of its stem, the last one by prefix, and an
   * unknown one by its typo corrections, weighed in that order (plan.ts,
   * rank.ts); questions of many words are weighed by stem and get feedback.
   */
  rank(text: string, options: number | RankOptions): Ranking {
    const { limit, keep } = typeof options === 'number' ? { limit: options, keep: undefined } : options;
    const keepSlot = this.keepSlot(keep);
    const plans = planQuery(text, this.policy, this.lexicon);
    if (plans.length === 0) return { matches: [], total: 0 };
    const questions = this.policy.questions;
    const mode = modeOf(this.policy, questions !== false && plans.length >= questions.minWords);
    const feedback = this.policy.feedback;
    if (feedback === false || plans.length < feedback.minWords) return this.scorer.score(plans, limit, keepSlot, mode);
    // Pseudo-relevance feedback: only for long queries (questions, not the few words /find gets).
    const first = this.scorer.score(plans, Math.max(feedback.docs, limit), keepSlot, mode);
    const extra = this.scorer.feedbackPlans(first.matches.slice(0, feedback.docs), plans, (id) => {
      const doc = this.get(id);
      return doc ? `${doc.title} ${this.textOf(doc)}` : '';
    });
    if (extra.length === 0) return first.matches.length > limit ? { matches: first.matches.slice(0, limit), total: first.total } : first;
    // NOTE: the second pass is plain BM25, without the word-count multiplier: with the feedback
    // terms in, a document on the query's topic is found by them, and multiplying by the count
    // of query words put back the bias toward documents that merely repeat the question's words
    // (Cranfield nDCG@10 0.389 with it, 0.407 without; eval sweep over docs 5-15, terms 10-20, weight 0.3-0.7).
    return this.scorer.score([...plans, ...extra], limit, keepSlot, { ...mode, coordination: 0 });
  }

  /**
   * How many documents of each kind (among those `keep` keeps) hold at least
   * `needed` of the given words, each in any of its forms (a word or its stem,
   * as `indexTerm` gives it), in any field. Read off the posting lists: no
   * scoring, so a topic made of common words costs milliseconds at 100k documents.
   */
  countWithTerms(terms: readonly string[], needed: number, keep?: Keep): Record<DocKind, number> {
    const { postings, vocabulary } = this.lexicon;
    const matched = new Map<number, number>();
    const stems = new Set<string>();
    for (const term of terms) {
      const word = surfaceTerm(term) ?? term;
      stems.add(stemOf(word));
    }
    for (const stem of stems) {
      const holders = new Set<number>();
      // Both readings of a stem given as a word: "configur" is its own stem's form and the stem of "configure".
      for (const termId of new Set([...vocabulary.withStem(stem), ...vocabulary.withStem(stemOf(stem))])) {
        postings.forEachSlot(termId, (slot) => holders.add(slot));
      }
      for (const slot of holders) matched.set(slot, (matched.get(slot) ?? 0) + 1);
    }
    const counts: Record<DocKind, number> = { note: 0, article: 0, profile: 0 };
    for (const [slot, count] of matched) {
      if (count < needed) continue;
      const doc = postings.recordAt(slot);
      if (doc && (!keep || keep(doc))) counts[doc.kind] += 1;
    }
    return counts;
  }

  /**
   * Up to `limit` "did you mean" words for a query that found nothing, from
   * the documents `keep` keeps (see suggest.ts).
   */
  didYouMean(text: string, limit = 3, keep?: Keep): string[] {
    return didYouMean(this.lexicon, this.keepSlot(keep), text, limit);
  }

  /** Completions for a partly typed query: whole queries, best first, from the documents `keep` keeps. */
  complete(partial: string, limit: number, keep?: Keep): string[] {
    return complete(this.lexicon, this.keepSlot(keep), partial, limit);
  }

  /** A document as a search result, with a snippet around the given index terms. */
  hit(doc: IndexedDoc, terms: ReadonlySet<string>, score: number): SearchHit {
    return {
      id: doc.id,
      kind: doc.kind,
      title: doc.title,
      ...(doc.date ? { date: doc.date } : {}),
      ...(doc.dateSource ? { dateSource: doc.dateSource } : {}),
      tags: doc.tags,
      source: doc.source,
      snippet: makeSnippet(this.textOf(doc) || doc.title, terms),
      score,
    };
  }

  /**
   * The index as bytes (for the snapshot): documents' kept metadata, postings
   * and vocabulary (see binary.ts). Removed documents are vacuumed first.
   */
  toBinary(): Uint8Array {
    const { postings } = this.lexicon;
    if (postings.hasDead) postings.vacuum();
    // Read after the vacuum: it renumbers the vocabulary's terms.
    return encodeIndex(postings, this.lexicon.vocabulary);
  }

  /**
   * `toBinary`'s bytes in pieces, each one a slice of the work (milliseconds),
   * so a save can yield to the event loop between them. Valid only while the
   * index does not change (`revision`): a caller that sees a change drops them.
   */
  *binaryPieces(): Generator<Uint8Array> {
    const { postings } = this.lexicon;
    // Removed documents are vacuumed first, in slices too (100k documents: a quarter of a second in one go).
    if (postings.hasDead) {
      const vacuum = postings.vacuumSlices();
      let step = vacuum.next();
      for (; !step.done; step = vacuum.next()) yield new Uint8Array(0);
      // The caller stops at a change between pieces: this is a bug's guard, never a half index.
      if (!step.value) throw new Error('search: the index changed while it was being saved');
      while (!postings.fillSlotMap(20_000)) yield new Uint8Array(0);
    }
    // Read after the vacuum: it renumbers the vocabulary's terms.
    yield* encodeIndexPieces(postings, this.lexicon.vocabulary);
  }

  /** Restores an index saved with `toBinary` under the same options version; throws with a short reason on bytes it cannot read. */
  static fromBinary(bytes: Uint8Array, options: SearchIndexOptions = {}): SearchIndex {
    const index = new SearchIndex(options);
    // A document saved without its text is already in its kept form (label and path one string).
    const decoded = decodeIndex(bytes, stemOf, (doc) => (doc.text === '' ? doc : index.keptForm(doc)));
    index.lexicon.postings = decoded.postings;
    index.lexicon.vocabulary = decoded.vocabulary;
    index.wire();
    return index;
  }

  /**
   * After `fromBinary`: does what the restore left for later so the index could
   * answer sooner (the map from id to slot), a slice per turn of the event loop.
   * A lookup before it is over does the rest at once.
   */
  async finishRestore(): Promise<void> {
    const { postings } = this.lexicon;
    // From the next turn on: the caller is about to answer.
    do await new Promise<void>((resolve) => setImmediate(resolve));
    while (!postings.fillSlotMap(20_000));
  }

  private keepSlot(keep: Keep | undefined): KeepSlot | undefined {
    if (!keep) return undefined;
    const { postings } = this.lexicon;
    return (slot) => {
      const doc = postings.recordAt(slot);
      return doc !== undefined && keep(doc);
    };
  }

  /** An article's text is left out of memory when it can be read back. */
  private keptForm(doc: IndexedDoc): IndexedDoc {
    if (!this.loadText || doc.kind !== 'article' || !doc.source.path) return doc;
    // One string for label and path (a snapshot would otherwise hold two copies).
    const source = doc.source.label === doc.source.path ? { ...doc.source, label: doc.source.path } : doc.source;
    return { ...doc, text: '', source };
  }

  private textOf(doc: IndexedDoc): string {
    if (doc.text || !this.loadText || doc.kind !== 'article') return doc.text;
    return this.loadText(doc) ?? '';
  }
}
