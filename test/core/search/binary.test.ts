import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../../src/core/search/bytes.ts';
import { SearchIndex, type IndexedDoc } from '../../../src/core/search/search-index.ts';

const DOCS: IndexedDoc[] = [
  {
    id: 'article:articles/git/nfs.md',
    kind: 'article',
    title: 'libgit2 over NFS',
    text: 'Stat calls dominate. Packfile windows need tuning on NFS mounts.',
    tags: ['git', 'nfs'],
    date: '2024-05-01',
    dateSource: 'front-matter',
    source: { label: 'articles/git/nfs.md', path: 'articles/git/nfs.md', url: 'https://example.com/nfs' },
    mtimeMs: 1714550000123.5,
  },
  {
    id: 'article:articles/ops/drills.md',
    kind: 'article',
    title: 'Disaster recovery drills',
    aliases: ['DR drills', 'Restore days'],
    text: 'We restore repositories from backups every quarter. Café crème is mandatory.',
    tags: [],
    date: '2023-01-02',
    dateSource: 'modified',
    source: { label: 'ops drills', path: 'elsewhere/drills.md' },
    mtimeMs: 0,
  },
  {
    id: 'note:k3v9x2ma7q',
    kind: 'note',
    title: 'zstd dictionaries',
    text: 'zstd dictionary compression for packfiles 東京 #compression \u{1F600}',
    tags: ['compression'],
    date: '2025-03-12T09:00:00.000Z',
    source: { label: 'note k3v9x2ma7q', noteId: 'k3v9x2ma7q', url: 'https://slack.example/p1' },
  },
  { id: 'profile:interests:0', kind: 'profile', title: 'Distributed systems', text: 'Interests', tags: [], source: { label: 'profile › Interests' } },
];

const QUERIES = ['nfs', 'packfile', 'restore backups', 'cafe', 'zstd', 'packfil', 'dictionnary', 'drills', 'distributed', 'tuning windows'];

function indexOf(docs: readonly IndexedDoc[]): SearchIndex {
  const index = new SearchIndex();
  index.addAll(docs);
  return index;
}

describe('the index in binary', () => {
  it('round-trips every document field and ranks, suggests and completes the same', () => {
    const index = indexOf(DOCS);
    const restored = SearchIndex.fromBinary(index.toBinary());
    expect(restored.size).toBe(DOCS.length);
    for (const doc of DOCS) expect(restored.get(doc.id)).toEqual(doc);
    for (const query of QUERIES) expect(restored.rank(query, { limit: 10 })).toEqual(index.rank(query, { limit: 10 }));
    expect(restored.didYouMean('resotre')).toEqual(index.didYouMean('resotre'));
    expect(restored.complete('pack', 5)).toEqual(index.complete('pack', 5));
    expect(restored.countWithTerms(['restor', 'backup'], 2)).toEqual(index.countWithTerms(['restor', 'backup'], 2));
  });

  it('keeps a word\'s frequency in a long document (past what one byte holds)', () => {
    const doc: IndexedDoc = { id: 'note:long', kind: 'note', title: 'long', text: `${'echo '.repeat(300)}${'delta '.repeat(70000)}`, tags: [], source: { label: 'n' } };
    const index = indexOf([doc, DOCS[0]!]);
    const restored = SearchIndex.fromBinary(index.toBinary());
    expect(restored.rank('echo delta', { limit: 2 })).toEqual(index.rank('echo delta', { limit: 2 }));
  });

  it('keeps fields it does not know of', () => {
    const doc = { ...DOCS[0]!, id: 'article:x.md', source: { label: 'x.md', path: 'x.md', anchor: '#top' }, pinned: true } as unknown as IndexedDoc;
    const restored = SearchIndex.fromBinary(indexOf([doc]).toBinary());
    expect(restored.get('article:x.md')).toEqual(doc);
  });

  it('drops removed documents, and takes new ones after loading', () => {
    const index = indexOf(DOCS);
    index.remove('article:articles/git/nfs.md');
    index.upsert({ ...DOCS[2]!, text: 'zstd levels for packfiles' });
    const restored = SearchIndex.fromBinary(index.toBinary());
    expect(restored.rank('nfs', { limit: 5 })).toEqual({ matches: [], total: 0 });
    expect(restored.rank('levels', { limit: 5 }).matches.map((m) => m.id)).toEqual(['note:k3v9x2ma7q']);
    restored.upsert({ id: 'note:n2', kind: 'note', title: 'n2', text: 'packfiles again and zstd levels', tags: [], source: { label: 'note n2' } });
    expect(restored.rank('packfiles', { limit: 5 }).matches.map((m) => m.id).sort()).toEqual(['note:k3v9x2ma7q', 'note:n2']);
    expect(restored.rank('levles', { limit: 5 }).total).toBe(2);
    expect(restored.complete('lev', 3)).toEqual(['levels']);
  });

  it('gives the same bytes in pieces (a save yields between them) as in one go', () => {
    const many: IndexedDoc[] = Array.from({ length: 14_000 }, (_, i) => ({
      ...DOCS[i % DOCS.length]!,
      id: `${DOCS[i % DOCS.length]!.id}-${i}`,
      text: `${DOCS[i % DOCS.length]!.text} word${i % 997} term${i % 31} doc${i}`,
    }));
    const index = indexOf(many);
    index.remove(many[5]!.id);
    const pieces = [...index.binaryPieces()];
    expect(pieces.filter((piece) => piece.length > 0).length).toBeGreaterThan(3);
    expect(Buffer.concat(pieces).equals(Buffer.from(index.toBinary()))).toBe(true);
    const restored = SearchIndex.fromBinary(Buffer.concat(pieces));
    expect(restored.size).toBe(13_999);
    for (const query of QUERIES) expect(restored.rank(query, 5)).toEqual(index.rank(query, 5));
  });

  it('finds, replaces and removes documents by id before the restore is finished (the id map filled later), and after', async () => {
    const index = indexOf(DOCS);
    const early = SearchIndex.fromBinary(index.toBinary());
    // Replaced, not added twice, while no id is mapped yet.
    early.upsert({ ...DOCS[0]!, title: 'libgit2 over NFS, again' });
    expect(early.size).toBe(DOCS.length);
    expect(early.get(DOCS[0]!.id)?.title).toBe('libgit2 over NFS, again');
    expect(early.remove(DOCS[2]!.id)).toBe(true);
    expect(early.has(DOCS[2]!.id)).toBe(false);
    const late = SearchIndex.fromBinary(index.toBinary());
    await late.finishRestore();
    for (const doc of DOCS) expect(late.get(doc.id)).toEqual(doc);
    late.upsert({ ...DOCS[1]!, text: 'changed' });
    expect(late.size).toBe(DOCS.length);
    expect(late.rank('changed', 5).matches.map((m) => m.id)).toEqual([DOCS[1]!.id]);
  });

  it('reads an empty index', () => {
    const restored = SearchIndex.fromBinary(new SearchIndex().toBinary());
    expect(restored.size).toBe(0);
    expect(restored.rank('anything', { limit: 3 })).toEqual({ matches: [], total: 0 });
  });

  it('refuses bytes that are not an index, or are cut short, with a reason', () => {
    const bytes = indexOf(DOCS).toBinary();
    expect(() => SearchIndex.fromBinary(new TextEncoder().encode('{"index":1}'))).toThrow('search: not a saved index');
    expect(() => SearchIndex.fromBinary(bytes.subarray(0, bytes.length - 3))).toThrow(/^search: /);
    const other = bytes.slice();
    other[4] = 99;
    expect(() => SearchIndex.fromBinary(other)).toThrow('search: a saved index of layout 99, this version reads 2');
  });
});

describe('bytes', () => {
  it('writes and reads varints, typed arrays and string tables', () => {
    const out = new ByteWriter();
    out.varint(0);
    out.varint(2 ** 40 + 5);
    out.varints([0, 127, 128, 300, 2 ** 32 - 1]);
    out.array(Uint16Array.from([1, 65535]));
    out.array(Float64Array.from([Math.PI, -0]));
    out.strings(['', 'café', '東京', '\u{1F600}x', 'plain']);
    const input = new ByteReader(out.bytes());
    expect(input.varint()).toBe(0);
    expect(input.varint()).toBe(2 ** 40 + 5);
    expect([...input.varints()]).toEqual([0, 127, 128, 300, 2 ** 32 - 1]);
    expect([...input.u16s()]).toEqual([1, 65535]);
    expect([...input.f64s()]).toEqual([Math.PI, -0]);
    expect(input.strings()).toEqual(['', 'café', '東京', '\u{1F600}x', 'plain']);
    expect(input.done).toBe(true);
    expect(() => input.u8()).toThrow('search: the saved index ends too soon');
  });
});

describe('the index in binary, from a file', () => {
  it('reads bytes at any offset of a Buffer (a section of a snapshot file)', () => {
    const bytes = indexOf(DOCS).toBinary();
    for (const offset of [1, 3, 5]) {
      const file = Buffer.alloc(bytes.length + offset);
      file.set(bytes, offset);
      expect(SearchIndex.fromBinary(file.subarray(offset)).rank('nfs', { limit: 3 })).toEqual(indexOf(DOCS).rank('nfs', { limit: 3 }));
    }
  });
});
