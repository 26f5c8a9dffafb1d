/** Types of search results, shared by the index, commands and renderers. */
import type { Span } from './command.ts';

/** What a document in the index is. */
export type DocKind = 'note' | 'article' | 'profile';

/** Where a hit came from, for a "source" line and a link. */
export interface HitSource {
  /** Short human label: `articles/git/nfs.md`, `note k3v9x2ma7q`, `profile › Current topics`. */
  label: string;
  /** A link to the original (article `url`, note permalink, profile item link). */
  url?: string;
  /** Article path relative to DATA_DIR. */
  path?: string;
  /** Note id, for `/forget`. */
  noteId?: string;
}

/** One search result. */
export interface SearchHit {
  /** Index id (`note:…`, `article:…`, `profile:…`). */
  id: string;
  kind: DocKind;
  title: string;
  /** ISO date (`2024-05-01`) or timestamp, when known. */
  date?: string;
  tags: string[];
  source: HitSource;
  /** About 200 characters around the best match; matched words are `strong`. */
  snippet: Span[];
  /** Relevance score (higher is better); comparable only within one search. */
  score: number;
}
