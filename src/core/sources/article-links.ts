/**
 * Links back to where a write-up's owner reads it, made from the ARTICLES_URL
 * template: `https://github.com/me/notes/blob/main/{path}` for a repository,
 * `obsidian://open?vault=Notes&file={path}` for a vault,
 * `https://blog.example.org/{permalink}` for a blog.
 */

/** What a template can name, for one article. */
export interface LinkFields {
  /** The path under articles/: `git/nfs tuning.md`. */
  path: string;
  /** The file name without its ending: `nfs tuning`. */
  name: string;
  /** Front-matter `slug`, else the file name (a bundle's folder name) without a `YYYY-MM-DD-` date. */
  slug: string;
  /** Front-matter `permalink` (Jekyll), a relative `url` (Hugo) or `path` (Zola), without a leading `/`. */
  permalink?: string;
}

export const LINK_PLACEHOLDERS = ['path', 'name', 'slug', 'permalink'] as const;
type Placeholder = (typeof LINK_PLACEHOLDERS)[number];

const EXAMPLE = 'https://github.com/me/notes/blob/main/{path}';
const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * What is wrong with a template, as the text after `ARTICLES_URL: `; undefined when it is usable.
 * It must be an absolute URL (any scheme but javascript:, data: and file:) that names at least one
 * of {path}, {name}, {slug}, {permalink}, and nothing else in braces.
 */
export function linkTemplateProblem(template: string): string | undefined {
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  const unknown = names.find((name) => !(LINK_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown !== undefined) return `{${unknown}} is not a placeholder — use {path}, {name}, {slug} or {permalink}, e.g. ${EXAMPLE}`;
  if (names.length === 0) return `${template} names no placeholder, so every write-up would get the same link — use {path}, {name}, {slug} or {permalink}, e.g. ${EXAMPLE}`;
  let url: URL;
  try {
    url = new URL(template.replace(PLACEHOLDER, 'x'));
  } catch {
    return `${template} is not an absolute URL — e.g. ${EXAMPLE} or obsidian://open?vault=Notes&file={path}`;
  }
  if (['javascript:', 'data:', 'file:'].includes(url.protocol)) return `${url.protocol} links are not allowed — e.g. ${EXAMPLE}`;
  return undefined;
}

/** Characters of the template's own text that a URL cannot hold as written: spaces, controls, non-ASCII. */
const UNSAFE_LITERAL = /[^\x21-\x7e]/gu;

/**
 * An article's link from a template; undefined when the template names a field
 * the article lacks (no permalink). Each value is percent-encoded for where it
 * stands: in the path segment by segment (slashes kept), after `?` or `#` whole (slashes too).
 * The template's own text is kept, but a space or a non-ASCII letter in it (a vault named
 * `My Notes`) is percent-encoded too, so the link is one unbroken URL.
 */
export function articleLink(template: string, fields: LinkFields): string | undefined {
  let missing = false;
  const literal = template.replace(UNSAFE_LITERAL, encodeURIComponent);
  const query = literal.search(/[?#]/);
  const link = literal.replace(PLACEHOLDER, (_match, name: string, at: number) => {
    const value = fields[name as Placeholder];
    if (value === undefined || value === '') {
      missing = true;
      return '';
    }
    if (query >= 0 && at > query) return encodeURIComponent(value);
    return value.split('/').map(encodeURIComponent).join('/');
  });
  return missing ? undefined : link;
}
