/**
 * What a document contributes to the index: its index terms per field, with
 * their frequencies, and each field's length.
 */
import { foldedWords, isStopWord } from '../text/words.ts';
import { FIELD_COUNT, FIELD_ID, type FieldPostings, type Postings } from './postings.ts';
import type { IndexedDoc } from './types.ts';

/** The text of each field: the title (with any aliases, searched like it), the text, the tags. */
export function fieldTexts(doc: IndexedDoc): string[] {
  const texts: string[] = [];
  texts[FIELD_ID.title] = doc.aliases && doc.aliases.length > 0 ? `${doc.title}\n${doc.aliases.join('\n')}` : doc.title;
  texts[FIELD_ID.text] = doc.text;
  texts[FIELD_ID.tags] = doc.tags.join(' ');
  return texts;
}

/** A stop word in the reader's cache. */
const STOP = -1;

/**
 * Reads documents into term ids per field. Every field is indexed by its words
 * as written, folded (stop words dropped, but a tag keeps every word); the
 * vocabulary groups them by stem, so a query can tell the word it typed from
 * the word's other forms. One reader per index: its buffers are reused, so a
 * read's result is good until the next read.
 */
export class DocumentReader {
  /** Word → term id, or STOP: one lookup per word, stop words included. */
  private known = new Map<string, number>();
  private counts: Uint32Array = new Uint32Array(1024);
  private readonly fields: Array<{ ids: Int32Array; tfs: Uint32Array; count: number }> = Array.from({ length: FIELD_COUNT }, () => ({
    ids: new Int32Array(256),
    tfs: new Uint32Array(256),
    count: 0,
  }));
  private readonly lengths: number[] = new Array<number>(FIELD_COUNT).fill(0);
  /** The joined forms of a field's text (`foldedWords`), reused. */
  private readonly joined: string[] = [];

  constructor(
    private readonly postings: Postings,
    private readonly onNewTerm: (term: string, termId: number) => void,
  ) {}

  /** Forgets the cached term ids (after the postings renumbered their terms). */
  forget(): void {
    this.known = new Map();
  }

  /** The document's distinct term ids and frequencies per field, and each field's length (words indexed, repeats counted). */
  read(doc: IndexedDoc): { fields: readonly FieldPostings[]; lengths: readonly number[] } {
    const texts = fieldTexts(doc);
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      const out = this.fields[field]!;
      out.count = 0;
      let length = 0;
      const keepStopWords = field === FIELD_ID.tags;
      const joined = this.joined;
      joined.length = 0;
      const words = foldedWords(texts[field] ?? '', joined);
      // The joined forms (nodejs for node.js) come after the words, and are no words of the length.
      const written = words.length;
      for (let j = 0; j < joined.length; j += 1) words.push(joined[j]!);
      for (let w = 0; w < words.length; w += 1) {
        const word = words[w]!;
        if (!word) continue;
        let termId = keepStopWords ? this.postings.termIdOrNew(word, this.onNewTerm) : this.known.get(word);
        if (termId === undefined) {
          termId = isStopWord(word) ? STOP : this.postings.termIdOrNew(word, this.onNewTerm);
          this.known.set(word, termId);
        }
        if (termId === STOP) continue;
        if (w < written) length += 1;
        if (termId >= this.counts.length) this.counts = growUint32(this.counts, Math.max(termId + 1, this.counts.length * 2));
        if (this.counts[termId] === 0) {
          if (out.count === out.ids.length) {
            out.ids = growInt32(out.ids, out.count * 2);
            out.tfs = growUint32(out.tfs, out.count * 2);
          }
          out.ids[out.count++] = termId;
        }
        this.counts[termId] = this.counts[termId]! + 1;
      }
      for (let i = 0; i < out.count; i += 1) {
        const termId = out.ids[i]!;
        out.tfs[i] = this.counts[termId]!;
        this.counts[termId] = 0;
      }
      // BM25's document length: the words indexed, repeats counted (stop words are not).
      this.lengths[field] = length;
    }
    return { fields: this.fields, lengths: this.lengths };
  }
}

function growInt32(old: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(old);
  return grown;
}

function growUint32(old: Uint32Array, capacity: number): Uint32Array {
  const grown = new Uint32Array(capacity);
  grown.set(old);
  return grown;
}
