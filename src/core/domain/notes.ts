/**
 * Notes: what one is, how its tags and id are derived.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Origin, Person } from './types.ts';
import { normalizeTag } from './tags.ts';

/** A snippet saved through the bot. */
export interface Note {
  /** Short id the user types for `/forget`: 10 lower-case letters and digits. */
  id: string;
  text: string;
  /** From `#hashtags` in the text, lower case, without `#`. */
  tags: string[];
  /** Who wrote the text (for "Save to notes", the message's author). */
  author: Person;
  /**
   * Who saved it, when that is not the author ("Save to notes" on someone
   * else's message). The read rule lets this person read the note, not the author.
   */
  savedBy?: Person;
  /** Readable by everyone who can run /find (`/note --share`); absent: only its saver and the owners. */
  shared?: boolean;
  /** Where it was captured. */
  source: Origin;
  /** ISO timestamp. */
  createdAt: string;
  /** The platform request or message it came from, when known. */
  idempotencyKey?: string;
}

/** Most characters a note may have. */
export const NOTE_MAX_LENGTH = 4000;

/** Characters as a person counts them (code points: an emoji is one, not two UTF-16 units). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * Strips what must not be stored: NUL and other control characters (tabs and
 * new lines stay) and lone UTF-16 surrogates, which no store can round-trip.
 */
export function cleanNoteText(raw: string): string {
  return raw
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .trim();
}

// Crockford's base32 in lower case: no i, l, o, u, so ids are easy to read back.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const ID_LENGTH = 10;

/** What a note id is made of, for a message that refuses one: "10 of 0-9 and a-z except i, l, o, u". */
export const NOTE_ID_SHAPE = `${ID_LENGTH} of 0-9 and a-z except ${[...'abcdefghijklmnopqrstuvwxyz'].filter((letter) => !ALPHABET.includes(letter)).join(', ')}`;

function encode(bytes: Uint8Array): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i += 1) id += ALPHABET[bytes[i]! % 32];
  return id;
}

/** A new random note id. */
export function newNoteId(): string {
  return encode(randomBytes(ID_LENGTH));
}

/** The note id for an idempotency key: the same key always gives the same id, in any process. */
export function noteIdForKey(key: string): string {
  return encode(createHash('sha256').update(key).digest());
}

export function isNoteId(value: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${ID_LENGTH}}$`).test(value);
}

// A tag starts with a letter, digit, `_` or an emoji and goes on with those, combining marks
// (Devanagari vowel signs, emoji variation selectors and keycaps), joiners, `-` and `/`.
const TAG_START = String.raw`[\p{L}\p{N}_\p{Extended_Pictographic}\p{Regional_Indicator}]`;
const TAG_PART = String.raw`[\p{L}\p{N}\p{M}_\-/\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200D]`;
const HASHTAG = new RegExp(`(^|[\\s(])#(${TAG_START}${TAG_PART}*)`, 'gu');

/** The tag a `#word` stands for, or undefined when it is none (a bare number such as #42 is an issue reference). */
function hashtagTag(word: string): string | undefined {
  const tag = normalizeTag(word.replace(/[-/]+$/, ''));
  return tag && !/^\d+$/.test(tag) && !HEX_COLOUR.test(tag) ? tag : undefined;
}

/**
 * `#ff0000`, `#1e1e1e`, `#c0ffee80`: a colour, not a tag (six or eight hex digits, at least one a digit).
 * Three-digit colours stay tags: `#e2e` and `#b2b` are what engineers tag with.
 */
const HEX_COLOUR = /^(?=[a-f]*\d)(?:[\da-f]{6}|[\da-f]{8})$/;

/**
 * `#hashtags` in a text: a `#` at the start or after a space or `(`, then a
 * letter, digit, `_` or emoji, then more of those, `-` and `/` (#🚀, #data/etl).
 */
export function extractTags(text: string): string[] {
  const tags = new Set<string>();
  for (const match of text.matchAll(HASHTAG)) {
    const tag = hashtagTag(match[2]!);
    if (tag) tags.add(tag);
  }
  return [...tags];
}

/**
 * Whether a note says anything besides its tags: a letter, digit or emoji
 * outside its #tags. `#a #b !!!` says nothing.
 */
export function hasContent(text: string): boolean {
  const rest = text.replace(HASHTAG, (whole: string, before: string, word: string) => (hashtagTag(word) ? before : whole));
  return /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(rest);
}

/** A title for a note: its first line, cut to 80 characters. */
export function noteTitle(text: string): string {
  const firstLine = text.trim().split('\n')[0]!.trim();
  return firstLine.length > 80 ? `${firstLine.slice(0, 79).trimEnd()}…` : firstLine;
}

/** Checks a value read from a store; returns undefined when it is not a note. */
export function asNote(value: unknown): Note | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const note = value as Partial<Note>;
  if (typeof note.id !== 'string' || typeof note.text !== 'string' || typeof note.createdAt !== 'string') {
    return undefined;
  }
  return {
    id: note.id,
    text: note.text,
    tags: Array.isArray(note.tags) ? note.tags.filter((t): t is string => typeof t === 'string') : extractTags(note.text),
    author: note.author ?? { platform: 'unknown', id: 'unknown', name: 'unknown' },
    source: note.source ?? { platform: 'unknown' },
    createdAt: note.createdAt,
    ...(typeof note.idempotencyKey === 'string' ? { idempotencyKey: note.idempotencyKey } : {}),
    ...(isPerson(note.savedBy) ? { savedBy: note.savedBy } : {}),
    // Only an explicit true shares: a note stored before sharing existed stays private.
    ...(note.shared === true ? { shared: true } : {}),
  };
}

function isPerson(value: unknown): value is Person {
  if (typeof value !== 'object' || value === null) return false;
  const person = value as Partial<Person>;
  return typeof person.platform === 'string' && typeof person.id === 'string' && typeof person.name === 'string';
}
