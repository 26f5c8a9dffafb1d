import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/queries.ts';
import { MIN_TYPO_LENGTH, TYPO_KINDS, makeTypo, makeTypoIn, typoKind } from '../../bench/eval/typos.ts';
import { editDistance as botEditDistance } from '../../src/core/index.ts';

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const WORDS = ['commit', 'success', 'themselves', 'rebase', 'git', 'tmux', 'aaaa', 'bookkeeper', 'café', 'naïve', 'ssh', 'zzzzzz', 'libgit'];

describe('makeTypo', () => {
  it('makes exactly one edit, never at the first letter, in every word of 4+ letters', () => {
    const random = seededRandom(1);
    for (let round = 0; round < 400; round += 1) {
      for (const word of WORDS.filter((w) => w.length >= MIN_TYPO_LENGTH)) {
        const typed = makeTypo(random, word);
        expect(editDistance(word, typed), `${word} → ${typed}`).toBe(1);
        expect(typed[0]).toBe(word[0]);
      }
    }
  });

  it('makes each kind of edit as named', () => {
    const random = seededRandom(2);
    for (let round = 0; round < 200; round += 1) {
      expect(makeTypo(random, 'themselves', 'drop')).toHaveLength(9);
      expect(makeTypo(random, 'themselves', 'insert')).toHaveLength(11);
      const substituted = makeTypo(random, 'themselves', 'substitute');
      expect(substituted).toHaveLength(10);
      expect([...substituted].filter((c, i) => c !== 'themselves'[i])).toHaveLength(1);
      const swapped = makeTypo(random, 'themselves', 'swap');
      expect([...swapped].sort().join('')).toBe([...'themselves'].sort().join(''));
      expect(swapped).not.toBe('themselves');
    }
  });

  it('uses every kind of edit when none is asked for', () => {
    const random = seededRandom(3);
    const lengths = new Set(Array.from({ length: 200 }, () => makeTypo(random, 'rebase').length));
    expect([...lengths].sort()).toEqual([5, 6, 7]);
    expect(TYPO_KINDS).toEqual(['drop', 'insert', 'substitute', 'swap']);
  });

  it('still makes one edit where a swap or a substitution cannot (equal letters, letters off the keyboard map)', () => {
    const random = seededRandom(4);
    expect(editDistance('aaaa', makeTypo(random, 'aaaa', 'swap'))).toBe(1);
    expect(editDistance('éèéè', makeTypo(random, 'éèéè', 'substitute'))).toBe(1);
  });

  it('leaves words shorter than 4 letters as they are', () => {
    expect(makeTypo(seededRandom(5), 'git')).toBe('git');
    expect(makeTypo(seededRandom(5), 'ssh', 'drop')).toBe('ssh');
  });

  it('is the same for the same seed', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const first = WORDS.map((w) => makeTypo(a, w));
    expect(WORDS.map((w) => makeTypo(b, w))).toEqual(first);
  });
});

describe('typoKind', () => {
  it('names the edit makeTypo made', () => {
    const random = seededRandom(6);
    for (const kind of TYPO_KINDS) {
      for (let round = 0; round < 50; round += 1) expect(typoKind('bookkeeper', makeTypo(random, 'bookkeeper', kind))).toBe(kind);
    }
  });
});

describe('makeTypoIn', () => {
  it('keyboard is makeTypo: one edit, never at the first letter', () => {
    const random = seededRandom(11);
    for (const word of WORDS.filter((w) => w.length >= MIN_TYPO_LENGTH)) {
      for (let i = 0; i < 50; i += 1) {
        const typed = makeTypoIn('keyboard', random, word);
        expect(editDistance(word, typed)).toBe(1);
        expect(typed[0]).toBe(word[0]);
      }
    }
  });

  it('any makes exactly one edit, and sometimes at the first letter', () => {
    const random = seededRandom(12);
    let firstLetter = 0;
    for (let i = 0; i < 400; i += 1) {
      const typed = makeTypoIn('any', random, 'bookkeeper');
      expect(editDistance('bookkeeper', typed)).toBe(1);
      if (typed[0] !== 'b') firstLetter += 1;
    }
    expect(firstLetter).toBeGreaterThan(0);
  });

  it('two makes two edits in the word', () => {
    const random = seededRandom(13);
    for (let i = 0; i < 200; i += 1) expect(editDistance('themselves', makeTypoIn('two', random, 'themselves'))).toBe(2);
  });

  it('leaves short words alone in every style', () => {
    for (const style of ['keyboard', 'any', 'two'] as const) expect(makeTypoIn(style, seededRandom(1), 'git')).toBe('git');
  });

  it('the bot’s edit distance (which the typo maker checks with) agrees with the test’s own', () => {
    const random = seededRandom(14);
    for (let i = 0; i < 200; i += 1) {
      const typed = makeTypoIn('two', random, 'success');
      expect(botEditDistance('success', typed)).toBe(editDistance('success', typed));
    }
  });
});
