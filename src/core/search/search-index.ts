/**
 * One MiniSearch index over profile items, articles and notes.
 */
import MiniSearch, { type Options } from 'minisearch';
import type { DocKind, HitSource, SearchHit } from '../domain/types.ts';
import { makeSnippet } from './snippet.ts';
import { foldCase, indexTerm, stemLetters, tagTerm, tokenize } from '../text/words.ts';

export type { DocKind, HitSource, SearchHit };

/** A document as the index holds it. */
export interface IndexedDoc {
  /** Unique across kinds: `note:…`, `article:…`, `profile:…`. */
  id: string;
  kind: DocKind;
  title: string;
  text: string;
  tags: string[];
  date?: string;
  source: HitSource;
  /** An article file's modification time in ms, for the snapshot's change check. */
  mtimeMs?: number;
}

/** A parsed `/find` query. */
export interface SearchQuery {
  /** Free text, filters removed. */
  text: string;
  /** Only these kinds, when not empty. */
  kinds: DocKind[];
  /** Documents must carry every one of these tags. */
  tags: string[];
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** How many documents matched in all (before the limit). */
  total: number;
}

/**
 * Changing the search options below changes what a snapshot means: bump this
 * so an old snapshot is rebuilt rather than loaded with the wrong options.
 */
export const SEARCH_OPTIONS_VERSION = 4;

const MIN_PREFIX_LENGTH = 3;

/** Edit distance allowed for a query term: none up to 3 characters, 1 up to 5, then 2. */
export function fuzzyDistance(term: string): number | false {
  if (term.length <= 3) return false;
  if (term.length <= 5) return 1;
  return 2;
}

function processIndexTerm(term: string, fieldName?: string): string | undefined {
  return fieldName === 'tags' ? tagTerm(term) : indexTerm(term);
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
  /** BM25 parameters (MiniSearch's BM25+). */
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
// Tuned with `npm run eval` (Cranfield nDCG@10 and til known-item recall; see bench/eval.ts --variants):
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

const INDEX_FIELDS = ['title', 'text', 'tags'];

export const INDEX_OPTIONS: Options<IndexedDoc> = {
  fields: INDEX_FIELDS,
  storeFields: [],
  extractField: (doc, field) => {
    if (field === 'tags') return doc.tags.join(' ');
    return (doc as unknown as Record<string, string>)[field] ?? '';
  },
  tokenize: (text) => tokenize(text),
  processTerm: processIndexTerm,
  searchOptions: {
    boost: SEARCH_POLICY.boost,
    prefix: (term) => term.length >= MIN_PREFIX_LENGTH,
    fuzzy: (term) => fuzzyDistance(term),
    maxFuzzy: 2,
    weights: SEARCH_POLICY.weights,
    bm25: SEARCH_POLICY.bm25,
    combineWith: 'OR',
    processTerm: (term) => indexTerm(term),
  },
  autoSuggestOptions: {
    prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 2,
    fuzzy: (term) => fuzzyDistance(term),
    combineWith: 'AND',
    processTerm: (term) => indexTerm(term),
  },
};

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

/** A query term with what the policy allows for it. */
interface TermPlan {
  term: string;
  prefix: boolean;
  fuzzy: number | false;
  /** Index terms one edit away from the word as typed (spelling corrections), for a word the index lacks. */
  corrections: string[];
  /** The word as a tag (folded, not stemmed), when the index holds that tag and it differs from `term`. */
  tag?: string;
}

/** Posting lists of one index term: field id → (short document id → term frequency). */
type TermData = Map<number, Map<number, number>>;

/**
 * The parts of MiniSearch's internals the ranking reads. MiniSearch stores the
 * index; `rank` scores it directly (see there). Checked by the tests on every run.
 */
interface MiniSearchInternals {
  _index: Iterable<[string, TermData]> & {
    set(term: string, data: TermData): void;
    has(term: string): boolean;
    get(term: string): TermData | undefined;
    atPrefix(prefix: string): Iterable<[string, TermData]> & { has(suffix: string): boolean };
    fuzzyGet(term: string, maxDistance: number): Map<string, [TermData, number]>;
  };
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
}

/** Most index terms one query word expands to by prefix, and by typo: the cost of a word stays bounded. */
const MAX_PREFIX_EXPANSIONS = 24;
const MAX_FUZZY_EXPANSIONS = 12;

/** One index term a query word is searched as, with its weight. */
interface Expansion {
  term: string;
  data: TermData;
  weight: number;
  /** The query word it stands for (coordination counts words); -1 for a feedback term, which does not count. */
  word: number;
}

/** A ranked match, before it becomes a hit. */
export interface RankedMatch {
  id: string;
  score: number;
  /** Index terms that matched in the document. */
  terms: string[];
}

/** The search index and the documents it was built from. */
export class SearchIndex {
  private readonly docs = new Map<string, IndexedDoc>();
  private miniSearch = new MiniSearch<IndexedDoc>(INDEX_OPTIONS);
  /**
   * Per MiniSearch short id: live or not, and each field's length, in flat
   * arrays: the scoring loop reads these for every posting, and two Map
   * lookups per posting were most of /find's cost at 100k documents.
   */
  private alive = new Uint8Array(1024);
  private scoreBuffers = { scores: new Float64Array(0), wordsHit: new Uint32Array(0) };
  private lengths: Float32Array[] = INDEX_FIELDS.map(() => new Float32Array(1024));
  readonly policy: SearchPolicy;
  private readonly loadText: ((doc: IndexedDoc) => string | undefined) | undefined;
  /** Called after every change; settable so an owner can start listening once loading is over. */
  onChange: (() => void) | undefined;

  constructor(options: SearchIndexOptions = {}) {
    this.policy = { ...SEARCH_POLICY, ...options.policy };
    this.loadText = options.loadText;
    this.onChange = options.onChange;
  }

  /** Number of documents of each kind. */
  counts(): Record<DocKind, number> {
    const counts: Record<DocKind, number> = { note: 0, article: 0, profile: 0 };
    for (const doc of this.docs.values()) counts[doc.kind] += 1;
    return counts;
  }

  get size(): number {
    return this.docs.size;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  /** A document as kept in memory (an article's text is empty when `loadText` is set). */
  get(id: string): IndexedDoc | undefined {
    return this.docs.get(id);
  }

  /** All documents (for listing by filter). */
  all(): IterableIterator<IndexedDoc> {
    return this.docs.values();
  }

  /** Adds a document, or replaces the one with the same id. */
  upsert(doc: IndexedDoc): void {
    if (this.docs.has(doc.id)) this.discardFromMiniSearch(doc.id);
    this.miniSearch.add(doc);
    this.track(this.internals()._idToShortId.get(doc.id));
    this.docs.set(doc.id, this.keptForm(doc));
    this.onChange?.();
  }

  /** Adds many documents at once (for a first build). */
  addAll(docs: readonly IndexedDoc[]): void {
    for (const doc of docs) this.upsert(doc);
  }

  remove(id: string): boolean {
    if (!this.docs.has(id)) return false;
    this.docs.delete(id);
    this.discardFromMiniSearch(id);
    this.onChange?.();
    return true;
  }

  /** Removes every document a predicate selects (a whole kind). */
  removeWhere(predicate: (doc: IndexedDoc) => boolean): void {
    for (const doc of [...this.docs.values()]) {
      if (predicate(doc)) this.remove(doc.id);
    }
  }

  /** Ranked search with filters; a query of filters only lists matching documents, newest first. */
  search(query: SearchQuery, limit: number): SearchOutcome {
    const matchesFilters = (doc: IndexedDoc | undefined): doc is IndexedDoc =>
      doc !== undefined &&
      (query.kinds.length === 0 || query.kinds.includes(doc.kind)) &&
      // Tags are kept as written; the query's are folded (#café finds café).
      query.tags.every((tag) => doc.tags.some((docTag) => docTag === tag || tagTerm(docTag) === tag));

    if (!hasSearchableTerms(query.text)) {
      if (query.kinds.length === 0 && query.tags.length === 0) return { hits: [], total: 0 };
      const listed = [...this.docs.values()].filter(matchesFilters);
      listed.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
      return {
        total: listed.length,
        hits: listed.slice(0, limit).map((doc) => this.toHit(doc, new Set(), 0)),
      };
    }

    const filtered = query.kinds.length > 0 || query.tags.length > 0;
    const { matches, total } = this.rank(query.text, limit, filtered ? (id) => matchesFilters(this.docs.get(id)) : undefined);
    const hits: SearchHit[] = [];
    for (const match of matches) {
      const doc = this.docs.get(match.id);
      if (doc) hits.push(this.toHit(doc, new Set(match.terms), match.score));
    }
    return { hits, total };
  }

  /**
   * The best `limit` documents for a free-text query under the policy, and how
   * many matched in all. Each word is matched exactly, by prefix (3+ characters,
   * at a lower weight) and, when the policy says so, with a bounded number of
   * typos (at a lower weight still): exact before prefix before fuzzy.
   */
  rank(text: string, limit: number, keep?: (id: string) => boolean): { matches: RankedMatch[]; total: number } {
    const plans = this.plan(text);
    if (plans.length === 0) return { matches: [], total: 0 };
    const ms = this.internals();
    const expansions = this.expand(plans, ms);
    const feedback = this.policy.feedback;
    if (feedback === false || plans.length < feedback.minWords) return this.score(expansions, limit, keep);
    // Pseudo-relevance feedback: only for long queries (questions, not the few words /find gets).
    const first = this.score(expansions, Math.max(feedback.docs, limit), keep);
    const extra = this.feedbackTerms(first.matches.slice(0, feedback.docs), new Set(plans.map((p) => p.term)), ms);
    if (extra.length === 0) return first.matches.length > limit ? { matches: first.matches.slice(0, limit), total: first.total } : first;
    // NOTE: the second pass is plain BM25, without the word-count multiplier: with the feedback
    // terms in, a document on the query's topic is found by them, and multiplying by the count
    // of query words put back the bias toward documents that merely repeat the question's words
    // (Cranfield nDCG@10 0.389 with it, 0.407 without; eval sweep over docs 5-15, terms 10-20, weight 0.3-0.7).
    return this.score([...expansions, ...extra], limit, keep, false);
  }

  /**
   * Feedback terms (RM3-style): each term of the top documents weighed by its share of
   * each document's words times the document's share of the first-pass score, times idf;
   * the best `terms` of them, with weights relative to the best one.
   */
  private feedbackTerms(top: readonly RankedMatch[], queryTerms: ReadonlySet<string>, ms: MiniSearchInternals): Expansion[] {
    const feedback = this.policy.feedback;
    if (feedback === false || top.length === 0) return [];
    const totalScore = top.reduce((sum, match) => sum + match.score, 0) || 1;
    const relevance = new Map<string, number>();
    for (const match of top) {
      const doc = this.docs.get(match.id);
      if (!doc) continue;
      const counts = new Map<string, number>();
      let length = 0;
      for (const word of tokenize(`${doc.title} ${this.textOf(doc)}`)) {
        const term = indexTerm(word);
        if (!term) continue;
        length += 1;
        counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      if (length === 0) continue;
      const docWeight = match.score / totalScore;
      for (const [term, count] of counts) relevance.set(term, (relevance.get(term) ?? 0) + (docWeight * count) / length);
    }
    const n = ms._documentCount;
    const candidates: Array<{ term: string; data: TermData; value: number }> = [];
    for (const [term, value] of relevance) {
      if (queryTerms.has(term)) continue;
      const data = ms._index.get(term);
      if (!data) continue;
      const df = docFrequency(data);
      // A word in most documents tells nothing; one in a single document is no topic.
      if (df < 2) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      candidates.push({ term, data, value: value * idf });
    }
    candidates.sort((x, y) => y.value - x.value || (x.term < y.term ? -1 : 1));
    const chosen = candidates.slice(0, feedback.terms);
    const best = chosen[0]?.value ?? 0;
    if (best <= 0) return [];
    return chosen.map(({ term, data, value }) => ({ term, data, weight: (feedback.weight * value) / best, word: -1 }));
  }

  /** BM25 over the expansions' posting lists: the best `limit` documents and how many matched. */
  private score(
    expansions: readonly Expansion[],
    limit: number,
    keep?: (id: string) => boolean,
    coordination = this.policy.coordination,
  ): { matches: RankedMatch[]; total: number } {
    // The score arrays are kept between searches and cleared where they were written: allocating
    // them per search (1.5 MB at 100k documents) made the young-generation collections that set the p99.
    const size = this.alive.length;
    if (this.scoreBuffers.scores.length < size) this.scoreBuffers = { scores: new Float64Array(size), wordsHit: new Uint32Array(size) };
    const { scores, wordsHit } = this.scoreBuffers;
    const touched: number[] = [];
    try {
      return this.rankTouched(expansions, limit, keep, coordination, scores, wordsHit, touched);
    } finally {
      for (const shortId of touched) {
        scores[shortId] = 0;
        wordsHit[shortId] = 0;
      }
    }
  }

  private rankTouched(
    expansions: readonly Expansion[],
    limit: number,
    keep: ((id: string) => boolean) | undefined,
    coordination: boolean,
    scores: Float64Array,
    wordsHit: Uint32Array,
    touched: number[],
  ): { matches: RankedMatch[]; total: number } {
    // NOTE: scoring reads MiniSearch's posting lists directly into flat arrays. MiniSearch's own
    // search() allocates a result object per matching document and sorts them all: at 100k
    // documents a common word matches tens of thousands, and that alone took hundreds of ms.
    // The score is the same BM25 MiniSearch computes (same fields, boosts, weights, parameters).
    const ms = this.internals();
    const { k, b, d } = this.policy.bm25;
    const fields = Object.entries(this.policy.boost) as Array<[string, number]>;
    for (const expansion of expansions) {
      const wordBit = expansion.word < 0 ? 0 : 1 << Math.min(expansion.word, 31);
      for (const [field, boost] of fields) {
        const fieldId = ms._fieldIds[field];
        if (fieldId === undefined) continue;
        const postings = expansion.data.get(fieldId);
        if (!postings) continue;
        const idf = Math.log(1 + (ms._documentCount - postings.size + 0.5) / (postings.size + 0.5));
        const avgLength = ms._avgFieldLength[fieldId] ?? 1;
        const factor = expansion.weight * boost * idf;
        const lengths = this.lengths[fieldId]!;
        const alive = this.alive;
        postings.forEach((tf, shortId) => {
          // Postings of a discarded document stay until MiniSearch vacuums them.
          if (alive[shortId] !== 1) return;
          const score = factor * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * lengths[shortId]!) / avgLength)));
          if (scores[shortId] === 0) touched.push(shortId);
          scores[shortId] = scores[shortId]! + score;
          wordsHit[shortId] = wordsHit[shortId]! | wordBit;
        });
      }
    }
    const top: Array<{ shortId: number; score: number }> = [];
    let total = 0;
    for (const shortId of touched) {
      if (keep && !keep(ms._documentIds.get(shortId)!)) continue;
      total += 1;
      // A document matching more of the query's words ranks higher (as in MiniSearch).
      let score = coordination ? scores[shortId]! * bitCount(wordsHit[shortId]!) : scores[shortId]!;
      if (top.length >= limit && score <= top[top.length - 1]!.score) continue;
      // Only a document that could enter the top is looked up (the weight only lowers a score).
      if (this.policy.profileWeight !== 1 && ms._documentIds.get(shortId)!.startsWith('profile:')) {
        score *= this.policy.profileWeight;
        if (top.length >= limit && score <= top[top.length - 1]!.score) continue;
      }
      insertSorted(top, { shortId, score }, limit);
    }
    const matches = top.map(({ shortId, score }) => ({
      id: ms._documentIds.get(shortId)!,
      score,
      // Feedback terms are not the user's words: not highlighted.
      terms: [...new Set(expansions.filter((e) => e.word >= 0 && [...e.data.values()].some((p) => p.has(shortId))).map((e) => e.term))],
    }));
    return { matches, total };
  }

  /**
   * The index terms each planned word is searched as: itself (weight 1), its
   * closest prefix completions and typo neighbours (lower weights, as MiniSearch
   * weighs them), each list capped so that no word can fan out without bound.
   */
  private expand(plans: readonly TermPlan[], ms: MiniSearchInternals): Expansion[] {
    const { prefix: prefixWeight, fuzzy: fuzzyWeight } = this.policy.weights;
    const out: Expansion[] = [];
    plans.forEach((plan, word) => {
      const seen = new Set<string>([plan.term]);
      const exact = ms._index.get(plan.term);
      if (exact) out.push({ term: plan.term, data: exact, weight: 1, word });
      const tagged = plan.tag === undefined ? undefined : tagPostings(ms, plan.tag);
      if (tagged) {
        seen.add(plan.tag!);
        out.push({ term: plan.tag!, data: tagged, weight: 1, word });
      }
      if (plan.prefix) {
        const completions: Array<[string, TermData]> = [];
        for (const [term, data] of ms._index.atPrefix(plan.term)) if (!seen.has(term)) completions.push([term, data]);
        // Closest completions first; among equals, the more common (the likelier word).
        completions.sort((x, y) => x[0].length - y[0].length || docFrequency(y[1]) - docFrequency(x[1]));
        for (const [term, data] of completions.slice(0, MAX_PREFIX_EXPANSIONS)) {
          seen.add(term);
          const distance = term.length - plan.term.length;
          out.push({ term, data, weight: (prefixWeight * term.length) / (term.length + 0.3 * distance), word });
        }
      }
      if (plan.fuzzy !== false) {
        // Spelling corrections first (one edit of the word as typed); stems one edit away only when
        // there are none, and two edits only when neither finds anything: a search at distance 2
        // visits far more of the tree, and adds more noise than answers.
        const corrected = plan.corrections.some((term) => !seen.has(term));
        let near = corrected ? [] : [...ms._index.fuzzyGet(plan.term, 1)].filter(([term]) => !seen.has(term));
        if (plan.fuzzy > 1 && near.length === 0 && !corrected) {
          near = [...ms._index.fuzzyGet(plan.term, plan.fuzzy)].filter(([term]) => !seen.has(term));
        }
        near.sort((x, y) => x[1][1] - y[1][1] || docFrequency(y[1][0]) - docFrequency(x[1][0]));
        for (const [term, [data, distance]] of near.slice(0, MAX_FUZZY_EXPANSIONS)) {
          seen.add(term);
          out.push({ term, data, weight: (fuzzyWeight * term.length) / (term.length + distance), word });
        }
      }
      for (const term of plan.corrections) {
        const data = seen.has(term) ? undefined : ms._index.get(term);
        if (!data) continue;
        seen.add(term);
        out.push({ term, data, weight: fuzzyWeight, word });
      }
    });
    return out;
  }

  /** The query's index terms with the prefix and typo allowance each one gets. */
  private plan(text: string): TermPlan[] {
    const words = tokenize(text);
    const plans: TermPlan[] = [];
    const seen = new Set<string>();
    const internals = this.internals();
    words.forEach((word, i) => {
      const term = indexTerm(word);
      if (!term || seen.has(term)) return;
      seen.add(term);
      const folded = foldCase(word);
      const last = i === words.length - 1;
      // The length rule applies to the word as typed and to its stem: "used" stems to "us", which must not expand to every "us…".
      const prefix =
        folded.length >= MIN_PREFIX_LENGTH &&
        term.length >= MIN_PREFIX_LENGTH &&
        (this.policy.prefix === 'all' || (this.policy.prefix === 'last' && last));
      // Tags are indexed as written, not stemmed: "ruby" must also find the tag ruby, though its stem is "rubi".
      const tag = tagTerm(word);
      const tagKnown = tag !== undefined && tag !== term && tagPostings(internals, tag) !== undefined;
      const unknown = !internals._index.has(term) && !tagKnown;
      const typoAllowed = this.policy.fuzzy === 'all' || (this.policy.fuzzy === 'unknown' && unknown);
      const fuzzy = typoAllowed ? fuzzyDistance(folded) : false;
      // NOTE: a typo often changes how a word stems (configuraton → "configuraton", not "configur"),
      // so edit distance on stems misses it: correct the word as typed, then stem.
      const corrections =
        fuzzy !== false && unknown && this.policy.corrections
          ? spellingCorrections(folded, internals).filter((candidate) => candidate !== term)
          : [];
      plans.push({ term, prefix, fuzzy, corrections, ...(tagKnown ? { tag } : {}) });
    });
    return plans;
  }

  private discardFromMiniSearch(id: string): void {
    const shortId = this.internals()._idToShortId.get(id);
    if (shortId !== undefined && shortId < this.alive.length) this.alive[shortId] = 0;
    this.miniSearch.discard(id);
  }

  /** Copies a document's liveness and field lengths into the flat arrays. */
  private track(shortId: number | undefined): void {
    if (shortId === undefined) return;
    if (shortId >= this.alive.length) {
      const capacity = Math.max(shortId + 1, this.alive.length * 2);
      const alive = new Uint8Array(capacity);
      alive.set(this.alive);
      this.alive = alive;
      this.lengths = this.lengths.map((old) => {
        const grown = new Float32Array(capacity);
        grown.set(old);
        return grown;
      });
    }
    this.alive[shortId] = 1;
    const lengths = this.internals()._fieldLength.get(shortId) ?? [];
    this.lengths.forEach((array, fieldId) => {
      array[shortId] = lengths[fieldId] ?? 0;
    });
  }

  private internals(): MiniSearchInternals {
    return this.miniSearch as unknown as MiniSearchInternals;
  }

  /**
   * How many documents of each kind hold at least `needed` of the given index
   * terms (exactly, in any field). Read off the posting lists: no scoring, so a
   * topic made of common words costs milliseconds at 100k documents.
   */
  countWithTerms(terms: readonly string[], needed: number): Record<DocKind, number> {
    const ms = this.internals();
    const matched = new Map<number, number>();
    for (const term of new Set(terms)) {
      const holders = new Set<number>();
      for (const postings of ms._index.get(term)?.values() ?? []) for (const shortId of postings.keys()) holders.add(shortId);
      for (const shortId of holders) matched.set(shortId, (matched.get(shortId) ?? 0) + 1);
    }
    const counts: Record<DocKind, number> = { note: 0, article: 0, profile: 0 };
    for (const [shortId, count] of matched) {
      if (count < needed || this.alive[shortId] !== 1) continue;
      const id = ms._documentIds.get(shortId);
      const doc = id === undefined ? undefined : this.docs.get(id);
      if (doc) counts[doc.kind] += 1;
    }
    return counts;
  }

  /**
   * Up to `limit` "did you mean" words for a query that found nothing: index
   * words near each query word (with more typos than search allows, and one-edit
   * spelling corrections), nearer and more common first. Looked up in the
   * vocabulary, not by searching documents, so it costs about what a search does.
   */
  didYouMean(text: string, limit = 3): string[] {
    const ms = this.internals();
    const typed = new Set<string>();
    const likelihood = new Map<string, number>();
    const consider = (candidate: string, data: TermData, edits: number) => {
      const score = docFrequency(data) / (1 + edits) ** 2;
      if (score > (likelihood.get(candidate) ?? 0)) likelihood.set(candidate, score);
    };
    const words = tokenize(text).filter((word) => indexTerm(word) !== undefined);
    for (const word of words.slice(0, 8)) {
      const term = indexTerm(word)!;
      const folded = foldCase(word);
      typed.add(term);
      typed.add(folded);
      // A word the index holds is not misspelt (the filters must have excluded it), and one or two
      // letters are too little to guess from.
      if (folded.length < 3 || ms._index.has(term) || ms._index.has(folded)) continue;
      const distance = folded.length <= 2 ? 0 : Math.min(3, Math.max(1, Math.round(folded.length * 0.4)));
      if (distance > 0) for (const [candidate, [data, edits]] of ms._index.fuzzyGet(term, distance)) consider(candidate, data, edits);
      for (const candidate of spellingCorrections(folded, ms)) {
        const data = ms._index.get(candidate);
        if (data) consider(candidate, data, 1);
      }
    }
    const out: string[] = [];
    for (const [candidate] of [...likelihood.entries()].sort((a, b) => b[1] - a[1])) {
      if (typed.has(candidate)) continue;
      const surface = this.anySurface(candidate);
      if (surface && !typed.has(surface) && !out.includes(surface)) out.push(surface);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Completions for a partly typed query: whole queries, best first. */
  complete(partial: string, limit: number): string[] {
    const text = partial.trim();
    if (!text) return [];
    const words = tokenize(text);
    const head = words.slice(0, -1).map(foldCase).join(' ');
    const out: string[] = [];
    for (const suggestion of this.miniSearch.autoSuggest(text).slice(0, limit * 2)) {
      // autoSuggest answers in index terms (stems): show the last one as a word the user wrote.
      const lastTerm = suggestion.terms[suggestion.terms.length - 1];
      const surface = lastTerm ? this.anySurface(lastTerm) : undefined;
      if (!surface) continue;
      const completed = head ? `${head} ${surface}` : surface;
      if (!out.includes(completed)) out.push(completed);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The word in a document that an index term came from. */
  private surfaceOf(docId: string, term: string): string | undefined {
    const doc = this.docs.get(docId);
    if (!doc) return undefined;
    for (const word of tokenize(`${doc.title} ${this.textOf(doc)} ${doc.tags.join(' ')}`)) {
      if (indexTerm(word) === term || tagTerm(word) === term) return foldCase(word);
    }
    return undefined;
  }

  /** The word an index term came from, in the first live document that holds it (a few tried at most). */
  private anySurface(term: string): string | undefined {
    const ms = this.internals();
    let tried = 0;
    for (const postings of ms._index.get(term)?.values() ?? []) {
      for (const shortId of postings.keys()) {
        if (this.alive[shortId] !== 1) continue;
        const id = ms._documentIds.get(shortId);
        const surface = id === undefined ? undefined : this.surfaceOf(id, term);
        if (surface) return surface;
        if (++tried >= 3) return undefined;
      }
    }
    return undefined;
  }

  private toHit(doc: IndexedDoc, terms: ReadonlySet<string>, score: number): SearchHit {
    return {
      id: doc.id,
      kind: doc.kind,
      title: doc.title,
      ...(doc.date ? { date: doc.date } : {}),
      tags: doc.tags,
      source: doc.source,
      snippet: makeSnippet(this.textOf(doc) || doc.title, terms),
      score,
    };
  }

  /** An article's text is left out of memory when it can be read back. */
  private keptForm(doc: IndexedDoc): IndexedDoc {
    if (!this.loadText || doc.kind !== 'article' || !doc.source.path) return doc;
    // One string for label and path (a snapshot's JSON would otherwise hold two copies).
    const source = doc.source.label === doc.source.path ? { ...doc.source, label: doc.source.path } : doc.source;
    return { ...doc, text: '', source };
  }

  private textOf(doc: IndexedDoc): string {
    if (doc.text || !this.loadText || doc.kind !== 'article') return doc.text;
    return this.loadText(doc) ?? '';
  }

  /**
   * Serialises the index (for a snapshot). MiniSearch's own `toJSON` writes each
   * posting list as an object keyed by document number; here they are flat
   * number arrays (`[doc, tf, doc, tf, …]`), about half the bytes, and loading
   * them needs no key parsing.
   */
  toJSON(): SearchIndexJSON {
    const ms = this.internals();
    const postings: CompactIndex['index'] = [];
    for (const [term, data] of ms._index) {
      const fields: Array<[number, number[]]> = [];
      for (const [fieldId, freqs] of data) {
        const flat: number[] = [];
        freqs.forEach((tf, shortId) => {
          if (this.alive[shortId] === 1) flat.push(shortId, tf);
        });
        if (flat.length > 0) fields.push([fieldId, flat]);
      }
      if (fields.length > 0) postings.push([term, fields]);
    }
    const index: CompactIndex = {
      documentCount: ms._documentCount,
      nextId: ms._nextId,
      documentIds: [...ms._documentIds],
      fieldIds: ms._fieldIds,
      fieldLength: [...ms._fieldLength],
      averageFieldLength: ms._avgFieldLength,
      index: postings,
    };
    return { index, docs: [...this.docs.values()] };
  }

  /** Restores an index saved with `toJSON` under the same options version. */
  static async fromJSON(json: SearchIndexJSON, options: SearchIndexOptions = {}): Promise<SearchIndex> {
    const index = new SearchIndex(options);
    const saved = json.index as CompactIndex;
    // An empty MiniSearch with the saved counters, then the maps filled in directly.
    index.miniSearch = MiniSearch.loadJS(
      {
        documentCount: saved.documentCount,
        nextId: saved.nextId,
        documentIds: {},
        fieldIds: saved.fieldIds,
        fieldLength: {},
        averageFieldLength: saved.averageFieldLength,
        storedFields: {},
        dirtCount: 0,
        index: [],
        serializationVersion: 2,
      } as never,
      INDEX_OPTIONS,
    );
    const ms = index.internals();
    ms._documentIds = new Map(saved.documentIds);
    ms._fieldLength = new Map(saved.fieldLength);
    for (const [shortId, id] of ms._documentIds) ms._idToShortId.set(id, shortId);
    for (const [term, fields] of saved.index) {
      const data: TermData = new Map();
      for (const [fieldId, flat] of fields) {
        const freqs = new Map<number, number>();
        for (let i = 0; i < flat.length; i += 2) freqs.set(flat[i]!, flat[i + 1]!);
        data.set(fieldId, freqs);
      }
      ms._index.set(term, data);
    }
    for (const shortId of ms._documentIds.keys()) index.track(shortId);
    for (const doc of json.docs) index.docs.set(doc.id, index.keptForm(doc));
    return index;
  }
}

/** The index part of a snapshot: MiniSearch's state, posting lists as flat arrays. */
interface CompactIndex {
  documentCount: number;
  nextId: number;
  documentIds: Array<[number, string]>;
  fieldIds: Record<string, number>;
  fieldLength: Array<[number, number[]]>;
  averageFieldLength: number[];
  /** `[term, [[fieldId, [doc, tf, doc, tf, …]], …]]`. */
  index: Array<[string, Array<[number, number[]]>]>;
}

/** A serialised index. */
export interface SearchIndexJSON {
  /** The index in tinker's compact form (see `SearchIndex.toJSON`). */
  index: unknown;
  docs: IndexedDoc[];
}

/** Number of bits set: how many query words a document matched. */
function bitCount(bits: number): number {
  let count = 0;
  for (let v = bits >>> 0; v !== 0; v &= v - 1) count += 1;
  return count;
}

/** Documents holding a term, in its most used field. */
function docFrequency(data: TermData): number {
  let most = 0;
  for (const postings of data.values()) most = Math.max(most, postings.size);
  return most;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Index terms of every word one edit (delete, swap, replace, insert) away from
 * a folded word of Latin letters: about 54 per letter, each stemmed and looked up.
 */
function spellingCorrections(word: string, ms: MiniSearchInternals): string[] {
  // Past 16 letters the variants cost more than a search (54 per letter, each stemmed); such a
  // word is still matched by the search at distance 2.
  if (!/^[a-z]+$/.test(word) || word.length > 16) return [];
  const stems = new Set<string>();
  const add = (variant: string) => {
    const term = stemLetters(variant);
    if (term) stems.add(term);
  };
  // A variant made twice (dropping either of two equal letters) is stemmed twice: cheaper than a set of variants.
  for (let i = 0; i <= word.length; i += 1) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) add(head + tail.slice(1));
    if (tail.length > 1 && tail[0] !== tail[1]) add(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of LETTERS) {
      if (tail && letter !== tail[0]) add(head + letter + tail.slice(1));
      add(head + letter + tail);
    }
  }
  // Most stems keep the word's first three letters: look those up from that part of the tree
  // (its top levels, scanned child by child, are most of a lookup's cost).
  const lead = word.slice(0, 3);
  const near = ms._index.atPrefix(lead);
  return [...stems].filter((term) => (term.startsWith(lead) ? near.has(term.slice(lead.length)) : ms._index.has(term)));
}

/** A term's postings in the tags field only (a text term can be spelt like a tag). */
function tagPostings(ms: MiniSearchInternals, tag: string): TermData | undefined {
  const postings = ms._index.get(tag)?.get(ms._fieldIds.tags!);
  return postings ? new Map([[ms._fieldIds.tags!, postings]]) : undefined;
}

/** Inserts into a list sorted by descending score, keeping at most `limit` entries. */
function insertSorted<T extends { score: number }>(list: T[], item: T, limit: number): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.score < item.score) at -= 1;
  if (at >= limit) return;
  list.splice(at, 0, item);
  if (list.length > limit) list.pop();
}

function hasSearchableTerms(text: string): boolean {
  return tokenize(text).some((word) => indexTerm(word) !== undefined);
}
