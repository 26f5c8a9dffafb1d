/**
 * Text between Slack's wire format and plain text: escaping what tinker
 * sends, unescaping what Slack sends, links and snippet spans in mrkdwn. Pure.
 */
import type { Span } from '../../core/index.ts';
import { appUrl } from '../links.ts';
import { neutralizeBidi } from '../shown-text.ts';

const ELLIPSIS = '…';

/**
 * Escapes the three characters Slack treats as markup. This also defuses
 * `<!channel>`, `<!here>` and `<@U…>` in stored text: Slack has no `allowed_mentions`.
 */
export function escapeSlack(text: string): string {
  return neutralizeBidi(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Undoes Slack's entity escaping of incoming text; `&amp;` last, so `&amp;lt;` stays `&lt;`. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A message's text (which carries Slack markup such as `<@U123>`, `<!here>`,
 * `<https://x|label>`) as plain text for a note: links become `label (url)`,
 * mentions become `@name`, entities are unescaped.
 */
export function messageToPlainText(text: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = splitOnce(inner, '|');
    if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) {
      // <!subteam^S123|@team>, <!date^…|fallback>, <!here>, <!channel>
      if (label) return label;
      return `@${target.slice(1).split('^')[0]}`;
    }
    if (label && label !== target && label !== target.replace(/^mailto:/, '')) return `${label} (${target})`;
    return target.replace(/^mailto:/, '');
  });
  return unescapeSlack(plain);
}

/**
 * The channel names a message's channel links show (`<#C123|general>` → `general`):
 * messageToPlainText writes them as `#general`, which are not the author's tags.
 * A link without a name (`<#C123>`) reads as `#C123` and is not one either.
 */
export function channelLinkNames(text: string): string[] {
  const names = new Set<string>();
  for (const [, inner = ''] of text.matchAll(/<#([^<>]*)>/g)) {
    const [target, label] = splitOnce(inner, '|');
    names.add(unescapeSlack(label ?? target));
  }
  return [...names];
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Escapes `text` and cuts it so the result has at most `max` characters, ending
 * in "…" when cut. Never splits an entity such as `&amp;`.
 */
export function cutEscaped(text: string, max: number): string {
  const whole = escapeSlack(text);
  if (whole.length <= max) return whole;
  let out = '';
  for (const char of text) {
    const piece = escapeSlack(char);
    if (out.length + piece.length > max - ELLIPSIS.length) break;
    out += piece;
  }
  return out.trimEnd() + ELLIPSIS;
}

/** Longest URL made into a link; a longer one would crowd out the text around it. */
const MAX_LINK_URL = 1000;

/** A link in mrkdwn, for web and mail URLs and an app's own (`obsidian://…`, see links.ts); the label is escaped. */
export function link(url: string | undefined, label: string, maxLabel: number): string {
  const text = cutEscaped(label, maxLabel);
  if (!url || !(/^(https?:|mailto:)/i.test(url) || appUrl(url))) return text;
  // NOTE: inside <url|label>, "|" and ">" end the URL early; percent-encode them.
  const safeUrl = escapeSlack(url).replace(/\|/g, '%7C');
  // Measured as sent: escaping can make an &-heavy URL several times longer.
  if (safeUrl.length > MAX_LINK_URL) return text;
  return `<${safeUrl}|${text}>`;
}

/**
 * An app's URL (`obsidian://…`) as inline code a person can copy, or '' for any other URL:
 * Slack apps differ in whether they open a link of another app's scheme, so it is shown too.
 */
export function appUrlText(url: string | undefined): string {
  const shown = appUrl(url);
  if (!shown) return '';
  // NOTE: a backtick would end the code span; inside one, Slack still reads &, < and >.
  const code = escapeSlack(shown).replace(/`/g, '%60');
  return code.length > MAX_LINK_URL ? '' : `\`${code}\``;
}

/** Snippet spans as mrkdwn within `max` characters; matched words in bold. */
export function renderSpans(spans: readonly Span[], max: number): string {
  let out = '';
  for (const span of spans) {
    const room = max - out.length;
    if (room < 2) break;
    const markers = span.strong ? 2 : 0;
    const escaped = escapeSlack(span.text);
    if (escaped.length + markers <= room) {
      out += span.strong && span.text.trim() ? `*${escaped}*` : escaped;
      continue;
    }
    // Out of room: cut this span (plain, so no marker is left open) and stop.
    out += cutEscaped(span.text, room);
    break;
  }
  return out;
}
