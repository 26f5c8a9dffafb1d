/**
 * What the index knows about its words, beside their postings: each word's
 * stem (and the other words of that stem), the words in sorted order (for
 * prefix completion), and a symmetric-delete table (for typos).
 *
 * Index terms are words as written, folded (`successful`); the stem
 * (`success`) groups them, so a query can rank the word as typed above its
 * other forms.
 */
import { editDistance } from '../text/edit-distance.ts';

/** A word's stem, as the index groups words (the caller's rule: Porter for English words). */
export type Stemmer = (word: string) => string;

/** Words up to this many code units get their deletes in the typo table; longer ones are matched by scanning. */
const MAX_DELETE_WORD = 24;

/** FNV-1a over UTF-16 code units, skipping the unit at `skip` (-1: none). */
function hashSkipping(word: string, skip: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i += 1) {
    if (i === skip) continue;
    hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A table of (key, term id) pairs sorted by key. Additions wait in a second,
 * smaller table that is sorted when a lookup needs it, and merged into the
 * main one once it holds a quarter as many: a bulk build sorts once, a note's
 * few new words cost little.
 */
class SortedPairs {
  private keys: Uint32Array = new Uint32Array(0);
  private values: Uint32Array = new Uint32Array(0);
  private recentKeys: Uint32Array = new Uint32Array(0);
  private recentValues: Uint32Array = new Uint32Array(0);
  private addedKeys: number[] = [];
  private addedValues: number[] = [];

  add(key: number, value: number): void {
    this.addedKeys.push(key);
    this.addedValues.push(value);
  }

  /** Calls `each` with every value stored under `key`. */
  forEach(key: number, each: (value: number) => void): void {
    this.settle();
    visit(this.keys, this.values, key, each);
    visit(this.recentKeys, this.recentValues, key, each);
  }

  /** Sorts what was added into the recent table, and that into the main one when it has grown. */
  settle(): void {
    if (this.addedKeys.length > 0) {
      const [keys, values] = sortPairs(this.addedKeys, this.addedValues);
      [this.recentKeys, this.recentValues] = mergePairs(this.recentKeys, this.recentValues, keys, values);
      this.addedKeys = [];
      this.addedValues = [];
    }
    if (this.recentKeys.length > 0 && this.recentKeys.length * 4 >= this.keys.length) {
      [this.keys, this.values] = mergePairs(this.keys, this.values, this.recentKeys, this.recentValues);
      this.recentKeys = new Uint32Array(0);
      this.recentValues = new Uint32Array(0);
    }
  }

  /** Every pair, sorted by key (for a snapshot). */
  all(): { keys: Uint32Array; values: Uint32Array } {
    this.settle();
    const [keys, values] = mergePairs(this.keys, this.values, this.recentKeys, this.recentValues);
    return { keys, values };
  }

  /** Replaces the table with pairs already sorted by key. */
  load(keys: Uint32Array, values: Uint32Array): void {
    if (keys.length !== values.length) throw new Error('search: the typo table does not fit together');
    for (let i = 1; i < keys.length; i += 1) if (keys[i - 1]! > keys[i]!) throw new Error('search: the typo table is not sorted');
    this.keys = keys;
    this.values = values;
    this.recentKeys = new Uint32Array(0);
    this.recentValues = new Uint32Array(0);
    this.addedKeys = [];
    this.addedValues = [];
  }

  /** Keeps only pairs whose value maps to a new one (`map[value] >= 0`), renumbered. */
  renumber(map: Int32Array): void {
    this.settle();
    [this.keys, this.values] = mergePairs(this.keys, this.values, this.recentKeys, this.recentValues);
    this.recentKeys = new Uint32Array(0);
    this.recentValues = new Uint32Array(0);
    let at = 0;
    for (let i = 0; i < this.keys.length; i += 1) {
      const value = map[this.values[i]!]!;
      if (value < 0) continue;
      this.keys[at] = this.keys[i]!;
      this.values[at] = value;
      at += 1;
    }
    this.keys = this.keys.slice(0, at);
    this.values = this.values.slice(0, at);
  }
}

function visit(keys: Uint32Array, values: Uint32Array, key: number, each: (value: number) => void): void {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < key) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < keys.length && keys[i] === key; i += 1) each(values[i]!);
}

function sortPairs(keys: number[], values: number[]): [Uint32Array, Uint32Array] {
  const outKeys = new Uint32Array(keys.length);
  const outValues = new Uint32Array(keys.length);
  const maxValue = values.reduce((max, value) => (value > max ? value : max), 0);
  if (maxValue < PACKED_VALUES) {
    // Sorting one array of key * 2^21 + value (exact in a double) is several times faster than
    // sorting indices by key.
    const packed = new Float64Array(keys.length);
    for (let i = 0; i < keys.length; i += 1) packed[i] = keys[i]! * PACKED_VALUES + values[i]!;
    packed.sort();
    for (let i = 0; i < packed.length; i += 1) {
      const key = Math.floor(packed[i]! / PACKED_VALUES);
      outKeys[i] = key;
      outValues[i] = packed[i]! - key * PACKED_VALUES;
    }
    return [outKeys, outValues];
  }
  const order = Uint32Array.from(keys.keys()).sort((x, y) => keys[x]! - keys[y]! || values[x]! - values[y]!);
  order.forEach((from, i) => {
    outKeys[i] = keys[from]!;
    outValues[i] = values[from]!;
  });
  return [outKeys, outValues];
}

/** Term ids below this pack with a 32-bit key into one double. */
const PACKED_VALUES = 2 ** 21;

function mergePairs(ak: Uint32Array, av: Uint32Array, bk: Uint32Array, bv: Uint32Array): [Uint32Array, Uint32Array] {
  if (bk.length === 0) return [ak, av];
  if (ak.length === 0) return [bk, bv];
  const keys = new Uint32Array(ak.length + bk.length);
  const values = new Uint32Array(keys.length);
  let i = 0;
  let j = 0;
  let at = 0;
  while (i < ak.length && j < bk.length) {
    if (ak[i]! <= bk[j]!) {
      keys[at] = ak[i]!;
      values[at++] = av[i++]!;
    } else {
      keys[at] = bk[j]!;
      values[at++] = bv[j++]!;
    }
  }
  for (; i < ak.length; i += 1) {
    keys[at] = ak[i]!;
    values[at++] = av[i]!;
  }
  for (; j < bk.length; j += 1) {
    keys[at] = bk[j]!;
    values[at++] = bv[j]!;
  }
  return [keys, values];
}

/** What a snapshot keeps of a vocabulary (see `Vocabulary.packed`). */
export interface PackedVocabulary {
  /** Stems by stem id. */
  stems: readonly string[];
  /** Each term id's stem id. */
  stemOf: Int32Array;
  /** Term ids in word order. */
  order: Uint32Array;
  /** The typo table: hashes ascending, and the term id of each. */
  deleteKeys: Uint32Array;
  deleteValues: Uint32Array;
}

export class Vocabulary {
  /** Words by term id (the postings' term list, shared). */
  private words: string[] = [];
  /** Stem id of each term id. */
  private stemOf: Int32Array = new Int32Array(64);
  /** Next term of the same stem (-1: last). */
  private nextOfStem: Int32Array = new Int32Array(64);
  private stemIds = new Map<string, number>();
  private stems: string[] = [];
  /** First term of each stem id. */
  private firstOfStem: Int32Array = new Int32Array(64);
  /** Term ids in word order: most of them, the recent ones (also in order), and the ones added since. */
  private sorted: Uint32Array = new Uint32Array(0);
  private recent: Uint32Array = new Uint32Array(0);
  private added: number[] = [];
  private readonly deletes = new SortedPairs();

  constructor(private readonly stem: Stemmer) {}

  get size(): number {
    return this.words.length;
  }

  word(termId: number): string {
    return this.words[termId]!;
  }

  /** Registers a new term (term ids come in order: 0, 1, 2, …). */
  add(word: string, termId: number): void {
    this.register(word, termId);
    if (word.length <= MAX_DELETE_WORD) {
      this.deletes.add(hashSkipping(word, -1), termId);
      for (let i = 0; i < word.length; i += 1) this.deletes.add(hashSkipping(word, i), termId);
    }
  }

  /** Drops and renumbers terms after the postings' vacuum (`map[old] = new`, -1 dropped; `words` by new id). */
  renumber(map: Int32Array, words: readonly string[]): void {
    this.words = [];
    this.stemIds.clear();
    this.stems = [];
    this.sorted = new Uint32Array(0);
    this.recent = new Uint32Array(0);
    this.added = [];
    this.stemOf = new Int32Array(Math.max(64, words.length));
    this.nextOfStem = new Int32Array(this.stemOf.length);
    this.firstOfStem = new Int32Array(64);
    words.forEach((word, termId) => this.register(word, termId));
    // The typo table keeps its hashes; only the term ids change.
    this.deletes.renumber(map);
  }

  private register(word: string, termId: number): void {
    if (termId !== this.words.length) throw new Error(`search: vocabulary out of step (term ${termId}, ${this.words.length} known)`);
    this.words.push(word);
    this.ensure(termId + 1);
    const stem = this.stem(word);
    let stemId = this.stemIds.get(stem);
    if (stemId === undefined) {
      stemId = this.stems.length;
      this.stems.push(stem);
      this.stemIds.set(stem, stemId);
      if (stemId >= this.firstOfStem.length) this.firstOfStem = growInt(this.firstOfStem, Math.max(stemId + 1, this.firstOfStem.length * 2));
      this.firstOfStem[stemId] = -1;
    }
    this.stemOf[termId] = stemId;
    this.nextOfStem[termId] = this.firstOfStem[stemId]!;
    this.firstOfStem[stemId] = termId;
    this.added.push(termId);
  }

  /** What a snapshot keeps: each word's stem (as a stem id into `stems`), the word order, the typo table. */
  packed(): PackedVocabulary {
    this.settle();
    const order = this.merge(this.sorted, this.recent);
    const { keys, values } = this.deletes.all();
    return { stems: this.stems, stemOf: this.stemOf.slice(0, this.words.length), order, deleteKeys: keys, deleteValues: values };
  }

  /**
   * A vocabulary from a snapshot: `words` by term id (the postings' terms) and
   * what `packed` kept; nothing is stemmed, sorted or hashed again.
   */
  static fromPacked(stem: Stemmer, words: readonly string[], packed: PackedVocabulary): Vocabulary {
    const vocabulary = new Vocabulary(stem);
    const n = words.length;
    if (packed.stemOf.length !== n || packed.order.length !== n) throw new Error('search: the saved vocabulary does not fit its words');
    vocabulary.words = [...words];
    vocabulary.stems = [...packed.stems];
    packed.stems.forEach((stemmed, stemId) => vocabulary.stemIds.set(stemmed, stemId));
    vocabulary.stemOf = new Int32Array(Math.max(64, n));
    vocabulary.stemOf.set(packed.stemOf);
    vocabulary.nextOfStem = new Int32Array(vocabulary.stemOf.length);
    vocabulary.firstOfStem = new Int32Array(Math.max(64, packed.stems.length)).fill(-1);
    for (let termId = 0; termId < n; termId += 1) {
      const stemId = packed.stemOf[termId]!;
      if (stemId < 0 || stemId >= packed.stems.length) throw new Error('search: a saved word names a stem that is not there');
      vocabulary.nextOfStem[termId] = vocabulary.firstOfStem[stemId]!;
      vocabulary.firstOfStem[stemId] = termId;
    }
    for (let i = 0; i < n; i += 1) if (packed.order[i]! >= n) throw new Error('search: the saved word order names a word that is not there');
    vocabulary.sorted = packed.order;
    for (let i = 0; i < packed.deleteValues.length; i += 1) if (packed.deleteValues[i]! >= n) throw new Error('search: the typo table names a word that is not there');
    vocabulary.deletes.load(packed.deleteKeys, packed.deleteValues);
    return vocabulary;
  }

  /** The stem a word is grouped under. */
  stemOfWord(word: string): string {
    return this.stem(word);
  }

  /** Term ids of every indexed word with this stem. */
  withStem(stem: string): number[] {
    const stemId = this.stemIds.get(stem);
    const out: number[] = [];
    if (stemId === undefined) return out;
    for (let termId = this.firstOfStem[stemId]!; termId >= 0; termId = this.nextOfStem[termId]!) out.push(termId);
    return out;
  }

  /** Term ids of the other words of a term's stem. */
  siblings(termId: number): number[] {
    const out: number[] = [];
    for (let other = this.firstOfStem[this.stemOf[termId]!]!; other >= 0; other = this.nextOfStem[other]!) if (other !== termId) out.push(other);
    return out;
  }

  /** Term ids of the words that start with `prefix` (itself included when indexed), in no particular order. */
  withPrefix(prefix: string, each: (termId: number) => void): void {
    this.settle();
    this.visitPrefix(this.sorted, prefix, each);
    this.visitPrefix(this.recent, prefix, each);
  }

  private visitPrefix(sorted: Uint32Array, prefix: string, each: (termId: number) => void): void {
    const words = this.words;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (words[sorted[mid]!]! < prefix) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < sorted.length; i += 1) {
      const termId = sorted[i]!;
      if (!words[termId]!.startsWith(prefix)) break;
      each(termId);
    }
  }

  /**
   * Term ids of the words within `max` edits (1 or more) of `word`, with their
   * distance. One edit comes from the symmetric-delete table (the word and
   * each of its one-letter deletions, looked up among the indexed words and
   * theirs); more edits by scanning the words that share the first letter
   * and have about the same length.
   */
  near(word: string, max: number): Map<number, number> {
    const found = new Map<number, number>();
    if (max <= 0 || word.length === 0) return found;
    const consider = (termId: number) => {
      if (found.has(termId)) return;
      const distance = editDistance(word, this.words[termId]!, max);
      if (distance > 0 && distance <= max) found.set(termId, distance);
    };
    if (max === 1 && word.length <= MAX_DELETE_WORD) {
      this.deletes.forEach(hashSkipping(word, -1), consider);
      for (let i = 0; i < word.length; i += 1) this.deletes.forEach(hashSkipping(word, i), consider);
      return found;
    }
    // Longer words, or more than one edit: the words with the same first letter and a length within `max`.
    this.withPrefix(word[0]!, (termId) => {
      const other = this.words[termId]!;
      if (Math.abs(other.length - word.length) <= max) consider(termId);
    });
    if (max > 1 && word.length <= MAX_DELETE_WORD) {
      // A typo in the first letter is one edit: the table still finds it.
      for (const [termId, distance] of this.near(word, 1)) if (!found.has(termId)) found.set(termId, distance);
    }
    return found;
  }

  /** Sorts the words added since the last lookup into the recent order, and that into the main one once it has grown. */
  private settle(): void {
    if (this.added.length > 0) {
      const added = Uint32Array.from(this.added.sort(this.byWord));
      this.recent = this.merge(this.recent, added);
      this.added = [];
    }
    if (this.recent.length > 0 && this.recent.length * 4 >= this.sorted.length) {
      this.sorted = this.merge(this.sorted, this.recent);
      this.recent = new Uint32Array(0);
    }
    this.deletes.settle();
  }

  private readonly byWord = (x: number, y: number): number => {
    const a = this.words[x]!;
    const b = this.words[y]!;
    return a < b ? -1 : a > b ? 1 : 0;
  };

  private merge(a: Uint32Array, b: Uint32Array): Uint32Array {
    if (a.length === 0) return b;
    if (b.length === 0) return a;
    const merged = new Uint32Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let at = 0;
    while (i < a.length && j < b.length) merged[at++] = this.byWord(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
    while (i < a.length) merged[at++] = a[i++]!;
    while (j < b.length) merged[at++] = b[j++]!;
    return merged;
  }

  private ensure(size: number): void {
    if (size <= this.stemOf.length) return;
    const capacity = Math.max(size, this.stemOf.length * 2);
    this.stemOf = growInt(this.stemOf, capacity);
    this.nextOfStem = growInt(this.nextOfStem, capacity);
  }
}

function growInt(old: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(old);
  return grown;
}
