/**
 * The baselines' rankings, kept between runs. A baseline's ranking depends only
 * on the documents, its own code and MiniSearch's version, none of which a
 * change to tinker touches; MiniSearch's fuzzy search is most of a run's time.
 * A ranking is reused only when all of those are the same (the fingerprint),
 * so a reused figure is the figure a fresh run would print. `--no-cache`
 * recomputes everything.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexedDoc } from '../../src/core/index.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The files a baseline's ranking depends on, besides the documents. */
const BASELINE_SOURCES = ['baselines.ts', 'bm25.ts'].map((file) => path.join(HERE, file));
const MINISEARCH_PACKAGE = path.join(HERE, '..', '..', 'node_modules', 'minisearch', 'package.json');

interface CacheFile {
  fingerprint: string;
  /** System name → key → what it answered (a target's rank, or a ranking). */
  values: Record<string, Record<string, unknown>>;
}

export class RankCache {
  private changed = false;
  /** How many answers were reused, and computed, this run. */
  readonly counts = { reused: 0, computed: 0 };

  private constructor(
    private readonly file: string,
    private readonly data: CacheFile,
  ) {}

  /** The cache for one archive's documents; empty when anything it depends on changed. */
  static async open(file: string, docs: readonly IndexedDoc[]): Promise<RankCache> {
    const hash = createHash('sha256').update(JSON.stringify(docs.map((doc) => [doc.id, doc.title, doc.text, doc.tags])));
    for (const source of [...BASELINE_SOURCES, MINISEARCH_PACKAGE]) hash.update(await readFile(source));
    const fingerprint = hash.digest('hex');
    const stored = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as CacheFile)
      .catch(() => undefined);
    return new RankCache(file, stored?.fingerprint === fingerprint ? stored : { fingerprint, values: {} });
  }

  /** What `system` answered for `key` in an earlier run, else `compute()`, kept for the next. */
  memo<T>(system: string, key: string, compute: () => T): T {
    const values = (this.data.values[system] ??= {});
    if (key in values) {
      this.counts.reused += 1;
      return values[key] as T;
    }
    const value = compute();
    values[key] = value;
    this.counts.computed += 1;
    this.changed = true;
    return value;
  }

  async save(): Promise<void> {
    if (!this.changed) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFile(this.file, JSON.stringify(this.data));
    this.changed = false;
  }
}
