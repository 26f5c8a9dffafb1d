/**
 * The snapshot file's layout: a binary container, so a 100k-document index
 * loads without parsing 90 MB of JSON. Little-endian throughout:
 *
 *   magic    16 bytes  "tinker snapshot\n"
 *   format   u32       SNAPSHOT_FORMAT (this layout)
 *   options  u32       the search options' version it was built under
 *   savedAt  f64       ms since the epoch
 *   articles u32       the article reading's version (ARTICLE_FORMAT_VERSION) it was built under
 *   links    u32       which ARTICLES_URL template made the articles' links (linksStamp; 0: none)
 *   sections, up to the tail, each:
 *     tag    4 bytes   ASCII: SRCS (sources) or IBIN (the index, SearchIndex.toBinary)
 *     length u32       payload bytes, then the payload, zero-padded to a multiple of 8
 *   crc      u32       CRC-32 of every byte before it
 *   end      4 bytes   "end\n"
 *
 * A tag may repeat: its payloads are read as one, in order, so a large section
 * can be written piece by piece as it is produced, without holding it whole.
 *
 * The reader trusts nothing it has not checked: the magic, the total length,
 * every section's bounds, and the checksum over the whole file, so a truncated,
 * damaged or foreign file is reported, never loaded.
 */
import zlib from 'node:zlib';

/** How every binary snapshot begins; readable in a hex dump and unlike any text file's start. */
export const SNAPSHOT_MAGIC = 'tinker snapshot\n';
const MAGIC = Buffer.from(SNAPSHOT_MAGIC, 'latin1');
const END = Buffer.from('end\n', 'latin1');
const HEADER_BYTES = 16 + 4 + 4 + 8 + 4 + 4;

/** Bump when this layout changes. */
export const SNAPSHOT_FORMAT = 4;

export type SectionTag = 'SRCS' | 'IBIN';

export interface SnapshotContainer {
  format: number;
  /** Search options version. */
  version: number;
  /** How articles were read into text (sources' ARTICLE_FORMAT_VERSION). */
  articleFormat: number;
  /** The ARTICLES_URL template the articles' links were made with (`linksStamp`). */
  links: number;
  savedAt: number;
  /** Each tag's payloads, in file order (views into the file's bytes). */
  sections: Map<string, Uint8Array[]>;
}

/** Why a file is not a snapshot this build can load. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
  constructor(
    message: string,
    /** `other-format`: a tinker snapshot of another layout (an older JSON one, say); `damaged`: anything else. */
    readonly kind: 'damaged' | 'other-format' = 'damaged',
  ) {
    super(message);
  }
}

/**
 * The pieces of a file, in order: the head, then for each section its head, its
 * payload and `padding(length)`, then the tail with the CRC-32 of all before it
 * (`crc32Of` over each piece). In pieces so a large payload can be written as it
 * is produced.
 */
export function encodeContainerHead(header: ContainerHeader): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(SNAPSHOT_FORMAT, 16);
  head.writeUInt32LE(header.version, 20);
  head.writeDoubleLE(header.savedAt, 24);
  head.writeUInt32LE(header.articleFormat, 32);
  head.writeUInt32LE(header.links ?? 0, 36);
  return head;
}

/** What the head of a file records. */
export interface ContainerHeader {
  version: number;
  articleFormat: number;
  savedAt: number;
  /** `linksStamp(ARTICLES_URL)`; absent: 0, no template. */
  links?: number;
}

/**
 * A stamp of the ARTICLES_URL template (0 without one): the index keeps each
 * article's link, so a snapshot made under another template must not be loaded.
 * An FNV-1a hash: a collision would only keep old links until the files change.
 */
export function linksStamp(template: string | undefined): number {
  if (!template) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < template.length; i += 1) hash = Math.imul(hash ^ template.charCodeAt(i), 0x01000193) >>> 0;
  return hash || 1;
}

export function encodeSectionHead(tag: SectionTag, length: number): Buffer {
  const head = Buffer.alloc(8);
  head.write(tag, 0, 'latin1');
  head.writeUInt32LE(length, 4);
  return head;
}

/** The zero bytes after a payload of `length` bytes. */
export function padding(length: number): Buffer {
  return Buffer.alloc(pad8(length) - length);
}

export function encodeTail(crc: number): Buffer {
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc >>> 0, 0);
  END.copy(tail, 4);
  return tail;
}

/** A whole file in one buffer (tests, small snapshots). */
export function encodeContainer(header: ContainerHeader, sections: ReadonlyArray<readonly [SectionTag, Uint8Array]>): Buffer {
  const parts: Uint8Array[] = [encodeContainerHead(header)];
  for (const [tag, payload] of sections) parts.push(encodeSectionHead(tag, payload.byteLength), payload, padding(payload.byteLength));
  const crc = parts.reduce((value, part) => crc32Of(part, value), 0);
  return Buffer.concat([...parts, encodeTail(crc)]);
}

/** True when `bytes` starts like a binary snapshot. */
export function hasSnapshotMagic(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && Buffer.from(bytes.buffer, bytes.byteOffset, MAGIC.length).equals(MAGIC);
}

/** Reads a container; throws a `SnapshotFormatError` saying what is wrong. Sections are views into `bytes`. */
export function decodeContainer(bytes: Buffer): SnapshotContainer {
  if (!hasSnapshotMagic(bytes)) {
    const text = bytes.toString('latin1', 0, Math.min(bytes.length, 64));
    if (/^\{"version":\d+,"format":\d+,"savedAt":"/.test(text)) {
      throw new SnapshotFormatError('an older (JSON) snapshot', 'other-format');
    }
    throw new SnapshotFormatError(bytes.length === 0 ? 'the file is empty' : 'not a tinker snapshot');
  }
  if (bytes.length < HEADER_BYTES + 8) throw new SnapshotFormatError(`cut short (${bytes.length} bytes)`);
  const format = bytes.readUInt32LE(16);
  if (format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError(`layout ${format}, this version reads ${SNAPSHOT_FORMAT}`, 'other-format');
  const version = bytes.readUInt32LE(20);
  const savedAt = bytes.readDoubleLE(24);
  const articleFormat = bytes.readUInt32LE(32);
  const links = bytes.readUInt32LE(36);
  const tail = bytes.length - 8;
  // The tail first: a file cut short anywhere has no end marker where it should be.
  if (!bytes.subarray(tail + 4).equals(END)) throw new SnapshotFormatError('no end marker (cut short)');
  if (crc32Of(bytes.subarray(0, tail)) !== bytes.readUInt32LE(tail)) throw new SnapshotFormatError('checksum mismatch (damaged)');
  const sections = new Map<string, Uint8Array[]>();
  let at = HEADER_BYTES;
  while (at < tail) {
    if (at + 8 > tail) throw new SnapshotFormatError(`cut short after ${sections.size} sections`);
    const tag = bytes.toString('latin1', at, at + 4);
    const length = bytes.readUInt32LE(at + 4);
    const start = at + 8;
    const next = start + pad8(length);
    if (next > tail) throw new SnapshotFormatError(`cut short in section ${JSON.stringify(tag)}`);
    const payloads = sections.get(tag) ?? [];
    payloads.push(bytes.subarray(start, start + length));
    sections.set(tag, payloads);
    at = next;
  }
  return { format, version, articleFormat, links, savedAt, sections };
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

/** CRC-32 of `data`, continuing from `value` (zlib's: Node 20.15+ has it built in; older versions get the table below). */
export function crc32Of(data: Uint8Array, value = 0): number {
  const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (native) return native(data, value) >>> 0;
  let crc = ~value >>> 0;
  const table = crcTable();
  for (let i = 0; i < data.length; i += 1) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

let table: Uint32Array | undefined;
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
