import { describe, expect, it } from 'vitest';
import { UserError, coveringTags, describeDates, documentSpan, inRange, parseDate, parseQuery, tagCovers, tagHasPart, withPage } from '../../../src/core/index.ts';

const NOW = new Date('2024-06-15T12:00:00Z');
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

function refusal(raw: string): string {
  try {
    parseQuery(raw, NOW);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('parseQuery: date filters', () => {
  it('reads a year, a month and a day as the whole period, both bounds included', () => {
    expect(parseQuery('after:2024', NOW).dates).toEqual({ from: day('2024-01-01') });
    expect(parseQuery('before:2024', NOW).dates).toEqual({ to: day('2025-01-01') });
    expect(parseQuery('after:2024-06', NOW).dates).toEqual({ from: day('2024-06-01') });
    expect(parseQuery('before:2024-06', NOW).dates).toEqual({ to: day('2024-07-01') });
    expect(parseQuery('after:2024-06-15 before:2024-06-15', NOW).dates).toEqual({ from: day('2024-06-15'), to: day('2024-06-16') });
    // December rolls into the next year; one-digit months and days and slashes are read too.
    expect(parseQuery('before:2024-12', NOW).dates).toEqual({ to: day('2025-01-01') });
    expect(parseQuery('after:2024/6/5', NOW).dates).toEqual({ from: day('2024-06-05') });
    expect(parseQuery('AFTER:2024-02-29', NOW).dates).toEqual({ from: day('2024-02-29') });
  });

  it('reads 7d, 3w, 6m, 1y as that long before now', () => {
    expect(parseQuery('after:7d', NOW).dates).toEqual({ from: Date.parse('2024-06-08T12:00:00Z') });
    expect(parseQuery('after:3w', NOW).dates).toEqual({ from: Date.parse('2024-05-25T12:00:00Z') });
    expect(parseQuery('before:6m', NOW).dates).toEqual({ to: Date.parse('2023-12-15T12:00:00Z') });
    expect(parseQuery('before:1Y', NOW).dates).toEqual({ to: Date.parse('2023-06-15T12:00:00Z') });
  });

  it('takes any count of days, weeks, months or years back to 1900, and says so past it', () => {
    // 10,000 days is back in 1997: as good a bound as 9,999 days or 100 years.
    expect(parseQuery('after:10000d', NOW).dates).toEqual({ from: NOW.getTime() - 10_000 * 86_400_000 });
    expect(parseQuery('after:0100y', NOW).dates).toEqual({ from: Date.parse('1924-06-15T12:00:00Z') });
    const early = (key: string, value: string) => `find: ${key}:${value} is before 1900, the earliest date a filter takes — try ${key}:1900`;
    expect(refusal('after:1000y')).toBe(early('after', '1000y'));
    expect(refusal('before:99999d')).toBe(early('before', '99999d'));
    expect(refusal('after:2000m')).toBe(early('after', '2000m'));
    // Past what a Date holds is as early.
    expect(refusal(`after:${'9'.repeat(30)}w`)).toBe(early('after', `${'9'.repeat(20)}…`));
  });

  it('takes years from 1900 on; an earlier year (0001 is not 1901) gets its own reason', () => {
    expect(parseQuery('after:1900 before:1900-02', NOW).dates).toEqual({ from: day('1900-01-01'), to: day('1900-03-01') });
    expect(parseQuery('after:9999', NOW).dates).toEqual({ from: day('9999-01-01') });
    expect(refusal('after:0001')).toBe('find: after:0001 is before 1900, the earliest date a filter takes — try after:1900');
    expect(refusal('before:1899-12-31')).toBe('find: before:1899-12-31 is before 1900, the earliest date a filter takes — try before:1900');
    expect(refusal('after:0099-06')).toMatch(/^find: after:0099-06 is before 1900/);
  });

  it('combines with words, tags and kinds, and keeps the narrowest of repeated bounds', () => {
    const query = parseQuery('libgit2 #Git after:2023 kind:article after:2024-03 before:2025 before:2024-10 nfs', NOW);
    expect(query).toMatchObject({
      text: 'libgit2 nfs',
      tags: ['git'],
      kinds: ['article'],
      dates: { from: day('2024-03-01'), to: day('2024-11-01') },
      filters: ['#git', 'after:2023', 'kind:article', 'after:2024-03', 'before:2025', 'before:2024-10'],
    });
  });

  it('answers a malformed date with one line and examples', () => {
    expect(refusal('x after:june')).toBe('find: after:june is not a date — try after:2024-06-15, after:2024-06, after:2024 or after:30d (also 3w, 6m, 1y)');
    expect(refusal('before:2024-13')).toBe('find: before:2024-13 is not a date — try before:2024-06-15, before:2024-06, before:2024 or before:30d (also 3w, 6m, 1y)');
    expect(refusal('after:2023-02-29')).toBe('find: after:2023-02-29 is not a date — try after:2024-06-15, after:2024-06, after:2024 or after:30d (also 3w, 6m, 1y)');
    expect(refusal('after:')).toBe('find: after: needs a date — try after:2024-06-15, after:2024-06, after:2024 or after:30d (also 3w, 6m, 1y)');
    expect(refusal('after:7h')).toMatch(/^find: after:7h is not a date — /);
    expect(refusal('after:24')).toMatch(/^find: after:24 is not a date — /);
    expect(refusal(`after:${'9'.repeat(40)}`)).toBe(
      `find: after:${'9'.repeat(20)}… is not a date — try after:2024-06-15, after:2024-06, after:2024 or after:30d (also 3w, 6m, 1y)`,
    );
    expect(refusal('after:2025 before:2024')).toBe(
      'find: after:2025 is later than before:2024, so nothing is dated between them — try after:2024 before:2025',
    );
  });
});

describe('parseQuery: pages', () => {
  it('reads page:N and refuses what is not a page number', () => {
    expect(parseQuery('libgit2 page:3', NOW)).toMatchObject({ text: 'libgit2', page: 3 });
    expect(parseQuery('libgit2', NOW).page).toBeUndefined();
    for (const bad of ['page:0', 'page:x', 'page:', 'page:-1', 'page:1.5', 'page:10001']) {
      expect(refusal(`libgit2 ${bad}`)).toBe(`find: ${bad} is not a page number — try page:2 for the second page`);
    }
  });

  it('rewrites a query for another page, keeping everything else as typed', () => {
    expect(withPage('libgit2 #git after:2024', 2)).toBe('libgit2 #git after:2024 page:2');
    expect(withPage('libgit2 page:2 #git', 3)).toBe('libgit2 #git page:3');
    expect(withPage('libgit2  PAGE:4', 1)).toBe('libgit2');
  });
});

describe('document dates', () => {
  it('takes a date alone as its whole day, a timestamp as an instant', () => {
    const range = { from: day('2024-06-15'), to: day('2024-06-16') };
    expect(inRange(documentSpan('2024-06-15'), range)).toBe(true);
    expect(inRange(documentSpan('2024-06-14'), range)).toBe(false);
    expect(inRange(documentSpan('2024-06-16'), range)).toBe(false);
    expect(inRange(documentSpan('2024-06-15T23:59:59.999Z'), range)).toBe(true);
    expect(inRange(documentSpan('2024-06-16T00:00:00.000Z'), range)).toBe(false);
    // after:7d at noon still takes a write-up dated that very day.
    expect(inRange(documentSpan('2024-06-08'), { from: Date.parse('2024-06-08T12:00:00Z') })).toBe(true);
    expect(inRange(documentSpan('2024-06-08T11:59:59Z'), { from: Date.parse('2024-06-08T12:00:00Z') })).toBe(false);
    expect(inRange(undefined, range)).toBe(false);
    expect(documentSpan('sometime')).toBeUndefined();
  });

  it('describes a range as a person reads it', () => {
    expect(describeDates(parseQuery('after:2024-06 before:2024-08', NOW).dates!)).toBe('dated 2024-06-01 to 2024-08-31');
    expect(describeDates(parseQuery('after:2024', NOW).dates!)).toBe('dated 2024-01-01 or later');
    expect(describeDates(parseQuery('before:2024', NOW).dates!)).toBe('dated 2024-12-31 or earlier');
    expect(describeDates(parseQuery('after:7d', NOW).dates!)).toBe('dated 2024-06-08 12:00 UTC or later');
    expect(describeDates(parseQuery('before:30d', NOW).dates!)).toBe('dated before 2024-05-16 12:00 UTC');
    expect(parseDate('2024-06-15', NOW)).toEqual({ from: day('2024-06-15'), to: day('2024-06-16') });
    // Years 0-99 are those years (Date.UTC would make 0001 into 1901).
    expect(new Date(parseDate('0001', NOW)!.from).getUTCFullYear()).toBe(1);
    expect(describeDates(parseQuery('before:1900', NOW).dates!)).toBe('dated 1900-12-31 or earlier');
  });
});

describe('nested tags: one rule for /find #tag, /tags and "Tags like it"', () => {
  it('a tag is found by itself and each tag it is nested under, folded, with its written form', () => {
    expect(coveringTags('lsm/compaction/tiered').map((c) => c.key)).toEqual(['lsm', 'lsm/compaction', 'lsm/compaction/tiered']);
    expect(coveringTags('Café/Notes')).toEqual([
      { key: 'cafe', written: 'Café' },
      { key: 'cafe/notes', written: 'Café/Notes' },
    ]);
    expect(coveringTags('lsm/').map((c) => c.key)).toEqual(['lsm']);
    expect(tagCovers('lsm', 'lsm/compaction')).toBe(true);
    expect(tagCovers('lsm', 'lsmx')).toBe(false);
    expect(tagCovers('compaction', 'lsm/compaction')).toBe(false);
  });

  it('a part (after -, /, _ or .) that starts with the prefix is enough for /tags and "Tags like it"', () => {
    expect(tagHasPart('lsm/compaction', 'compaction')).toBe(true);
    expect(tagHasPart('big-data', 'data')).toBe(true);
    expect(tagHasPart('database', 'base')).toBe(false);
  });
});
