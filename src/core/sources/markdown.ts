/**
 * Markdown parsing with a real parser (mdast), shared by the profile and the articles.
 */
import { fromMarkdown, type Extension as MdastExtension, type Options } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { toString } from 'mdast-util-to-string';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Root, RootContent, Nodes, Link } from 'mdast';
import { parse as parseYaml } from 'yaml';

export type { Root, RootContent };

/** A micromark syntax extension (the type from micromark-util-types). */
type SyntaxExtension = ReturnType<typeof gfmTable>;

export interface ParseMarkdownOptions {
  /**
   * Skip the pass that turns URLs and e-mail addresses found in text into link
   * nodes (GFM "autolink literals" not already recognised while tokenizing).
   * The text is the same, only fewer nodes are links: for callers that read text, not links.
   */
  textOnly?: boolean;
}

/**
 * One syntax extension (micromark) and its tree builder (mdast), with a test
 * for sources where its syntax cannot occur. An extension that cannot match
 * anything changes nothing but costs time: GFM doubled the parse time, and the
 * e-mail autolink alone is tried at the start of every word.
 */
interface Part {
  /** False only when the source cannot contain this syntax. */
  mayOccur: (source: string) => boolean;
  syntax: SyntaxExtension;
  mdast: MdastExtension;
}

// The e-mail autolink hooks every letter and digit; URLs (`www.`, `http://`) need only `w` and `h`.
const autolinks = gfmAutolinkLiteral();
const urlAutolinks: SyntaxExtension = {
  text: Object.fromEntries(
    Object.entries(autolinks.text ?? {})
      .map(([code, constructs]) => [code, [constructs ?? []].flat().filter((construct) => construct.name !== 'emailAutolink')] as const)
      .filter(([, constructs]) => constructs.length > 0),
  ),
};
const autolinkMdast = gfmAutolinkLiteralFromMarkdown();

// In the order the full set is combined (micromark-extension-gfm, mdast-util-gfm): constructs tried at the same character keep their order.
const PARTS: readonly Part[] = [
  // Only at the very start (micromark skips a byte-order mark).
  { mayOccur: (s) => /^\uFEFF?---/.test(s), syntax: frontmatter(['yaml']), mdast: frontmatterFromMarkdown(['yaml']) },
  { mayOccur: (s) => s.includes('@'), syntax: autolinks, mdast: autolinkMdast },
  { mayOccur: (s) => !s.includes('@') && /www\.|:\/\//i.test(s), syntax: urlAutolinks, mdast: autolinkMdast },
  { mayOccur: (s) => s.includes('[^'), syntax: gfmFootnote(), mdast: gfmFootnoteFromMarkdown() },
  { mayOccur: (s) => s.includes('~'), syntax: gfmStrikethrough(), mdast: gfmStrikethroughFromMarkdown() },
  // A delimiter row needs a `|`, or a `:` against a `-` (`:-`, `-:`).
  { mayOccur: (s) => /\||:-|-:/.test(s), syntax: gfmTable(), mdast: gfmTableFromMarkdown() },
  { mayOccur: (s) => /\[(?:[xX \t\n\r]|\r\n)\]/.test(s), syntax: gfmTaskListItem(), mdast: gfmTaskListItemFromMarkdown() },
];
const AUTOLINK_PARTS = 0b110;
const EMAIL_AUTOLINK_PART = 0b010;
const URL_AUTOLINK_PART = 0b100;
/** Characters past which a text-only parse leaves out the e-mail autolink. */
const LARGE_SOURCE = 100_000;
/**
 * The autolink pass over the finished tree also finds URLs that escapes or
 * character references spell (`www\.x.org`, `a&#64;b.org`), with no autolink syntax in the source.
 */
const linkPassMayFind = (s: string) => /www|:\/\/|@|&|\\/i.test(s);
const LINK_PASS = 1 << PARTS.length;
const TEXT_ONLY = LINK_PASS << 1;
const autolinkMdastTextOnly: MdastExtension = { ...autolinkMdast, transforms: [] };

const optionsByMask = new Map<number, Options>();

function optionsFor(mask: number): Options {
  let options = optionsByMask.get(mask);
  if (options) return options;
  const parts = PARTS.filter((_, i) => mask & (1 << i));
  const mdast = parts.map((part) => part.mdast).filter((ext) => ext !== autolinkMdast);
  // The autolink tree builder goes where the full set has it: after front matter, before the rest.
  if (mask & (AUTOLINK_PARTS | LINK_PASS)) mdast.splice(mask & 1 ? 1 : 0, 0, mask & TEXT_ONLY ? autolinkMdastTextOnly : autolinkMdast);
  options = { extensions: parts.map((part) => part.syntax), mdastExtensions: mdast };
  optionsByMask.set(mask, options);
  return options;
}

/**
 * Parses markdown (GFM, YAML front matter) into an mdast tree. Each extension
 * is enabled only when the source can contain its syntax: the tree is the one
 * all of them would give, for less work.
 */
export function parseMarkdown(source: string, options: ParseMarkdownOptions = {}): Root {
  let mask = 0;
  PARTS.forEach((part, i) => {
    if (part.mayOccur(source)) mask |= 1 << i;
  });
  // NOTE: the e-mail autolink's cost grows with the square of a paragraph's length (a pasted mail
  // thread of 400 KB took 3 s, of 1.6 MB 23 s, holding the bot). In a text-only parse it changes no
  // words, so a large source goes without it (URL autolinks stay).
  if (options.textOnly && source.length > LARGE_SOURCE && mask & EMAIL_AUTOLINK_PART) {
    mask &= ~EMAIL_AUTOLINK_PART;
    if (/www\.|:\/\//i.test(source)) mask |= URL_AUTOLINK_PART;
  }
  if (!options.textOnly && !(mask & AUTOLINK_PARTS) && linkPassMayFind(source)) mask |= LINK_PASS;
  if (options.textOnly) mask |= TEXT_ONLY;
  return fromMarkdown(source, optionsFor(mask));
}

/** The YAML front matter of a tree as an object; `{}` when there is none. Throws on invalid YAML. */
export function frontMatterOf(tree: Root): Record<string, unknown> {
  const node = tree.children[0];
  if (node?.type !== 'yaml') return {};
  const data: unknown = parseYaml(node.value);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new Error('front matter is not a YAML mapping');
  }
  return data as Record<string, unknown>;
}

/** Plain text of a node, with soft line breaks folded to spaces. */
export function plainText(node: Nodes): string {
  return toString(node, { includeImageAlt: true }).replace(/\s+/g, ' ').trim();
}

/** The first absolute (http/https/mailto) link inside a node, if any. */
export function firstLink(node: Nodes): string | undefined {
  let found: string | undefined;
  visit(node, (child) => {
    if (found === undefined && child.type === 'link' && isAbsoluteUrl((child as Link).url)) {
      found = (child as Link).url;
    }
  });
  return found;
}

export function isAbsoluteUrl(url: string): boolean {
  return /^(https?:|mailto:)/i.test(url);
}

function visit(node: Nodes, fn: (node: Nodes) => void): void {
  fn(node);
  if ('children' in node) {
    for (const child of node.children) visit(child as Nodes, fn);
  }
}
