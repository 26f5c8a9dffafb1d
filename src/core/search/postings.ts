/**
 * Posting lists of our own, in typed arrays: for each index term and field,
 * the documents that hold it (by slot, ascending) and how often.
 *
 * All lists live in two arenas (slots and frequencies); a list that outgrows
 * its room moves to the end, and the arenas are compacted once half of them
 * is left-behind room. A few flat arrays instead of a Map per term keep the
 * heap small (most terms are in one or two documents) and make a snapshot
 * a copy of the arrays.
 */

/** The indexed fields, by field id. */
export const FIELDS = ['title', 'text', 'tags'] as const;
export type FieldName = (typeof FIELDS)[number];
export const FIELD_COUNT = FIELDS.length;
export const FIELD_ID: Readonly<Record<FieldName, number>> = { title: 0, text: 1, tags: 2 };
/** Every field, as a field mask (bit per field id). */
export const ALL_FIELDS = (1 << FIELD_COUNT) - 1;

/** A document's terms per field: term → frequency, in order of first occurrence. */
export type FieldTerms = ReadonlyArray<ReadonlyMap<string, number>>;

/** The postings of an index without removed documents, lists back to back in term and field order (a snapshot's). */
export interface PackedPostings {
  /** Document ids by slot. */
  ids: readonly string[];
  /** Per field id, each slot's field length. */
  lengths: readonly Uint32Array[];
  /** Terms by term id. */
  terms: readonly string[];
  /** Per `termId * FIELD_COUNT + field`: the list's length. */
  counts: Uint32Array;
  /** The lists, in that order: slots ascending within a list, and frequencies. */
  docs: Uint32Array;
  tfs: Uint16Array;
}

/** A document's distinct terms in one field, by id, with their frequencies: the first `count` of each. */
export interface FieldPostings {
  ids: ArrayLike<number>;
  tfs: ArrayLike<number>;
  count: number;
}

const MAX_TF = 0xffff;

/**
 * Documents are numbered by slot in the order they were added; a removed
 * document's slot is marked dead and its postings stay until enough are dead
 * to be worth a vacuum, which renumbers the live ones (order kept).
 */
export class Postings<T = unknown> {
  private readonly termIds = new Map<string, number>();
  /** Index terms by term id. */
  terms: string[] = [];
  /** Per `termId * FIELD_COUNT + field`: where its list starts in the arenas, its length, its room. */
  starts: Uint32Array = new Uint32Array(64);
  counts: Uint32Array = new Uint32Array(64);
  private rooms: Uint32Array = new Uint32Array(64);
  /** The arenas: slots (ascending within a list) and term frequencies. */
  docs: Uint32Array = new Uint32Array(1024);
  tfs: Uint16Array = new Uint16Array(1024);
  private used = 0;
  private garbage = 0;
  /** The external id of each slot (`article:…`), or undefined once removed. */
  ids: Array<string | undefined> = [];
  /**
   * Slot by id. From a snapshot it is filled after the index answers (`fillSlotMap`,
   * a slice at a time), or at once by the first lookup: 100k ids take tens of ms.
   */
  private slotMap = new Map<string, number>();
  /** Slots below this are in `slotMap`. */
  private mapped = 0;
  /** Counts additions and removals (a vacuum in slices checks that none came in between). */
  private edits = 0;
  /** What the owner keeps with each live slot (the index: its document), by slot. */
  private records: Array<T | undefined> = [];
  /**
   * From a snapshot: makes the record of a restored slot (below `lazyCount`) the
   * first time it is asked for, so that loading builds no object per document.
   */
  private lazy: ((slot: number) => T) | undefined;
  private lazyCount = 0;
  /** 1 for a live slot. */
  alive: Uint8Array = new Uint8Array(256);
  /** Each field's length (terms, repeats counted) by slot. */
  lengths: Uint32Array[] = FIELDS.map(() => new Uint32Array(256));
  /** Distinct terms per slot: what a removal leaves behind as dead postings. */
  private distinct: Uint32Array = new Uint32Array(256);
  private readonly lengthSums: Float64Array = new Float64Array(FIELD_COUNT);
  private live = 0;
  private deadPostings = 0;
  private totalPostings = 0;
  /** Called after a vacuum with the old → new term ids (-1: dropped, no live document holds it). */
  onRenumberTerms: ((map: Int32Array) => void) | undefined;

  /** The id → slot map, filled first if a snapshot left it partly filled. */
  private get slots(): Map<string, number> {
    if (this.mapped < this.ids.length) this.fillSlotMap(Infinity);
    return this.slotMap;
  }

  /**
   * Maps up to `count` more slots' ids (from a snapshot, where the map is left
   * empty so the index answers sooner); true once every slot is mapped.
   */
  fillSlotMap(count: number): boolean {
    const ids = this.ids;
    const end = Math.min(ids.length, this.mapped + count);
    const map = this.slotMap;
    for (let slot = this.mapped; slot < end; slot += 1) {
      const id = ids[slot];
      if (id !== undefined) map.set(id, slot);
    }
    this.mapped = end;
    return end === ids.length;
  }

  /** Live documents. */
  get documentCount(): number {
    return this.live;
  }

  /** Slots in use, live or dead: the size score arrays need. */
  get slotCount(): number {
    return this.ids.length;
  }

  get termCount(): number {
    return this.terms.length;
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  hasTerm(term: string): boolean {
    return this.termIds.has(term);
  }

  slotOf(id: string): number | undefined {
    return this.slots.get(id);
  }

  /** What the owner keeps with a live document (by id, or by slot). */
  record(id: string): T | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.recordOf(slot);
  }

  recordAt(slot: number): T | undefined {
    return this.alive[slot] === 1 ? this.recordOf(slot) : undefined;
  }

  /** A live slot's record, made now if the snapshot left it for later. */
  private recordOf(slot: number): T | undefined {
    const record = this.records[slot];
    if (record !== undefined || this.lazy === undefined || slot >= this.lazyCount || this.alive[slot] !== 1) return record;
    return (this.records[slot] = this.lazy(slot));
  }

  /** The live documents' records, in slot order. */
  *liveRecords(): Generator<T> {
    for (let slot = 0; slot < this.ids.length; slot += 1) {
      if (this.alive[slot] !== 1) continue;
      const record = this.recordOf(slot);
      if (record !== undefined) yield record;
    }
  }

  /** Length of a term's list in a field (dead slots included until a vacuum). */
  count(termId: number, field: number): number {
    return this.counts[termId * FIELD_COUNT + field]!;
  }

  start(termId: number, field: number): number {
    return this.starts[termId * FIELD_COUNT + field]!;
  }

  /** Average length of a field over live documents (1 when there are none). */
  averageLength(field: number): number {
    return this.live === 0 ? 1 : this.lengthSums[field]! / this.live || 1;
  }

  /** Documents holding a term in its most used field (dead ones included until a vacuum). */
  documentFrequency(termId: number): number {
    let most = 0;
    for (let field = 0; field < FIELD_COUNT; field += 1) most = Math.max(most, this.counts[termId * FIELD_COUNT + field]!);
    return most;
  }

  /** Whether a slot holds a term in one of the fields of `mask` (bit per field id). */
  holds(termId: number, slot: number, mask = ALL_FIELDS): boolean {
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      if ((mask & (1 << field)) !== 0 && this.find(termId * FIELD_COUNT + field, slot) >= 0) return true;
    }
    return false;
  }

  /** Calls `each` for every live slot holding a term in a field of `mask` (a slot may come once per field). */
  forEachSlot(termId: number, each: (slot: number) => void, mask = ALL_FIELDS): void {
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      if ((mask & (1 << field)) === 0) continue;
      const at = termId * FIELD_COUNT + field;
      const start = this.starts[at]!;
      const end = start + this.counts[at]!;
      for (let i = start; i < end; i += 1) {
        const slot = this.docs[i]!;
        if (this.alive[slot] === 1) each(slot);
      }
    }
  }

  /** A term's id, made when the index does not hold it yet (`onNewTerm` hears of it). */
  termIdOrNew(term: string, onNewTerm?: (term: string, termId: number) => void): number {
    let termId = this.termIds.get(term);
    if (termId === undefined) {
      termId = this.newTerm(term);
      onNewTerm?.(term, termId);
    }
    return termId;
  }

  /**
   * Visits the live slots holding a term, field by field (a slot may come once
   * per field), until `visit` returns true.
   */
  visitSlots(termId: number, visit: (slot: number) => boolean): void {
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      const at = termId * FIELD_COUNT + field;
      const start = this.starts[at]!;
      const end = start + this.counts[at]!;
      for (let i = start; i < end; i += 1) {
        const slot = this.docs[i]!;
        if (this.alive[slot] === 1 && visit(slot)) return;
      }
    }
  }

  /**
   * Adds a document under a new slot. `lengths` are the fields' lengths in
   * terms; `onNewTerm` hears of every term the index did not hold.
   */
  add(id: string, fieldTerms: FieldTerms, lengths: readonly number[], onNewTerm?: (term: string, termId: number) => void, record?: T): number {
    const fields = fieldTerms.map((terms) => {
      const ids: number[] = [];
      const tfs: number[] = [];
      terms.forEach((tf, term) => {
        ids.push(this.termIdOrNew(term, onNewTerm));
        tfs.push(tf);
      });
      return { ids, tfs, count: ids.length };
    });
    return this.addTermIds(id, fields, lengths, record);
  }

  /** Adds a document under a new slot from its distinct term ids and frequencies per field (each term once per field). */
  addTermIds(id: string, fields: ReadonlyArray<FieldPostings | undefined>, lengths: readonly number[], record?: T): number {
    if (this.slots.has(id)) throw new Error(`search: document ${id} is already indexed`);
    this.edits += 1;
    const slot = this.ids.length;
    this.ensureSlots(slot + 1);
    this.ids.push(id);
    this.records.push(record);
    this.slotMap.set(id, slot);
    this.mapped = this.ids.length;
    this.alive[slot] = 1;
    this.live += 1;
    let distinct = 0;
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      const length = lengths[field] ?? 0;
      this.lengths[field]![slot] = length;
      this.lengthSums[field] = this.lengthSums[field]! + length;
      const terms = fields[field];
      if (!terms) continue;
      for (let i = 0; i < terms.count; i += 1) this.append(terms.ids[i]! * FIELD_COUNT + field, slot, terms.tfs[i]!);
      distinct += terms.count;
    }
    this.distinct[slot] = distinct;
    this.totalPostings += distinct;
    return slot;
  }

  /** Whether removed documents still hold postings (a vacuum would drop them). */
  get hasDead(): boolean {
    return this.live < this.ids.length;
  }

  /**
   * The arenas as they are, for writing the lists without copying them out
   * (`starts`/`counts` per `termId * FIELD_COUNT + field`, `lists` of them).
   * Only for an index without removed documents (vacuum first).
   */
  arenas(): { docs: Uint32Array; tfs: Uint16Array; starts: Uint32Array; counts: Uint32Array; lists: number; total: number } {
    if (this.hasDead) throw new Error('search: vacuum before writing the postings');
    const lists = this.terms.length * FIELD_COUNT;
    let total = 0;
    for (let at = 0; at < lists; at += 1) total += this.counts[at]!;
    return { docs: this.docs, tfs: this.tfs, starts: this.starts, counts: this.counts, lists, total };
  }

  /** An index from its packed form (`packed`); the arrays are taken over, not copied. */
  static fromPacked<T>(packed: PackedPostings, records?: readonly T[] | ((slot: number) => T), distinct?: Uint32Array): Postings<T> {
    const postings = new Postings<T>();
    if (Array.isArray(records) && records.length !== packed.ids.length) throw new Error('search: packed postings and their records do not fit');
    if (typeof records === 'function') {
      // Each record made on first use (see `recordOf`).
      postings.lazy = records;
      postings.lazyCount = packed.ids.length;
      postings.records = new Array<T | undefined>(packed.ids.length);
    } else {
      // Taken over, not copied: the reader made them for this.
      postings.records = records ? (records as Array<T | undefined>) : new Array<T | undefined>(packed.ids.length);
    }
    const n = packed.ids.length;
    const lists = packed.terms.length * FIELD_COUNT;
    if (packed.counts.length !== lists || packed.lengths.length !== FIELD_COUNT || packed.docs.length !== packed.tfs.length) {
      throw new Error('search: packed postings do not fit together');
    }
    postings.ensureSlots(n);
    // The id map is filled later (fillSlotMap), or by the first lookup.
    postings.ids = packed.ids.slice();
    postings.mapped = 0;
    postings.alive.fill(1, 0, n);
    postings.live = n;
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      const lengths = packed.lengths[field]!;
      if (lengths.length !== n) throw new Error('search: packed field lengths do not fit the documents');
      postings.lengths[field]!.set(lengths);
      let sum = 0;
      for (let slot = 0; slot < n; slot += 1) sum += lengths[slot]!;
      postings.lengthSums[field] = sum;
    }
    postings.terms = [...packed.terms];
    packed.terms.forEach((term, termId) => postings.termIds.set(term, termId));
    postings.starts = new Uint32Array(Math.max(64, lists));
    postings.counts = new Uint32Array(postings.starts.length);
    postings.counts.set(packed.counts);
    let used = 0;
    for (let at = 0; at < lists; at += 1) {
      postings.starts[at] = used;
      used += packed.counts[at]!;
    }
    if (used !== packed.docs.length) throw new Error('search: packed postings do not fit their counts');
    if (distinct && distinct.length === n) {
      // Counted by the reader (which also checked every slot): no second pass over the postings.
      postings.distinct.set(distinct);
    } else {
      for (let i = 0; i < used; i += 1) {
        const slot = packed.docs[i]!;
        if (slot >= n) throw new Error('search: a packed posting names a document that is not there');
        postings.distinct[slot] = postings.distinct[slot]! + 1;
      }
    }
    // Every list is packed: the next append to it moves it to the end with room to grow.
    postings.rooms = postings.counts.slice();
    postings.docs = packed.docs;
    postings.tfs = packed.tfs;
    postings.used = used;
    postings.totalPostings = used;
    return postings;
  }

  /** Marks a document removed; returns its slot, or undefined when it was not indexed. */
  remove(id: string): number | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    this.edits += 1;
    this.slots.delete(id);
    this.ids[slot] = undefined;
    this.records[slot] = undefined;
    this.alive[slot] = 0;
    this.live -= 1;
    for (let field = 0; field < FIELD_COUNT; field += 1) this.lengthSums[field] = this.lengthSums[field]! - this.lengths[field]![slot]!;
    this.deadPostings += this.distinct[slot]!;
    // NOTE: like MiniSearch's auto-vacuum: once a tenth of the postings (and at least a thousand)
    // belong to removed documents, rebuild the lists without them. Until then they are skipped
    // when scoring but still count in document frequencies.
    if (this.deadPostings >= 1000 && this.deadPostings * 10 >= this.totalPostings) this.vacuum();
    return slot;
  }

  /** Rebuilds every list without removed documents, renumbering slots and terms (order kept). */
  vacuum(): void {
    for (const _ of this.vacuumSlices());
  }

  /**
   * `vacuum` a slice at a time (about 200,000 postings each), pausing (yielding)
   * between slices; the new lists replace the old ones only at the end, in one
   * step, and not at all if the postings changed meanwhile (the caller may also
   * just stop: nothing is replaced). Returns whether the vacuum was done.
   */
  *vacuumSlices(): Generator<void, boolean> {
    const edits = this.edits;
    const slotMap = new Int32Array(this.ids.length).fill(-1);
    const ids: Array<string | undefined> = [];
    const records: Array<T | undefined> = [];
    for (let slot = 0; slot < this.ids.length; slot += 1) {
      if (this.alive[slot] !== 1) continue;
      slotMap[slot] = ids.length;
      ids.push(this.ids[slot]);
      records.push(this.recordOf(slot));
    }
    const termMap = new Int32Array(this.terms.length).fill(-1);
    const terms: string[] = [];
    const livePostings = this.totalPostings - this.deadPostings;
    const docs = new Uint32Array(Math.max(1024, livePostings));
    const tfs = new Uint16Array(docs.length);
    const starts = new Uint32Array(Math.max(64, this.terms.length * FIELD_COUNT));
    const counts = new Uint32Array(starts.length);
    let used = 0;
    let sliced = 0;
    for (let termId = 0; termId < this.terms.length; termId += 1) {
      if (used - sliced >= 200_000) {
        sliced = used;
        yield;
      }
      const newId = terms.length;
      let any = false;
      for (let field = 0; field < FIELD_COUNT; field += 1) {
        const at = termId * FIELD_COUNT + field;
        const start = this.starts[at]!;
        const end = start + this.counts[at]!;
        const begin = used;
        for (let i = start; i < end; i += 1) {
          const slot = slotMap[this.docs[i]!]!;
          if (slot < 0) continue;
          docs[used] = slot;
          tfs[used] = this.tfs[i]!;
          used += 1;
        }
        starts[newId * FIELD_COUNT + field] = begin;
        counts[newId * FIELD_COUNT + field] = used - begin;
        if (used > begin) any = true;
      }
      if (!any) continue;
      termMap[termId] = newId;
      terms.push(this.terms[termId]!);
    }
    if (this.edits !== edits) return false;
    const alive = new Uint8Array(Math.max(256, ids.length));
    alive.fill(1, 0, ids.length);
    const remap = (old: Uint32Array) => {
      const out = new Uint32Array(alive.length);
      for (let slot = 0; slot < slotMap.length; slot += 1) if (slotMap[slot]! >= 0) out[slotMap[slot]!] = old[slot]!;
      return out;
    };
    this.lengths = this.lengths.map(remap);
    this.distinct = remap(this.distinct);
    this.alive = alive;
    this.ids = ids;
    this.records = records;
    // Every live record was made above: the slots no longer match the snapshot's.
    this.lazy = undefined;
    this.lazyCount = 0;
    // Filled by the next lookup, or by the caller a slice at a time (fillSlotMap).
    this.slotMap = new Map();
    this.mapped = 0;
    this.terms = terms;
    this.termIds.clear();
    terms.forEach((term, termId) => this.termIds.set(term, termId));
    this.docs = docs;
    this.tfs = tfs;
    this.starts = starts;
    this.counts = counts;
    // Every list is packed: the next append to it moves it to the end with room to grow.
    this.rooms = counts.slice();
    this.used = used;
    this.garbage = 0;
    this.totalPostings = livePostings;
    this.deadPostings = 0;
    this.onRenumberTerms?.(termMap);
    return true;
  }

  private newTerm(term: string): number {
    const termId = this.terms.length;
    this.terms.push(term);
    this.termIds.set(term, termId);
    const needed = (termId + 1) * FIELD_COUNT;
    if (needed > this.starts.length) {
      const capacity = Math.max(needed, this.starts.length * 2);
      this.starts = grow(this.starts, capacity);
      this.counts = grow(this.counts, capacity);
      this.rooms = grow(this.rooms, capacity);
    }
    return termId;
  }

  private append(at: number, slot: number, tf: number): void {
    const count = this.counts[at]!;
    if (count === this.rooms[at]!) this.move(at, count === 0 ? 1 : count < 64 ? count * 2 : count + (count >>> 1));
    const i = this.starts[at]! + count;
    this.docs[i] = slot;
    this.tfs[i] = tf > MAX_TF ? MAX_TF : tf;
    this.counts[at] = count + 1;
  }

  /** Moves a list to the end of the arenas with room for `room` postings. */
  private move(at: number, room: number): void {
    if (this.used + room > this.docs.length) {
      if (this.garbage * 2 > this.used) this.compact();
      if (this.used + room > this.docs.length) {
        const capacity = Math.max(this.used + room, Math.ceil(this.docs.length * 1.5));
        this.docs = grow(this.docs, capacity);
        this.tfs = grow(this.tfs, capacity);
      }
    }
    const start = this.starts[at]!;
    const count = this.counts[at]!;
    this.docs.copyWithin(this.used, start, start + count);
    this.tfs.copyWithin(this.used, start, start + count);
    this.garbage += this.rooms[at]!;
    this.starts[at] = this.used;
    this.rooms[at] = room;
    this.used += room;
  }

  /** Packs every list back to back (with its room), dropping the room lists moved out of. */
  private compact(): void {
    const total = this.used - this.garbage;
    const docs = new Uint32Array(Math.max(this.docs.length, total));
    const tfs = new Uint16Array(docs.length);
    let used = 0;
    for (let at = 0; at < this.terms.length * FIELD_COUNT; at += 1) {
      const start = this.starts[at]!;
      const count = this.counts[at]!;
      docs.set(this.docs.subarray(start, start + count), used);
      tfs.set(this.tfs.subarray(start, start + count), used);
      this.starts[at] = used;
      used += this.rooms[at]!;
    }
    this.docs = docs;
    this.tfs = tfs;
    this.used = used;
    this.garbage = 0;
  }

  /** Position of a slot in a list (binary search), or -1. */
  private find(at: number, slot: number): number {
    let low = this.starts[at]!;
    const end = low + this.counts[at]!;
    let high = end;
    const docs = this.docs;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (docs[mid]! < slot) low = mid + 1;
      else high = mid;
    }
    return low < end && docs[low] === slot ? low : -1;
  }

  private ensureSlots(size: number): void {
    if (size <= this.alive.length) return;
    const capacity = Math.max(size, this.alive.length * 2);
    this.alive = grow(this.alive, capacity);
    this.distinct = grow(this.distinct, capacity);
    this.lengths = this.lengths.map((old) => grow(old, capacity));
  }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array>(old: T, capacity: number): T {
  const grown = new (old.constructor as new (length: number) => T)(capacity);
  grown.set(old.subarray(0, Math.min(old.length, capacity)));
  return grown;
}
