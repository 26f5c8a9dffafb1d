/**
 * Whether a store keeps what it confirmed: asked once at start, so a store
 * that could lose notes is named in the log with what to set, instead of
 * being found out after a restart. Nothing here changes the server.
 */
import type { Logger } from '../util/logger.ts';
import { within } from '../util/timeouts.ts';

/** A store's answer about its own durability: a warning to log, or nothing when it keeps every confirmed write. */
export type DurabilityReport = { message: string } | undefined;

/**
 * Redis: `CONFIG GET appendonly`, `save` and `appendfsync`. No append-only file
 * and no save points means memory only; save points alone lose what came after
 * the last one; `appendfsync no` leaves the flush to the OS.
 */
export async function redisDurability(send: (args: string[]) => Promise<unknown>, label: string): Promise<DurabilityReport> {
  let appendonly: string | undefined;
  let save: string | undefined;
  let appendfsync: string | undefined;
  try {
    [appendonly, save, appendfsync] = await Promise.all(['appendonly', 'save', 'appendfsync'].map((name) => configValue(send, name)));
  } catch (error) {
    return {
      message: `notes: could not check whether ${label} keeps notes on disk (CONFIG GET was refused: ${firstLine(error)}) — make sure it runs with appendonly yes, or a restart of Redis can lose notes`,
    };
  }
  const aof = appendonly?.toLowerCase() === 'yes';
  const savePoints = (save ?? '').trim();
  if (!aof && !savePoints) {
    return {
      message: `notes: ${label} keeps notes in memory only (appendonly no, no save points): its next restart loses every note — set appendonly yes (in redis.conf, or CONFIG SET appendonly yes)`,
    };
  }
  if (!aof) {
    return {
      message: `notes: ${label} only saves snapshots (save ${savePoints}): a crash of Redis loses the notes saved since the last one — set appendonly yes (in redis.conf, or CONFIG SET appendonly yes)`,
    };
  }
  if (appendfsync?.toLowerCase() === 'no') {
    return {
      message: `notes: ${label} leaves flushing its append-only file to the OS (appendfsync no): a power cut can lose the last notes saved — set appendfsync everysec or always`,
    };
  }
  return undefined;
}

/** `CONFIG GET name` → its value; a reply without the name (an unknown parameter) is undefined. */
async function configValue(send: (args: string[]) => Promise<unknown>, name: string): Promise<string | undefined> {
  const reply = await send(['CONFIG', 'GET', name]);
  // RESP2 gives [name, value]; RESP3 a map.
  if (Array.isArray(reply)) return reply.length >= 2 ? String(reply[1]) : undefined;
  if (reply instanceof Map) return reply.has(name) ? String(reply.get(name)) : undefined;
  if (reply && typeof reply === 'object' && name in reply) return String((reply as Record<string, unknown>)[name]);
  return undefined;
}

/** PostgreSQL: `SHOW synchronous_commit` and `SHOW fsync` in the session tinker writes with. */
export async function postgresDurability(query: (sql: string) => Promise<unknown[]>, label: string): Promise<DurabilityReport> {
  let synchronousCommit: string;
  let fsync: string;
  try {
    const [commit, sync] = await Promise.all([query('SHOW synchronous_commit'), query('SHOW fsync')]);
    synchronousCommit = settingOf(commit);
    fsync = settingOf(sync);
  } catch (error) {
    return { message: `notes: could not check whether ${label} keeps notes on disk (${firstLine(error)})` };
  }
  if (fsync.toLowerCase() === 'off') {
    return {
      message: `notes: ${label} runs with fsync=off: a power cut or OS crash can lose or damage notes — set fsync = on in postgresql.conf`,
    };
  }
  if (synchronousCommit.toLowerCase() === 'off') {
    return {
      message: `notes: ${label} runs with synchronous_commit=off: a crash of the database server can lose the last notes reported saved — set it on (ALTER DATABASE … SET synchronous_commit = on, the same for the role, or in postgresql.conf)`,
    };
  }
  return undefined;
}

function settingOf(rows: unknown[]): string {
  const row = rows[0] as Record<string, unknown> | undefined;
  const value = row ? Object.values(row)[0] : undefined;
  return typeof value === 'string' ? value : String(value ?? '');
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

/** Asks, within `ms`, and logs what the store said; a store that does not answer in time is named too. */
export async function checkDurability(ask: () => Promise<DurabilityReport>, label: string, logger: Logger, ms = 2000): Promise<void> {
  let report: DurabilityReport;
  try {
    // Wrapped: a store with nothing to say answers undefined, which is not the same as no answer.
    const answered = await within(ask().then((value) => ({ value })), ms);
    report = answered ? answered.value : { message: `notes: could not check whether ${label} keeps notes on disk (no answer within ${ms} ms)` };
  } catch (error) {
    report = { message: `notes: could not check whether ${label} keeps notes on disk (${firstLine(error)})` };
  }
  if (report) logger.warn(report.message);
}
