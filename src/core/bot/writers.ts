/**
 * Who may write: `NOTE_WRITERS` entries `platform:userId`; empty means anyone.
 * Checked once, in dispatch, for the commands whose `writes` says so.
 */
import { LOCAL_PLATFORM, isOwner } from '../domain/people.ts';
import type { Person } from '../domain/types.ts';
import type { Command } from './command.ts';

export { LOCAL_PLATFORM };

export function canWrite(writers: readonly string[], user: Person): boolean {
  if (writers.length === 0) return true;
  return isOwner(writers, user);
}

/** Whether this call of `command` (with this text) changes stored data. */
export function writesWith(command: Pick<Command, 'writes'>, text: string): boolean {
  return typeof command.writes === 'function' ? command.writes(text) : command.writes;
}

/** The reply to someone outside NOTE_WRITERS who tries to change something. */
export function writeRefusal(commandName: string): string {
  return `${commandName}: only the owner can change notes or topics here — nothing was changed.`;
}
