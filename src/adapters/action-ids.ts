/**
 * A reply's buttons as platform ids: the command and text a button runs (and
 * where a continued list starts),
 * written into the id itself when it fits (so it survives a restart), else
 * kept in a bounded map under a short key (Discord's custom_id holds only 100
 * characters). A key the map no longer holds is an expired button. Pure apart
 * from the map.
 */
import type { ReplyAction } from '../core/index.ts';

/** What a pressed button asks for. */
export interface ActionRequest {
  command: string;
  text: string;
  /** Where a continued list starts (a More button's), when the action says. */
  offset?: number;
}

export interface ActionIds {
  /** The id for `action`, at most `maxLength` characters. */
  encode(action: Pick<ReplyAction, 'command' | 'text' | 'offset'>): string;
  /** The request an id stands for; undefined when it is not one of ours or has expired. */
  decode(id: string): ActionRequest | { expired: true } | undefined;
  /** Whether an id is one of ours (expired or not). */
  owns(id: string): boolean;
}

/** How many long actions are kept: the latest ones; older buttons then say they expired. */
export const KEPT_ACTIONS = 1000;

export function createActionIds(prefix: string, maxLength: number, kept = KEPT_ACTIONS): ActionIds {
  const inline = `${prefix}i:`;
  const stored = `${prefix}m:`;
  // Insertion order is age: the first entry is the oldest. `keyOf` finds an action encoded before.
  const byKey = new Map<string, { request: ActionRequest; whole: string }>();
  const keyOf = new Map<string, string>();
  let next = 0;
  return {
    encode({ command, text, offset }) {
      const request: ActionRequest = { command, text, ...(offset !== undefined ? { offset } : {}) };
      const whole = `${inline}${JSON.stringify(offset !== undefined ? [command, text, offset] : [command, text])}`;
      if (whole.length <= maxLength) return whole;
      const known = keyOf.get(whole);
      if (known) {
        // Used again: it becomes the newest.
        byKey.delete(known);
        byKey.set(known, { request, whole });
        return `${stored}${known}`;
      }
      // A process-unique key; the time part keeps keys of an earlier run from meaning something else.
      const key = `${Date.now().toString(36)}.${(next++).toString(36)}`;
      byKey.set(key, { request, whole });
      keyOf.set(whole, key);
      if (byKey.size > kept) {
        const [oldest, entry] = byKey.entries().next().value as [string, { whole: string }];
        byKey.delete(oldest);
        keyOf.delete(entry.whole);
      }
      return `${stored}${key}`;
    },
    decode(id) {
      if (id.startsWith(inline)) {
        try {
          const parsed: unknown = JSON.parse(id.slice(inline.length));
          if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
            if (parsed.length === 2) return { command: parsed[0], text: parsed[1] };
            // The offset is the client's to send back: only a plain position is taken.
            if (parsed.length === 3 && Number.isSafeInteger(parsed[2]) && (parsed[2] as number) >= 0) {
              return { command: parsed[0], text: parsed[1], offset: parsed[2] as number };
            }
          }
        } catch {
          // Not ours after all.
        }
        return undefined;
      }
      if (id.startsWith(stored)) return byKey.get(id.slice(stored.length))?.request ?? { expired: true };
      return undefined;
    },
    owns: (id) => id.startsWith(inline) || id.startsWith(stored),
  };
}

/** The reply to a button the map no longer holds (the bot restarted, or it is one of many old ones). */
export function expiredButton(platform: string): string {
  return `${platform}: this button has expired — please run the command again.`;
}
