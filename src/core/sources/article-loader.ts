/**
 * Loading every article for a cold build: read and parsed in batches on worker
 * threads (parsing is ~90% of the cost and CPU-bound), handed back in path
 * order so the index is built while the rest is still being parsed. Small
 * folders, or a worker that cannot start, fall back to this thread.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { Logger } from '../util/logger.ts';
import { isInVault, listArticleFiles } from './article-files.ts';
import { readArticle, type Article, type ArticleProblem, type ArticleResult, type ReadArticleOptions, type SectionPage } from './articles.ts';

export interface LoadArticlesOptions {
  /**
   * Starts one parsing worker: a thread running article-parser-worker.ts's code,
   * with the given options. Where a build puts that code, and how a thread runs
   * it, is the caller's to know (src/parsing-worker.ts). Absent: every file is
   * read on this thread.
   */
  startWorker?: (options: WorkerOptions) => Worker;
  /** Worker threads that read and parse (when `startWorker` is given); default one per core but one, at least 1, at most 4. 0: all on this thread. */
  workers?: number;
  /** Below this many files all stays on this thread (a worker takes 0.1-0.3 s to start); default 300. */
  minFilesForWorkers?: number;
  /** Told when a worker fails (its batches are then read on this thread). */
  logger?: Logger;
  /** The ARTICLES_URL template (validated at start): each article's link is made from it. */
  linkTemplate?: string;
  /** Bytes read per file at most (default MAX_ARTICLE_BYTES); the rest of a larger file is not indexed. */
  maxBytes?: number;
  /** Told as each batch is handed out: how many write-ups are parsed so far, of how many listed. */
  onProgress?: (progress: LoadProgress) => void;
}

/** How far a load is. */
export interface LoadProgress {
  /** Write-ups parsed and handed to the consumer (skipped ones included). */
  done: number;
  /** Write-ups listed. */
  total: number;
}

/** Consecutive articles in path order, and the files among them that were skipped. */
export interface ArticleBatch {
  articles: Article[];
  /** Files (or folders, `articles/private/`) that were skipped, and why. */
  problems: ArticleProblem[];
  /** Files read only in part (too large), and how much. */
  warnings: ArticleProblem[];
  /** Files read that are no write-ups (an empty section `_index.md`): not indexed, but seen (the snapshot keeps them). */
  sections: SectionPage[];
  /** Where it was read and parsed: on a worker thread, or on this one. */
  thread: 'worker' | 'main';
}

/** What the main thread asks a worker (article-parser-worker.ts). */
export interface BatchRequest {
  batch: number;
  dataDir: string;
  /** Paths relative to dataDir. */
  files: string[];
  /** For each file, whether it is in an Obsidian vault. */
  vaults: boolean[];
  linkTemplate?: string;
  maxBytes?: number;
}

/** A worker's answer: one result per requested file, in the same order. */
export interface BatchReply {
  batch: number;
  results: ArticleResult[];
}

/**
 * One core is left to the main thread (it indexes what the workers parse, and answers commands).
 * NOTE: two parsing workers in one process ran slower here (2 cores) than one: each took
 * 2.5-3x longer per file, where two separate processes lose only ~20%.
 */
const DEFAULTS = { workers: Math.max(1, Math.min(4, availableParallelism() - 1)), minFilesForWorkers: 300 };
/** Files per batch: small enough that indexing one holds the event loop only a few milliseconds. */
const BATCH_SIZE = 64;
/** Batches parsed ahead of the consumer, at most: bounds the memory held while indexing lags. */
const MAX_AHEAD = 16;
/**
 * Batches sent to one worker before it answers: with one, a worker that has answered waits for
 * this thread to take its reply and send the next batch, which it does only between two batches
 * it indexes, so each thread kept waiting for the other (both idle 20-30 % of a cold start).
 */
const IN_FLIGHT = 3;
/** The order articles are indexed in: `localeCompare`'s (the same collator), without building one per comparison. */
const byPath = new Intl.Collator().compare;

/** Loads every article under DATA_DIR/articles, sorted by path; unreadable ones come back as problems. */
export async function loadArticles(
  dataDir: string,
  options: LoadArticlesOptions = {},
): Promise<{ articles: Article[]; problems: ArticleProblem[]; warnings: ArticleProblem[] }> {
  const articles: Article[] = [];
  const problems: ArticleProblem[] = [];
  const warnings: ArticleProblem[] = [];
  for await (const batch of streamArticles(dataDir, options)) {
    articles.push(...batch.articles);
    problems.push(...batch.problems);
    warnings.push(...batch.warnings);
  }
  return { articles, problems, warnings };
}

/**
 * Starts reading every article at once and yields them in batches, in path
 * order. Stopping the iteration early (break, throw) stops the workers.
 */
export function streamArticles(dataDir: string, options: LoadArticlesOptions = {}): AsyncIterable<ArticleBatch> {
  const load = new ArticleLoad(dataDir, { ...DEFAULTS, ...options });
  return {
    [Symbol.asyncIterator]: () => {
      const batches = load.batches();
      return {
        next: () => batches.next(),
        // Also before the first next(), when a generator's own `finally` would not run.
        return: (value?: unknown) => {
          load.close();
          return batches.return(value);
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  };
}

interface Lane {
  worker: Worker;
  /** Batches sent to this worker and not answered yet, oldest first. */
  inFlight: number[];
}

interface Slot {
  files: string[];
  vaults: boolean[];
  result: Promise<ArticleBatch>;
  resolve: (batch: ArticleBatch) => void;
}

class ArticleLoad {
  private slots: Slot[] = [];
  private lanes: Lane[] = [];
  /** Next batch to hand out, next one the consumer takes. */
  private dispatched = 0;
  private consumed = 0;
  private hereBusy = false;
  private closed = false;
  private listedCount = 0;
  private handedOut = 0;
  private readonly listed: Promise<void>;

  constructor(
    private readonly dataDir: string,
    private readonly options: LoadArticlesOptions & typeof DEFAULTS,
  ) {
    this.listed = this.list();
    // Awaited by batches(); this only keeps an early failure from being reported as unhandled.
    this.listed.catch(() => {});
  }

  async *batches(): AsyncGenerator<ArticleBatch> {
    try {
      await this.listed;
      while (this.consumed < this.slots.length) {
        const slot = this.slots[this.consumed]!;
        const batch = await slot.result;
        this.consumed += 1;
        this.pump();
        this.handedOut += slot.files.length;
        this.options.onProgress?.({ done: this.handedOut, total: this.listedCount });
        yield batch;
      }
    } finally {
      this.close();
    }
  }

  private async list(): Promise<void> {
    const listing = await listArticleFiles(this.dataDir, path.join(this.dataDir, 'articles'));
    const files = listing.files.sort(byPath);
    this.listedCount = files.length;
    // Folders that could not be read come first, in a batch of their own.
    if (listing.problems.length > 0) {
      const problems = listing.problems.map((problem) => ({ path: problem.path, reason: problem.reason }));
      this.slots.push({ files: [], vaults: [], result: Promise.resolve({ articles: [], problems, warnings: [], sections: [], thread: 'main' }), resolve: () => {} });
      this.dispatched = 1;
    }
    for (let from = 0; from < files.length; from += BATCH_SIZE) {
      let resolve!: (batch: ArticleBatch) => void;
      const result = new Promise<ArticleBatch>((done) => (resolve = done));
      const batchFiles = files.slice(from, from + BATCH_SIZE);
      this.slots.push({ files: batchFiles, vaults: batchFiles.map((file) => isInVault(file, listing.vaults)), result, resolve });
    }
    const start = files.length >= this.options.minFilesForWorkers ? this.options.startWorker : undefined;
    // Closed while listing: no worker is started, none would be stopped.
    const count = start && !this.closed ? Math.min(this.options.workers, this.slots.length) : 0;
    for (let i = 0; i < count; i += 1) this.lanes.push(this.startLane(start!));
    this.pump();
  }

  /** Hands out batches to idle workers (or runs one here when there are none), staying at most MAX_AHEAD ahead. */
  private pump(): void {
    while (!this.closed && this.dispatched < this.slots.length && this.dispatched - this.consumed < MAX_AHEAD) {
      const batch = this.dispatched;
      const lane = this.lanes.reduce<Lane | undefined>(
        (best, candidate) => (candidate.inFlight.length < IN_FLIGHT && (!best || candidate.inFlight.length < best.inFlight.length) ? candidate : best),
        undefined,
      );
      if (lane) {
        lane.inFlight.push(batch);
        const slot = this.slots[batch]!;
        lane.worker.postMessage({ batch, dataDir: this.dataDir, files: slot.files, vaults: slot.vaults, ...this.readOptions() } satisfies BatchRequest);
      } else if (this.lanes.length === 0 && !this.hereBusy) {
        this.hereBusy = true;
        void this.readHere(batch).finally(() => {
          this.hereBusy = false;
          this.pump();
        });
      } else {
        return;
      }
      this.dispatched += 1;
    }
    const done = this.dispatched === this.slots.length && this.lanes.every((lane) => lane.inFlight.length === 0);
    if (done || this.closed) this.stopWorkers();
  }

  private startLane(start: (options: WorkerOptions) => Worker): Lane {
    // A larger young generation: parsing makes many short-lived objects, and scavenges were ~15% of the time.
    const lane: Lane = { worker: start({ resourceLimits: { maxYoungGenerationSizeMb: 16 } }), inFlight: [] };
    lane.worker.on('message', (reply: BatchReply) => {
      lane.inFlight = lane.inFlight.filter((batch) => batch !== reply.batch);
      this.slots[reply.batch]?.resolve(batchOf(reply.results, 'worker'));
      this.pump();
    });
    // A worker that fails (to start, or later) is dropped; its batch and the rest are read here.
    const drop = (reason: unknown) => {
      if (!this.lanes.includes(lane)) return;
      this.options.logger?.warn(
        { err: reason instanceof Error ? reason.message : `exit code ${String(reason)}` },
        'articles: a parsing worker failed; reading its articles on the main thread',
      );
      this.lanes = this.lanes.filter((other) => other !== lane);
      const orphans = lane.inFlight;
      lane.inFlight = [];
      if (orphans.length > 0 && !this.closed) void Promise.all(orphans.map((orphan) => this.readHere(orphan))).then(() => this.pump());
      else this.pump();
    };
    lane.worker.on('error', drop);
    lane.worker.on('exit', drop);
    return lane;
  }

  private async readHere(batch: number): Promise<void> {
    const slot = this.slots[batch]!;
    const results: ArticleResult[] = new Array(slot.files.length);
    let next = 0;
    // Bounded parallelism: fast on large folders without exhausting file handles.
    await Promise.all(
      Array.from({ length: Math.min(16, slot.files.length) }, async () => {
        for (let i = next++; i < slot.files.length; i = next++) {
          results[i] = await readArticle(this.dataDir, slot.files[i]!, { ...this.readOptions(), vault: slot.vaults[i]! });
        }
      }),
    );
    slot.resolve(batchOf(results, 'main'));
  }

  private readOptions(): Pick<BatchRequest, 'linkTemplate' | 'maxBytes'> {
    return {
      ...(this.options.linkTemplate ? { linkTemplate: this.options.linkTemplate } : {}),
      ...(this.options.maxBytes !== undefined ? { maxBytes: this.options.maxBytes } : {}),
    };
  }

  private stopWorkers(): void {
    const lanes = this.lanes;
    this.lanes = [];
    for (const lane of lanes) void lane.worker.terminate();
  }

  close(): void {
    this.closed = true;
    this.stopWorkers();
  }
}

function batchOf(results: readonly ArticleResult[], thread: ArticleBatch['thread']): ArticleBatch {
  const batch: ArticleBatch = { articles: [], problems: [], warnings: [], sections: [], thread };
  for (const result of results) {
    if ('article' in result) {
      batch.articles.push(result.article);
      if (result.warning) batch.warnings.push(result.warning);
    } else if ('section' in result) {
      batch.sections.push(result.section);
    } else {
      batch.problems.push(result.problem);
    }
  }
  return batch;
}
