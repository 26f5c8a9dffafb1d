/**
 * The store's contracts: what a notes store is, what a change is, and how
 * changes travel between processes. Types only, so the store, its backends and
 * the feed can all depend on them without depending on each other.
 */
import type { Note } from '../domain/notes.ts';

/** Where notes are kept. */
export interface NoteStore {
  /** The store URL with any password removed, for logs and errors. */
  readonly label: string;
  /** Every note in the store. */
  loadAll(): Promise<Note[]>;
  get(id: string): Promise<Note | undefined>;
  /** Resolves only once the store has confirmed the write. */
  put(note: Note): Promise<void>;
  /** True when a note was there to delete. */
  delete(id: string): Promise<boolean>;
  /**
   * Reports notes written or deleted by other processes sharing the store
   * (a Redis stream, PostgreSQL LISTEN/NOTIFY). Does nothing where the store cannot tell (SQLite).
   */
  subscribe?(listener: (change: NoteChange) => void): Promise<void>;
  /**
   * Keeps a small piece of shared state (which notes /resurface showed, which
   * hints someone has seen) under `key`, beside the notes and shared like them
   * by every process on the store; gone after `ttlMs` when given. The value must
   * be JSON (a `Date` comes back as a string). Resolves once the store confirmed it.
   */
  remember(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** What `remember` kept under `key`; undefined when nothing was, or it expired. */
  recall<T = unknown>(key: string): Promise<T | undefined>;
  close(): Promise<void>;
}

/** A change made to the store, possibly by another process. */
export interface NoteChange {
  type: 'put' | 'delete';
  id: string;
}

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

