/**
 * What every platform adapter does around `dispatch()`: run it so that it never
 * throws, see whether the reply is ready within the platform's acknowledgement
 * budget, and keep count of the work in progress so `stop()` can wait for it
 * before the store is closed.
 */
import type { Logger } from '../util/logger.ts';
import { within } from '../util/timeouts.ts';
import { reply, type Invocation, type Reply } from './command.ts';
import { GENERIC_FAILURE, type Dispatcher } from './dispatch.ts';

/** How long `stop()` waits for work in progress before giving up on it. */
export const STOP_GRACE_MS = 5000;

/**
 * Dispatches and never rejects: dispatch() never throws by contract, and this
 * keeps the acknowledgement coming even if it someday does. `logFields` turns
 * the error into log fields (Discord's errors carry a token in their URL).
 */
export function safeDispatch(
  dispatcher: Dispatcher,
  invocation: Invocation,
  logger: Logger,
  logFields: (error: unknown) => Record<string, unknown> = (error) => ({ err: error }),
): Promise<Reply> {
  let work: Promise<Reply>;
  try {
    work = dispatcher.dispatch(invocation);
  } catch (error) {
    work = Promise.reject(error);
  }
  return work.catch((error: unknown) => {
    logger.error({ ...logFields(error), command: invocation.command }, `${invocation.origin.platform}: dispatch failed`);
    return reply(GENERIC_FAILURE, { tone: 'error' });
  });
}

/** A dispatch raced against the acknowledgement budget. */
export interface DeadlineDispatch {
  /** The reply when it was ready within the budget; undefined when the platform must be answered first. */
  early: Reply | undefined;
  /** The reply, whenever it is ready; never rejects. */
  result: Promise<Reply>;
}

/** Dispatches, waiting at most `budgetMs` for the reply. Never throws. */
export async function dispatchWithin(
  dispatcher: Dispatcher,
  invocation: Invocation,
  budgetMs: number,
  logger: Logger,
  logFields?: (error: unknown) => Record<string, unknown>,
): Promise<DeadlineDispatch> {
  const result = safeDispatch(dispatcher, invocation, logger, logFields);
  return { early: await within(result, budgetMs), result };
}

/** Work in progress (an interaction from arrival to the reply sent), for a graceful stop. */
export interface InFlight {
  /** Counts `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  /** How many are in progress now. */
  readonly size: number;
  /** Waits until none is in progress, at most `ms`; true when all settled in time. */
  drain(ms?: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      return work;
    },
    get size() {
      return pending.size;
    },
    async drain(ms = STOP_GRACE_MS) {
      const deadline = Date.now() + ms;
      // Work that arrives while draining is waited for too, within the same deadline.
      while (pending.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const done = await within(Promise.all([...pending]).then(() => true), left);
        if (!done) return false;
      }
      return true;
    },
  };
}
