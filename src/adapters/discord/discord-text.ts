/**
 * A Discord message's markup as plain text for a note: mentions, custom
 * emoji, timestamps and command mentions as a reader sees them. Pure.
 */

/** The names of what a message mentions, where the client knows them (undefined: unknown). */
export interface MentionNames {
  /** A channel's name (`general`), by id. */
  channel?(id: string): string | undefined;
  /** A user's shown name (`Bob B`), by id. */
  user?(id: string): string | undefined;
  /** A role's name (`oncall`), by id. */
  role?(id: string): string | undefined;
}

/** A message as a note's text, and the channel names it shows as `#name` (no tags: see `Invocation.notTags`). */
export interface PlainMessage {
  text: string;
  channels: string[];
}

// <#id>, <@id> and <@!id>, <@&id>, <:name:id> and <a:name:id>, <t:seconds> and <t:seconds:R>, </name:id> (a slash command).
const MARKUP = /<(#|@!?|@&)(\d+)>|<a?:(\w+):\d+>|<t:(-?\d{1,13})(?::[tTdDfFR])?>|<\/([^<>:]+):\d+>/g;

/**
 * `<#123>` → `#general` (else `#channel`), `<@123>` → `@Bob B` (else `@user`),
 * `<@&123>` → `@oncall` (else `@role`), `<:party:123>` → `:party:`, and
 * `<t:1700000000:R>` (any style) → `2023-11-14T22:13:20Z`: Discord shows a
 * timestamp in the reader's time zone, which the bot does not know, so the
 * note keeps the instant in UTC (a date alone could be the day before or after
 * the one its author saw). `</deploy:123>` → `/deploy`. Anything else stays as written.
 */
export function messageToPlainText(content: string, names: MentionNames = {}): PlainMessage {
  const channels = new Set<string>();
  const text = content.replace(MARKUP, (whole, sigil?: string, id?: string, emoji?: string, seconds?: string, command?: string) => {
    if (sigil === '#') {
      const name = names.channel?.(id!) || 'channel';
      channels.add(name);
      return `#${name}`;
    }
    if (sigil === '@&') return `@${names.role?.(id!) || 'role'}`;
    if (sigil !== undefined) return `@${names.user?.(id!) || 'user'}`;
    if (emoji !== undefined) return `:${emoji}:`;
    if (seconds !== undefined) return isoInstant(Number(seconds)) ?? whole;
    return `/${command!}`;
  });
  return { text, channels: [...channels] };
}

/** A Unix time as ISO 8601 in UTC, or undefined past what a Date holds. */
function isoInstant(seconds: number): string | undefined {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
