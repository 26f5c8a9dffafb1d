/**
 * Articles: markdown write-ups under DATA_DIR/articles, with optional front matter (YAML or TOML).
 */
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { normalizeTag } from '../domain/tags.ts';
import { decodeText } from '../util/decode.ts';
import { splitFrontMatter } from './front-matter.ts';
import { isAbsoluteUrl } from './markdown.ts';
import { markdownText } from './markdown-text.ts';

/**
 * Bump when parsing gives other text, titles, dates or tags for the same file:
 * an index snapshot built under another version is rebuilt rather than loaded.
 */
export const ARTICLE_FORMAT_VERSION = 2;

export interface Article {
  /** Path relative to DATA_DIR, with forward slashes: `articles/git/nfs.md`. */
  path: string;
  title: string;
  /** ISO date from front matter, else the file's modification date. */
  date?: string;
  tags: string[];
  /** Front matter `url`, when absolute. */
  url?: string;
  /** Body text, markdown stripped. */
  text: string;
  /** Modification time in ms, for change detection. */
  mtimeMs: number;
}

/** A file that was skipped, and why. */
export interface ArticleProblem {
  path: string;
  reason: string;
}

/** Parses one article's source. Throws with a short reason when it cannot. */
export function parseArticle(
  relativePath: string,
  source: string,
  mtimeMs = 0,
): Article {
  if (source.includes('\u0000')) throw new Error('not a text file');
  const { data: meta, body } = splitFrontMatter(source);
  const { blocks } = markdownText(body);
  const firstHeading = blocks.find((block) => block.depth > 0);
  const metaTitle =
    typeof meta.title === 'string' || typeof meta.title === 'number' ? String(meta.title).trim() : '';
  const title = metaTitle || firstHeading?.text || path.basename(relativePath, path.extname(relativePath));
  // The heading used as the title is not repeated in the text.
  const textBlocks = metaTitle ? blocks : blocks.filter((block) => block !== firstHeading);
  const text = textBlocks.map((block) => block.text).join('\n');
  const url = typeof meta.url === 'string' && isAbsoluteUrl(meta.url) ? meta.url : undefined;
  return {
    path: relativePath,
    title,
    date: dateOf(meta.date) ?? (mtimeMs ? new Date(mtimeMs).toISOString().slice(0, 10) : undefined),
    tags: tagsOf(meta.tags),
    ...(url ? { url } : {}),
    text,
    mtimeMs,
  };
}

function dateOf(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && value.trim()) {
    const parsed = new Date(value.trim());
    if (!Number.isNaN(parsed.getTime())) return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? value.trim() : parsed.toISOString();
  }
  return undefined;
}

function tagsOf(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\s]+/) : [];
  const tags = raw
    .filter((tag): tag is string | number => typeof tag === 'string' || typeof tag === 'number')
    .map((tag) => normalizeTag(String(tag)))
    .filter(Boolean);
  return [...new Set(tags)];
}


function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Lists every `*.md` file under a folder, nested folders included, as paths relative to `root`. */
export async function listMarkdownFiles(root: string, folder: string): Promise<string[]> {
  const found: string[] = [];
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  for (const entry of entries) {
    if (!entry.name.toLowerCase().endsWith('.md')) continue;
    // NOTE: `parentPath` is Node 20.12+; `path` is the older name of the same field.
    const dir = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? folder;
    const file = path.join(dir, entry.name);
    if (!isListedPath(toPosix(path.relative(folder, file)))) continue;
    // A symlink to a markdown file counts as that file (linked folders are not followed: no cycles).
    if (!entry.isFile() && !(entry.isSymbolicLink() && isFileSync(file))) continue;
    found.push(toPosix(path.relative(root, file)));
  }
  return found.sort();
}

/**
 * Whether a path inside a listed folder is one to read: not hidden and not in a
 * hidden folder (.git, .obsidian, .trash) or node_modules.
 */
export function isListedPath(relative: string): boolean {
  return !relative.split('/').some((part) => part.startsWith('.') || part === 'node_modules');
}

/** Whether a path relative to DATA_DIR is an article: a .md file under articles/ that is listed. */
export function isArticlePath(relative: string): boolean {
  return relative.startsWith('articles/') && relative.toLowerCase().endsWith('.md') && isListedPath(relative.slice('articles/'.length));
}

function isFileSync(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

export function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** One article read and parsed, or why it could not be. */
export type ArticleResult = { article: Article } | { problem: ArticleProblem };

/** Reads and parses one article file; returns the problem instead of throwing. */
export async function readArticle(dataDir: string, relativePath: string): Promise<ArticleResult> {
  const file = path.join(dataDir, relativePath);
  try {
    const [bytes, info] = await Promise.all([readFile(file), stat(file)]);
    const source = decodeText(bytes);
    return { article: parseArticle(relativePath, source, info.mtimeMs) };
  } catch (error) {
    return { problem: problemOf(relativePath, error) };
  }
}

/**
 * `readArticle` with blocking reads, for a worker thread: one open, a stat of
 * that open file and one read, where the promise-based pair costs six round trips to the thread pool.
 */
export function readArticleSync(dataDir: string, relativePath: string): ArticleResult {
  try {
    const fd = openSync(path.join(dataDir, relativePath), 'r');
    let source: string;
    let mtimeMs: number;
    try {
      mtimeMs = fstatSync(fd).mtimeMs;
      source = decodeText(readFileSync(fd));
    } finally {
      closeSync(fd);
    }
    return { article: parseArticle(relativePath, source, mtimeMs) };
  } catch (error) {
    return { problem: problemOf(relativePath, error) };
  }
}

function problemOf(relativePath: string, error: unknown): ArticleProblem {
  const code = (error as NodeJS.ErrnoException).code;
  return { path: relativePath, reason: code ? `cannot read (${code})` : firstLine(error) };
}
