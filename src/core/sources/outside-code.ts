/**
 * Edits of markdown prose that leave code alone: fenced code blocks and inline
 * code spans keep what they hold (`{{ x }}`, `<div>`, `a == b` in code are what
 * the writer meant), the text between them gets the edit.
 */

/** The opening line of a fenced code block: its fence and info string. */
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/gm;

/**
 * `edit` applied to the text outside fenced code blocks and inline code spans.
 * `touches` says whether a text holds anything the edit changes: a text without
 * it is returned as it is, and a code span without it need not be told from prose.
 */
export function outsideCode(text: string, edit: (prose: string) => string, touches: RegExp): string {
  if (!touches.test(text)) return text;
  if (!text.includes('```') && !text.includes('~~~')) return outsideCodeSpans(text, edit, touches);
  let out = '';
  let from = 0;
  FENCE_OPEN.lastIndex = 0;
  for (let open = FENCE_OPEN.exec(text); open; open = FENCE_OPEN.exec(text)) {
    const fence = open[1]!;
    // A backtick fence's info string holds no backtick (else the line is inline code).
    if (fence[0] === '`' && open[2]!.includes('`')) continue;
    const closing = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}[ \\t\\r]*$`, 'gm');
    closing.lastIndex = open.index + open[0].length;
    const close = closing.exec(text);
    // An unclosed fence runs to the end.
    const end = close ? close.index + close[0].length : text.length;
    out += outsideCodeSpans(text.slice(from, open.index), edit, touches) + text.slice(open.index, end);
    from = end;
    FENCE_OPEN.lastIndex = end;
  }
  return out + outsideCodeSpans(text.slice(from), edit, touches);
}

/** `edit` applied to the text between inline code spans (`` `{ x }` ``), which keep what they hold. */
function outsideCodeSpans(text: string, edit: (prose: string) => string, touches: RegExp): string {
  if (!text.includes('`')) return edit(text);
  const span = /(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g;
  let out = '';
  let from = 0;
  for (let match = span.exec(text); match; match = span.exec(text)) {
    if (!touches.test(match[0])) continue;
    out += edit(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + edit(text.slice(from));
}

/**
 * `text` with each run from `open` to the next `close` replaced by `replace(run)`,
 * in one pass (a lazy regular expression rescans to the end for every unclosed
 * `open`: minutes on a megabyte of them). An unclosed `open` runs to the end
 * when `toEnd` is set, else it and what follows are left as they are.
 */
export function replaceBetween(text: string, open: string, close: string, replace: (run: string) => string, toEnd = false): string {
  let at = text.indexOf(open);
  if (at < 0) return text;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const closeAt = text.indexOf(close, at + open.length);
    if (closeAt < 0 && !toEnd) break;
    const end = closeAt < 0 ? text.length : closeAt + close.length;
    out += text.slice(from, at) + replace(text.slice(at, end));
    from = end;
    at = text.indexOf(open, from);
  }
  return out + text.slice(from);
}
