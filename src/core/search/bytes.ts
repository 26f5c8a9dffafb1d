/**
 * A small byte writer and reader for the index's binary form: unsigned
 * varints, raw typed arrays (little-endian, copied out on reading, since a
 * section of a file has no alignment), and string tables (one UTF-8 block
 * for many strings, cut by their lengths: one decoding for all of them).
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  /** `expected`: about how many bytes will be written (the buffer doubles past it). */
  constructor(expected = 1 << 16) {
    this.buffer = new Uint8Array(Math.max(64, expected));
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.length + bytes, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** What was written: a view of the buffer (no copy: at 100k documents it is tens of MB). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** What was written since the last `take`, handed over (a view); writing goes on in a new buffer of about `expected` bytes. */
  take(expected = 1 << 16): Uint8Array {
    const taken = this.buffer.subarray(0, this.length);
    this.buffer = new Uint8Array(Math.max(64, expected));
    this.length = 0;
    return taken;
  }

  get size(): number {
    return this.length;
  }

  u8(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  u32(value: number): void {
    this.room(4);
    new DataView(this.buffer.buffer, this.buffer.byteOffset).setUint32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.room(8);
    new DataView(this.buffer.buffer, this.buffer.byteOffset).setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** An unsigned integer below 2^53, 7 bits a byte. */
  varint(value: number): void {
    this.room(8);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  /**
   * Lists of values as varints, lists back to back, without copying them out
   * first: the lists `from` up to `to` are `values[starts[i] … starts[i] + counts[i])`,
   * `total` values in all. With `gaps`, each value is written as its difference
   * from the one before in its list (they ascend). The caller writes the count.
   */
  lists(values: Uint16Array | Uint32Array, starts: Uint32Array, counts: Uint32Array, from: number, to: number, total: number, gaps: boolean): void {
    this.room(total * 5);
    const buffer = this.buffer;
    let at = this.length;
    for (let list = from; list < to; list += 1) {
      let previous = 0;
      const end = starts[list]! + counts[list]!;
      for (let i = starts[list]!; i < end; i += 1) {
        const value = values[i]!;
        let v = gaps ? value - previous : value;
        previous = value;
        while (v >= 0x80) {
          buffer[at++] = (v & 0x7f) | 0x80;
          v >>>= 7;
        }
        buffer[at++] = v;
      }
    }
    this.length = at;
  }

  /**
   * Frequencies in one byte each (lists `from` up to `to` back to back, as
   * `lists` takes them, `total` values), 255 meaning "255 or more: see the
   * overflow", pushed to `overflow`. The caller writes the count of all lists'
   * values first (u32) and the overflow after them (`varints`): nearly every
   * frequency is small, and bytes need no decoding.
   */
  smallLists(values: Uint16Array, starts: Uint32Array, counts: Uint32Array, from: number, to: number, total: number, overflow: number[]): void {
    this.room(total);
    let at = this.length;
    for (let list = from; list < to; list += 1) {
      const end = starts[list]! + counts[list]!;
      for (let i = starts[list]!; i < end; i += 1) {
        const value = values[i]!;
        if (value >= 255) {
          this.buffer[at++] = 255;
          overflow.push(value);
        } else {
          this.buffer[at++] = value;
        }
      }
    }
    this.length = at;
  }

  /** Each value as a varint, after its count. */
  varints(values: ArrayLike<number>, count = values.length): void {
    this.varint(count);
    this.room(count * 5);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < count; i += 1) {
      let v = values[i]!;
      while (v >= 0x80) {
        buffer[at++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buffer[at++] = v;
    }
    this.length = at;
  }

  /** A typed array's bytes, after its element count (little-endian, as every platform Node runs on). */
  array(values: Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array): void {
    this.u32(values.length);
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.room(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Bytes as they are (no count). */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Strings as one table: their UTF-16 lengths, then all of them as one UTF-8 block. */
  strings(values: readonly string[]): void {
    const lengths = new Uint32Array(values.length);
    values.forEach((value, i) => (lengths[i] = value.length));
    this.varints(lengths);
    const block = encoder.encode(values.join(''));
    this.u32(block.length);
    this.room(block.length);
    this.buffer.set(block, this.length);
    this.length += block.length;
  }
}

/** Reads what ByteWriter wrote; a read past the end, or a value out of range, throws. */
export class ByteReader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.at === this.bytes.length;
  }

  private need(count: number): void {
    if (this.at + count > this.bytes.length) throw new Error('search: the saved index ends too soon');
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      this.need(1);
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new Error('search: a saved number is too long');
    }
  }

  /** Varints written by `varints`, into an array of 32-bit values. */
  varints(): Uint32Array {
    const count = this.varint();
    // Each takes at least one byte: a count beyond the bytes left is a damaged file.
    this.need(count);
    const out = new Uint32Array(count);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < count; i += 1) {
      let value = 0;
      let shift = 0;
      let byte: number;
      do {
        if (at >= bytes.length || shift > 28) throw new Error('search: the saved index ends too soon');
        byte = bytes[at++]!;
        value |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte >= 0x80);
      out[i] = value >>> 0;
    }
    this.at = at;
    return out;
  }

  /**
   * Reads what `lists(…, gaps = true)` wrote for lists of these lengths (the
   * count first): each list's values, its gaps added up, every value below
   * `below`, counting how often each value occurs into `occurrences`.
   */
  gapLists(counts: Uint32Array, below: number, occurrences: Uint32Array): Uint32Array {
    const total = this.varint();
    this.need(total);
    const out = new Uint32Array(total);
    const bytes = this.bytes;
    const length = bytes.length;
    let at = this.at;
    let i = 0;
    // NOTE: the hottest loop of a start from a snapshot (a varint per posting, millions at 100k
    // documents): the bounds are checked once per list, not per byte. A read past the end gives
    // undefined, which ends a varint (undefined >= 0x80 is false) and is caught after the list.
    for (let list = 0; list < counts.length; list += 1) {
      const end = i + counts[list]!;
      if (end > total) throw new Error('search: the saved postings do not fit together');
      let previous = 0;
      for (; i < end; i += 1) {
        let byte = bytes[at++]!;
        if (byte >= 0x80) {
          let value = byte & 0x7f;
          let shift = 7;
          do {
            byte = bytes[at++]!;
            value |= (byte & 0x7f) << shift;
            shift += 7;
          } while (byte >= 0x80 && shift < 35);
          if (byte >= 0x80) throw new Error('search: a saved number is too long');
          previous += value >>> 0;
        } else {
          previous += byte;
        }
        if (previous >= below) throw new Error('search: a saved posting names a document that is not there');
        out[i] = previous;
        occurrences[previous] = occurrences[previous]! + 1;
      }
      if (at > length) throw new Error('search: the saved index ends too soon');
    }
    if (i !== total) throw new Error('search: the saved postings do not fit together');
    this.at = at;
    return out;
  }

  /** Reads what `smallLists` wrote. */
  smallLists(): Uint16Array {
    const total = this.u32();
    this.need(total);
    const out = new Uint16Array(total);
    out.set(this.bytes.subarray(this.at, this.at + total));
    this.at += total;
    const overflow = this.varints();
    let next = 0;
    if (overflow.length > 0) {
      for (let i = 0; i < total; i += 1) {
        if (out[i] !== 255) continue;
        const value = overflow[next++];
        if (value === undefined) throw new Error('search: the saved frequencies do not fit together');
        out[i] = Math.min(value, 0xffff);
      }
    }
    if (next !== overflow.length) throw new Error('search: the saved frequencies do not fit together');
    return out;
  }

  private raw(bytesPer: number): Uint8Array {
    const count = this.u32();
    this.need(count * bytesPer);
    // A copy (aligned, and not a view: Node's Buffer#slice shares memory), so typed arrays can be made on it.
    const copy = new Uint8Array(this.bytes.subarray(this.at, this.at + count * bytesPer));
    this.at += count * bytesPer;
    return copy;
  }

  u8s(): Uint8Array {
    return this.raw(1);
  }

  u16s(): Uint16Array {
    const bytes = this.raw(2);
    return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  }

  u32s(): Uint32Array {
    const bytes = this.raw(4);
    return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  }

  i32s(): Int32Array {
    const bytes = this.raw(4);
    return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  }

  f64s(): Float64Array {
    const bytes = this.raw(8);
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  }

  strings(): string[] {
    const lengths = this.varints();
    const size = this.u32();
    this.need(size);
    const text = decoder.decode(this.bytes.subarray(this.at, this.at + size));
    this.at += size;
    const out = new Array<string>(lengths.length);
    let from = 0;
    for (let i = 0; i < lengths.length; i += 1) {
      const to = from + lengths[i]!;
      if (to > text.length) throw new Error('search: a saved string table does not fit its text');
      out[i] = text.slice(from, to);
      from = to;
    }
    if (from !== text.length) throw new Error('search: a saved string table does not fit its text');
    return out;
  }
}
