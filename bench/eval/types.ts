/** What the evaluation compares: systems that rank documents for a query. */
import type { IndexedDoc } from '../../src/core/index.ts';

/** A ranking function: query text → document ids, best first, at most `limit`. */
export type Ranker = (query: string, limit: number) => string[];

/** A search system: indexes an archive's documents once, then ranks queries over them. */
export interface System {
  /** Column name in the report. */
  name: string;
  /**
   * Its rankings depend only on the documents and the bench's own code (not on
   * tinker's), so a run may reuse them from an earlier one (see rank-cache.ts).
   */
  stable?: boolean;
  build(docs: readonly IndexedDoc[]): Ranker;
}
