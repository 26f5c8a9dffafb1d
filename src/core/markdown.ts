/**
 * Markdown parsing with a real parser (mdast), shared by the profile and the articles.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import type { Root, RootContent, Nodes, Link } from 'mdast';
import { parse as parseYaml } from 'yaml';

export type { Root, RootContent };

/** Parses markdown (GFM, YAML front matter) into an mdast tree. */
export function parseMarkdown(source: string): Root {
  return fromMarkdown(source, {
    extensions: [frontmatter(['yaml']), gfm()],
    mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmFromMarkdown()],
  });
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
