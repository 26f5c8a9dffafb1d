/**
 * Spelling corrections of a mistyped word: the words one edit away from it as
 * typed, stemmed, that the index holds. A typo often changes how a word stems
 * (configuraton → "configuraton", not "configur"), so edit distance on stems
 * misses it: correct the word as typed, then stem.
 */
import { stemLetters } from '../text/words.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Longest word corrected this way: past it the variants (54 per letter, each stemmed) cost more than a search. */
const MAX_CORRECTED_LENGTH = 16;

/**
 * Index terms of every word one edit (delete, swap, replace, insert) away from
 * a folded word of Latin letters that `has` accepts.
 */
export function spellingCorrections(word: string, has: (term: string) => boolean): string[] {
  if (!/^[a-z]+$/.test(word) || word.length > MAX_CORRECTED_LENGTH) return [];
  const stems = new Set<string>();
  const add = (variant: string) => {
    const term = stemLetters(variant);
    if (term) stems.add(term);
  };
  // A variant made twice (dropping either of two equal letters) is stemmed twice: cheaper than a set of variants.
  for (let i = 0; i <= word.length; i += 1) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) add(head + tail.slice(1));
    if (tail.length > 1 && tail[0] !== tail[1]) add(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of LETTERS) {
      if (tail && letter !== tail[0]) add(head + letter + tail.slice(1));
      add(head + letter + tail);
    }
  }
  return [...stems].filter(has);
}
