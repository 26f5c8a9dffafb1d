import { describe, expect, it } from 'vitest';
import { decodeIndex } from '../../../src/core/search/binary.ts';
import { SearchIndex, type IndexedDoc } from '../../../src/core/search/search-index.ts';
import { stemOf } from '../../../src/core/text/words.ts';

/** A small seeded generator, so a failure names the same documents again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = ['nfs', 'packfile', 'zstd', 'café', '東京', 'restore', 'drills', '\u{1F600}', 'C++', 'a.b.c', 'windows', 'backup'];

/** Documents of every kind, each optional field there or not, paths given every way the columns store them. */
function documents(count: number, seed: number): IndexedDoc[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  return Array.from({ length: count }, (_, i) => {
    const kind = pick(['note', 'article', 'profile'] as const);
    const path = `articles/${pick(['git', 'ops', 'été'])}/${i}.md`;
    const pathWay = pick(['from-id', 'other', 'none'] as const);
    const id = kind === 'note' ? `note:n${i}` : pathWay === 'from-id' ? `${kind}:${path}` : `${kind}:x${i}`;
    const source: IndexedDoc['source'] = { label: next() < 0.5 && pathWay !== 'none' ? path : `label ${i} ${words(1)}` };
    if (pathWay !== 'none') source.path = pathWay === 'from-id' ? path : `elsewhere/${i}.md`;
    if (next() < 0.4) source.url = `https://example.com/${i}`;
    if (kind === 'note' && next() < 0.7) source.noteId = `n${i}`;
    if (next() < 0.15) (source as unknown as Record<string, unknown>).anchor = `#h${i}`;
    const doc: IndexedDoc = { id, kind, title: `title ${i} ${words(2)}`, text: next() < 0.2 ? '' : words(6), tags: next() < 0.5 ? [] : Array.from({ length: 1 + Math.floor(next() * 3) }, (_, t) => `tag${(i + t) % 7}`), source };
    if (next() < 0.3) doc.aliases = Array.from({ length: 1 + Math.floor(next() * 2) }, (_, a) => `alias ${i}.${a}`);
    if (next() < 0.6) doc.date = `2024-0${1 + (i % 9)}-1${i % 10}`;
    if (next() < 0.5) doc.dateSource = pick(['front-matter', 'file-name', 'modified', 'created'] as const);
    if (next() < 0.6) doc.mtimeMs = 1714550000000 + i * 1.5;
    if (next() < 0.1) Object.assign(doc, { pinned: i % 2 === 0, extra: { n: i, list: [i, 'x'] } });
    return doc;
  });
}

function indexOf(docs: readonly IndexedDoc[]): SearchIndex {
  const index = new SearchIndex();
  index.addAll(docs);
  return index;
}

describe('a restored index makes each document on first use', () => {
  it('makes no document while loading, and each one once, when it is first asked for', () => {
    const docs = documents(300, 1);
    const bytes = indexOf(docs).toBinary();
    let made = 0;
    const { postings } = decodeIndex(bytes, stemOf, (doc) => {
      made += 1;
      return doc;
    });
    expect(made).toBe(0);
    const first = postings.recordAt(17);
    expect(made).toBe(1);
    expect(postings.recordAt(17)).toBe(first);
    expect(postings.record(docs[17]!.id)).toBe(first);
    expect(made).toBe(1);
    expect([...postings.liveRecords()].length).toBe(300);
    expect(made).toBe(300);
  });

  it('gives every document, field for field, in any order of first use, as it was indexed (and as an eager reading in slot order)', () => {
    for (const seed of [2, 3, 4]) {
      const docs = documents(400, seed);
      const bytes = indexOf(docs).toBinary();
      const eager = [...decodeIndex(bytes, stemOf).postings.liveRecords()];
      expect(eager).toEqual(docs);
      const restored = SearchIndex.fromBinary(bytes);
      const order = docs.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 401) - ((b * 7919 + seed) % 401));
      for (const i of order) expect(restored.get(docs[i]!.id)).toEqual(docs[i]);
      const lazy = decodeIndex(bytes, stemOf).postings;
      for (const i of [...order].reverse()) expect(lazy.recordAt(i)).toEqual(eager[i]);
    }
  });

  it('removes, replaces and vacuums documents not yet made, and saves the same bytes as the index it was read from', () => {
    const docs = documents(500, 5);
    const index = indexOf(docs);
    const bytes = index.toBinary();
    const restored = SearchIndex.fromBinary(bytes);
    // Saved untouched: the documents are made for the save, the same bytes come out.
    expect(Buffer.from(SearchIndex.fromBinary(bytes).toBinary()).equals(Buffer.from(bytes))).toBe(true);
    for (const i of [3, 99, 250]) {
      restored.remove(docs[i]!.id);
      index.remove(docs[i]!.id);
    }
    const changed = { ...docs[10]!, title: 'changed title', text: 'zstd changed' };
    restored.upsert(changed);
    index.upsert(changed);
    // Saving vacuums the removed slots: the documents after them move, none made yet.
    const saved = restored.toBinary();
    expect(Buffer.from(saved).equals(Buffer.from(index.toBinary()))).toBe(true);
    for (const [i, doc] of docs.entries()) {
      if ([3, 99, 250].includes(i)) expect(restored.get(doc.id)).toBeUndefined();
      else expect(restored.get(doc.id)).toEqual(i === 10 ? changed : doc);
    }
    for (const query of ['zstd', 'packfile restore', 'changed', 'cafe']) expect(restored.rank(query, 10)).toEqual(index.rank(query, 10));
    const again = SearchIndex.fromBinary(saved);
    expect([...decodeIndex(saved, stemOf).postings.liveRecords()].map((doc) => doc.id).sort()).toEqual([...index.all()].map((doc) => doc.id).sort());
    expect(again.size).toBe(497);
  });

  it('still refuses a saved document of no known kind when loading, not on first use', () => {
    const bytes = Uint8Array.from(indexOf(documents(50, 6)).toBinary());
    // "TKIX", the layout (u32), the kinds' count (u32), then the first document's kind.
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(50);
    bytes[12] = 9;
    expect(() => SearchIndex.fromBinary(bytes)).toThrow(/no known kind/);
  });
});
