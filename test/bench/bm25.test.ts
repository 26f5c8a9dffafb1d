import { describe, expect, it } from 'vitest';
import { PlainBm25, plainTokens } from '../../bench/eval/bm25.ts';

const docs = [
  { id: 'a', title: 'Rebase', text: 'git rebase rewrites commits' },
  { id: 'b', title: 'Commits', text: 'a commit is a snapshot; commits form a graph' },
  { id: 'c', title: 'Tmux', text: 'tmux splits the terminal' },
];

describe('plain BM25 baseline', () => {
  it('tokenizes by white space and punctuation, lower case, no stemming or stop words', () => {
    expect(plainTokens('Git: the REBASE-commits, running')).toEqual(['git', 'the', 'rebase', 'commits', 'running']);
  });

  it('scores with k1 1.2 and b 0.75 over title + text', () => {
    const index = new PlainBm25(docs);
    // "commits": in a (tf 1 of 5 tokens) and b (tf 2 of 10); c has 5 tokens; 3 documents.
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    expect(index.idf('commits')).toBeCloseTo(idf, 12);
    const average = 20 / 3;
    const score = (tf: number, length: number, weight = idf) => (weight * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * length) / average));
    const scored = index.scored('commits', 10);
    expect(scored.map((hit) => hit.id)).toEqual(['b', 'a']);
    expect(scored[0]!.score).toBeCloseTo(score(2, 10), 12);
    expect(scored[1]!.score).toBeCloseTo(score(1, 5), 12);
    // Two query words: the sum of each word's score.
    const tmux = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    expect(index.scored('tmux terminal', 1)[0]!.score).toBeCloseTo(score(2, 5, tmux) + score(1, 5, tmux), 12);
  });

  it('matches tokens exactly: no stems, no prefixes, no typos', () => {
    const index = new PlainBm25(docs);
    expect(index.search('commit', 10)).toEqual(['b']);
    expect(index.search('reba', 10)).toEqual([]);
    expect(index.search('tmxu', 10)).toEqual([]);
  });

  it('adds up the query words and keeps the limit', () => {
    const index = new PlainBm25(docs);
    expect(index.search('tmux rebase', 10).sort()).toEqual(['a', 'c']);
    expect(index.search('git rebase commits', 1)).toEqual(['a']);
    // Searching twice gives the same answer (scores are cleared between searches).
    expect(index.search('git rebase commits', 3)).toEqual(index.search('git rebase commits', 3));
  });
});
