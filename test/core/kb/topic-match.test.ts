import { describe, expect, it } from 'vitest';
import { matchTopic, topicWords, wordsCovered, wordsNeeded } from '../../../src/core/kb/topic-match.ts';

describe('matchTopic', () => {
  const topics = ['Learning Rust', 'Rust async runtimes', 'Trust and safety', 'Distributed lock managers'];
  it('prefers the whole text, then exact words, then prefixes, then typos', () => {
    expect(matchTopic('learning rust', topics)).toEqual({ kind: 'one', index: 0 });
    expect(matchTopic('rust', topics)).toEqual({ kind: 'ambiguous', indexes: [0, 1] });
    expect(matchTopic('async', topics)).toEqual({ kind: 'one', index: 1 });
    expect(matchTopic('distrib lock', topics)).toEqual({ kind: 'one', index: 3 });
    expect(matchTopic('managrs', topics)).toEqual({ kind: 'one', index: 3 });
    // Two letters swapped are one typo, as /find counts them.
    expect(matchTopic('asnyc', topics)).toEqual({ kind: 'one', index: 1 });
    expect(matchTopic('the safety', topics)).toEqual({ kind: 'one', index: 2 });
    expect(matchTopic('gardening', topics)).toEqual({ kind: 'none', closest: 0 });
    expect(matchTopic('kubernetes', topics)).toEqual({ kind: 'none' });
  });
});

describe('wordsCovered', () => {
  const topic = topicWords('Performance tuning of libgit2 over NFS');
  it('counts the topic words (stop words left out) that the matched terms stand for, stems or words as written', () => {
    expect(topic.map((w) => w.folded)).toEqual(['performance', 'tuning', 'libgit2', 'nfs']);
    expect(wordsNeeded(topic.length)).toBe(2);
    expect(wordsCovered(topic, ['perform', 'tune'])).toBe(2);
    expect(wordsCovered(topic, ['performance', 'tuning', 'nfs'])).toBe(3);
    // A prefix completion and a typo variant, as the index expands them.
    expect(wordsCovered(topic, ['libgit2s', 'performanse'])).toBe(2);
    expect(wordsCovered(topic, ['git', 'over'])).toBe(0);
  });
  it('needs half of a topic\'s words, and two of two or more', () => {
    expect([1, 2, 3, 4, 5, 7, 10].map(wordsNeeded)).toEqual([1, 2, 2, 2, 3, 4, 5]);
  });
});
