/**
 * Renders a Reply as a Slack message (Block Kit, with a plain `text` fallback),
 * and converts text between Slack's wire format and plain text. Pure.
 */
import type { Reply, ReplyListItem, SearchHit, Span } from '../../core/index.ts';

/** Most blocks Slack accepts in one message. */
export const SLACK_MAX_BLOCKS = 50;
/** Most characters in one section's text. */
export const SLACK_MAX_SECTION_TEXT = 3000;
/** Longest top-level `text` fallback tinker sends (Slack's own limit is far higher). */
export const SLACK_MAX_FALLBACK_TEXT = 3000;

const ELLIPSIS = '…';
const WARNING = ':warning: ';

/** A Block Kit text object. */
export interface SlackText {
  /** tinker always sends mrkdwn, escaped. */
  type: 'mrkdwn' | 'plain_text';
  /** At most SLACK_MAX_SECTION_TEXT characters. */
  text: string;
}

/** The blocks tinker sends. */
export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

/** A message as `ack()`, `respond()` and Socket Mode acks take it. */
export interface SlackMessage {
  /** `in_channel` for a public reply, `ephemeral` for the asker only. */
  response_type: 'in_channel' | 'ephemeral';
  /** Fallback text (notifications, screen readers, old clients). */
  text: string;
  blocks: SlackBlock[];
}

/**
 * Escapes the three characters Slack treats as markup. This also defuses
 * `<!channel>`, `<!here>` and `<@U…>` in stored text: Slack has no `allowed_mentions`.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

/** A link in mrkdwn, only for web and mail URLs; the label is escaped. */
function link(url: string | undefined, label: string, maxLabel: number): string {
  const text = cutEscaped(label, maxLabel);
  if (!url || !/^(https?:|mailto:)/i.test(url)) return text;
  // NOTE: inside <url|label>, "|" and ">" end the URL early; percent-encode them.
  const safeUrl = escapeSlack(url).replace(/\|/g, '%7C');
  // Measured as sent: escaping can make an &-heavy URL several times longer.
  if (safeUrl.length > MAX_LINK_URL) return text;
  return `<${safeUrl}|${text}>`;
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

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function listLine(item: ReplyListItem): string {
  const detail = item.detail ? ` — ${cutEscaped(item.detail, 300)}` : '';
  return `• ${link(item.url, item.text, 1000)}${detail}`;
}

/**
 * Packs lines into as few sections as fit in the section limit. A line is at
 * most ~2,320 characters (label 1,000, URL 1,000 as sent, detail 300), a heading
 * at most 202, so every line fits a section of its own.
 */
function packLines(lines: readonly string[], heading?: string): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let current = heading ?? '';
  for (const line of lines) {
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length <= SLACK_MAX_SECTION_TEXT) {
      current = joined;
    } else {
      blocks.push(section(current));
      current = line;
    }
  }
  if (current) blocks.push(section(current));
  return blocks;
}

function hitBlocks(hit: SearchHit, position: number): SlackBlock[] {
  const title = `${position}. *${link(hit.source.url, hit.title, 300)}*`;
  const snippet = renderSpans(hit.snippet, SLACK_MAX_SECTION_TEXT - title.length - 1);
  const meta = [
    hit.kind,
    hit.date?.slice(0, 10),
    hit.tags.length > 0 ? hit.tags.map((tag) => `#${tag}`).join(' ') : undefined,
    hit.source.label,
  ]
    .filter((part): part is string => Boolean(part))
    .map((part) => cutEscaped(part, 200))
    .join(' · ');
  return [section(snippet ? `${title}\n${snippet}` : title), context(meta)];
}

/** Renders a reply as a Slack message within Block Kit's limits. */
export function renderSlackReply(reply: Reply): SlackMessage {
  const text = cutEscaped(reply.text, SLACK_MAX_FALLBACK_TEXT);
  const header = reply.tone === 'error' ? `${WARNING}${cutEscaped(reply.text, SLACK_MAX_SECTION_TEXT - WARNING.length)}` : text;
  // Blocks in groups that are kept or dropped whole: a hit's title never loses its context line.
  // NOTE: Slack rejects a section with empty text: blank parts get no block.
  const groups: Group[] = header.trim() ? [{ blocks: [section(header)], hit: false }] : [];
  for (const part of reply.sections) {
    if (part.type === 'text') {
      if (!part.text.trim()) continue;
      groups.push({ blocks: [section(cutEscaped(part.text, SLACK_MAX_SECTION_TEXT))], hit: false });
    } else if (part.type === 'list') {
      const heading = part.title && part.title !== reply.text ? `*${cutEscaped(part.title, 200)}*` : undefined;
      for (const block of packLines(part.items.map(listLine), heading)) groups.push({ blocks: [block], hit: false });
    } else {
      part.hits.forEach((hit, i) => groups.push({ blocks: hitBlocks(hit, i + 1), hit: true }));
    }
  }
  const blocks = fitBlocks(groups);
  // A reply with nothing to show still needs a non-empty message.
  if (blocks.length === 0) blocks.push(section(ELLIPSIS));
  return {
    response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral',
    text: text.trim() ? text : ELLIPSIS,
    blocks,
  };
}

interface Group {
  blocks: SlackBlock[];
  /** Whether the group is one search result. */
  hit: boolean;
}

/** Keeps at most SLACK_MAX_BLOCKS blocks; the last one then says what was left out. */
function fitBlocks(groups: readonly Group[]): SlackBlock[] {
  const all = groups.flatMap((group) => group.blocks);
  if (all.length <= SLACK_MAX_BLOCKS) return all;
  const kept: SlackBlock[] = [];
  let index = 0;
  for (; index < groups.length; index += 1) {
    const group = groups[index]!;
    if (kept.length + group.blocks.length > SLACK_MAX_BLOCKS - 1) break;
    kept.push(...group.blocks);
  }
  const left = groups.slice(index);
  const hits = left.filter((group) => group.hit).length;
  const note =
    hits === left.length
      ? `${ELLIPSIS} ${hits} more result${hits === 1 ? '' : 's'} not shown — narrow the search to see them`
      : `${ELLIPSIS} ${left.length} more part${left.length === 1 ? '' : 's'} not shown (Slack shows at most ${SLACK_MAX_BLOCKS} blocks)`;
  return [...kept, context(note)];
}
