import { describe, expect, it } from 'vitest';
import { foldCase, foldedWords, indexTerm, tokenize } from '../../../src/core/text/words.ts';

// The rule every tokenizer of tinker follows (MiniSearch's default): white space and punctuation separate words.
const UNICODE_RULE = /[^\n\r\p{Z}\p{P}]+/gu;

describe('text', () => {
  it('splits ASCII text exactly where the Unicode rule does, character by character', () => {
    for (let code = 0; code < 128; code += 1) {
      const text = `ab${String.fromCharCode(code)}cd`;
      expect(tokenize(text), `character ${code}`).toEqual(text.match(UNICODE_RULE));
    }
    const sample = 'git-lfs: "fetch" (a+b) x=1 $HOME ~/.ssh <tag> a|b 50% [link](http://x.io/a_b) it\'s {c} @me #tag\tend';
    expect(tokenize(sample)).toEqual(sample.match(UNICODE_RULE));
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
