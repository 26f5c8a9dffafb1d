/**
 * The change feed: how processes sharing one store tell each other which note
 * changed. Only the id travels; the receiver fetches the note itself, so a
 * message is small and a lost message never carries stale content.
 */
import { randomUUID } from 'node:crypto';
import type { NoteChange } from './types.ts';

export type { ChangeFeed } from './types.ts';
import { isNoteId } from '../domain/notes.ts';

/** A new sender id: one per store connection, so a process skips its own messages. */
export function newSenderId(): string {
  return randomUUID();
}

/** What goes on the wire: `{"type":"put","id":"…","from":"…"}`. */
export function encodeChange(change: NoteChange, from: string): string {
  return JSON.stringify({ type: change.type, id: change.id, from });
}

/**
 * Parses a message from the feed. Undefined for anything that is not a well-formed
 * change, and for this store's own messages (already applied locally).
 */
export function decodeChange(message: string, self: string): NoteChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, id, from } = value as Record<string, unknown>;
  if (from === self) return undefined;
  if ((type !== 'put' && type !== 'delete') || typeof id !== 'string' || !isNoteId(id)) return undefined;
  return { type, id };
}
