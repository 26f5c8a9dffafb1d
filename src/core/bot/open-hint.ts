/**
 * The one-line hint that the bot is open (NOTE_WRITERS empty): shown once per
 * person on Slack or Discord, on their first ephemeral reply, and remembered
 * in the store so that a restart or another process does not show it again.
 */
import type { Person } from '../domain/types.ts';
import type { Logger } from '../util/logger.ts';
import { within } from '../util/timeouts.ts';
import type { Reply } from './command.ts';
import { LOCAL_PLATFORM } from './writers.ts';

export const OPEN_BOT_HINT = "This bot is open: anyone here can save notes and edit the owner's topics. Its owner can limit that with NOTE_WRITERS.";

/** Small facts kept across restarts and shared by processes (the notes store's remember/recall). */
export interface Memory {
  remember(key: string, value: unknown, ttlMs?: number): Promise<void>;
  recall(key: string): Promise<unknown>;
}

/** Most people remembered in this process when the store cannot be asked. */
const LOCAL_LIMIT = 10_000;

/** Longest wait for the store to say whether the hint was shown: a slow store must not slow the reply. */
const RECALL_BUDGET_MS = 300;

/** Adds the hint to `reply` when `user` has not seen it yet; marks it seen. Never throws. */
export function createOpenHint(noteWriters: readonly string[], memory: Memory | undefined, logger: Logger) {
  // Also the store's cache: a person answered twice in a row is not asked about twice.
  const shown = new Set<string>();
  return async function withOpenHint(user: Person, reply: Reply): Promise<Reply> {
    if (noteWriters.length > 0 || user.platform === LOCAL_PLATFORM || reply.visibility !== 'ephemeral') return reply;
    const key = `hint:open:${user.platform.toLowerCase()}:${user.id}`;
    if (shown.has(key)) return reply;
    if (shown.size >= LOCAL_LIMIT) shown.clear();
    shown.add(key);
    // The hint is a courtesy: a store that cannot say or remember it must not cost the reply
    // (a slow answer counts as "not shown yet": one line too many at worst).
    const seen = memory ? await within(memory.recall(key), RECALL_BUDGET_MS).catch(() => undefined) : undefined;
    if (seen !== undefined) return reply;
    memory?.remember(key, true).catch((error: unknown) => {
      logger.warn({ err: (error as Error).message }, 'bot: could not remember the open-bot hint');
    });
    return { ...reply, sections: [...reply.sections, { type: 'text', text: OPEN_BOT_HINT }] };
  };
}
