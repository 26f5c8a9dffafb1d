import { SEARCH_QUERY_MAX_LENGTH } from './limits.ts';
import { UserError, defineCommand, parseQuery, reply, type CommandContext, type Completion } from '../src/core/index.ts';

export const find = defineCommand({
  name: 'find',
  description: 'Search your write-ups, notes and profile (typos are fine)',
  usage: '/find <words> [#tag] [kind:note|article|profile]',
  example: '/find libgit2 nfs',
  option: {
    name: 'query',
    description: 'Words to look for; #tag and kind:note|article|profile narrow it',
    required: true,
    maxLength: SEARCH_QUERY_MAX_LENGTH,
    autocomplete: true,
  },
  visibility: 'ephemeral',
  writes: false,
  async complete(ctx, typed) {
    return completeQuery(ctx.kb, typed);
  },
  async run(ctx, invocation) {
    const raw = invocation.text.trim();
    if (!raw) throw new UserError('usage', 'find: query is empty — try /find libgit2');
    // Very long queries are cut rather than refused: the first words carry the intent.
    const query = parseQuery(raw.length > SEARCH_QUERY_MAX_LENGTH ? raw.slice(0, SEARCH_QUERY_MAX_LENGTH) : raw);
    const { hits, total } = ctx.kb.search(query, ctx.searchLimit);
    const shown = describe(raw);
    if (hits.length === 0) {
      const filters = [...query.kinds.map((k) => `kind:${k}`), ...query.tags.map((t) => `#${t}`)].join(' ');
      // The words match, the filters excluded everything: say that rather than guess at spelling.
      const unfiltered = filters && query.text ? ctx.kb.search({ text: query.text, kinds: [], tags: [] }, 1).total : 0;
      if (unfiltered > 0) {
        return reply(`Nothing found for "${shown}".`, {
          sections: [
            {
              type: 'text',
              text: `${unfiltered === 1 ? '1 result' : `${unfiltered} results`} without ${filters} — try /find ${describe(query.text)}`,
            },
          ],
        });
      }
      const suggestions = query.text ? ctx.kb.didYouMean(query.text, 3) : [];
      return reply(`Nothing found for "${shown}".`, {
        sections: suggestions.length > 0
          ? [{ type: 'list', title: 'Did you mean', items: suggestions.map((s) => ({ text: filters ? `${s} ${filters}` : s })) }]
          : [{ type: 'text', text: 'Try fewer or other words, or /find #tag to list a tag.' }],
      });
    }
    const more = total > hits.length ? ` (best ${hits.length} of ${total})` : '';
    return reply(`${total === 1 ? '1 result' : `${total} results`} for "${shown}"${more}`, {
      sections: [{ type: 'hits', hits }],
    });
  },
});

function describe(raw: string): string {
  const flat = raw.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

/** How many word completions come before hit titles, and how many completions in all. */
const WORD_COMPLETIONS = 10;
const COMPLETIONS = 25;

const isFilter = (token: string) => token.startsWith('#') || /^kind:/i.test(token);

/**
 * Completions for a partly typed query: the words typed, completed (filters
 * already typed, `#tag` and `kind:…`, kept on each), then titles of the best hits.
 */
function completeQuery(kb: Pick<CommandContext['kb'], 'complete' | 'search'>, partial: string): Completion[] {
  const typed = partial.replace(/\s+/g, ' ').trim();
  if (!typed) return [];
  const tokens = typed.split(' ');
  const filters = tokens.filter(isFilter);
  const words = tokens.filter((token) => !isFilter(token)).join(' ');
  const completions: Completion[] = [];
  if (words && !isFilter(tokens[tokens.length - 1]!)) {
    for (const completion of kb.complete(words, WORD_COMPLETIONS)) completions.push({ value: [completion, ...filters].join(' ') });
  }
  let query: ReturnType<typeof parseQuery> | undefined;
  try {
    query = parseQuery(typed);
  } catch {
    // A query /find would refuse (an unknown kind:) still gets its words completed.
  }
  if (query && (query.text || query.tags.length > 0)) {
    for (const hit of kb.search(query, COMPLETIONS).hits) completions.push({ value: hit.title, detail: hit.kind });
  }
  return completions.slice(0, COMPLETIONS);
}
