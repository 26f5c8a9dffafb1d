import { SEARCH_QUERY_MAX_LENGTH } from './limits.ts';
import {
  UserError,
  defineCommand,
  describeDates,
  SUGGEST_TYPO_LENGTHS,
  editDistance,
  hasFilters,
  hitsPage,
  indexTerm,
  parseQuery,
  reply,
  tagCovers,
  tagHasPart,
  tagTerm,
  tokenize,
  typoBudget,
  withPage,
  type CommandContext,
  type Completion,
  type FindQuery,
  type Person,
  type ReplyListItem,
  type ReplySection,
  type TagCount,
} from '../src/core/index.ts';

/**
 * How deep pages go. Ranking the top `offset + limit` costs more the deeper the
 * page, and nobody reads result 5,000; GitHub's search stops at 1,000 too.
 */
export const MAX_PAGED_RESULTS = 1000;

export const find = defineCommand({
  name: 'find',
  description: 'Search your write-ups, notes and profile (typos are fine)',
  usage: '/find <words> [#tag] [kind:note|article|profile] [after:2024-06] [before:30d]',
  example: '/find libgit2 nfs after:2024',
  option: {
    name: 'query',
    description: 'Words to look for; #tag, kind:note|article|profile, after:2024-06, before:30d narrow it',
    required: true,
    maxLength: SEARCH_QUERY_MAX_LENGTH,
    autocomplete: true,
  },
  visibility: 'ephemeral',
  writes: false,
  async complete(ctx, typed, user) {
    return completeQuery(ctx.kb, typed, user);
  },
  async run(ctx, invocation) {
    const typed = invocation.text.trim();
    if (!typed) throw new UserError('usage', 'find: query is empty — try /find libgit2');
    // Very long queries are cut rather than refused: the first words carry the intent.
    const raw = typed.length > SEARCH_QUERY_MAX_LENGTH ? typed.slice(0, SEARCH_QUERY_MAX_LENGTH) : typed;
    const query = parseQuery(raw, ctx.kb.now());
    if (!query.text.trim() && !hasFilters(query)) throw new UserError('usage', 'find: query is empty — try /find libgit2');
    // Words too common to be indexed ("the") are dropped from every query; with nothing else
    // left there is nothing to search for. Said before searching: it depends on the words alone.
    const common = tooCommon(query.text);
    if (common && !hasFilters(query)) throw new UserError('bad-query', `find: ${common} too common to search for — add a word`);
    const viewer = invocation.user;
    const page = query.page ?? 1;
    const limit = ctx.searchLimit;
    // A pressed More button says where it continues: the first hit its reply did not show,
    // which is not always a page boundary (a platform may show fewer hits than the limit).
    const pressed = invocation.offset !== undefined;
    const offset = invocation.offset ?? (page - 1) * limit;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new UserError('bad-query', `find: cannot continue at result ${offset} — try /find ${withPage(raw, 1)}`);
    if (offset >= MAX_PAGED_RESULTS) {
      throw new UserError(
        'bad-query',
        `find: only the first ${MAX_PAGED_RESULTS.toLocaleString('en')} results can be paged through — narrow the query with more words, #tag, kind: or after:`,
      );
    }
    const { hits, total } = ctx.kb.search(query, { viewer, limit, offset });
    const firstPage = withPage(raw, 1);
    const shown = describe(firstPage);
    if (total === 0) return nothingFound(ctx, query, shown, viewer);
    if (hits.length === 0 && pressed) {
      throw new UserError('not-found', `find: there are no more results — ${plural(total, 'result')} for "${shown}" now; try /find ${firstPage}`);
    }
    if (hits.length === 0) {
      const pages = Math.ceil(total / limit);
      throw new UserError(
        'not-found',
        `find: there is no page ${page} — ${plural(total, 'result')} for "${shown}" fill ${plural(pages, 'page')}; try /find ${withPage(raw, pages)}`,
      );
    }
    const sections: ReplySection[] = [];
    if (query.dates) sections.push({ type: 'text', text: `${capitalize(describeDates(query.dates))}.` });
    // "(6-10 of 31)" in the summary when the page is not the whole list; the button continues after the last hit shown.
    const paged = hitsPage({
      hits,
      offset,
      paging: {
        total,
        summary: `${plural(total, 'result')} for "${shown}"`,
        more: { id: 'find:more', label: 'More results', command: 'find', text: firstPage },
        end: MAX_PAGED_RESULTS,
      },
    });
    sections.push(paged.section);
    return reply(paged.text, { sections, actions: paged.actions });
  },
});

/**
 * What to say when nothing the viewer may read matches: the span a date filter used,
 * then which filter emptied it, a spelling, or a tag that does exist. Every count
 * here is of what the viewer may read, as the search's own are.
 */
function nothingFound(ctx: CommandContext, query: FindQuery, shown: string, viewer: Person) {
  const filters = (query.filters ?? []).join(' ');
  const nothing = `Nothing found for "${shown}".`;
  const count = (part: Partial<FindQuery>) => ctx.kb.search({ text: '', kinds: [], tags: [], ...part }, { viewer, limit: 0 }).total;
  // The span the dates named, as a reply with hits says it (unless a line below names it).
  const dated: ReplySection[] = query.dates ? [{ type: 'text', text: `${capitalize(describeDates(query.dates))}.` }] : [];
  // The words match, the filters excluded everything: say that rather than guess at spelling.
  const unfiltered = filters && query.text ? ctx.kb.search({ text: query.text, kinds: [], tags: [] }, { viewer, limit: 1 }).total : 0;
  if (unfiltered > 0) {
    return reply(nothing, {
      sections: [...dated, { type: 'text', text: `${plural(unfiltered, 'result')} without ${filters} — try /find ${describe(query.text)}` }],
    });
  }
  const sections: ReplySection[] = [...dated];
  const inUse = query.tags.length > 0 ? ctx.kb.tags(viewer) : [];
  // A tag is in use when something carries it or a tag nested under it (#lsm for #lsm/compaction).
  const unknownTags = query.tags.filter((tag) => !inUse.some((used) => tagCovers(tag, used.tag)));
  if (unknownTags.length > 0) {
    const like = similarTags(inUse, unknownTags);
    sections.push({ type: 'text', text: `Nothing is tagged ${unknownTags.map((t) => `#${t}`).join(' or ')} — /tags lists the tags in use.` });
    if (like.length > 0) sections.push({ type: 'list', title: 'Tags like it', items: like });
    return reply(nothing, { sections });
  }
  if (hasFilters(query) && !hasSearchableText(query.text)) {
    // Filters alone: the one that admits nothing by itself, else that they do not meet.
    if (query.dates && count({ dates: query.dates }) === 0) {
      return reply(nothing, { sections: [{ type: 'text', text: `Nothing is ${describeDates(query.dates)} — try a wider span.` }] });
    }
    if (query.kinds.length > 0 && count({ kinds: query.kinds }) === 0) {
      sections.push({ type: 'text', text: `There is nothing of ${query.kinds.map((kind) => `kind:${kind}`).join(' or ')} to list.` });
      return reply(nothing, { sections });
    }
    sections.push({ type: 'text', text: `Each of ${filters} matches on its own, not all together — try fewer filters.` });
    return reply(nothing, { sections });
  }
  const suggestions = ctx.kb.didYouMean(query.text, viewer, 3);
  return reply(nothing, {
    sections:
      suggestions.length > 0
        ? [...dated, { type: 'list', title: 'Did you mean', items: suggestions.map((s) => ({ text: filters ? `${s} ${filters}` : s })) }]
        : [...dated, { type: 'text', text: 'Try fewer or other words, or /tags to see the tags in use.' }],
  });
}

/** Whether a text has a word that is searched (not only stop words or punctuation). */
function hasSearchableText(text: string): boolean {
  return tokenize(text).some((word) => indexTerm(word) !== undefined);
}

/** Tags the viewer may read that start with, or are within the suggestion typo budget of, a tag that matched nothing. */
function similarTags(inUse: readonly TagCount[], missing: readonly string[]): ReplyListItem[] {
  const out: ReplyListItem[] = [];
  for (const { tag, count } of inUse) {
    // A tag with a part that starts with the one asked for counts too: #compaction names #lsm/compaction.
    const near = missing.some((wanted) => tagHasPart(tagTerm(tag) ?? tag, wanted) || wanted.startsWith(tag) || nearWord(tag, wanted));
    if (near) out.push({ text: `/find #${tag}`, detail: plural(count, 'result') });
    if (out.length >= 3) break;
  }
  return out;
}

/**
 * `"the" is` or `"to", "be" and "or" are` when the text has words and none of them
 * is searched (all are stop words); undefined otherwise.
 */
function tooCommon(text: string): string | undefined {
  const words = tokenize(text);
  if (words.length === 0 || hasSearchableText(text)) return undefined;
  const distinct = [...new Set(words.map((word) => word.toLowerCase()))];
  if (distinct.length === 1) return `"${distinct[0]}" is`;
  if (distinct.length > 4) return `the words "${describe(text)}" are all`;
  const quoted = distinct.map((word) => `"${word}"`);
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]} are`;
}

/** Whether `other` is within the suggestion typo budget of `typed`. */
function nearWord(other: string, typed: string): boolean {
  const allowed = typoBudget(typed, SUGGEST_TYPO_LENGTHS);
  return allowed > 0 && editDistance(other, typed, allowed) <= allowed;
}

function describe(raw: string): string {
  const flat = raw.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How many word completions come before hit titles, and how many completions in all. */
const WORD_COMPLETIONS = 10;
const COMPLETIONS = 25;

const isFilter = (token: string) => token.startsWith('#') || /^(kind|after|before|page):/i.test(token);

/**
 * Completions for a partly typed query: the words typed, completed (filters
 * already typed, `#tag`, `kind:…`, dates, kept on each), then titles of the best hits,
 * all made only of what the viewer may read.
 */
function completeQuery(kb: Pick<CommandContext['kb'], 'complete' | 'search' | 'now'>, partial: string, viewer: Person): Completion[] {
  const typed = partial.replace(/\s+/g, ' ').trim();
  if (!typed) return [];
  const tokens = typed.split(' ');
  const filters = tokens.filter(isFilter);
  const words = tokens.filter((token) => !isFilter(token)).join(' ');
  const completions: Completion[] = [];
  if (words && !isFilter(tokens[tokens.length - 1]!)) {
    for (const completion of kb.complete(words, viewer, WORD_COMPLETIONS)) completions.push({ value: [completion, ...filters].join(' ') });
  }
  let query: ReturnType<typeof parseQuery> | undefined;
  try {
    query = parseQuery(typed, kb.now());
  } catch {
    // A query /find would refuse (an unknown kind:) still gets its words completed.
  }
  if (query && (query.text || query.tags.length > 0)) {
    for (const hit of kb.search(query, { viewer, limit: COMPLETIONS }).hits) completions.push({ value: hit.title, detail: hit.kind });
  }
  return completions.slice(0, COMPLETIONS);
}
