/** The index's own types: what goes in, what a query asks, what comes out. */
import type { DocKind, HitSource, SearchHit } from '../domain/types.ts';

export type { DocKind, HitSource, SearchHit };

/** A document as the index holds it. */
export interface IndexedDoc {
  /** Unique across kinds: `note:…`, `article:…`, `profile:…`. */
  id: string;
  kind: DocKind;
  title: string;
  text: string;
  tags: string[];
  /** Other names of the document (Obsidian `aliases:`), searched like the title. */
  aliases?: string[];
  date?: string;
  /** Where `date` came from, when it is not the document's own (a file time). */
  dateSource?: 'front-matter' | 'file-name' | 'modified' | 'created';
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

/** Which documents a read may see: the kb's read rule and filters. Absent: all of them. */
export type Keep = (doc: IndexedDoc) => boolean;

/** How `rank` is limited: the best `limit`, among the documents `keep` keeps (all when absent). */
export interface RankOptions {
  limit: number;
  /** Applied before counting: a document it drops is neither ranked nor counted. */
  keep?: Keep;
}

/** A ranked match, before it becomes a hit. */
export interface RankedMatch {
  id: string;
  score: number;
  /** Index terms that matched in the document (for the snippet's marked words). */
  terms: string[];
}

/** The best matches of a query and how many documents matched in all. */
export interface Ranking {
  matches: RankedMatch[];
  total: number;
}
