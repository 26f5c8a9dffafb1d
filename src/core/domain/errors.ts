/**
 * Errors as values a person can read. A `UserError` is safe to show as a reply;
 * anything else is logged with its cause and answered with a generic message.
 */

/** Codes for errors the user can act on. */
export type UserErrorCode =
  | 'usage'
  | 'too-long'
  | 'not-allowed'
  | 'not-found'
  | 'bad-query'
  | 'store-unavailable'
  /** The store refuses writes for good (read-only file, database or replica). */
  | 'store-read-only'
  | 'unknown-command'
  /** The index is still being built at start-up. */
  | 'indexing';

/** An error whose message is written for the person who sent the command. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The store did not confirm a write or read (down, timed out, refused). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /**
   * For a timeout: the operation that did not answer in time, still running.
   * It may yet succeed, and whoever holds the data must then not forget it.
   */
  readonly pending?: Promise<unknown>;
  constructor(message: string, options?: { cause?: unknown; pending?: Promise<unknown> }) {
    super(message, options);
    if (options?.pending) this.pending = options.pending;
  }
}

/**
 * The store refuses writes for good: a read-only file or folder, a read-only
 * database or replica, a user without write rights. Trying again will not help,
 * so the reply says what would.
 */
export class StoreReadOnlyError extends StoreUnavailableError {
  /** What refused, in a few words: `sqlite:///srv/notes.sqlite: attempt to write a readonly database`. */
  readonly detail: string;
  /** What would make it writable. */
  readonly hint: string;
  constructor(message: string, options: { detail: string; hint: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.detail = options.detail;
    this.hint = options.hint;
  }
}

/** A startup problem that should end the process with a short message, not a stack. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
