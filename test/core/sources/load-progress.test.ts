import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../../../src/core/sources/load-progress.ts';
import type { Logger } from '../../../src/core/index.ts';

function recording() {
  const shown: [string, boolean][] = [];
  const logged: string[] = [];
  const logger = { info: (_fields: unknown, message: string) => logged.push(message) } as unknown as Logger;
  return { shown, logged, logger };
}

describe('createProgressReporter', () => {
  it('says nothing for a load that is over within the first moment', () => {
    const { shown, logged, logger } = recording();
    let clock = 0;
    const { onProgress } = createProgressReporter({ show: (text, final) => shown.push([text, final]), logger, now: () => clock });
    onProgress({ done: 64, total: 128 });
    clock = 900;
    onProgress({ done: 128, total: 128 });
    expect(shown).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('past that, updates one line (at most every 100 ms), logs every 5 s, and ends with how long it took', () => {
    const { shown, logged, logger } = recording();
    let clock = 0;
    const { onProgress } = createProgressReporter({ show: (text, final) => shown.push([text, final]), logger, now: () => clock });
    for (const [at, done] of [[1000, 6400], [1600, 12000], [1650, 12064], [1800, 20000], [7000, 90000], [9800, 100000]] as const) {
      clock = at;
      onProgress({ done, total: 100000 });
    }
    expect(shown).toEqual([
      ['indexing 12,000 of 100,000 write-ups…', false],
      ['indexing 20,000 of 100,000 write-ups…', false],
      ['indexing 90,000 of 100,000 write-ups…', false],
      ['indexed 100,000 write-ups in 9.8 s', true],
    ]);
    expect(logged).toEqual([
      'articles: indexing 12,000 of 100,000 write-ups…',
      'articles: indexing 90,000 of 100,000 write-ups…',
      'articles: indexed 100,000 write-ups in 9.8 s',
    ]);
  });
});
