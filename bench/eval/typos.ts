/**
 * The typo maker of the known-item queries: one realistic edit of one word, the
 * kind people make on a keyboard.
 */
import { editDistance } from '../../src/core/index.ts';

/** Keys next to each letter on a QWERTY keyboard: the letters a slipping finger hits instead. */
const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'qwsz', b: 'vghn', c: 'xdfv', d: 'serfcx', e: 'wsdr', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', i: 'ujko',
  j: 'huikmn', k: 'jiolm', l: 'kop', m: 'njk', n: 'bhjm', o: 'iklp', p: 'ol', q: 'wa', r: 'edft', s: 'awedxz',
  t: 'rfgy', u: 'yhji', v: 'cfgb', w: 'qase', x: 'zsdc', y: 'tghu', z: 'asx',
};

/** The kinds of edit, as Damerau defined them. */
export const TYPO_KINDS = ['drop', 'insert', 'substitute', 'swap'] as const;
export type TypoKind = (typeof TYPO_KINDS)[number];

/** Shortest word the typo maker touches: a person who mistypes "git" usually sees it. */
export const MIN_TYPO_LENGTH = 4;

/**
 * `word` with exactly one edit (drop a letter, insert one, substitute one, or
 * swap two adjacent different letters), never at the first letter, which people
 * rarely get wrong. Inserted and substituted letters are keyboard neighbours of
 * the letter they replace or follow (or a doubled letter), so the typo is one a
 * person makes. Words shorter than MIN_TYPO_LENGTH come back unchanged.
 */
export function makeTypo(random: () => number, word: string, kind: TypoKind = TYPO_KINDS[Math.floor(random() * 4)]!): string {
  const letters = [...word];
  if (letters.length < MIN_TYPO_LENGTH) return word;
  const n = letters.length;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const neighbourOf = (letter: string): string | undefined => {
    const near = KEYBOARD_NEIGHBOURS[letter.toLowerCase()];
    return near ? near[Math.floor(random() * near.length)] : undefined;
  };
  switch (kind) {
    case 'drop': {
      const at = between(1, n - 1);
      return [...letters.slice(0, at), ...letters.slice(at + 1)].join('');
    }
    case 'insert': {
      // After letter at-1: its double, or a neighbouring key (half each).
      const at = between(1, n);
      const before = letters[at - 1]!;
      const added = random() < 0.5 ? before : (neighbourOf(before) ?? before);
      return [...letters.slice(0, at), added, ...letters.slice(at)].join('');
    }
    case 'substitute': {
      const at = between(1, n - 1);
      const replacement = neighbourOf(letters[at]!);
      // A letter without a known neighbour (outside a-z): drop it instead, still one edit.
      if (replacement === undefined || replacement === letters[at]) return makeTypo(random, word, 'drop');
      return [...letters.slice(0, at), replacement, ...letters.slice(at + 1)].join('');
    }
    case 'swap': {
      // Swapping two equal letters changes nothing: only pairs of different letters count.
      const pairs: number[] = [];
      for (let i = 1; i < n - 1; i += 1) if (letters[i] !== letters[i + 1]) pairs.push(i);
      if (pairs.length === 0) return makeTypo(random, word, 'drop');
      const at = pairs[Math.floor(random() * pairs.length)]!;
      return [...letters.slice(0, at), letters[at + 1]!, letters[at]!, ...letters.slice(at + 2)].join('');
    }
  }
}

/** Which kind of edit turned `word` into `typed` (one edit apart, as makeTypo makes them). */
export function typoKind(word: string, typed: string): TypoKind {
  const a = [...word];
  const b = [...typed];
  if (b.length < a.length) return 'drop';
  if (b.length > a.length) return 'insert';
  return [...a].sort().join('') === [...b].sort().join('') ? 'swap' : 'substitute';
}

/**
 * How hard the typos are. `keyboard` (the default): one edit as makeTypo makes it. `any`: one
 * edit anywhere, the first letter included, with any letter a-z, as a random generator (not a
 * hand) makes it. `two`: two keyboard edits in the same word. The default is what people type;
 * the others check that a ranking choice does not hold only for the friendliest typos.
 */
export const TYPO_STYLES = ['keyboard', 'any', 'two'] as const;
export type TypoStyle = (typeof TYPO_STYLES)[number];

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** `word` mistyped in the given style; a word shorter than MIN_TYPO_LENGTH comes back unchanged. */
export function makeTypoIn(style: TypoStyle, random: () => number, word: string): string {
  if ([...word].length < MIN_TYPO_LENGTH) return word;
  if (style === 'keyboard') return makeTypo(random, word);
  if (style === 'two') {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const typed = makeTypo(random, makeTypo(random, word));
      // Two edits can undo each other (a drop and an insert of the same letter): try again.
      if (typed !== word && editDistance(word, typed, 2) === 2) return typed;
    }
    return makeTypo(random, word);
  }
  const letters = [...word];
  const kind = TYPO_KINDS[Math.floor(random() * 4)]!;
  const at = Math.floor(random() * letters.length);
  const letter = () => ALPHABET[Math.floor(random() * ALPHABET.length)]!;
  switch (kind) {
    case 'drop':
      return [...letters.slice(0, at), ...letters.slice(at + 1)].join('');
    case 'insert':
      return [...letters.slice(0, at), letter(), ...letters.slice(at)].join('');
    case 'substitute': {
      let replacement = letter();
      while (replacement === letters[at]) replacement = letter();
      return [...letters.slice(0, at), replacement, ...letters.slice(at + 1)].join('');
    }
    case 'swap': {
      const pairs: number[] = [];
      for (let i = 0; i < letters.length - 1; i += 1) if (letters[i] !== letters[i + 1]) pairs.push(i);
      if (pairs.length === 0) return [...letters.slice(0, at), ...letters.slice(at + 1)].join('');
      const from = pairs[Math.floor(random() * pairs.length)]!;
      return [...letters.slice(0, from), letters[from + 1]!, letters[from]!, ...letters.slice(from + 2)].join('');
    }
  }
}
