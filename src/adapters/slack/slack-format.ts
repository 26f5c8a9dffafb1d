/**
 * Renders a Reply as a Slack message (Block Kit, with a plain `text` fallback),
 * and converts text between Slack's wire format and plain text. Pure.
 */
import { showFirstHits, shownDate, type Reply, type ReplyAction, type ReplyListItem, type SearchHit } from '../../core/index.ts';
import { neutralizeBidi } from '../shown-text.ts';
import { appUrlText, cutEscaped, link, renderSpans } from './slack-text.ts';

export { cutEscaped, escapeSlack, messageToPlainText, renderSpans, unescapeSlack } from './slack-text.ts';

/** Most blocks Slack accepts in one message. */
export const SLACK_MAX_BLOCKS = 50;
/** Most blocks Slack accepts in a Home tab view. */
export const SLACK_MAX_HOME_BLOCKS = 100;
/** Most characters of a header block's text, and of a button's. */
export const SLACK_MAX_HEADER_TEXT = 150;
export const SLACK_MAX_BUTTON_TEXT = 75;
/** Most buttons tinker puts under a reply (Slack allows 25 per actions block). */
export const SLACK_MAX_BUTTONS = 5;
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

/** A button: pressing it sends a block action carrying `value`. */
export interface SlackButton {
  type: 'button';
  text: { type: 'plain_text'; text: string };
  /** Unique within the message (`tinker_action_0`). */
  action_id: string;
  /** What the button runs, as the adapter encoded it (at most 2,000 characters). */
  value: string;
}

/** The blocks tinker sends. */
export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'actions'; elements: SlackButton[] }
  | { type: 'divider' };

/** How the adapter writes an action into a button's value (see action-ids.ts). */
export type EncodeAction = (action: ReplyAction) => string;

/** The action_id prefix of tinker's buttons; the adapter listens for it. */
export const SLACK_ACTION_PREFIX = 'tinker_action_';

/** A Home tab view, as views.publish takes it. */
export interface SlackHomeView {
  type: 'home';
  blocks: SlackBlock[];
}

/** A message as `ack()`, `respond()` and Socket Mode acks take it. */
export interface SlackMessage {
  /** `in_channel` for a public reply, `ephemeral` for the asker only. */
  response_type: 'in_channel' | 'ephemeral';
  /** Fallback text (notifications, screen readers, old clients). */
  text: string;
  blocks: SlackBlock[];
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function listLine(item: ReplyListItem): string {
  const detail = item.detail ? ` — ${cutEscaped(item.detail, 300)}` : '';
  const app = appUrlText(item.url);
  return `• ${link(item.url, item.text, 1000)}${app ? ` ${app}` : ''}${detail}`;
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
    shownDate(hit),
    hit.tags.length > 0 ? hit.tags.map((tag) => `#${tag}`).join(' ') : undefined,
    hit.source.label,
  ]
    .filter((part): part is string => Boolean(part))
    .map((part) => cutEscaped(part, 200))
    // An app's link is shown whole (a cut one would not open): at most MAX_SHOWN_URL characters, escaped ~2,500.
    .concat(appUrlText(hit.source.url) || [])
    .join(' · ');
  return [section(snippet ? `${title}\n${snippet}` : title), context(meta)];
}

/** The body of a reply as blocks, the header first, within `maxBlocks` (buttons last); how many hits it kept, and left out. */
function replyBlocks(reply: Reply, header: SlackBlock | undefined, maxBlocks: number, encode?: EncodeAction): Fitted {
  // Blocks in groups that are kept or dropped whole: a hit's title never loses its context line.
  // NOTE: Slack rejects a section with empty text: blank parts get no block.
  const groups: Group[] = header ? [{ blocks: [header], hit: false }] : [];
  for (const part of reply.sections) {
    if (part.type === 'text') {
      if (!part.text.trim()) continue;
      groups.push({ blocks: [section(cutEscaped(part.text, SLACK_MAX_SECTION_TEXT))], hit: false });
    } else if (part.type === 'list') {
      const heading = part.title && part.title !== reply.text ? `*${cutEscaped(part.title, 200)}*` : undefined;
      for (const block of packLines(part.items.map(listLine), heading)) groups.push({ blocks: [block], hit: false });
    } else {
      part.hits.forEach((hit, i) => groups.push({ blocks: hitBlocks(hit, i + (part.first ?? 1)), hit: true }));
    }
  }
  const buttons = encode ? actionsBlock(reply.actions ?? [], encode) : undefined;
  const fitted = fitBlocks(groups, maxBlocks - (buttons ? 1 : 0), maxBlocks);
  // A reply with nothing to show still needs a non-empty message.
  if (fitted.blocks.length === 0) fitted.blocks.push(section(ELLIPSIS));
  if (buttons) fitted.blocks.push(buttons);
  return fitted;
}

/** The reply's actions as one row of buttons; undefined when it has none. */
function actionsBlock(actions: readonly ReplyAction[], encode: EncodeAction): SlackBlock | undefined {
  const elements = actions.slice(0, SLACK_MAX_BUTTONS).map((action, i): SlackButton => ({
    type: 'button',
    text: { type: 'plain_text', text: plainCut(action.label, SLACK_MAX_BUTTON_TEXT) || 'More' },
    action_id: `${SLACK_ACTION_PREFIX}${i}`,
    value: encode(action),
  }));
  return elements.length > 0 ? { type: 'actions', elements } : undefined;
}

/** Plain text (no mrkdwn, no escaping: plain_text is shown as is) on one line, cut to `max`. */
function plainCut(text: string, max: number): string {
  const flat = neutralizeBidi(text).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${[...flat].slice(0, max - 1).join('').slice(0, max - 1).trimEnd()}${ELLIPSIS}`;
}

/**
 * Renders a reply as a Slack message within Block Kit's limits; its actions
 * become buttons when the adapter gives `encode`.
 */
export function renderSlackReply(reply: Reply, encode?: EncodeAction): SlackMessage {
  let shown = reply;
  let message = renderOnce(shown, encode);
  // A page whose hits do not all fit shows the ones that do, says so in its range, and its
  // More button starts at the first one left out (with buttons to press, that is).
  while (encode && message.partsLeft > 0) {
    // Parts after the hits (the open-bot hint) that were left out make room by one hit less.
    const fewer = showFirstHits(shown, message.hitsLeft > 0 ? message.hitsKept : message.hitsKept - 1);
    if (fewer === shown) break;
    shown = fewer;
    message = renderOnce(shown, encode);
  }
  return message.message;
}

function renderOnce(reply: Reply, encode?: EncodeAction): { message: SlackMessage } & Omit<Fitted, 'blocks'> {
  const text = cutEscaped(reply.text, SLACK_MAX_FALLBACK_TEXT);
  const header = reply.tone === 'error' ? `${WARNING}${cutEscaped(reply.text, SLACK_MAX_SECTION_TEXT - WARNING.length)}` : text;
  const { blocks, ...counts } = replyBlocks(reply, header.trim() ? section(header) : undefined, SLACK_MAX_BLOCKS, encode);
  return {
    message: { response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral', text: text.trim() ? text : ELLIPSIS, blocks },
    ...counts,
  };
}

/**
 * Renders a reply (the `home` command's) as a Home tab view: its summary as the
 * header, at most 100 blocks. NOTE: no buttons: a press in the Home tab comes
 * with no response_url, so there would be nowhere to show its answer.
 */
export function renderSlackHome(reply: Reply): SlackHomeView {
  const title = plainCut(reply.text, SLACK_MAX_HEADER_TEXT);
  const header: SlackBlock | undefined = title ? { type: 'header', text: { type: 'plain_text', text: title } } : undefined;
  return { type: 'home', blocks: replyBlocks(reply, header, SLACK_MAX_HOME_BLOCKS).blocks };
}

interface Group {
  blocks: SlackBlock[];
  /** Whether the group is one search result. */
  hit: boolean;
}

/** Blocks that fit, and how many of the hits among them were kept and left out. */
interface Fitted {
  blocks: SlackBlock[];
  hitsKept: number;
  hitsLeft: number;
  /** Groups left out, hits or not. */
  partsLeft: number;
}

/** Keeps at most `max` blocks; the last one then says what was left out. */
function fitBlocks(groups: readonly Group[], max: number, surfaceLimit: number): Fitted {
  const all = groups.flatMap((group) => group.blocks);
  const hitCount = groups.filter((group) => group.hit).length;
  if (all.length <= max) return { blocks: all, hitsKept: hitCount, hitsLeft: 0, partsLeft: 0 };
  const kept: SlackBlock[] = [];
  let index = 0;
  for (; index < groups.length; index += 1) {
    const group = groups[index]!;
    if (kept.length + group.blocks.length > max - 1) break;
    kept.push(...group.blocks);
  }
  const left = groups.slice(index);
  const hits = left.filter((group) => group.hit).length;
  const note =
    hits === left.length
      ? `${ELLIPSIS} ${hits} more result${hits === 1 ? '' : 's'} not shown — narrow the search to see them`
      : `${ELLIPSIS} ${left.length} more part${left.length === 1 ? '' : 's'} not shown (Slack shows at most ${surfaceLimit} blocks)`;
  return { blocks: [...kept, context(note)], hitsKept: hitCount - hits, hitsLeft: hits, partsLeft: left.length };
}
