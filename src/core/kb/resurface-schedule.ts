/**
 * The scheduled /resurface digest (RESURFACE_SCHEDULE, e.g. `mon 09:00
 * Europe/Berlin`): when it is due, and a timer that runs it then. What is sent
 * and to whom is the caller's (main.ts): this knows days, times and time zones.
 */
import { StoreReadOnlyError } from '../domain/errors.ts';
import type { Logger } from '../util/logger.ts';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_GROUPS: Record<string, readonly number[]> = {
  daily: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
};
const EXAMPLE = 'e.g. mon 09:00, mon,thu 08:30 or weekdays 09:00, optionally with a time zone: mon 09:00 Europe/Berlin';

/** When the digest is sent: on these days of the week, at this time, in this time zone. */
export interface ResurfaceSchedule {
  /** Days of the week, 0 = Sunday. */
  days: readonly number[];
  hour: number;
  minute: number;
  /** An IANA time zone (`Europe/Berlin`); absent: the process's own (TZ). */
  timeZone?: string;
  /** As written, for logs. */
  text: string;
}

/** Reads `mon 09:00`, `mon,thu 8:30`, `weekdays 09:00 Europe/Berlin`, `daily 07:00 UTC`; an error names the problem. */
export function parseResurfaceSchedule(text: string): { schedule: ResurfaceSchedule } | { error: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3) return { error: `"${text.trim()}" is not a day and a time — ${EXAMPLE}` };
  const [dayPart, timePart, zone] = parts as [string, string, string | undefined];
  const days = new Set<number>();
  for (const word of dayPart.toLowerCase().split(',')) {
    const group = DAY_GROUPS[word];
    // `mon`, `monday`, `tues`: the start of a day's name, three letters or more; `mondays` too.
    const singular = word.replace(/s$/, '');
    const day = FULL_DAY_NAMES.findIndex((name) => (word.length >= 3 && name.startsWith(word)) || name === singular);
    if (group) group.forEach((d) => days.add(d));
    else if (day >= 0) days.add(day);
    else return { error: `"${word}" is not a day — ${EXAMPLE}` };
  }
  const time = /^(\d{1,2}):(\d{2})$/.exec(timePart);
  const hour = time ? Number(time[1]) : NaN;
  const minute = time ? Number(time[2]) : NaN;
  if (!time || hour > 23 || minute > 59) return { error: `"${timePart}" is not a time of day (HH:MM, 00:00-23:59) — ${EXAMPLE}` };
  if (zone !== undefined && !isTimeZone(zone)) return { error: `"${zone}" is not a time zone (an IANA name such as Europe/Berlin or UTC) — ${EXAMPLE}` };
  return {
    schedule: { days: [...days].sort(), hour, minute, ...(zone !== undefined ? { timeZone: zone } : {}), text: text.trim() },
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A moment's wall-clock parts in a time zone. */
function wallClock(at: number, timeZone: string | undefined): { year: number; month: number; day: number; weekday: number; hour: number; minute: number } {
  const format = new Intl.DateTimeFormat('en-US', {
    ...(timeZone ? { timeZone } : {}),
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: DAY_NAMES.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as (typeof DAY_NAMES)[number]),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The instant a wall-clock time names in a time zone (a time a DST change skips lands an hour later). */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string | undefined): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (at: number) => {
    const wall = wallClock(at, timeZone);
    return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - Math.floor(at / 60_000) * 60_000;
  };
  const first = asUtc - offsetAt(asUtc);
  const second = asUtc - offsetAt(first);
  return Math.max(first, second);
}

/** The first time the schedule is due strictly after `after`. */
export function nextOccurrence(schedule: ResurfaceSchedule, after: Date): Date {
  const now = after.getTime();
  const today = wallClock(now, schedule.timeZone);
  for (let offset = 0; offset <= 8; offset++) {
    // Noon of the day `offset` days on, to read its date and weekday in the zone.
    const noon = instantOf(today.year, today.month, today.day, 12, 0, schedule.timeZone) + offset * 86_400_000;
    const day = wallClock(noon, schedule.timeZone);
    if (!schedule.days.includes(day.weekday)) continue;
    const at = instantOf(day.year, day.month, day.day, schedule.hour, schedule.minute, schedule.timeZone);
    if (at > now) return new Date(at);
  }
  throw new Error(`resurface: no time in the next 8 days matches the schedule "${schedule.text}"`);
}

/** Longest single wait: the timer is re-armed at least this often, so a clock change or a sleep is caught up. */
const MAX_WAIT_MS = 3_600_000;

export interface DigestTimerOptions {
  schedule: ResurfaceSchedule;
  /** Sends the digest due at `occurrence`; its errors are logged, and the next one is still scheduled. */
  run: (occurrence: Date) => Promise<void>;
  logger: Logger;
  /** Clock, for tests (with fake timers). */
  now?: () => Date;
}

/** Runs the digest at each occurrence of the schedule until stopped. */
export function startDigestTimer(options: DigestTimerOptions): { stop(): void; next(): Date } {
  const now = options.now ?? (() => new Date());
  let due = nextOccurrence(options.schedule, now());
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const wait = Math.max(0, Math.min(due.getTime() - now().getTime(), MAX_WAIT_MS));
    timer = setTimeout(tick, wait);
    timer.unref?.();
  };
  const tick = () => {
    if (stopped) return;
    const at = now();
    if (at.getTime() < due.getTime()) return arm();
    const occurrence = due;
    due = nextOccurrence(options.schedule, at);
    options.run(occurrence).catch((error: unknown) => {
      options.logger.warn({ err: (error as Error).message, schedule: options.schedule.text }, 'resurface: the digest was not sent');
    });
    arm();
  };
  arm();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    next: () => due,
  };
}

/** What the digest needs from the store: a shared memory of which occurrences were sent. */
export interface DigestMemory {
  remember(key: string, value: unknown, ttlMs?: number): Promise<void>;
  recall<T = unknown>(key: string): Promise<T | undefined>;
}

/** How long the store remembers that an occurrence was sent (longer than any clock skew between processes). */
const SENT_TTL_MS = 2 * 86_400_000;

/** What became of an occurrence: `sent unclaimed` is sent, but the store refused to record it (read-only). */
export type DigestOutcome = 'sent' | 'sent unclaimed' | 'sent elsewhere' | 'nothing to send';

/**
 * Sends the digest due at `occurrence` unless another process sharing the
 * store has: the occurrence is claimed in the store first, after a random
 * pause of up to `jitterMs` so that processes woken by the same clock do not
 * all read "not sent" at once. `send` returns false when there was nothing to send.
 *
 * A store that refuses writes for good (StoreReadOnlyError) still answers
 * reads, and the digest is reading: it is sent unclaimed (`onUnclaimed` hears
 * why). The next occurrence has its own claim and is sent as usual; what the
 * store cannot record is that this one went out, so another process sharing
 * the store sends it too, and what it showed may come back in the next one
 * (its /resurface cannot remember it either, and says so). Any other failure
 * to claim is thrown, and nothing is sent.
 */
export async function sendDigestOnce(
  memory: DigestMemory,
  occurrence: Date,
  send: () => Promise<boolean>,
  options: { jitterMs?: number; pid?: number; onUnclaimed?: (error: StoreReadOnlyError) => void } = {},
): Promise<DigestOutcome> {
  const jitter = Math.random() * (options.jitterMs ?? 3000);
  if (jitter > 0) await new Promise((resolve) => setTimeout(resolve, jitter));
  const key = `digest:resurface:${occurrence.toISOString()}`;
  if ((await memory.recall(key)) !== undefined) return 'sent elsewhere';
  let claimed = true;
  try {
    await memory.remember(key, { by: options.pid ?? process.pid, at: new Date().toISOString() }, SENT_TTL_MS);
  } catch (error) {
    if (!(error instanceof StoreReadOnlyError)) throw error;
    claimed = false;
    options.onUnclaimed?.(error);
  }
  if (!(await send())) return 'nothing to send';
  return claimed ? 'sent' : 'sent unclaimed';
}

export interface ResurfaceDigestOptions<Message> {
  schedule: ResurfaceSchedule;
  /** What to send now (the owner's /resurface reply); undefined when there is nothing to resurface. */
  compose: () => Promise<Message | undefined>;
  /** Delivers it (a Slack direct message). */
  deliver: (message: Message) => Promise<void>;
  /** Where processes sharing the store agree on which occurrences were sent. */
  memory: DigestMemory;
  logger: Logger;
  now?: () => Date;
  /** Longest random pause before an occurrence is claimed (ms); default 3000. */
  jitterMs?: number;
}

/** Composes and delivers the digest at each occurrence of its schedule, once across processes. */
export function startResurfaceDigest<Message>(options: ResurfaceDigestOptions<Message>): { stop(): void; next(): Date } {
  return startDigestTimer({
    schedule: options.schedule,
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
    run: async (occurrence) => {
      const outcome = await sendDigestOnce(
        options.memory,
        occurrence,
        async () => {
          const message = await options.compose();
          if (message === undefined) return false;
          await options.deliver(message);
          return true;
        },
        {
          ...(options.jitterMs !== undefined ? { jitterMs: options.jitterMs } : {}),
          onUnclaimed: (error) =>
            options.logger.warn(
              { err: error.message, occurrence: occurrence.toISOString() },
              'resurface: the store refuses writes, so the digest is sent without being marked sent; another process sharing the store may send it too',
            ),
        },
      );
      options.logger.info({ occurrence: occurrence.toISOString(), outcome }, `resurface: digest ${outcome}`);
    },
  });
}
