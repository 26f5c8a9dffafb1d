/** What every platform adapter gets and offers. */
import type { Dispatcher, KnowledgeBase, Logger } from '../core/index.ts';

export interface AdapterDeps {
  dispatcher: Dispatcher;
  kb: KnowledgeBase;
  logger: Logger;
}

/** A running transport: started once, stopped on shutdown. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
