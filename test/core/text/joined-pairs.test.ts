/**
 * The joined pairs of a text (node.js → nodejs, e-mail → email) are found in one pass: the same
 * pairs, at the same places, as looking for the next `.` and `-` afresh from every joiner (the
 * reference below, the code before), on thousands of generated texts; and without scanning a text
 * once per joiner for the kind it has none of (a megabyte of a.b.c… with no `-`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { foldCase, foldedWords, joinedForm, joinedWithOffsets, separatesWords } from '../../../src/core/text/words.ts';

const PLUS = 0x2b;
const DOT = 0x2e;

/** words.ts's `separates`: what separates words, a `+` always (no C++ exception). */
function separates(text: string, index: number): boolean {
  return index < 0 || index >= text.length || text.charCodeAt(index) === PLUS || separatesWords(text, index);
}

function isJoiner(code: number): boolean {
  return code === DOT || code === 0x2d;
}

/** The next `.` or `-` at or after `from` (-1: none): as it was. */
function nextJoiner(text: string, from: number): number {
  const dot = text.indexOf('.', from);
  const hyphen = text.indexOf('-', from);
  return dot < 0 ? hyphen : hyphen < 0 ? dot : Math.min(dot, hyphen);
}

/** joinedPairs as it was, joiner by joiner from nextJoiner. */
function referencePairs(text: string): Array<{ form: string; start: number; end: number }> {
  const out: Array<{ form: string; start: number; end: number }> = [];
  for (let joiner = nextJoiner(text, 0); joiner >= 0; joiner = nextJoiner(text, joiner + 1)) {
    if (separates(text, joiner - 1) || separates(text, joiner + 1)) continue;
    let start = joiner - 1;
    while (!separates(text, start - 1)) start -= 1;
    let end = joiner + 1;
    while (!separates(text, end)) end += 1;
    if (isJoiner(text.charCodeAt(start - 1)) && !separates(text, start - 2)) continue;
    if (isJoiner(text.charCodeAt(end)) && !separates(text, end + 1)) continue;
    if (text.charCodeAt(end) === PLUS) continue;
    const form = joinedForm(foldCase(text.slice(start, joiner)), foldCase(text.slice(joiner + 1, end)), text.charCodeAt(joiner) === DOT);
    if (form !== undefined) out.push({ form, start, end });
  }
  return out;
}

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Joiners and word characters mostly, with the characters at the tokenizer's edges: +, digits, capitals
// (İ lower-cases to two characters), diacritics, invisible characters, other scripts, a character outside the BMP.
const PIECES = ['.', '.', '.', '-', '-', '-', 'a', 'b', 'js', 'net', 'node', 'E', '1', '9', '+', '++', ' ', ' ', '\n', '_', ',', '/', 'é', 'e\u0301', 'İ', '\u00ad', '\u200b', 'д', '中', '😀', '\u{10100}', '..', '--', '.-'];

function generatedText(next: () => number): string {
  const length = 1 + Math.floor(next() * 40);
  let text = '';
  for (let i = 0; i < length; i += 1) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

const realIndexOf = String.prototype.indexOf;

afterEach(() => {
  String.prototype.indexOf = realIndexOf;
});

/** Counts the characters every String indexOf looks at while `run` runs. */
function charactersScanned(run: () => void): number {
  let scanned = 0;
  String.prototype.indexOf = function (this: string, search: string, from?: number) {
    const at = realIndexOf.call(this, search, from);
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    scanned += (at < 0 ? this.length : at + search.length) - start;
    return at;
  } as typeof String.prototype.indexOf;
  try {
    run();
  } finally {
    String.prototype.indexOf = realIndexOf;
  }
  return scanned;
}

describe('joined pairs', () => {
  it('are the pairs looking for the next joiner afresh from each finds, on 10,000 generated texts', () => {
    const next = random(13);
    let pairs = 0;
    const differ: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const text = generatedText(next);
      const expected = referencePairs(text);
      pairs += expected.length;
      // Indexing reads the pairs of the lower-cased text, pushed as found.
      const joined: string[] = [];
      const words = foldedWords(text, joined);
      const same =
        JSON.stringify(joinedWithOffsets(text)) === JSON.stringify(expected) &&
        JSON.stringify(joined) === JSON.stringify(referencePairs(text.toLowerCase()).map((pair) => pair.form)) &&
        JSON.stringify(foldedWords(text)) === JSON.stringify(words);
      if (!same) differ.push(text);
    }
    expect(differ).toEqual([]);
    // The texts do hold pairs: the comparison is not of empty lists.
    expect(pairs).toBeGreaterThan(2_000);
  });

  it('are found from a megabyte of a.b.c… with no hyphen (or a-b-c… with no dot) in one scan of it for each joiner', () => {
    for (const joiner of ['.', '-']) {
      const text = `a${joiner}`.repeat(500_000) + 'a';
      let found: ReturnType<typeof joinedWithOffsets> = [];
      const scanned = charactersScanned(() => {
        found = joinedWithOffsets(text);
      });
      // Each pair is joined to a third word: none stands alone.
      expect(found).toEqual([]);
      expect(scanned).toBeLessThanOrEqual(2 * text.length + 2);
    }
    // A short text alone: a.b.c with one node.js at its end is still found.
    expect(joinedWithOffsets(`${'x.'.repeat(1000)}x node.js`).map((pair) => pair.form)).toEqual(['nodejs']);
  });
});
