/**
 * The domain's shared types: who asks, where from, and what a search finds.
 * A leaf: imported by every part of the core, importing none of it.
 */

/** A person who sends a command or wrote a message. */
export interface Person {
  /** Platform the person is on: `console`, `slack`, `discord`, ... */
  platform: string;
  /** The platform's user id (stable, used for NOTE_WRITERS). */
  id: string;
  /** A display name, for replies and note metadata. */
  name: string;
}

/** Where an invocation (or a quoted message) came from. */
export interface Origin {
  /** Platform name, as in `Person.platform`. */
  platform: string;
  /** Channel (or DM) id, when there is one. */
  channel?: string;
  /** A link back to the message, when the platform has one. */
  permalink?: string;
}

/** A run of text in a reply; `strong` marks matched words in a snippet. */
export interface Span {
  text: string;
  strong?: boolean;
}


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

/** Where a document's date came from: its front matter, a dated file name, or (shown as such) the file's modification time. */
export type DateSource = 'front-matter' | 'file-name' | 'modified' | 'created';

/** One search result. */
export interface SearchHit {
  /** Index id (`note:…`, `article:…`, `profile:…`). */
  id: string;
  kind: DocKind;
  title: string;
  /** ISO date (`2024-05-01`) or timestamp, when known. */
  date?: string;
  /** Where `date` came from, when known: a file time (`modified`) is shown as such. */
  dateSource?: DateSource;
  tags: string[];
  source: HitSource;
  /** About 200 characters around the best match; matched words are `strong`. */
  snippet: Span[];
  /** Relevance score (higher is better); comparable only within one search. */
  score: number;
}

/** A hit's date as shown: its day, `modified 2024-05-01` when it is only the file's modification time. */
export function shownDate(hit: Pick<SearchHit, 'date' | 'dateSource'>): string | undefined {
  const day = hit.date?.slice(0, 10);
  if (!day) return undefined;
  return hit.dateSource === 'modified' ? `modified ${day}` : day;
}
