/**
 * Text on its way to a person's screen. Pure.
 */

/**
 * Bidirectional control characters (embeddings and overrides U+202A–202E,
 * isolates U+2066–2069, the marks U+200E, U+200F and U+061C): stored text
 * that carries them can make what is shown read differently from what is
 * there (a right-to-left override turns `txt.exe` around), so they are
 * dropped from everything tinker shows.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
