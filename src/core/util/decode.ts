/**
 * Reading text files written by people: most are UTF-8; older editors save
 * Latin-1 (Windows-1252), which decoded as UTF-8 would turn every accented
 * letter into "�" and make it unsearchable.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const WINDOWS_1252 = new TextDecoder('windows-1252');

/** A file's text: UTF-8 when the bytes are valid UTF-8, else Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return WINDOWS_1252.decode(bytes);
  }
}
