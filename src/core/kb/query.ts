/**
 * `/find` query syntax: free text and filters — `#tag`, `kind:note|article|profile`,
 * `after:`/`before:` dates — and `page:N`.
 *
 * Dates are read in UTC, the time zone of the dates replies show. A calendar date
 * names a whole day, month or year, and both bounds include it (as Karakeep's
 * `after:`/`before:` do for a day): `after:2024-06` is from 1 June 2024 on,
 * `before:2024-06` up to the end of June, `after:2024 before:2024` is 2024. A
 * relative date (`7d`, `3w`, `6m`, `1y`) is the moment that long before now:
 * `after:7d` is the last seven days, `before:1y` is older than a year.
 */
import { UserError } from '../domain/errors.ts';
import type { DocKind } from '../domain/types.ts';
import { tagTerm } from '../text/words.ts';

export const DOC_KINDS: readonly DocKind[] = ['note', 'article', 'profile'];

/** A span of time: `from` inclusive, `to` exclusive, in ms since the epoch; an open end is absent. */
export interface DateRange {
  from?: number;
  to?: number;
}

/** A parsed `/find` query. */
export interface FindQuery {
  /** Free text, filters removed. */
  text: string;
  /** Only these kinds, when not empty. */
  kinds: DocKind[];
  /** Documents must carry every one of these tags (folded, as `tagTerm` has them). */
  tags: string[];
  /** Only documents dated in this range (undated ones are left out), when set. */
  dates?: DateRange;
  /** 1-based page of results (`page:N`); 1 when absent. */
  page?: number;
  /** The filters as written back (`kind:note`, `#git`, `after:2024`), for replies that name them. */
  filters?: string[];
}

const DAY_MS = 86_400_000;
/**
 * The earliest year a date filter takes. Write-ups and notes are dated by when they
 * were written; a bound before 1900 (`after:0001`, `after:1000y`) is a slip, said as such.
 */
export const EARLIEST_FILTER_YEAR = 1900;
const EARLIEST_FILTER_MS = Date.UTC(EARLIEST_FILTER_YEAR, 0, 1);
/** Highest `page:` accepted: far past any real list, low enough that offsets stay small numbers. */
export const MAX_PAGE = 10_000;

const dateHelp = (key: string) => `try ${key}:2024-06-15, ${key}:2024-06, ${key}:2024 or ${key}:30d (also 3w, 6m, 1y)`;

/**
 * Splits a query into text and filters; a malformed filter is a `UserError` that
 * says how to write it. `now` anchors relative dates.
 */
export function parseQuery(raw: string, now: Date = new Date()): FindQuery {
  const words: string[] = [];
  const kinds: DocKind[] = [];
  const tags: string[] = [];
  const filters: string[] = [];
  let page: number | undefined;
  let after: { value: string; at: number } | undefined;
  let before: { value: string; at: number } | undefined;
  for (const token of raw.split(/\s+/).filter(Boolean)) {
    const kindMatch = /^kind:(.*)$/i.exec(token);
    if (kindMatch) {
      const wanted = kindMatch[1]!.toLowerCase().replace(/s$/, '');
      if (!DOC_KINDS.includes(wanted as DocKind)) {
        throw new UserError(
          'bad-query',
          kindMatch[1]
            ? `find: unknown kind "${kindMatch[1]}" — use kind:note, kind:article or kind:profile`
            : 'find: kind: needs a value — use kind:note, kind:article or kind:profile',
        );
      }
      if (!kinds.includes(wanted as DocKind)) {
        kinds.push(wanted as DocKind);
        filters.push(`kind:${wanted}`);
      }
      continue;
    }
    const dateMatch = /^(after|before):(.*)$/i.exec(token);
    if (dateMatch) {
      const key = dateMatch[1]!.toLowerCase();
      const value = dateMatch[2]!;
      if (!value) throw new UserError('bad-query', `find: ${key}: needs a date — ${dateHelp(key)}`);
      const span = parseDate(value, now);
      if (!span) {
        const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
        throw new UserError('bad-query', `find: ${key}:${shown} is not a date — ${dateHelp(key)}`);
      }
      if (!(span.from >= EARLIEST_FILTER_MS)) {
        const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
        throw new UserError(
          'bad-query',
          `find: ${key}:${shown} is before ${EARLIEST_FILTER_YEAR}, the earliest date a filter takes — try ${key}:${EARLIEST_FILTER_YEAR}`,
        );
      }
      // Repeated bounds: the narrowest wins.
      if (key === 'after') {
        if (!after || span.from > after.at) after = { value, at: span.from };
      } else if (!before || span.to < before.at) {
        before = { value, at: span.to };
      }
      filters.push(`${key}:${value}`);
      continue;
    }
    const pageMatch = /^page:(.*)$/i.exec(token);
    if (pageMatch) {
      const value = pageMatch[1]!;
      const number = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
      if (!(number >= 1 && number <= MAX_PAGE)) {
        const shown = value.length > 12 ? `${value.slice(0, 12)}…` : value;
        throw new UserError('bad-query', `find: page:${shown} is not a page number — try page:2 for the second page`);
      }
      page = number;
      continue;
    }
    if (token.startsWith('#')) {
      // `#lsm/` is `#lsm` (a tag never ends with `/`: notes.ts drops it from #hashtags too).
      const tag = tagTerm(token.replace(/^#+/, '').replace(/\/+$/, ''));
      if (!tag) throw new UserError('bad-query', 'find: # needs a tag name after it — e.g. /find #git');
      if (!tags.includes(tag)) {
        tags.push(tag);
        filters.push(`#${tag}`);
      }
      continue;
    }
    words.push(token);
  }
  if (after && before && after.at >= before.at) {
    throw new UserError(
      'bad-query',
      `find: after:${after.value} is later than before:${before.value}, so nothing is dated between them — try after:${before.value} before:${after.value}`,
    );
  }
  const dates: DateRange | undefined =
    after || before ? { ...(after ? { from: after.at } : {}), ...(before ? { to: before.at } : {}) } : undefined;
  return { text: words.join(' '), kinds, tags, ...(dates ? { dates } : {}), ...(page ? { page } : {}), filters };
}

/*
 * Nested tags, as Obsidian nests them: `#lsm/compaction/tiered` is under `#lsm/compaction`,
 * which is under `#lsm`. These three functions are the one place that says what that means
 * for /find #tag, /tags and "Tags like it", so that a count beside `/find #lsm` is what it lists.
 */

/**
 * The tags a document's tag (as written) is found by, folded: itself and each tag it
 * is nested under, outermost first (`lsm/compaction` → `lsm`, `lsm/compaction`); an
 * empty part (`lsm/`, `a//b`) is no level. Each comes with its written form (`LSM/x` → `LSM`).
 */
export function coveringTags(tag: string): { key: string; written: string }[] {
  const parts = tag.split('/').filter(Boolean);
  const out: { key: string; written: string }[] = [];
  for (let i = 1; i <= parts.length; i += 1) {
    const written = parts.slice(0, i).join('/');
    const key = tagTerm(written);
    if (key) out.push({ key, written });
  }
  return out;
}

/**
 * Whether a query's tag (folded) finds a document's tag (as written): the tag
 * itself, or one nested under it (`#lsm` finds `#lsm/compaction`, as Obsidian's
 * tag search does; `#compaction` does not: see tagHasPart).
 */
export function tagCovers(wanted: string, tag: string): boolean {
  if (tag === wanted) return true;
  return coveringTags(tag).some((covering) => covering.key === wanted);
}

/**
 * Whether a tag (folded) starts with a prefix, or has a part after `-`, `/`, `_` or
 * `.` that does: what `/tags data` lists (#database, #big-data, #data/etl) and what
 * "Tags like it" offers for a tag that is only a nested part (#compaction: #lsm/compaction).
 */
export function tagHasPart(tag: string, prefix: string): boolean {
  return tag.startsWith(prefix) || tag.split(/[-/_.]/).some((part) => part.startsWith(prefix));
}

/** Whether a query has any filter (a filter alone lists what it admits, newest first). */
export function hasFilters(query: FindQuery): boolean {
  return query.kinds.length > 0 || query.tags.length > 0 || query.dates !== undefined;
}

/** The query text with its `page:` replaced by another page: what a "More results" button runs. */
export function withPage(raw: string, page: number): string {
  const rest = raw.split(/\s+/).filter((token) => token && !/^page:/i.test(token));
  return [...rest, ...(page > 1 ? [`page:${page}`] : [])].join(' ');
}

/**
 * The span a date names: `2024`, `2024-06`, `2024-06-15` (also with `/`, and
 * months and days of one digit), or `7d`, `3w`, `6m`, `1y` before `now` (an
 * instant: `from` and `to` equal; -Infinity when it reaches back further than a
 * Date holds). Undefined when it is not a date.
 */
export function parseDate(value: string, now: Date): { from: number; to: number } | undefined {
  const relative = /^(\d+)([dwmy])$/i.exec(value);
  if (relative) {
    // Any count: one that reaches back past 1900 (or past what a Date holds) is refused as too early.
    const count = Number(relative[1]);
    const unit = relative[2]!.toLowerCase();
    const at = new Date(now.getTime());
    if (unit === 'd') at.setTime(at.getTime() - count * DAY_MS);
    else if (unit === 'w') at.setTime(at.getTime() - count * 7 * DAY_MS);
    // Calendar months and years: 1m before 31 March is 3 March (Date rolls 31 February over), as most tools have it.
    else if (unit === 'm') at.setUTCMonth(at.getUTCMonth() - count);
    else at.setUTCFullYear(at.getUTCFullYear() - count);
    const ms = at.getTime();
    return Number.isNaN(ms) ? { from: -Infinity, to: -Infinity } : { from: ms, to: ms };
  }
  const calendar = /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$/.exec(value);
  if (!calendar) return undefined;
  const year = Number(calendar[1]);
  if (calendar[2] === undefined) return { from: utc(year, 0, 1), to: utc(year + 1, 0, 1) };
  const month = Number(calendar[2]);
  if (month < 1 || month > 12) return undefined;
  if (calendar[3] === undefined) return { from: utc(year, month - 1, 1), to: utc(year, month, 1) };
  const day = Number(calendar[3]);
  const from = utc(year, month - 1, day);
  // 2024-02-30 is no day (Date.UTC would roll it over into March).
  if (day < 1 || new Date(from).getUTCDate() !== day) return undefined;
  return { from, to: from + DAY_MS };
}

/** Midnight UTC of a day; unlike `Date.UTC`, years 0-99 are those years, not 1900-1999. */
function utc(year: number, month: number, day: number): number {
  const at = new Date(0);
  at.setUTCFullYear(year, month, day);
  return at.getTime();
}

/**
 * The span a document's date covers: a date alone (`2024-06-15`) is that whole
 * day (UTC), a timestamp an instant. Undefined for a missing or unreadable date.
 */
export function documentSpan(date: string | undefined): { from: number; to: number } | undefined {
  if (!date) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    const from = Date.parse(`${date}T00:00:00Z`);
    return Number.isNaN(from) ? undefined : { from, to: from + DAY_MS };
  }
  const at = Date.parse(date);
  return Number.isNaN(at) ? undefined : { from: at, to: at };
}

/** Whether a document's span falls in a range: any part of its day, for a date alone. */
export function inRange(span: { from: number; to: number } | undefined, range: DateRange): boolean {
  if (!span) return false;
  // An instant is the millisecond it names.
  const end = Math.max(span.to, span.from + 1);
  if (range.from !== undefined && end <= range.from) return false;
  if (range.to !== undefined && span.from >= range.to) return false;
  return true;
}

/** A range as a person reads it: `dated 2024-06-01 to 2024-06-30`, `dated before 2024-05-16 13:05 UTC`. */
export function describeDates(range: DateRange): string {
  const from = range.from === undefined ? undefined : moment(range.from);
  // `to` is exclusive: at midnight, the day before is the last one included.
  const to = range.to === undefined ? undefined : isMidnight(range.to) ? moment(range.to - DAY_MS) : moment(range.to);
  const toInclusive = range.to !== undefined && isMidnight(range.to);
  if (from && to) return toInclusive ? `dated ${from} to ${to}` : `dated from ${from}, before ${to}`;
  if (from) return `dated ${from} or later`;
  return toInclusive ? `dated ${to} or earlier` : `dated before ${to}`;
}

function isMidnight(ms: number): boolean {
  return ms % DAY_MS === 0;
}

function moment(ms: number): string {
  const iso = new Date(ms).toISOString();
  return isMidnight(ms) ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
