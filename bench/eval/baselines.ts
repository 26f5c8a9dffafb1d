/**
 * The baselines tinker is measured against, over the same documents: MiniSearch
 * as it comes (defaults, and with the fuzzy 0.2 + prefix search people reach
 * for first) and a plain BM25 of our own.
 */
import MiniSearch, { type SearchOptions } from 'minisearch';
import type { IndexedDoc } from '../../src/core/index.ts';
import { PlainBm25 } from './bm25.ts';
import type { System } from './types.ts';

/** MiniSearch with its default tokenizer, term processing and boosts, over title, text and tags. */
function miniSearchSystem(name: string, searchOptions: SearchOptions): System {
  return {
    name,
    stable: true,
    build(docs) {
      const index = new MiniSearch<IndexedDoc>({
        fields: ['title', 'text', 'tags'],
        extractField: (doc, field) => (field === 'tags' ? doc.tags.join(' ') : String((doc as unknown as Record<string, unknown>)[field] ?? '')),
        searchOptions,
      });
      index.addAll(docs);
      return (query, limit) => index.search(query).slice(0, limit).map((result) => String(result.id));
    },
  };
}

export const miniSearchDefaults = miniSearchSystem('MiniSearch', {});
export const miniSearchFuzzyPrefix = miniSearchSystem('MS fuzzy+prefix', { fuzzy: 0.2, prefix: true });

export const plainBm25: System = {
  name: 'BM25',
  stable: true,
  build(docs) {
    const index = new PlainBm25(docs);
    return (query, limit) => index.search(query, limit);
  },
};

export const BASELINES: readonly System[] = [miniSearchDefaults, miniSearchFuzzyPrefix, plainBm25];
