/**
 * One MiniSearch index over profile items, articles and notes.
 */
import MiniSearch, { type Options, type SearchOptions, type SearchResult } from 'minisearch';
import type { DocKind, HitSource, SearchHit } from './search-types.ts';
import { makeSnippet } from './snippet.ts';
import { foldCase, indexTerm, tagTerm, tokenize } from './text.ts';

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
export const SEARCH_OPTIONS_VERSION = 1;

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

export const INDEX_OPTIONS: Options<IndexedDoc> = {
  fields: ['title', 'text', 'tags'],
  storeFields: [],
  extractField: (doc, field) => {
    if (field === 'tags') return doc.tags.join(' ');
    return (doc as unknown as Record<string, string>)[field] ?? '';
  },
  processTerm: processIndexTerm,
  searchOptions: {
    boost: { title: 3, tags: 2, text: 1 },
    prefix: (term) => term.length >= MIN_PREFIX_LENGTH,
    fuzzy: (term) => fuzzyDistance(term),
    maxFuzzy: 2,
    weights: { prefix: 0.5, fuzzy: 0.35 },
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

/** The search index and the documents it was built from. */
export class SearchIndex {
  private readonly docs = new Map<string, IndexedDoc>();
  private miniSearch = new MiniSearch<IndexedDoc>(INDEX_OPTIONS);

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

  get(id: string): IndexedDoc | undefined {
    return this.docs.get(id);
  }

  /** All documents (for listing by filter). */
  all(): IterableIterator<IndexedDoc> {
    return this.docs.values();
  }

  /** Adds a document, or replaces the one with the same id. */
  upsert(doc: IndexedDoc): void {
    if (this.docs.has(doc.id)) this.miniSearch.discard(doc.id);
    this.docs.set(doc.id, doc);
    this.miniSearch.add(doc);
  }

  /** Adds many documents at once (for a first build). */
  addAll(docs: readonly IndexedDoc[]): void {
    for (const doc of docs) this.upsert(doc);
  }

  remove(id: string): boolean {
    if (!this.docs.has(id)) return false;
    this.docs.delete(id);
    this.miniSearch.discard(id);
    return true;
  }

  /** Removes every document whose id starts with a prefix (a whole kind). */
  removeWhere(predicate: (doc: IndexedDoc) => boolean): void {
    for (const doc of [...this.docs.values()]) {
      if (predicate(doc)) this.remove(doc.id);
    }
  }

  /** Ranked search with filters; a query of filters only lists matching documents, newest first. */
  search(query: SearchQuery, limit: number, options: SearchOptions = {}): SearchOutcome {
    const matchesFilters = (doc: IndexedDoc | undefined): doc is IndexedDoc =>
      doc !== undefined &&
      (query.kinds.length === 0 || query.kinds.includes(doc.kind)) &&
      query.tags.every((tag) => doc.tags.includes(tag));

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
    const results = this.miniSearch.search(query.text, {
      ...options,
      ...(filtered ? { filter: (result: SearchResult) => matchesFilters(this.docs.get(result.id as string)) } : {}),
    });
    const hits: SearchHit[] = [];
    for (const result of results.slice(0, limit)) {
      const doc = this.docs.get(result.id as string);
      if (doc) hits.push(this.toHit(doc, new Set(result.terms), result.score));
    }
    return { hits, total: results.length };
  }

  /** Raw MiniSearch results, for counting and evaluation. */
  rawSearch(text: string, options: SearchOptions = {}): SearchResult[] {
    return this.miniSearch.search(text, options);
  }

  /** Up to `limit` "did you mean" queries for a query that found nothing. */
  didYouMean(text: string, limit = 3): string[] {
    const words = tokenize(text).filter((word) => indexTerm(word) !== undefined);
    if (words.length === 0) return [];
    const suggestions = new Map<string, number>();
    // Each word on its own, with a looser edit distance than search uses.
    for (const word of words.slice(0, 8)) {
      const folded = foldCase(word);
      const results = this.miniSearch.search(folded, {
        prefix: folded.length >= MIN_PREFIX_LENGTH,
        fuzzy: folded.length <= 2 ? false : Math.min(3, Math.max(1, Math.round(folded.length * 0.4))),
        maxFuzzy: 3,
        combineWith: 'OR',
      });
      for (const result of results.slice(0, 20)) {
        for (const term of result.terms) {
          const surface = this.surfaceOf(result.id as string, term);
          if (!surface || surface === folded) continue;
          suggestions.set(surface, (suggestions.get(surface) ?? 0) + result.score);
        }
      }
    }
    return [...suggestions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([surface]) => surface);
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
    for (const word of tokenize(`${doc.title} ${doc.text} ${doc.tags.join(' ')}`)) {
      if (indexTerm(word) === term || tagTerm(word) === term) return foldCase(word);
    }
    return undefined;
  }

  private anySurface(term: string): string | undefined {
    const [first] = this.miniSearch.search(term, { prefix: false, fuzzy: false, processTerm: (t) => t });
    return first ? this.surfaceOf(first.id as string, term) : undefined;
  }

  private toHit(doc: IndexedDoc, terms: ReadonlySet<string>, score: number): SearchHit {
    return {
      id: doc.id,
      kind: doc.kind,
      title: doc.title,
      ...(doc.date ? { date: doc.date } : {}),
      tags: doc.tags,
      source: doc.source,
      snippet: makeSnippet(doc.text || doc.title, terms),
      score,
    };
  }

  /** Serialises the index (for a snapshot). */
  toJSON(): { index: unknown; docs: IndexedDoc[] } {
    return { index: this.miniSearch.toJSON(), docs: [...this.docs.values()] };
  }

  /** Restores an index saved with `toJSON` under the same options version. */
  static fromJSON(json: { index: unknown; docs: IndexedDoc[] }): SearchIndex {
    const index = new SearchIndex();
    index.miniSearch = MiniSearch.loadJS(json.index as never, INDEX_OPTIONS);
    for (const doc of json.docs) index.docs.set(doc.id, doc);
    return index;
  }
}

function hasSearchableTerms(text: string): boolean {
  return tokenize(text).some((word) => indexTerm(word) !== undefined);
}
