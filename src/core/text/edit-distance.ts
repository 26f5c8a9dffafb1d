/**
 * Edit distance between two words, as people mistype: a letter dropped, added
 * or changed, or two neighbours swapped, each one edit (optimal string
 * alignment, the usual "Damerau-Levenshtein" of spelling correction). The one
 * distance of the bot: typo matching in search, did-you-mean, completions,
 * topic matching, similar tags and command suggestions all count edits alike,
 * and allow a word as many edits as `typoBudget` says.
 */

/** The shortest word (in UTF-16 code units, as `editDistance` counts) allowed one edit, two, and three. */
export interface TypoLengths {
  one: number;
  two: number;
  three?: number;
}

/**
 * Matching a word typed against the words of the documents (search, completions,
 * topics): none under 3 letters, one from 3 (a dropped letter makes "term" the
 * unknown "trm"), two from 6. Chosen with `npm run eval`.
 */
export const MATCH_TYPO_LENGTHS: Readonly<TypoLengths> = { one: 3, two: 6 };

/**
 * Suggesting for a word that matched nothing ("did you mean", tags like it,
 * command names): it is further off, so one more edit from 4 letters: one from
 * 3 letters, two from 4, three from 7.
 */
export const SUGGEST_TYPO_LENGTHS: Readonly<TypoLengths> = { one: 3, two: 4, three: 7 };

/** How many edits `word` may be from the word meant: the one typo budget of the bot (0: none). */
export function typoBudget(word: string, lengths: Readonly<TypoLengths> = MATCH_TYPO_LENGTHS): number {
  const n = word.length;
  if (lengths.three !== undefined && n >= lengths.three) return 3;
  if (n >= lengths.two) return 2;
  return n >= lengths.one ? 1 : 0;
}

const rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** The distance between `a` and `b`, or `max + 1` as soon as it must exceed `max` (no limit by default). */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  if (m + 1 > rows[0]!.length) for (let i = 0; i < 3; i += 1) rows[i] = new Int32Array(m + 1);
  let before = rows[0]!;
  let previous = rows[1]!;
  let current = rows[2]!;
  for (let j = 0; j <= m; j += 1) previous[j] = j;
  for (let i = 1; i <= n; i += 1) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j += 1) {
      const cb = b.charCodeAt(j - 1);
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  const distance = previous[m]!;
  return distance > max ? max + 1 : distance;
}
