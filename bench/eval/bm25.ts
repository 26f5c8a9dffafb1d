/**
 * A plain BM25 baseline, written out here so it shares nothing with tinker or
 * MiniSearch: lower-cased tokens, no stemming, no stop words, no prefix or typo
 * matching; title and text as one field.
 */

// White space and punctuation separate tokens, as in MiniSearch's default tokenizer.
const SEPARATORS = /[\n\r\p{Z}\p{P}]+/u;

/** A text's tokens, lower-cased. */
export function plainTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(SEPARATORS)
    .filter((token) => token.length > 0);
}

export interface Bm25Parameters {
  k1: number;
  b: number;
}

export const BM25_PARAMETERS: Bm25Parameters = { k1: 1.2, b: 0.75 };

/** A BM25 index over `title + text` of each document. */
export class PlainBm25 {
  private readonly ids: string[] = [];
  private readonly lengths: number[] = [];
  /** Token → postings as [document index, term frequency]. */
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly averageLength: number;
  private readonly scores: Float64Array;

  constructor(
    docs: ReadonlyArray<{ id: string; title: string; text: string }>,
    private readonly parameters: Bm25Parameters = BM25_PARAMETERS,
  ) {
    for (const doc of docs) {
      const index = this.ids.length;
      const tokens = plainTokens(`${doc.title}\n${doc.text}`);
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [token, count] of counts) {
        let list = this.postings.get(token);
        if (!list) this.postings.set(token, (list = []));
        list.push([index, count]);
      }
      this.ids.push(doc.id);
      this.lengths.push(tokens.length);
    }
    this.averageLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
    this.scores = new Float64Array(this.ids.length);
  }

  /** Lucene's idf: never negative, so a token in most documents still counts a little. */
  idf(token: string): number {
    const df = this.postings.get(token)?.length ?? 0;
    const n = this.ids.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Document ids by BM25 score over the query's distinct tokens, best first; ties in document order. */
  search(query: string, limit: number): string[] {
    return this.scored(query, limit).map(({ id }) => id);
  }

  /** `search` with the scores. */
  scored(query: string, limit: number): Array<{ id: string; score: number }> {
    const { k1, b } = this.parameters;
    const touched: number[] = [];
    for (const token of new Set(plainTokens(query))) {
      const list = this.postings.get(token);
      if (!list) continue;
      const idf = this.idf(token);
      for (const [index, tf] of list) {
        if (this.scores[index] === 0) touched.push(index);
        const norm = k1 * (1 - b + (b * this.lengths[index]!) / this.averageLength);
        this.scores[index]! += (idf * tf * (k1 + 1)) / (tf + norm);
      }
    }
    const ranked = touched
      .map((index) => ({ index, score: this.scores[index]! }))
      .sort((x, y) => y.score - x.score || x.index - y.index);
    for (const index of touched) this.scores[index] = 0;
    return ranked.slice(0, limit).map(({ index, score }) => ({ id: this.ids[index]!, score }));
  }
}
