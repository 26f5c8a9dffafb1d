import { describe, expect, it } from 'vitest';
import { Vocabulary } from '../../../src/core/search/vocabulary.ts';
import { stemOf } from '../../../src/core/text/words.ts';

function vocabularyOf(words: readonly string[]): Vocabulary {
  const vocabulary = new Vocabulary(stemOf);
  words.forEach((word, termId) => vocabulary.add(word, termId));
  return vocabulary;
}

const near = (vocabulary: Vocabulary, word: string, max: number) =>
  Object.fromEntries([...vocabulary.near(word, max)].map(([termId, distance]) => [vocabulary.word(termId), distance]));

const prefixed = (vocabulary: Vocabulary, prefix: string) => {
  const out: string[] = [];
  vocabulary.withPrefix(prefix, (termId) => out.push(vocabulary.word(termId)));
  return out.sort();
};

describe('vocabulary', () => {
  it('groups words by stem', () => {
    const vocabulary = vocabularyOf(['configuration', 'configure', 'config', 'configurations']);
    expect(vocabulary.withStem(stemOf('configured')).map((id) => vocabulary.word(id)).sort()).toEqual(['configuration', 'configurations', 'configure']);
    expect(vocabulary.siblings(0).map((id) => vocabulary.word(id)).sort()).toEqual(['configurations', 'configure']);
    expect(vocabulary.withStem('nothing')).toEqual([]);
  });

  it('finds the words that start with a prefix, including words added after a lookup', () => {
    const vocabulary = vocabularyOf(['mirror', 'mirage', 'mist', 'mirroring', 'apple']);
    expect(prefixed(vocabulary, 'mir')).toEqual(['mirage', 'mirror', 'mirroring']);
    vocabulary.add('mirrored', 5);
    vocabulary.add('miracle', 6);
    expect(prefixed(vocabulary, 'mirr')).toEqual(['mirror', 'mirrored', 'mirroring']);
    expect(prefixed(vocabulary, 'mi')).toHaveLength(6);
    expect(prefixed(vocabulary, 'z')).toEqual([]);
  });

  it('finds words one typo away through the symmetric-delete table, whatever the edit', () => {
    const vocabulary = vocabularyOf(['parser', 'parsed', 'sparse', 'term', 'trim', 'kube', 'kuba', 'cube']);
    expect(near(vocabulary, 'parsr', 1)).toEqual({ parser: 1 });
    expect(near(vocabulary, 'parsd', 1)).toEqual({ parsed: 1 });
    expect(near(vocabulary, 'paresr', 1)).toEqual({ parser: 1 });
    expect(near(vocabulary, 'parsxr', 1)).toEqual({ parser: 1 });
    expect(near(vocabulary, 'parserr', 1)).toEqual({ parser: 1 });
    // A typo in the first letter too.
    expect(near(vocabulary, 'xube', 1)).toEqual({ kube: 1, cube: 1 });
    expect(near(vocabulary, 'trm', 1)).toEqual({ term: 1, trim: 1 });
    // The word itself is not its own neighbour.
    expect(near(vocabulary, 'parser', 1)).toEqual({ parsed: 1 });
  });

  it('finds words two or three typos away by scanning words of the same first letter and about the same length', () => {
    const vocabulary = vocabularyOf(['kubernetes', 'kube', 'cryptomining', 'markdown']);
    expect(near(vocabulary, 'kubernxtxs', 2)).toEqual({ kubernetes: 2 });
    expect(near(vocabulary, 'mrkdwnx', 2)).toEqual({});
    expect(near(vocabulary, 'mrkdwnx', 3)).toEqual({ markdown: 3 });
    expect(near(vocabulary, 'crptomnig', 3)).toEqual({ cryptomining: 3 });
  });

  it('drops and renumbers words after a vacuum, typo table included', () => {
    const vocabulary = vocabularyOf(['alpha', 'beta', 'gamma']);
    vocabulary.renumber(Int32Array.from([-1, 0, 1]), ['beta', 'gamma']);
    expect(vocabulary.size).toBe(2);
    expect(near(vocabulary, 'alpah', 1)).toEqual({});
    expect(near(vocabulary, 'gamna', 1)).toEqual({ gamma: 1 });
    expect(prefixed(vocabulary, 'b')).toEqual(['beta']);
    vocabulary.add('delta', 2);
    expect(near(vocabulary, 'delat', 1)).toEqual({ delta: 1 });
  });
});
