/**
 * The one adapter between the evaluation and tinker's search index: the search
 * engineer edits this file when the index API changes; nothing else in bench/eval
 * knows how SearchIndex is called.
 */
import { SearchIndex, type SearchPolicy } from '../../src/core/index.ts';
import type { System } from './types.ts';

/** tinker's index under a policy (the shipped one by default), ranking exactly as `/find` does, without snippets. */
export function tinkerSystem(name = 'tinker', policy: Partial<SearchPolicy> = {}): System {
  return {
    name,
    build(docs) {
      const index = new SearchIndex({ policy });
      for (const doc of docs) index.upsert(doc);
      return (query, limit) => index.rank(query, { limit }).matches.map((match) => match.id);
    },
  };
}
