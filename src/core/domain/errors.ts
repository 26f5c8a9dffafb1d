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

/** A startup problem that should end the process with a short message, not a stack. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
