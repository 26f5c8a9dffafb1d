/**
 * Term processing shared by indexing, querying and snippets: one definition of
 * what a word is and how it is folded, so the three always agree.
 */
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOP_WORDS = new Set<string>(eng);

/**
 * What separates words: white space and control characters, punctuation, and the symbols of
 * maths, currency and modifiers (\p{Sm}\p{Sc}\p{Sk}: in ASCII `+<=>|~$^` and the backtick), so
 * `synchronous=FULL`, `==betatwo`, `--size=6144`, `a+b`, `$HOME` and `Vec<T>` are words apart; in ASCII
 * only letters and digits make words. Other symbols (\p{So}: emoji, ©, °) stay inside words.
 * One exception: one or two `+` ending a word (followed by a separator other than `+`, or the end)
 * belong to it, so C++, g++ and notepad++ are words of their own (and `a+b`, `++x`, `x+++` split).
 */
const SEPARATORS = String.raw`\p{Z}\p{Cc}\p{P}\p{Sm}\p{Sc}\p{Sk}`;
const WORD = new RegExp(`[^${SEPARATORS}]+(?:\\+{1,2}(?=(?!\\+)[${SEPARATORS}]|$))?`, 'gu');
// The same rule spelled out for ASCII text: a third of the cost of the Unicode classes.
const ASCII_WORD = /[A-Za-z0-9]+(?:\+{1,2}(?![A-Za-z0-9+]))?/g;

const NON_ASCII = /[^\x00-\x7f]/;

function wordPattern(text: string): RegExp {
  return NON_ASCII.test(text) ? WORD : ASCII_WORD;
}

/** True when every character is ASCII (so lower-casing keeps every position, and the ASCII rules apply). */
function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** ASCII separators, by character code: all but letters and digits. */
const ASCII_SEPARATOR = new Uint8Array(128).fill(1);
for (let code = 0; code < 128; code += 1) if (/[A-Za-z0-9]/.test(String.fromCharCode(code))) ASCII_SEPARATOR[code] = 0;

const PLUS = 0x2b;
const SEPARATOR = new RegExp(`[${SEPARATORS}]`, 'u');
const separatorCache = new Map<number, boolean>();

/**
 * Whether the character at `index` separates words, as WORD has it (outside
 * the text counts as a separator). Both halves of a surrogate pair answer for their character.
 */
export function separatesWords(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return true;
  if (text.charCodeAt(index) === PLUS) return !endsWord(text, index);
  return separates(text, index);
}

/** Whether the `+` at `index` is one of the one or two ending a word (C++). */
function endsWord(text: string, index: number): boolean {
  let before = 0;
  while (before < 2 && text.charCodeAt(index - before - 1) === PLUS) before += 1;
  let after = 0;
  while (after < 2 && text.charCodeAt(index + after + 1) === PLUS) after += 1;
  if (before + 1 + after > 2) return false;
  const start = index - before;
  const end = index + after + 1;
  return start > 0 && !separates(text, start - 1) && separates(text, end);
}

/** The separators without the `+` exception (outside the text counts as one). */
function separates(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return true;
  const code = text.charCodeAt(index);
  if (code < 128) return ASCII_SEPARATOR[code] === 1;
  let separates = separatorCache.get(code);
  if (separates === undefined) {
    separates = code < 0xd800 || code > 0xdfff ? SEPARATOR.test(String.fromCharCode(code)) : false;
    separatorCache.set(code, separates);
  }
  if (code >= 0xd800 && code <= 0xdfff) {
    // A character outside the BMP (a few punctuation marks and symbols are): test the whole code point.
    const start = code >= 0xdc00 && index > 0 ? index - 1 : index;
    const point = text.codePointAt(start)!;
    return point > 0xffff && SEPARATOR.test(String.fromCodePoint(point));
  }
  return separates;
}

const COMBINING_MARK = /\p{M}/u;

/**
 * The text folded (foldCase) with every character at its own position, or
 * undefined when folding would move them (combining marks, Hangul syllables).
 */
export function foldInPlace(text: string): string | undefined {
  if (isAscii(text)) return text.toLowerCase();
  if (COMBINING_MARK.test(text)) return undefined;
  const folded = foldCase(text);
  return folded.length === text.length ? folded : undefined;
}

/**
 * Diacritics (combining marks) and invisible format characters (bidi
 * controls, zero-width spaces and joiners, soft hyphens: \p{Cf}), which a
 * person cannot see and so never types: "\u202Eevil\u202C" is found as "evil".
 */
const FOLDED_AWAY = /[\p{M}\p{Cf}]/gu;

/** Lower case, diacritics and invisible format characters removed; non-Latin letters are kept. */
export function foldCase(term: string): string {
  // Most words are plain ASCII, where normalising changes nothing: half the cost of indexing and snippets.
  if (!NON_ASCII.test(term)) return term.toLowerCase();
  return term.normalize('NFD').replace(FOLDED_AWAY, '').toLowerCase();
}

/** The words of a text. */
export function tokenize(text: string): string[] {
  return text.match(wordPattern(text)) ?? [];
}

/**
 * The words of a text, each folded (`foldCase`): what indexing reads, at half the cost of folding word by word.
 * Given `joined`, the joined forms of the text's joined pairs (`joinedForm`) are pushed on it, one per occurrence.
 */
export function foldedWords(text: string, joined?: string[]): string[] {
  // Lower-casing moves no word boundary (no letter becomes a space or punctuation): lower-case the
  // whole text, then fold only the words that need more (diacritics).
  const lower = text.toLowerCase();
  if (joined !== undefined) joinedPairs(lower, (form) => joined.push(form));
  if (!NON_ASCII.test(text)) return asciiWords(lower);
  const words = lower.match(WORD) ?? [];
  for (let i = 0; i < words.length; i += 1) if (NON_ASCII.test(words[i]!)) words[i] = foldCase(words[i]!);
  return words;
}

/**
 * The joined forms (`joinedForm`) of a text's pairs, folded, with where each pair starts and
 * ends: found from each `.` and `-` between two word characters (a sentence's full stop is
 * not one), in any script.
 */
function joinedPairs(text: string, found: (form: string, start: number, end: number) => void): void {
  // The next `.` and the next `-` are each looked for again only once passed: looking for both from
  // every joiner scanned to the end for the one a text has none of (a.b.c… with no `-`), for each of the other.
  let dot = text.indexOf('.');
  let hyphen = text.indexOf('-');
  while (dot >= 0 || hyphen >= 0) {
    const joiner = hyphen < 0 || (dot >= 0 && dot < hyphen) ? dot : hyphen;
    if (joiner === dot) dot = text.indexOf('.', joiner + 1);
    else hyphen = text.indexOf('-', joiner + 1);
    if (separates(text, joiner - 1) || separates(text, joiner + 1)) continue;
    let start = joiner - 1;
    while (!separates(text, start - 1)) start -= 1;
    let end = joiner + 1;
    while (!separates(text, end)) end += 1;
    // Joined to a third word on either side (1.2.3), or a word with + (c++): not a pair standing alone.
    if (isJoiner(text.charCodeAt(start - 1)) && !separates(text, start - 2)) continue;
    if (isJoiner(text.charCodeAt(end)) && !separates(text, end + 1)) continue;
    if (text.charCodeAt(end) === PLUS) continue;
    const form = joinedForm(foldCase(text.slice(start, joiner)), foldCase(text.slice(joiner + 1, end)), text.charCodeAt(joiner) === DOT);
    if (form !== undefined) found(form, start, end);
  }
}

/**
 * What joins two words into one written word: a single `.` or `-` between them, no space
 * (node.js, asp.net, e-mail, real-time, x86-64). `_` is not one: it joins the parts of
 * identifiers (snake_case), which no one types run together.
 */
function isJoiner(code: number): boolean {
  return code === DOT || code === 0x2d;
}

const DOT = 0x2e;

/**
 * The joined form of two words written as one (`node.js`, `e-mail`, `utf-8`): the two run
 * together (`nodejs`, `email`, `utf8`), as a person types the word. Only for a pair standing
 * alone: words joined to a third (`1.2.3`, `www.example.com`, `state-of-the-art`) are paths,
 * versions and phrases, not a word. Not with a digit on both sides of the joiner, which is a
 * number's (`1.5`, `74.6ms`, `v0.10`, `10-15`, `x86-64`, dates). After a dot (`dot`), only a
 * short part of up to three characters, as in a name and its ending (`node.js`, `asp.net`,
 * `socket.io`, `e.g`): a longer one is mostly code's `object.method` or a file's name
 * (`self.iter`, `package.json`), which no one types run together.
 */
export function joinedForm(first: string, second: string, dot = false): string | undefined {
  // A word with + (c++) is no part of one.
  if (first.charCodeAt(first.length - 1) === PLUS || second.charCodeAt(second.length - 1) === PLUS) return undefined;
  if (isDigit(first.charCodeAt(first.length - 1)) && isDigit(second.charCodeAt(0))) return undefined;
  if (dot && second.length > 3) return undefined;
  return first + second;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The joined pairs of a text (`joinedForm`), folded, with where each is written: for snippets. */
export function joinedWithOffsets(text: string): Array<{ form: string; start: number; end: number }> {
  const out: Array<{ form: string; start: number; end: number }> = [];
  joinedPairs(text, (form, start, end) => out.push({ form, start, end }));
  return out;
}

/** ASCII_WORD's words of an ASCII text, by a scan of its character codes: a quarter faster than the regular expression. */
function asciiWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (ASCII_SEPARATOR[code] === 1) {
      if (start >= 0) {
        let end = i;
        if (code === PLUS) {
          // One or two `+` ending the word, then a separator other than `+` (or the end): C++.
          let after = i;
          while (after - i < 3 && text.charCodeAt(after) === PLUS) after += 1;
          if (after - i <= 2 && (after === text.length || (ASCII_SEPARATOR[text.charCodeAt(after)] === 1 && text.charCodeAt(after) !== PLUS))) end = after;
        }
        words.push(text.slice(start, end));
        i = Math.max(i, end - 1);
      }
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) words.push(text.slice(start));
  return words;
}

/** The words of a text with their positions, for snippets. */
export function tokenizeWithOffsets(text: string): Array<{ word: string; start: number; end: number }> {
  const words: Array<{ word: string; start: number; end: number }> = [];
  for (const match of text.matchAll(wordPattern(text))) {
    words.push({ word: match[0], start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/**
 * A word as typed or written, as the index keeps it: folded, stop words
 * dropped (undefined), not stemmed. The index holds these; `stemOf` groups them.
 */
export function surfaceTerm(word: string): string | undefined {
  const folded = foldCase(word);
  if (!folded || STOP_WORDS.has(folded)) return undefined;
  return folded;
}

/**
 * The stem of a folded word (Porter). Numbers and mixed tokens such as
 * libgit2 are their own stem: the stemmer is for English words.
 */
export function stemOf(folded: string): string {
  return /^[a-z]+$/.test(folded) ? stem(folded) : folded;
}

/**
 * A word's stem as the index groups words: folded, stop words dropped, stemmed
 * (Porter). Returns undefined for a word that is not indexed.
 */
export function indexTerm(word: string): string | undefined {
  const folded = surfaceTerm(word);
  return folded === undefined ? undefined : stemOf(folded);
}

/** Whether a folded word is an English stop word (never indexed, never searched). */
export function isStopWord(folded: string): boolean {
  return STOP_WORDS.has(folded);
}

/** Recent stems: a text repeats its words, and stemming is most of the cost of indexing one. */
const stems = new Map<string, string>();
const STEM_CACHE_SIZE = 10_000;

function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    // Cleared rather than evicted one by one: refilling costs one stemming per word.
    if (stems.size >= STEM_CACHE_SIZE) stems.clear();
    stems.set(word, stemmed);
  }
  return stemmed;
}

/**
 * `indexTerm` for a word already folded to Latin letters, not cached: for the
 * hundreds of one-edit variants of a mistyped word, which would only crowd the cache.
 */
export function stemLetters(word: string): string | undefined {
  return STOP_WORDS.has(word) ? undefined : stemmer(word);
}

/** A tag as the index keeps it: folded, never stemmed. */
export function tagTerm(word: string): string | undefined {
  const folded = foldCase(word);
  return folded || undefined;
}
