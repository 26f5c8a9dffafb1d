/**
 * Renders a Reply as a Discord message: one embed within Discord's limits. Pure.
 *
 * Everything stored (notes, articles, profile) is escaped so that it cannot
 * break formatting or turn into a mention; the client's `allowedMentions:
 * { parse: [] }` is the second guard, so nothing here ever pings.
 */
import { showFirstHits, shownDate, type Reply, type ReplyAction, type ReplyListItem, type SearchHit, type Span } from '../../core/index.ts';
import { appUrl, isWebUrl } from '../links.ts';
import { neutralizeBidi } from '../shown-text.ts';

/** Discord's message and embed limits (characters). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values and footer of all embeds of one message. */
  embedTotal: 6000,
  /** Autocomplete: choices per answer, and characters of a choice's name and value. */
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Buttons: label and custom_id lengths, and buttons in one action row. */
  buttonLabel: 80,
  customId: 100,
  rowButtons: 5,
} as const;

/** Embed colours by reply tone. */
export const DISCORD_COLORS = { ok: 0x5865f2, error: 0xed4245 } as const;

/** The subset of Discord's embed object tinker sends. */
export interface DiscordEmbed {
  title?: string;
  description?: string;
  color: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

/** A button in an action row (component types 1 and 2; style 2 is Secondary). */
export interface DiscordButton {
  type: 2;
  style: 2;
  label: string;
  custom_id: string;
}

/** A message body: plain content and/or embeds (what `reply`/`editReply` take), and buttons. */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  components?: Array<{ type: 1; components: DiscordButton[] }>;
}

/** How the adapter writes an action into a custom_id (see action-ids.ts). */
export type CustomId = (action: ReplyAction) => string;

const ELLIPSIS = '…';

/** Cuts text to at most `max` characters (UTF-16 units), ending with "…" when cut; never splits a surrogate pair. */
export function cut(whole: string, max: number): string {
  const text = neutralizeBidi(whole);
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  // Do not leave half of a surrogate pair or a dangling escape backslash.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
  let head = text.slice(0, end);
  const trailingBackslashes = /\\+$/.exec(head)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) head = head.slice(0, -1);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

/**
 * Escapes Discord markdown and mention syntax in text that came from stored data,
 * so it shows as written: `*`, `_`, `~`, `` ` ``, `|`, `\`, `[`, `]` (so no masked link forms), `<` (which also
 * defuses `<@id>`, `<@&role>`, `<#channel>`), block syntax at a line start
 * (`>`, `#`, `-`, `1.`), and `@everyone`/`@here` (a zero-width space after `@`). Bare
 * http(s) URLs are left whole.
 */
export function escapeDiscord(text: string): string {
  return escapeLineStarts(escapeInline(text));
}

/** Markdown and mention syntax anywhere in a line (not block syntax: see escapeLineStarts). */
function escapeInline(text: string): string {
  // NOTE: bare URLs stay as they are: Discord links them before applying markdown,
  // and a backslash inside one would end up in the link.
  return neutralizeBidi(text)
    .split(/(https?:\/\/[^\s<>]+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_~`|[\]<]/g, '\\$&')))
    .join('')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/**
 * Block syntax at a real line start: a quote, heading or bullet marker, and a
 * numbered item (`1\.`: Discord only honours a backslash before punctuation,
 * so `\1.` would show the backslash).
 */
function escapeLineStarts(text: string): string {
  return text.replace(/^(\s*)([>#-])/gm, '$1\\$2').replace(/^(\s*)(\d+)\./gm, '$1$2\\.');
}

/**
 * Snippet spans with matched words in bold. Spans are escaped inline one by
 * one and block syntax once for the joined line: a span's start is no line's
 * start (`**Git** 2.23` must not become `**Git** \2.23`).
 */
export function renderSpans(spans: readonly Span[]): string {
  const line = spans
    .map((span) => {
      const text = escapeInline(span.text.replace(/\s+/g, ' '));
      if (!span.strong || !text.trim()) return text;
      // Bold must hug the word: keep surrounding spaces outside the markers.
      const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
      return `${match[1]}**${match[2]}**${match[3]}`;
    })
    .join('');
  return escapeLineStarts(line);
}

/**
 * A markdown link when the URL is http(s); the escaped label otherwise, followed by an app's
 * URL (`obsidian://…`) as inline code, since Discord makes links of web URLs only.
 */
function link(label: string, url: string | undefined): string {
  const app = appUrl(url);
  // NOTE: a backtick would end the code span; nothing else is read inside one.
  if (app) return `${label} \`${neutralizeBidi(app).replace(/`/g, '%60')}\``;
  if (!isWebUrl(url)) return label;
  // NOTE: ")" and whitespace end a masked link's URL; percent-encode them.
  const safe = neutralizeBidi(url).replace(/\)/g, '%29').replace(/\(/g, '%28');
  return `[${label}](${safe})`;
}

function listLine(item: ReplyListItem): string {
  const text = link(escapeDiscord(item.text), item.url);
  return `• ${text}${item.detail ? ` — ${escapeDiscord(item.detail)}` : ''}`;
}

function hitField(hit: SearchHit, position: number): { name: string; value: string } {
  const meta = [hit.kind, shownDate(hit), ...hit.tags.map((tag) => `#${tag}`)].filter(Boolean).join(' · ');
  const source = link(escapeDiscord(hit.source.label), hit.source.url);
  const tail = `\n*${escapeDiscord(meta)}* — ${source}`;
  const snippet = renderSpans(hit.snippet);
  // The source line survives; the snippet is what gets cut.
  const room = DISCORD_LIMITS.fieldValue - tail.length;
  const value = room > 20 ? `${cutMarkdown(snippet, room)}${tail}` : cutMarkdown(`${snippet}${tail}`, DISCORD_LIMITS.fieldValue);
  return {
    name: cut(`${position}. ${escapeDiscord(hit.title.replace(/\s+/g, ' '))}`, DISCORD_LIMITS.fieldName),
    value: value.trim() || '\u200b',
  };
}

/** Cuts rendered markdown; closes a bold run the cut left open. */
function cutMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = cut(text, max - 2);
  const markers = out.match(/(?<!\\)\*\*/g)?.length ?? 0;
  if (markers % 2 === 1) out = `${out.slice(0, -1)}**${ELLIPSIS}`;
  return out;
}

function embedSize(embed: DiscordEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** The reply's actions as one row of buttons (custom_ids unique, as Discord requires). */
function buttonRows(actions: readonly ReplyAction[], customId: CustomId): DiscordMessage['components'] {
  const buttons: DiscordButton[] = [];
  for (const action of actions) {
    const id = customId(action);
    if (buttons.length >= DISCORD_LIMITS.rowButtons || buttons.some((button) => button.custom_id === id)) continue;
    buttons.push({ type: 2, style: 2, label: plainChoice(action.label, DISCORD_LIMITS.buttonLabel) || 'More', custom_id: id });
  }
  return buttons.length > 0 ? [{ type: 1, components: buttons }] : undefined;
}

/**
 * Renders a reply as one embed (title = summary, body = sections), within
 * every Discord limit; its actions become buttons when the adapter gives `customId`.
 */
export function renderDiscordReply(reply: Reply, customId?: CustomId): DiscordMessage {
  let shown = reply;
  let rendered = renderEmbed(shown);
  // A page whose hits do not all fit shows the ones that do, says so in its range, and its
  // More button starts at the first one left out (with buttons to press, that is).
  while (customId && rendered.hitsLeft > 0) {
    const fewer = showFirstHits(shown, rendered.hitsShown);
    if (fewer === shown) break;
    shown = fewer;
    rendered = renderEmbed(shown);
  }
  const components = customId ? buttonRows(shown.actions ?? [], customId) : undefined;
  return { embeds: rendered.embeds, ...(components ? { components } : {}) };
}

function renderEmbed(reply: Reply): { embeds: DiscordEmbed[]; hitsShown: number; hitsLeft: number } {
  const embed: DiscordEmbed = {
    title: cut(escapeDiscord(reply.text.replace(/\s+/g, ' ').trim()) || '\u200b', DISCORD_LIMITS.title),
    color: DISCORD_COLORS[reply.tone],
  };
  const paragraphs: string[] = [];
  const fields: { name: string; value: string }[] = [];
  let hitsShown = 0;
  let hitsTotal = 0;
  for (const section of reply.sections) {
    if (section.type === 'text') {
      paragraphs.push(escapeDiscord(section.text));
    } else if (section.type === 'list') {
      const title = section.title && section.title !== reply.text ? `**${escapeDiscord(section.title)}**\n` : '';
      paragraphs.push(`${title}${section.items.map(listLine).join('\n')}`);
    } else {
      for (const hit of section.hits) {
        hitsTotal += 1;
        if (fields.length >= DISCORD_LIMITS.fields) continue;
        fields.push(hitField(hit, hitsTotal + (section.first ?? 1) - 1));
        hitsShown += 1;
      }
    }
  }
  if (paragraphs.length > 0) embed.description = cutDescription(paragraphs.join('\n\n'));
  if (fields.length > 0) embed.fields = fields;
  // Keep the whole message under the total: drop hits from the end (never the first), then cut the description.
  // The "N more not shown" footer counts toward the total, so room is kept for it while dropping.
  const footerFor = (shown: number): string | undefined => (shown < hitsTotal ? `${hitsTotal - shown} more not shown` : undefined);
  const sizeWithFooter = (): number => embedSize(embed) + (footerFor(hitsShown)?.length ?? 0);
  while (sizeWithFooter() > DISCORD_LIMITS.embedTotal && embed.fields && embed.fields.length > 1) {
    embed.fields.pop();
    hitsShown -= 1;
  }
  const footer = footerFor(hitsShown);
  if (footer) embed.footer = { text: footer };
  const over = embedSize(embed) - DISCORD_LIMITS.embedTotal;
  if (over > 0 && embed.description) embed.description = cutDescription(embed.description, embed.description.length - over);
  return { embeds: [embed], hitsShown, hitsLeft: hitsTotal - hitsShown };
}

function cutDescription(text: string, max: number = DISCORD_LIMITS.description): string {
  const limit = Math.min(max, DISCORD_LIMITS.description);
  if (text.length <= limit) return text;
  // Cut between lines when one ends late enough, so no link or bold run is left half open.
  const lineEnd = text.lastIndexOf('\n', limit - 2);
  if (lineEnd > limit / 2) return `${text.slice(0, lineEnd)}\n${ELLIPSIS}`;
  return cutMarkdown(text, limit);
}

/** Plain text for places without embeds (autocomplete names, logs): no markdown, one line, cut. */
export function plainChoice(text: string, max: number = DISCORD_LIMITS.choiceName): string {
  return cut(text.replace(/\s+/g, ' ').trim(), max);
}
