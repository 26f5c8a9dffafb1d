/**
 * Progress of a first index, for people: nothing for a load that is over in a
 * moment; past that, a line that updates (`indexing 12,000 of 100,000 write-ups…`)
 * and a log line at intervals, then how long it took.
 */
import type { Logger } from '../util/logger.ts';
import type { LoadProgress } from './article-loader.ts';

export interface ProgressReporterOptions {
  /** Shows a line in place of the last one (a terminal's status line); `final` ends it. */
  show?: (text: string, final: boolean) => void;
  /** Told at intervals, and at the end. */
  logger?: Logger;
  /** Quiet this long from the start (a small archive is indexed before anyone looks); default 1.5 s. */
  afterMs?: number;
  /** The shown line changes at most this often; default 100 ms. */
  showEveryMs?: number;
  /** A log line at most this often; default 5 s. */
  logEveryMs?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

export interface ProgressReporter {
  /** Give it to the loader (KnowledgeBase's `onProgress`). */
  onProgress: (progress: LoadProgress) => void;
}

const count = (n: number) => n.toLocaleString('en');

export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const afterMs = options.afterMs ?? 1500;
  let shownAt = -Infinity;
  let loggedAt = -Infinity;
  let shown = false;
  let finished = false;
  return {
    onProgress({ done, total }) {
      if (finished) return;
      const at = now();
      const last = done >= total;
      if (at - started < afterMs) {
        if (last) finished = true;
        return;
      }
      if (last) {
        finished = true;
        const summary = `indexed ${count(total)} write-ups in ${((at - started) / 1000).toFixed(1)} s`;
        if (shown) options.show?.(summary, true);
        options.logger?.info({ articles: total, ms: Math.round(at - started) }, `articles: ${summary}`);
        return;
      }
      const text = `indexing ${count(done)} of ${count(total)} write-ups…`;
      if (options.show && at - shownAt >= (options.showEveryMs ?? 100)) {
        shownAt = at;
        shown = true;
        options.show(text, false);
      }
      if (options.logger && at - loggedAt >= (options.logEveryMs ?? 5000)) {
        loggedAt = at;
        options.logger.info({ done, total }, `articles: ${text}`);
      }
    },
  };
}
