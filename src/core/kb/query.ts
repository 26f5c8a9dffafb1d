/**
 * `/find` query syntax: free text, `#tag` and `kind:note|article|profile` filters.
 */
import { UserError } from '../domain/errors.ts';
import type { DocKind, SearchQuery } from '../search/search-index.ts';
import { tagTerm } from '../text/words.ts';

export const DOC_KINDS: readonly DocKind[] = ['note', 'article', 'profile'];

/** Splits a query into text and filters; a malformed filter is a `UserError` that says how to write it. */
export function parseQuery(raw: string): SearchQuery {
  const words: string[] = [];
  const kinds: DocKind[] = [];
  const tags: string[] = [];
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
      if (!kinds.includes(wanted as DocKind)) kinds.push(wanted as DocKind);
      continue;
    }
    if (token.startsWith('#')) {
      const tag = tagTerm(token.replace(/^#+/, ''));
      if (!tag) throw new UserError('bad-query', 'find: # needs a tag name after it — e.g. /find #git');
      if (!tags.includes(tag)) tags.push(tag);
      continue;
    }
    words.push(token);
  }
  return { text: words.join(' '), kinds, tags };
}
