/** What every platform adapter gets and offers. */
import type { Dispatcher, KnowledgeBase, Logger } from '../core/index.ts';

export interface AdapterDeps {
  dispatcher: Dispatcher;
  kb: KnowledgeBase;
  logger: Logger;
  /**
   * `platform:userId` entries allowed to write (NOTE_WRITERS); empty or unset
   * means anyone. Lets an adapter skip platform API calls for a refused save.
   */
  noteWriters?: readonly string[];
  /**
   * Called when the adapter can no longer work after a successful start (e.g.
   * Discord closed the gateway for good): the process should stop non-zero
   * so a supervisor restarts it. The error's message is safe to print.
   */
  onFatal?: (error: Error) => void;
}

/** A running transport: started once, stopped on shutdown. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
