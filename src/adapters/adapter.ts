/** What every platform adapter gets and offers. */
import type { Dispatcher, Logger } from '../core/index.ts';

export interface AdapterDeps {
  /** The one gate: commands, permissions, completions, the change signal. */
  dispatcher: Dispatcher;
  logger: Logger;
  /** What `GET /healthz` reports beside `status` and `mode`: public counts only (the route needs no sign-in). */
  status?: () => Record<string, unknown>;
  /**
   * Called when the adapter can no longer work after a successful start (e.g.
   * Discord closed the gateway for good): the process should stop non-zero
   * so a supervisor restarts it. The error's message is safe to print.
   * Without it, the adapter logs the error and stays down.
   */
  onFatal?: (error: Error) => void;
}

/** A running transport: started once, stopped on shutdown. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Reports a fatal error through `deps.onFatal`, or logs it when nobody listens. */
export function reportFatal(deps: AdapterDeps, logger: Logger, fatal: Error): void {
  if (deps.onFatal) deps.onFatal(fatal);
  else logger.fatal({ err: fatal.message }, fatal.message);
}
