/**
 * The change feed: how processes sharing one store tell each other which note
 * changed. Only the id travels; the receiver fetches the note itself, so a
 * message is small and a lost message never carries stale content.
 */
import { randomUUID } from 'node:crypto';
import type { NoteChange } from './note-store.ts';
import { isNoteId } from './notes.ts';

/** Carries note changes between processes; one per store connection. */
export interface ChangeFeed {
  /**
   * Marks where `subscribe` will start delivering from. Called when the store
   * opens, before the startup scan, so a change made between the scan and the
   * subscription is still delivered (at worst twice, which is harmless).
   */
  start(): Promise<void>;
  /** Tells the other processes about a change this process made. */
  publish(change: NoteChange): Promise<void>;
  /** Calls `listener` for each change another process makes, until `close`. Resolves once listening. */
  subscribe(listener: (change: NoteChange) => void): Promise<void>;
  close(): Promise<void>;
}

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
