/**
 * Seeded query generators shared by the benchmark and the evaluation, so every
 * run asks the same questions.
 */
import { indexTerm, tokenize } from '../src/core/text/words.ts';

/** mulberry32: small, fast, good enough for picking words. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'qs', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x',
};

/** One typo: a swapped pair, a dropped letter, a doubled letter or a neighbouring key. Never the first letter. */
export function typo(random: () => number, word: string): string {
  if (word.length < 4) return word;
  const at = 1 + Math.floor(random() * (word.length - 2));
  const kind = Math.floor(random() * 4);
  if (kind === 0) return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  if (kind === 1) return word.slice(0, at) + word.slice(at + 1);
  if (kind === 2) return word.slice(0, at) + word[at] + word.slice(at);
  const letter = word[at]!.toLowerCase();
  const near = KEYBOARD_NEIGHBOURS[letter] ?? 'e';
  return word.slice(0, at) + pick(random, [...near]) + word.slice(at + 1);
}

/** Words a person might type to find a text: letters only, 3+ characters, not stop words. */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((word) => /^\p{L}{3,}$/u.test(word) && indexTerm(word) !== undefined);
}

export interface BenchQuery {
  text: string;
  typo: boolean;
}

/**
 * `count` queries of 1 to 3 words from the documents' own words (so most find
 * something), a third of them with one typo.
 */
export function benchQueries(texts: readonly string[], count: number, seed = 42): BenchQuery[] {
  const random = seededRandom(seed);
  const queries: BenchQuery[] = [];
  while (queries.length < count) {
    const words = contentWords(pick(random, texts));
    if (words.length < 3) continue;
    const n = 1 + Math.floor(random() * 3);
    const chosen = Array.from({ length: n }, () => pick(random, words).toLowerCase());
    const withTypo = queries.length % 3 === 2;
    if (withTypo) {
      const i = chosen.findIndex((word) => word.length >= 4);
      if (i < 0) continue;
      chosen[i] = typo(random, chosen[i]!);
    }
    queries.push({ text: chosen.join(' '), typo: withTypo });
  }
  return queries;
}
