/**
 * A snippet of about 200 characters around the best match, matched words marked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Span } from './command.ts';
import { foldCase, indexTerm, tagTerm, tokenizeWithOffsets } from './text.ts';

export const SNIPPET_LENGTH = 200;

/**
 * Picks the window of `length` characters holding the most distinct matched
 * terms (the earliest such window on a tie) and marks every matched word in it.
 */
export function makeSnippet(text: string, matchedTerms: ReadonlySet<string>, length = SNIPPET_LENGTH): Span[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return [];
  // Word boundaries as plain numbers, and the matched words with their terms: no object per word.
  const starts: number[] = [];
  const ends: number[] = [];
  const matches: Array<{ start: number; end: number; term: string }> = [];
  // Stemming every word of a long text is most of a hit's cost: only words that share their first
  // two letters with a matched term can stem to it (stemmers change endings), and each distinct
  // word is checked once.
  const heads = new Set([...matchedTerms].map((term) => term.slice(0, 2)));
  const checked = new Map<string, string | null>();
  const matchedTerm = (word: string): string | null => {
    if (matchedTerms.size === 0 || !heads.has(foldCase(word.slice(0, 4)).slice(0, 2))) return null;
    let term = checked.get(word);
    if (term === undefined) {
      const stemmed = indexTerm(word);
      const tag = tagTerm(word);
      term = stemmed !== undefined && matchedTerms.has(stemmed) ? stemmed : tag !== undefined && matchedTerms.has(tag) ? (stemmed ?? tag) : null;
      checked.set(word, term);
    }
    return term;
  };
  for (const { word, start, end } of tokenizeWithOffsets(flat)) {
    starts.push(start);
    ends.push(end);
    const term = matchedTerm(word);
    if (term !== null) matches.push({ start, end, term });
  }
  /** The start of the first word at or after `at` (or `at` when there is none). */
  const wordStartFrom = (at: number): number => {
    const i = firstAtLeast(starts, at);
    return i < starts.length ? starts[i]! : at;
  };

  let start = 0;
  if (matches.length > 0 && flat.length > length) {
    let best = 0;
    let bestCount = -1;
    for (let i = 0; i < matches.length; i += 1) {
      const from = matches[i]!.start;
      const seen = new Set<string>();
      for (let j = i; j < matches.length && matches[j]!.end - from <= length; j += 1) seen.add(matches[j]!.term);
      if (seen.size > bestCount) {
        bestCount = seen.size;
        best = from;
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
    // The last word that ends by `end` (and starts at or after `start`).
    const i = firstAtLeast(ends, end + 1) - 1;
    if (i >= 0 && starts[i]! >= start && ends[i]! > start + length / 2) end = ends[i]!;
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

/**
 * The text of a markdown file, for a snippet, without a full parse: front
 * matter, the title heading, HTML, link targets and inline markup are dropped.
 * Used to read an article's text back from disk for the few hits shown, so the
 * index need not keep every article's text in memory; about 50 times cheaper
 * than parsing (a full parse costs milliseconds per file).
 */
export function snippetTextFromMarkdown(source: string): string {
  return source
    .replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/, '')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/^\s*#{1,6}\s+.*(?:\r?\n|$)/, '')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/^\s*(?:```|~~~).*$/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__|\*|`+|~~)/g, '');
}

/** An article's text read back from disk for a snippet; undefined when the file is gone. */
export function readArticleTextSync(dataDir: string, relativePath: string | undefined): string | undefined {
  if (!relativePath) return undefined;
  try {
    return snippetTextFromMarkdown(readFileSync(path.join(dataDir, relativePath), 'utf8'));
  } catch {
    return undefined;
  }
}
