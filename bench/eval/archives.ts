/**
 * The archives of the evaluation, read the way the bot reads them: each shared
 * write-up archive is listed and parsed by tinker's own article loader (so every
 * system indexes the title, text and tags tinker indexes), and Cranfield's
 * abstracts become documents of a title and a text.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { articleDoc, loadArticles, type IndexedDoc } from '../../src/core/index.ts';
import { CRANFIELD_DIR, REPO_ROOT, SHARED_CORPORA, TIL_DIR, WORK_DIR, loadCranfield, requireCorpus } from '../corpus.ts';
import { cranfieldGain } from './metrics.ts';

export const ARCHIVES = ['til', 'rust-blog', 'cranfield'] as const;
/** A shared archive, or any folder of markdown write-ups (`dir:/path/to/folder`), e.g. a held-out one. */
export type ArchiveName = (typeof ARCHIVES)[number] | `dir:${string}`;

/** Whether a command-line archive name is one the eval can read. */
export function isArchiveName(name: string): name is ArchiveName {
  return (ARCHIVES as readonly string[]).includes(name) || (name.startsWith('dir:') && name.length > 4);
}

export const RUST_BLOG_DIR = path.join(SHARED_CORPORA, 'rust-blog', 'content');

/** Cranfield's ad hoc task: its 225 questions and graded judgments. */
export interface AdHocTask {
  /** Query text, by position in cran.qry. */
  queries: string[];
  /** Per query (same order): document id → gain, codes 1-4 only. */
  gains: Array<Map<string, number>>;
  /** The same with code -1 counted as gain 4. */
  gainsWithMinusOne: Array<Map<string, number>>;
}

export interface Archive {
  name: ArchiveName;
  /** Where it was read from. */
  source: string;
  docs: IndexedDoc[];
  /** Files tinker's loader skipped, with its reason. */
  skipped: Array<{ path: string; reason: string }>;
  adHoc?: AdHocTask;
  /** Whether the parsed documents came from the cache (same corpus files, same parsing code). */
  cached?: boolean;
}

export async function loadArchive(name: ArchiveName): Promise<Archive> {
  if (name === 'cranfield') return loadCranfieldArchive();
  if (name.startsWith('dir:')) return loadArticleArchive(name, path.resolve(name.slice(4)));
  return loadArticleArchive(name, name === 'til' ? TIL_DIR : RUST_BLOG_DIR);
}

/**
 * Reads a folder of write-ups as a DATA_DIR's articles/: a scratch DATA_DIR
 * whose `articles` is a link to the folder, read by `loadArticles` (its listing
 * rule, its parsing, its paths: `articles/git/nfs.md`, `articles/NAME/index.md`).
 * Parsing rust-blog takes about 15 s, so the documents are kept in
 * bench/.work/eval/ and reused while neither the corpus files nor tinker's
 * code outside src/core/search/ change.
 */
async function loadArticleArchive(name: ArchiveName, folder: string): Promise<Archive> {
  requireCorpus(folder);
  const key = name.startsWith('dir:') ? `dir-${createHash('sha256').update(folder).digest('hex').slice(0, 12)}` : name;
  const dataDir = path.join(WORK_DIR, 'eval', key);
  const cacheFile = path.join(WORK_DIR, 'eval', `${key}.docs.json`);
  const fingerprint = await parseFingerprint(folder);
  const cached = await readFile(cacheFile, 'utf8')
    .then((text) => JSON.parse(text) as { fingerprint: string; docs: IndexedDoc[]; skipped: Archive['skipped'] })
    .catch(() => undefined);
  if (cached?.fingerprint === fingerprint) return { name, source: folder, docs: cached.docs, skipped: cached.skipped, cached: true };

  const link = path.join(dataDir, 'articles');
  await mkdir(dataDir, { recursive: true });
  const current = await readlink(link).catch(() => undefined);
  if (current !== folder) {
    await rm(link, { recursive: true, force: true });
    await symlink(folder, link, 'dir');
  }
  // One thread: the parsing worker is a compiled file, and the eval runs from source.
  const { articles, problems } = await loadArticles(dataDir, { workers: 0 });
  const archive: Archive = { name, source: folder, docs: articles.map(articleDoc), skipped: problems };
  await writeFile(cacheFile, JSON.stringify({ fingerprint, docs: archive.docs, skipped: archive.skipped }));
  return archive;
}

/**
 * What the parsed documents depend on: every file of the corpus (path, size,
 * modification time) and the source of tinker's core but its search index
 * (listing, parsing, text and the document shape live there).
 */
async function parseFingerprint(folder: string): Promise<string> {
  const hash = createHash('sha256');
  const core = path.join(REPO_ROOT, 'src', 'core');
  const files = ((await readdir(core, { recursive: true })) as string[]).filter((file) => file.endsWith('.ts') && !file.split(path.sep).includes('search')).sort();
  for (const file of files) hash.update(file).update(await readFile(path.join(core, file)));
  for (const file of ((await readdir(folder, { recursive: true })) as string[]).sort()) {
    const info = await stat(path.join(folder, file));
    hash.update(`${file} ${info.size} ${info.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

async function loadCranfieldArchive(): Promise<Archive> {
  requireCorpus(CRANFIELD_DIR);
  const cranfield = await loadCranfield();
  const docs: IndexedDoc[] = cranfield.docs.map((doc) => ({
    id: `cran:${doc.id}`,
    kind: 'article',
    title: doc.title.trim(),
    text: doc.text.trim(),
    tags: [],
    source: { label: `cranfield ${doc.id}` },
  }));
  const gainsOf = (countMinusOne: boolean) =>
    cranfield.queries.map((_, i) => {
      const gains = new Map<string, number>();
      for (const [doc, code] of cranfield.qrels.get(i + 1) ?? []) {
        const gain = cranfieldGain(code, countMinusOne);
        if (gain > 0) gains.set(`cran:${doc}`, gain);
      }
      return gains;
    });
  return {
    name: 'cranfield',
    source: CRANFIELD_DIR,
    docs,
    skipped: [],
    adHoc: { queries: cranfield.queries, gains: gainsOf(false), gainsWithMinusOne: gainsOf(true) },
  };
}

/** Whether the shared corpora are there at all (the eval says so and exits 2 when not). */
export function sharedCorporaPresent(): boolean {
  return existsSync(SHARED_CORPORA);
}
