/**
 * Waiting for work with a bound: the one helper behind every "at most N ms"
 * in tinker (a platform's acknowledgement budget, a store that does not
 * answer, a connection that does not come up). The work itself is never
 * cancelled here: it goes on, and a late failure of it is not an unhandled
 * rejection.
 */

/** Resolves with the work's result if it settles within `ms`, else with `undefined`. Rejects when the work does in time. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  const outcome = await race(work, ms);
  return outcome.done ? outcome.value : undefined;
}

/**
 * Resolves or rejects as `work` does when it settles within `ms`; otherwise
 * rejects with `onTimeout()` (an error that says what did not happen in time).
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  const outcome = await race(work, ms);
  if (!outcome.done) throw onTimeout();
  return outcome.value;
}

type Outcome<T> = { done: true; value: T } | { done: false };

async function race<T>(work: Promise<T>, ms: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  // A failure after the wait is over has nobody to tell.
  work.catch(() => {});
  const timeout = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms), { done: false });
  });
  try {
    return await Promise.race([work.then((value): Outcome<T> => ({ done: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
