/**
 * Term processing shared by indexing, querying and snippets: one definition of
 * what a word is and how it is folded, so the three always agree.
 */
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOP_WORDS = new Set<string>(eng);

// Same separators as MiniSearch's default tokenizer: white space and punctuation.
const WORD = /[^\n\r\p{Z}\p{P}]+/gu;

/** Lower case, diacritics removed; non-Latin letters are kept. */
export function foldCase(term: string): string {
  return term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text. */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The words of a text with their positions, for snippets. */
export function tokenizeWithOffsets(text: string): Array<{ word: string; start: number; end: number }> {
  const words: Array<{ word: string; start: number; end: number }> = [];
  for (const match of text.matchAll(WORD)) {
    words.push({ word: match[0], start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/**
 * A word as the index keeps it: folded, stop words dropped, stemmed (Porter).
 * Returns undefined for a word that is not indexed.
 */
export function indexTerm(word: string): string | undefined {
  const folded = foldCase(word);
  if (!folded || STOP_WORDS.has(folded)) return undefined;
  // NOTE: the stemmer is for English words; leave numbers and mixed tokens such as libgit2 alone.
  if (!/^[a-z]+$/.test(folded)) return folded;
  return stemmer(folded);
}

/** A tag as the index keeps it: folded, never stemmed. */
export function tagTerm(word: string): string | undefined {
  const folded = foldCase(word);
  return folded || undefined;
}
