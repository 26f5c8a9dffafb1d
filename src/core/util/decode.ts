/**
 * Reading text files written by people: most are UTF-8; older editors save
 * Windows-1252 (Latin-1 with “smart quotes”, dashes and €), which decoded as
 * UTF-8 would turn every accented letter into "�" and make it unsearchable;
 * Windows Notepad's "Unicode" is UTF-16 behind a byte-order mark.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF16LE = new TextDecoder('utf-16le');
const UTF16BE = new TextDecoder('utf-16be');

/**
 * Windows-1252's characters for the bytes 0x80-0x9F, where it differs from
 * Latin-1; "\uFFFD" for the five bytes it leaves undefined.
 * NOTE: not `new TextDecoder('windows-1252')`: on Node 20.18.3+ and 22.13+ that
 * decoder is plain Latin-1 there (nodejs/node#56542), so 0x93 came out as the
 * C1 control U+0093 instead of “.
 */
const WINDOWS_1252_HIGH =
  '\u20AC\uFFFD\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\uFFFD\u017D\uFFFD' +
  '\uFFFD\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\uFFFD\u017E\u0178';

/** A file's text: UTF-16 behind its byte-order mark; UTF-8 when the bytes are valid UTF-8; else Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return UTF16LE.decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return UTF16BE.decode(bytes);
  try {
    return UTF8.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/** Windows-1252 bytes as text: Latin-1, with 0x80-0x9F as Windows-1252 has them. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\u0080-\u009F]/.test(latin1) ? latin1.replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!) : latin1;
}
