/**
 * The index's binary form, for the snapshot: the documents' kept metadata in
 * columns, the posting lists (slot gaps and frequencies as varints), and the
 * vocabulary's stems, word order and typo table, so that loading neither
 * tokenizes, stems, sorts nor hashes anything.
 *
 *   "TKIX", layout (u32)
 *   documents: count, kinds, flags, string tables (ids, titles, texts, …), mtimes
 *   postings:  terms, per term and field the list length, field lengths, slot gaps (varints),
 *              frequencies (a byte each, larger ones after)
 *   vocabulary: stems, each term's stem, word order, typo table
 */
import { ByteReader, ByteWriter } from './bytes.ts';
import { FIELD_COUNT, Postings } from './postings.ts';
import type { DocKind, HitSource, IndexedDoc } from './types.ts';
import { Vocabulary, type Stemmer } from './vocabulary.ts';

const MAGIC = [0x54, 0x4b, 0x49, 0x58]; // "TKIX"
/** Bump when the layout below changes: an index of another layout is not read. */
export const BINARY_LAYOUT = 2;

const KINDS: readonly DocKind[] = ['note', 'article', 'profile'];
const DATE_SOURCES = ['front-matter', 'file-name', 'modified', 'created'] as const;

/** Per-document flags: which optional fields are there, and which are implied by others. */
const HAS_DATE = 1;
const HAS_MTIME = 2;
const HAS_URL = 4;
const HAS_NOTE_ID = 8;
const HAS_PATH = 16;
/** The path is the id without its kind (`article:` + path): not stored twice. */
const PATH_FROM_ID = 32;
/** The label is the path: not stored twice. */
const LABEL_IS_PATH = 64;
const HAS_EXTRA = 128;

/** The document fields written in columns; any other field goes along as JSON. */
const KNOWN_FIELDS = new Set(['id', 'kind', 'title', 'text', 'tags', 'aliases', 'date', 'dateSource', 'source', 'mtimeMs']);
const KNOWN_SOURCE_FIELDS = new Set(['label', 'url', 'path', 'noteId']);

const NO_TAGS = Object.freeze([]) as unknown as string[];

/** What a binary index holds. */
export interface BinaryIndex {
  /** Each document is its slot's record. */
  postings: Postings<IndexedDoc>;
  vocabulary: Vocabulary;
}

/** Lone surrogates cannot be written as UTF-8: they become U+FFFD, as a text decoder would make them. */
function wellFormed(text: string): string {
  const string = text as string & { isWellFormed?(): boolean; toWellFormed?(): string };
  return string.isWellFormed?.() === false ? string.toWellFormed!() : text;
}

/** How much an encoding slice does before it pauses: documents, postings, strings of a table. */
const DOCS_PER_SLICE = 4000;
const POSTINGS_PER_SLICE = 200_000;
const STRINGS_PER_SLICE = 4000;

const encoder = new TextEncoder();

/** The bytes of an index without removed documents (its postings packed, slot i = docs[i]), in one piece. */
export function encodeIndex(postings: Postings<IndexedDoc>, vocabulary: Vocabulary): Uint8Array {
  const arenas = postings.arenas();
  // About 3 bytes a posting and 150 a document: one buffer, seldom grown.
  const out = new ByteWriter(arenas.total * 3 + postings.ids.length * 160 + 4096);
  for (const _ of encodeSlices(out, postings, vocabulary));
  return out.bytes();
}

/**
 * The same bytes as `encodeIndex`, in pieces: each piece is what one slice of
 * the work wrote (a few milliseconds of it at most, possibly nothing), so a
 * caller can give the event loop a turn between pieces. The index must not
 * change until the last piece is taken (the caller checks, and drops the rest).
 */
export function* encodeIndexPieces(postings: Postings<IndexedDoc>, vocabulary: Vocabulary): Generator<Uint8Array> {
  const out = new ByteWriter(1 << 20);
  for (const _ of encodeSlices(out, postings, vocabulary)) yield out.take(Math.max(1 << 16, out.size));
  yield out.take(64);
}

/** Writes the index into `out`, pausing (yielding) after each slice of the work. */
function* encodeSlices(out: ByteWriter, postings: Postings<IndexedDoc>, vocabulary: Vocabulary): Generator<void> {
  const arenas = postings.arenas();
  const slotIds = postings.ids as readonly string[];
  for (const byte of MAGIC) out.u8(byte);
  out.u32(BINARY_LAYOUT);

  // Documents, in slot order.
  const n = slotIds.length;
  const kinds = new Uint8Array(n);
  const flags = new Uint8Array(n);
  const dateSources = new Uint8Array(n);
  const ids: string[] = [];
  const titles: string[] = [];
  const texts: string[] = [];
  const dates: string[] = [];
  const labels: string[] = [];
  const paths: string[] = [];
  const urls: string[] = [];
  const noteIds: string[] = [];
  const tagCounts = new Uint32Array(n);
  const tags: string[] = [];
  const aliasCounts = new Uint32Array(n);
  const aliases: string[] = [];
  const mtimes: number[] = [];
  const extras: string[] = [];
  for (let slot = 0; slot < n; slot += 1) {
    if (slot > 0 && slot % DOCS_PER_SLICE === 0) yield;
    const id = slotIds[slot]!;
    const doc = postings.recordAt(slot);
    if (!doc) throw new Error(`search: no document kept for ${id}`);
    kinds[slot] = KINDS.indexOf(doc.kind);
    ids.push(wellFormed(id));
    titles.push(wellFormed(doc.title));
    texts.push(wellFormed(doc.text));
    let flag = 0;
    if (doc.date !== undefined) {
      flag |= HAS_DATE;
      dates.push(wellFormed(doc.date));
    }
    dateSources[slot] = doc.dateSource === undefined ? 0 : DATE_SOURCES.indexOf(doc.dateSource) + 1;
    if (doc.mtimeMs !== undefined) {
      flag |= HAS_MTIME;
      mtimes.push(doc.mtimeMs);
    }
    const source: HitSource = doc.source;
    if (source.url !== undefined) {
      flag |= HAS_URL;
      urls.push(wellFormed(source.url));
    }
    if (source.noteId !== undefined) {
      flag |= HAS_NOTE_ID;
      noteIds.push(wellFormed(source.noteId));
    }
    if (source.path !== undefined) {
      flag |= HAS_PATH;
      if (id === `${doc.kind}:${source.path}`) flag |= PATH_FROM_ID;
      else paths.push(wellFormed(source.path));
      if (source.label === source.path) flag |= LABEL_IS_PATH;
    }
    if ((flag & LABEL_IS_PATH) === 0) labels.push(wellFormed(source.label));
    tagCounts[slot] = doc.tags.length;
    for (const tag of doc.tags) tags.push(wellFormed(tag));
    aliasCounts[slot] = doc.aliases?.length ?? 0;
    for (const alias of doc.aliases ?? []) aliases.push(wellFormed(alias));
    const extra = extraFields(doc);
    if (extra !== undefined) {
      flag |= HAS_EXTRA;
      extras.push(wellFormed(extra));
    }
    flags[slot] = flag;
  }
  yield;
  out.array(kinds);
  out.array(flags);
  out.array(dateSources);
  for (const table of [ids, titles, texts, dates, labels, paths, urls, noteIds, tags, aliases, extras]) yield* stringTable(out, table);
  out.varints(tagCounts);
  out.varints(aliasCounts);
  out.array(Float64Array.from(mtimes));
  yield;

  // Postings: slot gaps within each list, then frequencies.
  yield* stringTable(out, postings.terms.map(wellFormed));
  out.varints(arenas.counts, arenas.lists);
  for (const lengths of postings.lengths) out.varints(lengths, n);
  yield;
  out.varint(arenas.total);
  for (const [from, to, total] of listSlices(arenas.counts, arenas.lists)) {
    out.lists(arenas.docs, arenas.starts, arenas.counts, from, to, total, true);
    yield;
  }
  out.u32(arenas.total);
  const overflow: number[] = [];
  for (const [from, to, total] of listSlices(arenas.counts, arenas.lists)) {
    out.smallLists(arenas.tfs, arenas.starts, arenas.counts, from, to, total, overflow);
    yield;
  }
  out.varints(overflow);

  // Vocabulary.
  const vocabularyParts = vocabulary.packed();
  yield* stringTable(out, vocabularyParts.stems.map(wellFormed));
  out.varints(vocabularyParts.stemOf);
  out.array(vocabularyParts.order);
  out.array(vocabularyParts.deleteKeys);
  out.array(vocabularyParts.deleteValues);
}

/** Runs of whole lists of about `POSTINGS_PER_SLICE` postings: [first list, end, postings in them]. */
function* listSlices(counts: Uint32Array, lists: number): Generator<[number, number, number]> {
  let from = 0;
  let total = 0;
  for (let list = 0; list < lists; list += 1) {
    total += counts[list]!;
    if (total >= POSTINGS_PER_SLICE) {
      yield [from, list + 1, total];
      from = list + 1;
      total = 0;
    }
  }
  if (from < lists) yield [from, lists, total];
}

/**
 * `ByteWriter.strings`, encoded a slice of strings at a time (the same bytes:
 * the strings are well-formed, so UTF-8 of the whole is the pieces' UTF-8 back to back).
 */
function* stringTable(out: ByteWriter, values: readonly string[]): Generator<void> {
  if (values.length <= STRINGS_PER_SLICE) {
    out.strings(values);
    return;
  }
  const lengths = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i += 1) lengths[i] = values[i]!.length;
  out.varints(lengths);
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (let from = 0; from < values.length; from += STRINGS_PER_SLICE) {
    const piece = encoder.encode(values.slice(from, from + STRINGS_PER_SLICE).join(''));
    pieces.push(piece);
    size += piece.length;
    yield;
  }
  out.u32(size);
  for (const piece of pieces) out.raw(piece);
}

/** Fields of a document (and its source) that the columns do not hold, as JSON; undefined when there are none. */
function extraFields(doc: IndexedDoc): string | undefined {
  let extra: Record<string, unknown> | undefined;
  // for…in without allocating entries: this runs once per document on every save.
  for (const key in doc) {
    const value = (doc as unknown as Record<string, unknown>)[key];
    if (KNOWN_FIELDS.has(key) || value === undefined) continue;
    (extra ??= {})[key] = value;
  }
  let sourceExtra: Record<string, unknown> | undefined;
  for (const key in doc.source) {
    const value = (doc.source as unknown as Record<string, unknown>)[key];
    if (KNOWN_SOURCE_FIELDS.has(key) || value === undefined) continue;
    (sourceExtra ??= {})[key] = value;
  }
  if (sourceExtra) (extra ??= {})['\u0000source'] = sourceExtra;
  return extra ? JSON.stringify(extra) : undefined;
}

/** Reads `encodeIndex`'s bytes; throws with a short reason when they are not such an index. */
export function decodeIndex(bytes: Uint8Array, stem: Stemmer, kept: (doc: IndexedDoc) => IndexedDoc = (doc) => doc): BinaryIndex {
  const input = new ByteReader(bytes);
  for (const byte of MAGIC) if (input.u8() !== byte) throw new Error('search: not a saved index');
  const layout = input.u32();
  if (layout !== BINARY_LAYOUT) throw new Error(`search: a saved index of layout ${layout}, this version reads ${BINARY_LAYOUT}`);

  const kinds = input.u8s();
  const flags = input.u8s();
  const dateSources = input.u8s();
  const [ids, titles, texts, dates, labels, paths, urls, noteIds, tags, aliases, extras] = Array.from({ length: 11 }, () => input.strings()) as [
    string[], string[], string[], string[], string[], string[], string[], string[], string[], string[], string[],
  ];
  const tagCounts = input.varints();
  const aliasCounts = input.varints();
  const mtimes = input.f64s();
  const n = kinds.length;
  if (flags.length !== n || dateSources.length !== n || ids.length !== n || titles.length !== n || texts.length !== n || tagCounts.length !== n || aliasCounts.length !== n) {
    throw new Error('search: the saved documents do not fit together');
  }
  // Where each document's entries start in each optional column (a count of the
  // documents before it that have one): a document is made from these on first use.
  const dateAt = new Uint32Array(n);
  const labelAt = new Uint32Array(n);
  const pathAt = new Uint32Array(n);
  const urlAt = new Uint32Array(n);
  const noteIdAt = new Uint32Array(n);
  const tagAt = new Uint32Array(n);
  const aliasAt = new Uint32Array(n);
  const mtimeAt = new Uint32Array(n);
  const extraAt = new Uint32Array(n);
  let date = 0;
  let label = 0;
  let path = 0;
  let url = 0;
  let noteId = 0;
  let tag = 0;
  let alias = 0;
  let mtime = 0;
  let extra = 0;
  for (let slot = 0; slot < n; slot += 1) {
    const flag = flags[slot]!;
    if (KINDS[kinds[slot]!] === undefined) throw new Error('search: a saved document of no known kind');
    const dateSource = dateSources[slot]!;
    if (dateSource > DATE_SOURCES.length) throw new Error('search: a saved date of no known source');
    dateAt[slot] = date;
    labelAt[slot] = label;
    pathAt[slot] = path;
    urlAt[slot] = url;
    noteIdAt[slot] = noteId;
    tagAt[slot] = tag;
    aliasAt[slot] = alias;
    mtimeAt[slot] = mtime;
    extraAt[slot] = extra;
    if (flag & HAS_DATE) date += 1;
    if ((flag & LABEL_IS_PATH) === 0) label += 1;
    if (flag & HAS_PATH && (flag & PATH_FROM_ID) === 0) path += 1;
    if (flag & HAS_URL) url += 1;
    if (flag & HAS_NOTE_ID) noteId += 1;
    tag += tagCounts[slot]!;
    alias += aliasCounts[slot]!;
    if (flag & HAS_MTIME) mtime += 1;
    if (flag & HAS_EXTRA) extra += 1;
  }
  // Every column read exactly to its end, or the file is not what it says.
  if (date !== dates.length || label !== labels.length || path !== paths.length || url !== urls.length || noteId !== noteIds.length) {
    throw new Error('search: the saved documents do not fit together');
  }
  if (tag !== tags.length || alias !== aliases.length || mtime !== mtimes.length || extra !== extras.length) {
    throw new Error('search: the saved documents do not fit together');
  }
  // The extra fields are parsed now (few documents have any): a broken one fails the load, not a later read.
  const extraFieldsOf = extras.map((json) => JSON.parse(json) as Record<string, unknown>);

  /** The document of a slot, as it was saved (then in the caller's kept form). */
  const documentAt = (slot: number): IndexedDoc => {
    const flag = flags[slot]!;
    const kind = KINDS[kinds[slot]!]!;
    const id = ids[slot]!;
    let docPath: string | undefined;
    if (flag & HAS_PATH) docPath = flag & PATH_FROM_ID ? id.slice(kind.length + 1) : paths[pathAt[slot]!];
    const source: HitSource = { label: flag & LABEL_IS_PATH ? (docPath ?? '') : labels[labelAt[slot]!]! };
    if (flag & HAS_URL) source.url = urls[urlAt[slot]!]!;
    if (docPath !== undefined) source.path = docPath;
    if (flag & HAS_NOTE_ID) source.noteId = noteIds[noteIdAt[slot]!]!;
    const tagCount = tagCounts[slot]!;
    // Most write-ups have no tags: one shared (frozen) empty list instead of 100k of them.
    const docTags = tagCount === 0 ? NO_TAGS : tags.slice(tagAt[slot]!, tagAt[slot]! + tagCount);
    const doc: IndexedDoc = { id, kind, title: titles[slot]!, text: texts[slot]!, tags: docTags, source };
    const aliasCount = aliasCounts[slot]!;
    if (aliasCount > 0) doc.aliases = aliases.slice(aliasAt[slot]!, aliasAt[slot]! + aliasCount);
    if (flag & HAS_DATE) doc.date = dates[dateAt[slot]!]!;
    const dateSource = dateSources[slot]!;
    if (dateSource > 0) doc.dateSource = DATE_SOURCES[dateSource - 1]!;
    if (flag & HAS_MTIME) doc.mtimeMs = mtimes[mtimeAt[slot]!]!;
    if (flag & HAS_EXTRA) {
      // Made once per slot (the postings keep it): the parsed fields go to this document.
      const { ['\u0000source']: sourceExtra, ...rest } = extraFieldsOf[extraAt[slot]!]!;
      Object.assign(doc, rest);
      if (sourceExtra && typeof sourceExtra === 'object') Object.assign(source, sourceExtra);
    }
    return kept(doc);
  };

  const terms = input.strings();
  const counts = input.varints();
  const lengths = Array.from({ length: FIELD_COUNT }, () => input.varints());
  // Each document's distinct terms are counted as its postings are read.
  const distinct = new Uint32Array(n);
  const slots = input.gapLists(counts, n, distinct);
  const tfs = input.smallLists();
  if (slots.length !== tfs.length) throw new Error('search: the saved postings do not fit together');
  const postings = Postings.fromPacked<IndexedDoc>({ ids, lengths, terms, counts, docs: slots, tfs }, documentAt, distinct);

  const stems = input.strings();
  const stemOf = Int32Array.from(input.varints());
  const order = input.u32s();
  const deleteKeys = input.u32s();
  const deleteValues = input.u32s();
  if (!input.done) throw new Error('search: the saved index has bytes left over');
  const vocabulary = Vocabulary.fromPacked(stem, terms, { stems, stemOf, order, deleteKeys, deleteValues });
  return { postings, vocabulary };
}
