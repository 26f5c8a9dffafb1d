/**
 * Which files under DATA_DIR/articles are write-ups: the one listing rule, used
 * by the loader, the snapshot's start-up check (and its worker thread) and the
 * watcher. Markdown files (`.md`, `.markdown`, `.mdx`) and symlinks to them, in
 * nested folders, except hidden files and folders (`.git`, `.obsidian`,
 * `.trash`) and `node_modules`. Linked folders are not followed, so a link
 * back up (`articles/x/loop -> ..`) cannot make a loop.
 */
import type { Dirent, Stats } from 'node:fs';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** The file name endings read as markdown write-ups. */
export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.mdx'] as const;

/**
 * Whether a path inside a listed folder is one to read: not hidden and not in a
 * hidden folder (.git, .obsidian, .trash) or node_modules.
 * NOTE: self-contained (no outside names): the snapshot's worker runs its source text.
 */
export function isListedPath(relative: string): boolean {
  return !relative.split('/').some((part) => part.startsWith('.') || part === 'node_modules');
}

/**
 * Whether a path relative to DATA_DIR is an article: a markdown file under articles/ that is listed.
 * NOTE: uses only isListedPath: the snapshot's worker runs both functions' source text.
 */
export function isArticlePath(relative: string): boolean {
  return relative.startsWith('articles/') && /\.(?:md|markdown|mdx)$/i.test(relative) && isListedPath(relative.slice('articles/'.length));
}

/** Whether a file name has one of the markdown endings. */
export function hasArticleExtension(name: string): boolean {
  return /\.(?:md|markdown|mdx)$/i.test(name);
}

export function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** A folder that could not be listed, or a file whose symlink could not be followed, and why (`EACCES`, `ELOOP`, …). */
export interface ListingProblem {
  /** Path relative to the listing's root; a folder's with a trailing `/`: `articles/private/`, `articles/loop.md`. */
  path: string;
  reason: string;
}

/**
 * Why a listed file cannot be looked at, from the error of its stat: a symlink
 * loop (`a.md -> b.md -> a.md`: ELOOP), or a link into a folder that may not be
 * entered (EACCES). Worded as the loader words a file it cannot read.
 * NOTE: self-contained (no outside names): the snapshot's worker runs its source text.
 */
export function statProblemReason(code: string | undefined): string {
  return code === 'ELOOP' ? 'a symlink loop (ELOOP)' : `cannot read (${code ?? 'unknown error'})`;
}

/**
 * Stats a listed file, following symlinks. Undefined when it is gone or is a
 * dangling link (left out without a word, as a file deleted meanwhile), and
 * when it cannot be looked at: then why is added to `problems` under `relative`,
 * for one short warning, instead of the error stopping the whole listing.
 */
export function statListedFile(file: string, relative: string, problems: ListingProblem[]): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    problems.push({ path: relative, reason: statProblemReason((error as NodeJS.ErrnoException).code) });
    return undefined;
  }
}

/** What a listing found. */
export interface ArticleListing {
  /** Paths relative to the root, forward slashes, sorted. */
  files: string[];
  /** Folders (relative to the root, no trailing slash) that hold an `.obsidian/` folder: Obsidian vaults. */
  vaults: Set<string>;
  /** Sub-folders that could not be read (their files are left out), and symlinks that could not be followed. */
  problems: ListingProblem[];
}

const DOT = 0x2e;

/** Folders read at once: enough to hide the latency of each, few enough to keep file handles free. */
const CONCURRENT_READS = 16;

/**
 * Lists the markdown files under `folder` (nested folders included) as paths
 * relative to `root`. A sub-folder that cannot be read (no permission, gone
 * half-way) is left out and reported, and the rest is listed; a missing
 * `folder` lists nothing.
 */
export async function listArticleFiles(root: string, folder: string): Promise<ArticleListing> {
  const listing: ArticleListing = { files: [], vaults: new Set(), problems: [] };
  // Each folder goes with its path relative to `root`, so a file's is its folder's and its name run
  // together instead of a path.relative (which resolves both paths) per file: most of the listing's
  // cost at 100k files. A name holds no separator, so the path is the same; but not when `folder` is
  // outside `root`, where a path down `folder` may come back to `root` (root/articles listed from root/..).
  const start = toPosix(path.relative(root, folder));
  const inside = start === '' || (start !== '..' && !start.startsWith('../') && !path.isAbsolute(start));
  const relativeOf = (dir: string) => toPosix(path.relative(root, dir));
  const pending: Array<{ dir: string; relative: string }> = [{ dir: folder, relative: start }];
  const readOne = async (dir: string, relative: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Missing: the root is not there yet, or a folder went between listing its parent and reading it.
      if (code !== 'ENOENT') listing.problems.push({ path: `${relative}/`, reason: `cannot read the folder (${code ?? String(error)})` });
      return;
    }
    // path.join(dir, name) for a name read from the folder: the folder normalised once, then the name added.
    const base = path.join(dir, '.');
    const dirPrefix = base === '.' ? '' : base.endsWith(path.sep) ? base : base + path.sep;
    const relativePrefix = relative === '' ? '' : `${relative}/`;
    for (const entry of entries) {
      const name = entry.name;
      // isListedPath for a single name (it holds no `/`).
      if (name.charCodeAt(0) === DOT) {
        if (name === '.obsidian' && entry.isDirectory()) listing.vaults.add(relative);
        continue;
      }
      if (name === 'node_modules') continue;
      if (entry.isDirectory()) {
        const sub = dirPrefix + name;
        pending.push({ dir: sub, relative: inside ? relativePrefix + name : relativeOf(sub) });
      } else if (hasArticleExtension(name)) {
        const file = inside ? relativePrefix + name : relativeOf(dirPrefix + name);
        // A symlink to a markdown file counts as that file; one that cannot be followed is reported.
        if (entry.isFile() || (entry.isSymbolicLink() && (statListedFile(dirPrefix + name, file, listing.problems)?.isFile() ?? false))) listing.files.push(file);
      }
    }
  };
  // Workers take folders as they are found; one that finds none waits until another's read ends.
  let inFlight = 0;
  const idle: (() => void)[] = [];
  const wake = () => idle.splice(0).forEach((resolve) => resolve());
  const worker = async (): Promise<void> => {
    for (;;) {
      const next = pending.pop();
      if (next === undefined) {
        if (inFlight === 0) return wake();
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      inFlight += 1;
      try {
        await readOne(next.dir, next.relative);
      } finally {
        inFlight -= 1;
        wake();
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_READS }, worker));
  listing.files.sort();
  listing.problems.sort((a, b) => a.path.localeCompare(b.path));
  return listing;
}

/** Lists every markdown file under a folder, nested folders included, as paths relative to `root`. */
export async function listMarkdownFiles(root: string, folder: string): Promise<string[]> {
  return (await listArticleFiles(root, folder)).files;
}

/**
 * Whether an article (path relative to DATA_DIR) is in an Obsidian vault: an
 * `.obsidian/` folder in its own folder or one above it, up to articles/.
 */
export function isInVault(relativePath: string, vaults: ReadonlySet<string>): boolean {
  // Asked for every listed file: most archives have no vault, and most paths are plain (no `//`, no
  // trailing `/`), whose folders are the prefixes up to each `/`, as path.posix.dirname has them.
  if (vaults.size === 0) return false;
  if (!relativePath.endsWith('/') && !relativePath.includes('//')) {
    for (let end = relativePath.lastIndexOf('/'); end > 0; end = relativePath.lastIndexOf('/', end - 1)) {
      const dir = relativePath.slice(0, end);
      if (!dir.startsWith('articles')) return false;
      if (vaults.has(dir)) return true;
      if (dir === 'articles') return false;
    }
    return false;
  }
  for (let dir = path.posix.dirname(relativePath); dir.startsWith('articles'); dir = path.posix.dirname(dir)) {
    if (vaults.has(dir)) return true;
    if (dir === 'articles') break;
  }
  return false;
}

/** `isInVault` for one file, looking at the disk (a stat per folder above it): for files re-read one at a time. */
export function isInVaultOnDisk(dataDir: string, relativePath: string): boolean {
  for (let dir = path.posix.dirname(relativePath); dir.startsWith('articles'); dir = path.posix.dirname(dir)) {
    if (existsSync(path.join(dataDir, dir, '.obsidian'))) return true;
    if (dir === 'articles') break;
  }
  return false;
}
