/**
 * The archives of the evaluation, read the way the bot reads them: each shared
 * write-up archive is listed and parsed by tinker's own article loader (so every
 * system indexes the title, text and tags tinker indexes), and Cranfield's
 * abstracts become documents of a title and a text.
 */
import { existsSync } from 'node:fs';
import { mkdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { articleDoc, loadArticles, type IndexedDoc } from '../../src/core/index.ts';
import { CRANFIELD_DIR, SHARED_CORPORA, TIL_DIR, WORK_DIR, loadCranfield, requireCorpus } from '../corpus.ts';
import { cranfieldGain } from './metrics.ts';

export const ARCHIVES = ['til', 'rust-blog', 'cranfield'] as const;
export type ArchiveName = (typeof ARCHIVES)[number];

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
}

export async function loadArchive(name: ArchiveName): Promise<Archive> {
  if (name === 'cranfield') return loadCranfieldArchive();
  return loadArticleArchive(name, name === 'til' ? TIL_DIR : RUST_BLOG_DIR);
}

/**
 * Reads a folder of write-ups as a DATA_DIR's articles/: a scratch DATA_DIR
 * whose `articles` is a link to the folder, read by `loadArticles` (its listing
 * rule, its parsing, its paths: `articles/git/nfs.md`, `articles/NAME/index.md`).
 */
async function loadArticleArchive(name: ArchiveName, folder: string): Promise<Archive> {
  requireCorpus(folder);
  const dataDir = path.join(WORK_DIR, 'eval', name);
  const link = path.join(dataDir, 'articles');
  await mkdir(dataDir, { recursive: true });
  const current = await readlink(link).catch(() => undefined);
  if (current !== folder) {
    await rm(link, { recursive: true, force: true });
    await symlink(folder, link, 'dir');
  }
  // One thread: the parsing worker is a compiled file, and the eval runs from source.
  const { articles, problems } = await loadArticles(dataDir, { workers: 0 });
  return { name, source: folder, docs: articles.map(articleDoc), skipped: problems };
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
