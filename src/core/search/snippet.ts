/**
 * A snippet of about 200 characters around the best match, matched words marked.
 */
import type { Span } from '../domain/types.ts';
import { foldCase, foldInPlace, joinedWithOffsets, separatesWords, tokenizeWithOffsets } from '../text/words.ts';

export const SNIPPET_LENGTH = 200;

/**
 * Picks the window of `length` characters holding the most distinct matched
 * words (the earliest such window on a tie) and marks every matched word in
 * it. `matchedWords` are folded words as the index holds them (a ranking's
 * `RankedMatch.terms`: every form of a query word the document holds is there).
 */
export function makeSnippet(text: string, matchedWords: ReadonlySet<string>, length = SNIPPET_LENGTH): Span[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return [];
  const folded = foldInPlace(flat);
  const { matches, wordStartFrom, lastWordEnd } =
    folded !== undefined ? scannedWords(flat, folded, matchedWords) : unicodeWords(flat, (word) => (matchedWords.has(foldCase(word)) ? foldCase(word) : null));
  markJoined(flat, matchedWords, matches);

  let start = 0;
  if (matches.length > 0 && flat.length > length) {
    // Windows starting at each match, slid along: how many of each term the window holds.
    let best = 0;
    let bestCount = -1;
    const inWindow = new Map<string, number>();
    let next = 0;
    for (let i = 0; i < matches.length; i += 1) {
      const from = matches[i]!.start;
      for (; next < matches.length && matches[next]!.end - from <= length; next += 1) {
        const term = matches[next]!.term;
        inWindow.set(term, (inWindow.get(term) ?? 0) + 1);
      }
      if (inWindow.size > bestCount) {
        bestCount = inWindow.size;
        best = from;
      }
      if (next > i) {
        const term = matches[i]!.term;
        const left = inWindow.get(term)! - 1;
        if (left === 0) inWindow.delete(term);
        else inWindow.set(term, left);
      } else {
        next = i + 1;
      }
    }
    // A little context before the first match, starting at a word.
    start = Math.max(0, best - Math.floor(length / 5));
    if (start > 0) start = wordStartFrom(start);
    start = Math.min(start, Math.max(0, flat.length - length));
    if (start > 0) start = wordStartFrom(start);
  }
  let end = Math.min(flat.length, start + length);
  if (end < flat.length) {
    const lastEnd = lastWordEnd(end, start);
    if (lastEnd !== undefined && lastEnd > start + length / 2) end = lastEnd;
  }

  const spans: Span[] = [];
  const push = (piece: string, strong: boolean) => {
    if (!piece) return;
    const last = spans[spans.length - 1];
    if (last && Boolean(last.strong) === strong) last.text += piece;
    else spans.push(strong ? { text: piece, strong: true } : { text: piece });
  };
  if (start > 0) push('…', false);
  let cursor = start;
  for (const match of matches) {
    if (match.start < start || match.end > end) continue;
    push(flat.slice(cursor, match.start), false);
    push(flat.slice(match.start, match.end), true);
    cursor = match.end;
  }
  push(flat.slice(cursor, end), false);
  if (end < flat.length) push('…', false);
  return spans;
}

/**
 * A matched word the text holds only as a joined pair (nodejs as node.js: `joinedForm`) is
 * marked there, the pair whole (its parts' own marks give way). Looked for only then: it costs a
 * tokenizing of the text.
 */
function markJoined(flat: string, matchedWords: ReadonlySet<string>, matches: Match[]): void {
  const found = new Set(matches.map((match) => match.term));
  const missing = [...matchedWords].filter((word) => word && !found.has(word));
  if (missing.length === 0) return;
  const wanted = new Set(missing);
  const pairs = joinedWithOffsets(flat).filter((pair) => wanted.has(pair.form));
  if (pairs.length === 0) return;
  const kept = matches.filter((match) => !pairs.some((pair) => match.start < pair.end && pair.start < match.end));
  matches.length = 0;
  matches.push(...kept, ...pairs.map(({ form, start, end }) => ({ start, end, term: form })));
  matches.sort((a, b) => a.start - b.start);
}

interface Match {
  start: number;
  end: number;
  term: string;
}

/** The matched words of a flattened text, and its word boundaries. */
interface Words {
  /** Matched words, in order. */
  matches: Match[];
  /** The start of the first word at or after `at` (or `at` when there is none). */
  wordStartFrom(at: number): number;
  /** The end of the last word that ends by `end`, if that word starts at or after `from`. */
  lastWordEnd(end: number, from: number): number | undefined;
}

/**
 * Text whose folded form keeps every character in place (nearly all text):
 * each matched word is looked for in the folded text and kept where it is a
 * whole word, so no other word of the text is looked at.
 */
function scannedWords(flat: string, lower: string, words: ReadonlySet<string>): Words {
  const matches: Match[] = [];
  for (const word of words) {
    if (!word) continue;
    const endsInPlus = word.endsWith('+');
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) {
      // A word ending in + (c++) is whole only where its + belong to it (not in c+++).
      const whole = separatesWords(flat, at - 1) && separatesWords(flat, at + word.length) && (!endsInPlus || !separatesWords(flat, at + word.length - 1));
      if (whole) matches.push({ start: at, end: at + word.length, term: word });
    }
  }
  matches.sort((a, b) => a.start - b.start);
  const isWordStart = (i: number) => !separatesWords(flat, i) && separatesWords(flat, i - 1);
  const isWordEnd = (i: number) => !separatesWords(flat, i - 1) && separatesWords(flat, i);
  return {
    matches,
    wordStartFrom(at) {
      for (let i = at; i < flat.length; i += 1) if (isWordStart(i)) return i;
      return at;
    },
    lastWordEnd(end, from) {
      let e = end;
      while (e > 0 && !isWordEnd(e)) e -= 1;
      if (e === 0) return undefined;
      let wordStart = e - 1;
      while (wordStart > 0 && !separatesWords(flat, wordStart - 1)) wordStart -= 1;
      return wordStart >= from ? e : undefined;
    },
  };
}

/** Any text: every word tokenized, boundaries kept as plain numbers. */
function unicodeWords(flat: string, matchOf: (word: string) => string | null): Words {
  const starts: number[] = [];
  const ends: number[] = [];
  const matches: Match[] = [];
  for (const { word, start, end } of tokenizeWithOffsets(flat)) {
    starts.push(start);
    ends.push(end);
    const term = matchOf(word);
    if (term !== null) matches.push({ start, end, term });
  }
  return {
    matches,
    wordStartFrom(at) {
      const i = firstAtLeast(starts, at);
      return i < starts.length ? starts[i]! : at;
    },
    lastWordEnd(end, from) {
      const i = firstAtLeast(ends, end + 1) - 1;
      return i >= 0 && starts[i]! >= from ? ends[i]! : undefined;
    },
  };
}

/** Index of the first element of an ascending list that is at least `value` (the length when none is). */
function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A snippet as plain text (for logs and simple renderers). */
export function spansToText(spans: readonly Span[]): string {
  return spans.map((span) => span.text).join('');
}
