/**
 * Articles: markdown write-ups under DATA_DIR/articles, read as the tools that
 * wrote them mean them: Jekyll, Hugo and Zola blogs (YAML or TOML front matter,
 * dated file names, bundles), Obsidian vaults (file names as titles, aliases,
 * inline #tags, wikilinks), MDX, or plain notes.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { DateSource } from '../domain/types.ts';
import { normalizeTag } from '../domain/tags.ts';
import { decodeText } from '../util/decode.ts';
import { isInVaultOnDisk } from './article-files.ts';
import { articleLink, type LinkFields } from './article-links.ts';
import { splitFrontMatter, withoutFrontMatter } from './front-matter.ts';
import { isAbsoluteUrl } from './markdown.ts';
import { markdownText, snippetText, type TextBlock } from './markdown-text.ts';

/**
 * Bump when parsing gives other text, titles, dates or tags for the same file:
 * an index snapshot built under another version is rebuilt rather than loaded.
 */
export const ARTICLE_FORMAT_VERSION = 10;

/** The most of a file that is read and indexed: a write-up is rarely a tenth of it; a log pasted in can be 20 MB. */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

export interface Article {
  /** Path relative to DATA_DIR, with forward slashes: `articles/git/nfs.md`. */
  path: string;
  /** Front-matter `title`; else the `# Heading` that opens the file; else the file name (in an Obsidian vault always, unless the front matter says), a slug as words. */
  title: string;
  /** Other names (Obsidian `aliases:`), searched like the title. */
  aliases?: string[];
  /** ISO date, `2024-05-01`: front matter, else a `2024-05-01-` file-name prefix, else the modification date. */
  date?: string;
  /** Where `date` came from. */
  dateSource?: DateSource;
  /** Front-matter `tags`, `categories`, `[taxonomies]`, and (in an Obsidian vault) inline `#tags`; lower case, without `#`. */
  tags: string[];
  /** Where the owner reads it: an absolute front-matter `url`, else a link from the ARTICLES_URL template. */
  url?: string;
  /** Body text, markdown stripped. */
  text: string;
  /** Modification time in ms, for change detection. */
  mtimeMs: number;
}

/** A file that was skipped (or read only in part), and why. */
export interface ArticleProblem {
  path: string;
  reason: string;
}

/** What parsing needs to know beyond a file's text. */
export interface ArticleContext {
  /** Modification time in ms (0: unknown). */
  mtimeMs?: number;
  /** The file is in an Obsidian vault: its title is its file name. */
  vault?: boolean;
  /** The ARTICLES_URL template, validated at start. */
  linkTemplate?: string;
}

/** Parses one article's source. Throws with a short reason when it cannot. */
export function parseArticle(relativePath: string, source: string, context: ArticleContext = {}): Article {
  if (source.includes('\u0000')) throw new Error('not a text file');
  const { data: meta, body, format } = splitFrontMatter(source);
  const { blocks, inlineTags } = markdownText(body, { mdx: /\.mdx$/i.test(relativePath), templates: format !== undefined });
  const names = namesOf(relativePath);
  const metaTitle = scalarText(meta.title);
  const opening: TextBlock | undefined = !metaTitle && !context.vault && blocks[0]?.depth === 1 ? blocks[0] : undefined;
  // In a vault the file name is the note's name, as typed; elsewhere a slug (`accessing-a-lost-commit`) reads as words.
  const title = metaTitle || opening?.text || (context.vault ? names.title : titleOfSlug(names.title));
  // The heading that became the title is not repeated in the text.
  const text = (opening ? blocks.slice(1) : blocks).map((block) => block.text).join('\n');
  const mtimeMs = context.mtimeMs ?? 0;
  const dated = dateOf(meta, names.datePrefix, mtimeMs);
  const aliases = aliasesOf(meta.aliases ?? meta.alias, title);
  const url = urlOf(meta, relativePath, names, context.linkTemplate);
  return {
    path: relativePath,
    title,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...dated,
    // Inline #tags are a vault's convention; elsewhere `#t-cargo` is a chat channel, `#classify` a Ruby method.
    tags: tagsOf(meta, context.vault ? inlineTags : []),
    ...(url ? { url } : {}),
    text,
    mtimeMs,
  };
}

/** Names taken from a file's path: `_posts/2013-05-06-jekyll-released.markdown`, `posts/my-post/index.md`. */
interface PathNames {
  /** The file name without its ending; a bundle's (`index.md`, `_index.md`) folder name; without a date prefix. */
  title: string;
  /** The file (or bundle folder) name without its ending. */
  name: string;
  /** `YYYY-MM-DD` at the start of that name (Jekyll's posts, dated bundles). */
  datePrefix?: string;
}

/** `2013-05-06-jekyll-released` (Jekyll's posts), `2024-05-01` (a daily note). */
const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:[-_ ]+(?=\S)|$)/;

function namesOf(relativePath: string): PathNames {
  const file = path.posix.basename(relativePath, path.posix.extname(relativePath));
  const folder = path.posix.basename(path.posix.dirname(relativePath));
  // A bundle is the folder: `content/my-post/index.md` is "my-post" (but a bundle at the top of articles/ keeps its name).
  const name = (file === 'index' || file === '_index') && folder !== 'articles' && folder !== '.' ? folder : file;
  const prefix = DATE_PREFIX.exec(name);
  const datePrefix = prefix && isCalendarDate(prefix[1]!) ? prefix[1] : undefined;
  // A daily note's name is only its date: that stays its title.
  const title = datePrefix && prefix![0].length < name.length ? name.slice(prefix![0].length) : name;
  return { title, name, ...(datePrefix ? { datePrefix } : {}) };
}

/** A slug: lower-case words (letters or digits, a letter somewhere) joined by hyphens. */
const SLUG = /^(?=.*\p{Ll})[\p{Ll}\p{Nd}]+(?:-[\p{Ll}\p{Nd}]+)+$/u;

/**
 * A title for a file named by a slug, as Jekyll titles a post without one:
 * hyphens to spaces, each word capitalised (`accessing-a-lost-commit` →
 * "Accessing A Lost Commit"). Any other name (one word, capitals, spaces) is
 * kept as written: nothing says it is a slug.
 */
export function titleOfSlug(name: string): string {
  if (!SLUG.test(name)) return name;
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** The date fields front matter is known to use, in the order they are tried. */
const DATE_FIELDS = ['date', 'publishDate', 'pubDate', 'published', 'created'] as const;
/** A date written in a front-matter permalink or path: Zola's `path = "2015/06/25/rust-1.1"`, Jekyll's `/2015/06/25/x.html`. */
const PATH_DATE = /(?:^|\/)(\d{4})[/-](\d{2})[/-](\d{2})(?=[/-]|$)/;

function dateOf(meta: Record<string, unknown>, datePrefix: string | undefined, mtimeMs: number): Pick<Article, 'date' | 'dateSource'> {
  for (const field of DATE_FIELDS) {
    const date = dayOf(meta[field]);
    if (date) return { date, dateSource: 'front-matter' };
  }
  if (datePrefix) return { date: datePrefix, dateSource: 'file-name' };
  for (const field of ['permalink', 'path', 'url'] as const) {
    const match = typeof meta[field] === 'string' ? PATH_DATE.exec(meta[field]) : null;
    const date = match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
    if (date && isCalendarDate(date)) return { date, dateSource: 'front-matter' };
  }
  if (mtimeMs) return { date: new Date(mtimeMs).toISOString().slice(0, 10), dateSource: 'modified' };
  return {};
}

/**
 * A front-matter date as the day it names: `2024-05-01`, `2024-05-01T10:00:00+02:00`
 * (the day as written, not moved to UTC), a YAML or TOML date, or `May 1, 2024`.
 */
function dayOf(value: unknown): string | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    // TOML's dates (smol-toml's TomlDate) print as written; a plain Date is an instant in UTC.
    const written = /^\d{4}-\d{2}-\d{2}/.exec(String(value))?.[0];
    return written && isCalendarDate(written) ? written : value.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const text = value.trim();
  const leading = /^(\d{4}-\d{2}-\d{2})(?:$|[T\s])/.exec(text)?.[1];
  if (leading) return isCalendarDate(leading) ? leading : undefined;
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${parsed.getFullYear()}-${pad(parsed.getMonth() + 1)}-${pad(parsed.getDate())}`;
}

function isCalendarDate(day: string): boolean {
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(day);
}

/** Tags from every field the conventions use for them, then the inline `#tags` of the text. */
function tagsOf(meta: Record<string, unknown>, inlineTags: readonly string[]): string[] {
  const taxonomies = isMapping(meta.taxonomies) ? meta.taxonomies : {};
  const values = [meta.tags, meta.tag, meta.categories, meta.category, taxonomies.tags, taxonomies.categories];
  const tags = values.flatMap(listOf).map(normalizeTag).filter(Boolean);
  return [...new Set([...tags, ...inlineTags])];
}

/** A front-matter list (`[a, b]`, or `"a, b"`, or `a b`) as strings. */
function listOf(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\s]+/) : [];
  return raw.filter((item): item is string | number => typeof item === 'string' || typeof item === 'number').map(String);
}

/**
 * Obsidian's `aliases` (a list, or one name): other names of the note. Hugo and
 * Zola use the same key for old URLs (`/2015/06/rust.html`): those are not names.
 */
function aliasesOf(value: unknown, title: string): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const names = raw
    .filter((item): item is string | number => typeof item === 'string' || typeof item === 'number')
    .map((item) => String(item).replace(/\s+/g, ' ').trim())
    .filter((name) => name && name !== title && !/\/|\.html?$/i.test(name));
  return [...new Set(names)];
}

function urlOf(meta: Record<string, unknown>, relativePath: string, names: PathNames, template: string | undefined): string | undefined {
  if (typeof meta.url === 'string' && isAbsoluteUrl(meta.url.trim())) return meta.url.trim();
  if (!template) return undefined;
  const permalink = [meta.permalink, meta.url, meta.path].map(scalarText).find((value) => value && !isAbsoluteUrl(value));
  const fields: LinkFields = {
    path: relativePath.slice('articles/'.length),
    name: path.posix.basename(relativePath, path.posix.extname(relativePath)),
    slug: scalarText(meta.slug) || names.title,
    ...(permalink ? { permalink: permalink.replace(/^\/+/, '') } : {}),
  };
  return articleLink(template, fields);
}

function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * A file read that is not a write-up: a Hugo or Zola section's `_index.md` with no text of its
 * own (front matter only, or blank lines and shortcodes): the section's settings, not a page to find.
 */
export interface SectionPage {
  path: string;
  mtimeMs: number;
}

/**
 * One article read and parsed (with a warning when only part of it was read), a section page
 * that is none (`SectionPage`: not indexed), or why it could not be read.
 */
export type ArticleResult = { article: Article; warning?: ArticleProblem } | { section: SectionPage } | { problem: ArticleProblem };

/** Hugo's and Zola's section index: `_index.md` (any markdown ending) in any folder. */
export function isSectionIndex(relativePath: string): boolean {
  return /(?:^|\/)_index\.(?:md|markdown|mdx)$/i.test(relativePath);
}

/**
 * Whether a parsed file is a section page and not a write-up: a section index (`isSectionIndex`)
 * whose body has no text once parsed (an opening heading that became its title counts as none).
 */
export function isEmptySection(article: Article): boolean {
  return isSectionIndex(article.path) && article.text.trim() === '';
}

/** How to read articles: what parsing needs beyond each file (its vault, the link template). */
export interface ReadArticleOptions {
  linkTemplate?: string;
  /** Whether the file is in an Obsidian vault; looked up on disk when not given. */
  vault?: boolean;
  /** Bytes read per file at most; default MAX_ARTICLE_BYTES. */
  maxBytes?: number;
}

/** Reads and parses one article file; returns the problem instead of throwing. */
export async function readArticle(dataDir: string, relativePath: string, options: ReadArticleOptions = {}): Promise<ArticleResult> {
  try {
    const handle = await open(path.join(dataDir, relativePath), 'r');
    let read: { bytes: Uint8Array; size: number; mtimeMs: number };
    try {
      const info = await handle.stat();
      const limit = Math.min(info.size, options.maxBytes ?? MAX_ARTICLE_BYTES);
      const bytes = new Uint8Array(limit);
      let filled = 0;
      while (filled < limit) {
        const { bytesRead } = await handle.read(bytes, filled, limit - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      read = { bytes: bytes.subarray(0, filled), size: info.size, mtimeMs: info.mtimeMs };
    } finally {
      await handle.close();
    }
    return parsed(dataDir, relativePath, read, options);
  } catch (error) {
    return { problem: problemOf(relativePath, error) };
  }
}

/**
 * `readArticle` with blocking reads, for a worker thread: one open, a stat of
 * that open file and one read, where the promise-based calls cost several round trips to the thread pool.
 */
export function readArticleSync(dataDir: string, relativePath: string, options: ReadArticleOptions = {}): ArticleResult {
  try {
    return parsed(dataDir, relativePath, readBytesSync(path.join(dataDir, relativePath), options.maxBytes ?? MAX_ARTICLE_BYTES), options);
  } catch (error) {
    return { problem: problemOf(relativePath, error) };
  }
}

/**
 * An article's text read back from disk for a snippet (the index keeps no article text in memory),
 * read by the same rules as for the index but without a parse (`snippetText`); undefined when the file is gone.
 */
export function readArticleTextSync(dataDir: string, relativePath: string | undefined, options: ReadArticleOptions = {}): string | undefined {
  if (!relativePath) return undefined;
  try {
    const read = readBytesSync(path.join(dataDir, relativePath), options.maxBytes ?? MAX_ARTICLE_BYTES);
    const source = decodeText(read.size > read.bytes.length ? wholeLines(read.bytes) : read.bytes);
    const body = withoutFrontMatter(source);
    return snippetText(body, {
      mdx: /\.mdx$/i.test(relativePath),
      templates: body.length < source.length - (source.charCodeAt(0) === 0xfeff ? 1 : 0),
      keepOpeningHeading: options.vault ?? isInVaultOnDisk(dataDir, relativePath),
    });
  } catch {
    return undefined;
  }
}

/** Reads at most `maxBytes` of a file, with its size and modification time. */
function readBytesSync(file: string, maxBytes: number): { bytes: Uint8Array; size: number; mtimeMs: number } {
  const fd = openSync(file, 'r');
  try {
    const info = fstatSync(fd);
    const bytes = new Uint8Array(Math.min(info.size, maxBytes));
    let filled = 0;
    while (filled < bytes.length) {
      const count = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (count === 0) break;
      filled += count;
    }
    return { bytes: bytes.subarray(0, filled), size: info.size, mtimeMs: info.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function parsed(
  dataDir: string,
  relativePath: string,
  read: { bytes: Uint8Array; size: number; mtimeMs: number },
  options: ReadArticleOptions,
): ArticleResult {
  const cut = read.size > read.bytes.length;
  const source = decodeText(cut ? wholeLines(read.bytes) : read.bytes);
  const article = parseArticle(relativePath, source, {
    mtimeMs: read.mtimeMs,
    vault: options.vault ?? isInVaultOnDisk(dataDir, relativePath),
    ...(options.linkTemplate ? { linkTemplate: options.linkTemplate } : {}),
  });
  if (isEmptySection(article)) return { section: { path: relativePath, mtimeMs: read.mtimeMs } };
  if (!cut) return { article };
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, '')} MB`;
  return { article, warning: { path: relativePath, reason: `is ${mb(read.size)}; only its first ${mb(read.bytes.length)} is indexed` } };
}

/** The bytes up to the last line end (so no word is cut), or, in one long line, up to the last whole character. */
function wholeLines(bytes: Uint8Array): Uint8Array {
  const end = bytes.lastIndexOf(0x0a);
  if (end > 0) return bytes.subarray(0, end + 1);
  // A UTF-8 character the limit split would make the whole file read as Latin-1.
  let cut = bytes.length;
  while (cut > 0 && bytes.length - cut < 3 && (bytes[cut - 1]! & 0xc0) === 0x80) cut -= 1;
  if (cut > 0 && bytes[cut - 1]! >= 0xc0) cut -= 1;
  return bytes.subarray(0, cut);
}

function problemOf(relativePath: string, error: unknown): ArticleProblem {
  const code = (error as NodeJS.ErrnoException).code;
  return { path: relativePath, reason: code ? `cannot read (${code})` : firstLine(error) };
}
