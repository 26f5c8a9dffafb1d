/**
 * The index as JSON, for the snapshot: the live documents' ids and field
 * lengths, each term's posting lists as flat number arrays, and the kept
 * documents. Loading it rebuilds the typed arrays without re-tokenizing.
 */
import { FIELD_COUNT } from './postings.ts';
import type { Postings } from './postings.ts';
import type { IndexedDoc } from './types.ts';

/** Names this layout; a snapshot of another layout is not loaded. */
export const JSON_LAYOUT = 'tinker-postings-1';

/** The index part of a snapshot. */
export interface PostingsJSON {
  layout: typeof JSON_LAYOUT;
  /** Document ids by slot (slots numbered from 0). */
  ids: string[];
  /** Per field id, each slot's field length. */
  lengths: number[][];
  /** `[term, [title, text, tags]]`, each field `[slot, tf, slot, tf, …]` or null. */
  index: Array<[string, Array<number[] | null>]>;
}

/** A serialised index. */
export interface SearchIndexJSON {
  /** The postings (see `PostingsJSON`). */
  index: unknown;
  docs: IndexedDoc[];
}

export function postingsToJSON(postings: Postings): PostingsJSON {
  const { ids, lengths } = postings.liveSlots();
  const index: PostingsJSON['index'] = [];
  for (const [term, fields] of postings.entries()) index.push([term, fields.map((flat) => flat ?? null)]);
  return { layout: JSON_LAYOUT, ids, lengths, index };
}

/** Checks the shape of saved postings; a message says what is wrong. */
export function postingsProblem(json: unknown): string | undefined {
  const saved = json as Partial<PostingsJSON> | null;
  if (!saved || typeof saved !== 'object') return 'no index';
  if (saved.layout !== JSON_LAYOUT) return `layout ${String(saved.layout)}, expected ${JSON_LAYOUT}`;
  if (!Array.isArray(saved.ids) || !Array.isArray(saved.index) || !Array.isArray(saved.lengths) || saved.lengths.length !== FIELD_COUNT) {
    return 'incomplete index';
  }
  return undefined;
}

export function loadPostingsJSON(postings: Postings, json: PostingsJSON, onNewTerm: (term: string, termId: number) => void): void {
  postings.load(
    json.ids,
    json.lengths,
    json.index.map(([term, fields]) => [term, fields.map((flat) => flat ?? undefined)] as [string, Array<number[] | undefined>]),
    onNewTerm,
  );
}
