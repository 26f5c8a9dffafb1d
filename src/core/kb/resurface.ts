/**
 * /resurface: notes and write-ups older than 30 days that are about the
 * owner's current topics (or the words given), best first, leaving out what
 * was shown to the same person in the last 30 days. What was shown is kept in
 * the store (`remember`), so every process sharing it agrees.
 */
import { createHash } from 'node:crypto';
import { StoreReadOnlyError, StoreUnavailableError } from '../domain/errors.ts';
import type { Person, SearchHit } from '../domain/types.ts';
import type { IndexedDoc } from '../search/search-index.ts';
import { topicWords, wordsCovered, wordsNeeded } from './topic-match.ts';

const DAY_MS = 86_400_000;
/** Only what is at least this old is resurfaced. */
export const RESURFACE_MIN_AGE_MS = 30 * DAY_MS;
/** What was resurfaced to someone is left out for them this long. */
export const RESURFACE_QUIET_MS = 30 * DAY_MS;
/** Most documents one /resurface shows. */
export const RESURFACE_LIMIT = 5;
/** Documents ranked per topic before the best are picked (enough that the quiet ones do not empty the list). */
const CANDIDATES_PER_TOPIC = 50;
/** Recalls sent to the store at once. */
const RECALL_BATCH = 10;

/** A document the index ranked for a text, with the index terms it matched. */
export interface RankedDoc {
  doc: IndexedDoc;
  score: number;
  terms: readonly string[];
}

/** What resurfacing needs from the knowledge base. */
export interface ResurfaceSource {
  /** The best `limit` documents for a text among those `keep` lets through, best first. */
  rank(text: string, limit: number, keep: (doc: IndexedDoc) => boolean): RankedDoc[];
  /** When a document is dated (the knowledge base's one rule for /find's date filters too); undefined when undated. */
  dated(doc: IndexedDoc): { from: number; to: number } | undefined;
  /** The hit a document makes in a reply (snippet with the matched words). */
  hit(doc: IndexedDoc, terms: readonly string[], score: number): SearchHit;
  /** The shared memory of what was resurfaced (the notes store). */
  memory: {
    remember(key: string, value: unknown, ttlMs?: number): Promise<void>;
    recall<T = unknown>(key: string): Promise<T | undefined>;
  };
}

export interface ResurfaceRequest {
  /** Who asks: the read rule and the memory of what they were shown are theirs. */
  viewer: Person;
  /** What the documents must be about: each current topic, or the words given (one text). */
  texts: readonly string[];
  /** The read rule for `viewer` (`kb.visibleTo(viewer)`). */
  visible: (doc: IndexedDoc) => boolean;
  now: Date;
  limit?: number;
}

export interface ResurfaceOutcome {
  /** What to show now, best first; remembered as shown. */
  hits: SearchHit[];
  /** Old documents about the texts, in all (shown now, earlier, or not reached). */
  related: number;
  /**
   * Left out because they were resurfaced to the viewer in the last 30 days,
   * of those looked at (all of them when fewer than the limit are shown).
   */
  quiet: number;
  /**
   * Whether the store took the note of what is shown now. Remembering is best
   * effort: a store that refuses writes (read-only) or is down just now still
   * resurfaces, and what it could not remember may then come back within 30 days.
   * Any other failure (not a store error: a bug) is thrown, not hidden here.
   */
  remembered: boolean;
  /** Why it could not, when it could not: the store refuses writes (read-only), or does not answer just now. */
  notRemembered?: 'read-only' | 'unavailable';
  /** The store's error, when it could not remember (for the log). */
  rememberError?: unknown;
}

/** The store key that says `doc` was resurfaced to `viewer` (document ids can be long paths: hashed). */
export function resurfacedKey(viewer: Person, docId: string): string {
  const doc = createHash('sha256').update(docId).digest('hex').slice(0, 24);
  return `resurfaced:${viewer.platform.toLowerCase()}:${viewer.id}:${doc}`;
}

/**
 * Whether a remembered time is within the quiet period. Checked here, not only
 * by the store's expiry, so the period is measured on the knowledge base's clock.
 */
function shownRecently(remembered: unknown, now: Date): boolean {
  if (typeof remembered !== 'string') return remembered !== undefined;
  const at = Date.parse(remembered);
  return Number.isNaN(at) || now.getTime() - at < RESURFACE_QUIET_MS;
}

interface Candidate {
  doc: IndexedDoc;
  /** Score relative to the best match of the text it was found for: the texts' best matches come first. */
  relative: number;
  score: number;
  terms: readonly string[];
}

/**
 * Picks what to resurface and remembers it. A document is about a text when it
 * holds at least half of the text's words (two at least, when the text has
 * two or more; typos and prefixes count, as in /find), the rule /topics counts
 * by. Documents are ranked by their score for the text relative to the best
 * document for that text, so each topic's best comes before any topic's second.
 */
export async function resurface(source: ResurfaceSource, request: ResurfaceRequest): Promise<ResurfaceOutcome> {
  const cutoff = request.now.getTime() - RESURFACE_MIN_AGE_MS;
  const keep = (doc: IndexedDoc) => {
    if (doc.kind !== 'note' && doc.kind !== 'article') return false;
    // All of it older: a document dated by day only counts once that whole day is past the cut-off.
    const span = source.dated(doc);
    return span !== undefined && span.to <= cutoff && request.visible(doc);
  };
  const candidates = new Map<string, Candidate>();
  for (const text of request.texts) {
    const words = topicWords(text);
    if (words.length === 0) continue;
    const needed = wordsNeeded(words.length);
    const about = source.rank(text, CANDIDATES_PER_TOPIC, keep).filter((match) => wordsCovered(words, match.terms) >= needed);
    const best = about[0]?.score;
    if (!best) continue;
    for (const match of about) {
      const relative = match.score / best;
      const known = candidates.get(match.doc.id);
      if (!known || relative > known.relative) candidates.set(match.doc.id, { doc: match.doc, relative, score: match.score, terms: match.terms });
    }
  }
  const ranked = [...candidates.values()].sort((a, b) => b.relative - a.relative || b.score - a.score || (a.doc.id < b.doc.id ? -1 : 1));
  const limit = request.limit ?? RESURFACE_LIMIT;
  const chosen: Candidate[] = [];
  let quiet = 0;
  for (let start = 0; start < ranked.length && chosen.length < limit; start += RECALL_BATCH) {
    const batch = ranked.slice(start, start + RECALL_BATCH);
    const shown = await Promise.all(batch.map((c) => source.memory.recall(resurfacedKey(request.viewer, c.doc.id))));
    batch.forEach((candidate, i) => {
      if (shownRecently(shown[i], request.now)) quiet += 1;
      else if (chosen.length < limit) chosen.push(candidate);
    });
  }
  const at = request.now.toISOString();
  const writes = await Promise.allSettled(chosen.map((c) => source.memory.remember(resurfacedKey(request.viewer, c.doc.id), at, RESURFACE_QUIET_MS)));
  const failures = writes.flatMap((write) => (write.status === 'rejected' ? [write.reason as unknown] : []));
  // Best effort is for the store's own refusals; anything else is a bug, for dispatch to log with its cause.
  const bug = failures.find((error) => !(error instanceof StoreUnavailableError));
  if (bug !== undefined) throw bug;
  const refused = failures[0];
  return {
    hits: chosen.map((c) => source.hit(c.doc, c.terms, c.score)),
    related: ranked.length,
    quiet,
    remembered: refused === undefined,
    ...(refused !== undefined
      ? { notRemembered: failures.some((error) => error instanceof StoreReadOnlyError) ? ('read-only' as const) : ('unavailable' as const), rememberError: refused }
      : {}),
  };
}
