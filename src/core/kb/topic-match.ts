/**
 * Telling which topic a person means by the words they typed, as /find
 * matches words: exactly (stemmed), by a prefix, or with a typo.
 */
import { editDistance, typoBudget } from '../text/edit-distance.ts';
import { foldCase, indexTerm, tokenize } from '../text/words.ts';

/** The words of a text, folded, stop words kept, joined: equal for texts a person would call the same. */
export function wordKey(text: string): string {
  return tokenize(stripLinks(text)).map(foldCase).join(' ');
}

/** `[text](url)` → `text`, so a topic pasted from the profile's source matches its plain text. */
function stripLinks(text: string): string {
  return text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/** How a topic typed in chat matched the items of a section. */
export type TopicMatch =
  | { kind: 'one'; index: number }
  | { kind: 'ambiguous'; indexes: number[] }
  | { kind: 'none'; closest?: number };

/** A word as typed (folded) and as the index keeps it (stemmed; undefined for a stop word). */
export interface Word {
  folded: string;
  term: string | undefined;
}

const words = (text: string): Word[] => tokenize(stripLinks(text)).map((word) => ({ folded: foldCase(word), term: indexTerm(word) }));

/**
 * Finds the item a topic names by its words, as /find matches them: every
 * typed word must be in the item, exactly (stemmed), as the start of a word
 * (3 letters or more) or with a typo (the bot's typo budget: one edit from 3
 * letters, two from 6).
 * The best way of matching wins: the whole text, then exact words, then
 * prefixes, then typos; two items at the best level are ambiguous.
 */
export function matchTopic(query: string, candidates: readonly string[]): TopicMatch {
  const typed = words(query);
  const meaningful = typed.filter((word) => word.term !== undefined);
  // A topic of stop words only ("the", "to do") is matched by those words.
  const needed = meaningful.length > 0 ? meaningful : typed;
  if (needed.length === 0 || candidates.length === 0) return { kind: 'none' };
  const key = wordKey(query);
  const levels = candidates.map((candidate) => {
    if (wordKey(candidate) === key) return -1;
    const own = words(candidate);
    let level = 0;
    for (const word of needed) {
      const best = Math.min(...own.map((other) => wordLevel(word, other)));
      if (best === Infinity) return Infinity;
      level = Math.max(level, best);
    }
    return level;
  });
  const best = Math.min(...levels);
  if (best === Infinity) return { kind: 'none', ...closest(needed, candidates) };
  const indexes = levels.flatMap((level, i) => (level === best ? [i] : []));
  return indexes.length === 1 ? { kind: 'one', index: indexes[0]! } : { kind: 'ambiguous', indexes };
}

/** 0: the same word (or stem); 1: the start of the word; 2: a typo away; Infinity: no match. */
function wordLevel(typed: Word, other: Word): number {
  if (typed.folded === other.folded || (typed.term !== undefined && typed.term === other.term)) return 0;
  if (typed.folded.length >= 3 && other.folded.startsWith(typed.folded)) return 1;
  const allowed = typoBudget(typed.folded);
  if (allowed > 0 && editDistance(typed.folded, other.folded, allowed) <= allowed) return 2;
  // Stems too: a typo in "mirorring" is two letters from "mirror", the stem an index may report.
  if (allowed > 0 && typed.term !== undefined && other.term !== undefined && editDistance(typed.term, other.term, allowed) <= allowed) return 2;
  return Infinity;
}

/** The item nearest to the typed words: least edit distance per typed word, relative to its length. */
function closest(typed: readonly Word[], candidates: readonly string[]): { closest?: number } {
  let best: number | undefined;
  let bestDistance = Infinity;
  candidates.forEach((candidate, i) => {
    const own = words(candidate);
    if (own.length === 0) return;
    let distance = 0;
    for (const word of typed) {
      const nearest = Math.min(...own.map((other) => editDistance(word.folded, other.folded, 64) / Math.max(word.folded.length, other.folded.length)));
      distance += nearest;
    }
    if (distance < bestDistance) [best, bestDistance] = [i, distance];
  });
  // Nothing alike at all (every word mostly different): no closest worth naming.
  return best !== undefined && bestDistance <= typed.length * 0.5 ? { closest: best } : {};
}

/**
 * How many of a topic's words a document must hold to count as being about it:
 * at least half of them, and at least two when the topic has two or more
 * (the rule /topics counts by).
 */
export function wordsNeeded(words: number): number {
  return Math.min(words, Math.max(2, Math.ceil(words / 2)));
}

/** A topic's words that count (stop words left out), one per index term. */
export function topicWords(topic: string): Word[] {
  const seen = new Map<string, Word>();
  for (const word of words(topic)) if (word.term !== undefined && !seen.has(word.term)) seen.set(word.term, word);
  return [...seen.values()];
}

/**
 * How many of a topic's words the terms a document matched (as the index
 * reports them: stems or folded words) stand for: the word itself, a longer
 * word it starts (3+ letters), or a typo away.
 */
export function wordsCovered(topic: readonly Word[], matched: readonly string[]): number {
  const others = matched.map((term): Word => ({ folded: term, term: indexTerm(term) ?? term }));
  return topic.filter((word) => others.some((other) => wordLevel(word, other) !== Infinity)).length;
}
