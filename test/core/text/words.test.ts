import { describe, expect, it } from 'vitest';
import { foldCase, foldedWords, indexTerm, separatesWords, tokenize, tokenizeWithOffsets } from '../../../src/core/text/words.ts';

// The rule every tokenizer of tinker follows: white space, control characters, punctuation and the symbols of maths,
// currency and modifiers separate words; one or two `+` ending a word (then a separator other than `+`) belong to it.
const SEPARATORS = String.raw`\p{Z}\p{Cc}\p{P}\p{Sm}\p{Sc}\p{Sk}`;
const UNICODE_RULE = new RegExp(`[^${SEPARATORS}]+(?:\\+{1,2}(?=(?!\\+)[${SEPARATORS}]|$))?`, 'gu');

/** The words separatesWords marks out, character by character. */
function wordsBySeparators(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i += 1) {
    if (separatesWords(text, i)) {
      if (start >= 0) words.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return words;
}

describe('text', () => {
  it('splits ASCII text exactly where the Unicode rule does, character by character', () => {
    for (let code = 0; code < 128; code += 1) {
      const text = `ab${String.fromCharCode(code)}cd`;
      expect(tokenize(text), `character ${code}`).toEqual(text.match(UNICODE_RULE));
    }
    const sample = 'git-lfs: "fetch" (a+b) x=1 $HOME ~/.ssh <tag> a|b 50% [link](http://x.io/a_b) it\'s {c} @me #tag\tend C++, g++ x+++y';
    expect(tokenize(sample)).toEqual(sample.match(UNICODE_RULE));
  });

  it('separates words at every ASCII character but letters and digits (acceptance 39)', () => {
    const note = 'Tokens: =alphaone ==betatwo ===gammathree ~~deltafour~~ **epsilonfive** --zetasix ++etaseven foo=thetaeight x==iotanine';
    expect(tokenize(note)).toEqual(['Tokens', 'alphaone', 'betatwo', 'gammathree', 'deltafour', 'epsilonfive', 'zetasix', 'etaseven', 'foo', 'thetaeight', 'x', 'iotanine']);
    expect(tokenize('PRAGMA synchronous=FULL; --max-old-space-size=6144')).toEqual(['PRAGMA', 'synchronous', 'FULL', 'max', 'old', 'space', 'size', '6144']);
    expect(tokenize('$HOME ~/x Vec<T> a|b x^2 `cmd` tab\tstop a\u0001b')).toEqual(['HOME', 'x', 'Vec', 'T', 'a', 'b', 'x', '2', 'cmd', 'tab', 'stop', 'a', 'b']);
    expect(tokenize('x ≤ y→z 5€ naïve=ok')).toEqual(['x', 'y', 'z', '5', 'naïve', 'ok']);
    expect(tokenize('emoji 🚀launch © 30°C')).toEqual(['emoji', '🚀launch', '©', '30°C']);
  });

  it('keeps one or two + ending a word in it (C++, g++), and splits at any other +', () => {
    expect(tokenize('C++ and g++, (notepad++) a+ c+++ a+b ++x c++d')).toEqual(['C++', 'and', 'g++', 'notepad++', 'a+', 'c', 'a', 'b', 'x', 'c', 'd']);
    expect(foldedWords('C++ and g++, (notepad++) a+ c+++ a+b ++x c++d')).toEqual(['c++', 'and', 'g++', 'notepad++', 'a+', 'c', 'a', 'b', 'x', 'c', 'd']);
    expect(tokenize('C++ and é++ é+++')).toEqual(['C++', 'and', 'é++', 'é']);
    expect(indexTerm('C++')).toBe('c++');
  });

  it('agrees everywhere: the ASCII and Unicode rules, folded words, offsets and separatesWords, on every short text', () => {
    const alphabet = ['a', 'B', '+', '=', ' ', 'é'];
    const texts: string[] = [''];
    for (let length = 1; length <= 5; length += 1) {
      for (const text of texts.filter((t) => t.length === length - 1)) for (const char of alphabet) texts.push(text + char);
    }
    for (const text of texts) {
      const expected = text.match(UNICODE_RULE) ?? [];
      expect(tokenize(text), text).toEqual(expected);
      expect(foldedWords(text), text).toEqual(expected.map(foldCase));
      expect(tokenizeWithOffsets(text).map(({ word, start, end }) => [word, text.slice(start, end)]), text).toEqual(expected.map((word) => [word, word]));
      expect(wordsBySeparators(text), text).toEqual(expected);
      // The ASCII path beside the Unicode one: the same words before a non-ASCII word.
      if (!/é/.test(text)) expect(tokenize(`${text} é`), text).toEqual([...expected, 'é']);
    }
  });

  it('splits non-ASCII text with the Unicode rule', () => {
    const text = 'café — naïve… «quoted» 東京\u00a0タワー, résumé';
    expect(tokenize(text)).toEqual(text.match(UNICODE_RULE));
    expect(tokenize(text)).toContain('東京');
  });

  it('folds case and diacritics, and stems the same word the same way every time', () => {
    expect(foldCase('Crème BRÛLÉE')).toBe('creme brulee');
    expect(foldCase('ASCII Only')).toBe('ascii only');
    expect(indexTerm('Configurations')).toBe(indexTerm('configuration'));
    expect(indexTerm('Configurations')).toBe(indexTerm('Configurations'));
    expect(indexTerm('the')).toBeUndefined();
    expect(indexTerm('libgit2')).toBe('libgit2');
  });
});

describe('folding', () => {
  it('drops the invisible format characters a person cannot type (bidi controls, zero-width characters, soft hyphens)', () => {
    expect(foldCase('\u202Eevil\u202C')).toBe('evil');
    expect(foldCase('zero\u200Bwidth\u200D')).toBe('zerowidth');
    expect(foldCase('hyph\u00ADen\u2066ated\u2069')).toBe('hyphenated');
    expect(foldedWords('\u202Eevil\u202C override')).toEqual(['evil', 'override']);
  });
});

describe('folded words', () => {
  it('split ASCII text where tokenize does, character by character', () => {
    for (let code = 0; code < 128; code += 1) {
      const text = `Ab${String.fromCharCode(code)}cD ${String.fromCharCode(code)}x${String.fromCharCode(code)}`;
      expect(foldedWords(text), `character ${code}`).toEqual(tokenize(text).map(foldCase));
    }
  });

  it('are the words of a text, each folded as foldCase folds it', () => {
    for (const text of ['Git-LFS: "Fetch" (a+b) x=1 $HOME', 'Crème BRÛLÉE — naïve… «Quoted» 東京 CAFÉ', 'İstanbul ǅemal Straße']) {
      expect(foldedWords(text)).toEqual(tokenize(text).map(foldCase));
    }
  });
});
