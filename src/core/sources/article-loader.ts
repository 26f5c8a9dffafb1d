/**
 * Loading every article for a cold build: read and parsed in batches on worker
 * threads (parsing is ~90% of the cost and CPU-bound), handed back in path
 * order so the index is built while the rest is still being parsed. Small
 * folders, or a worker that cannot start, fall back to this thread.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { Logger } from '../util/logger.ts';
import { isInVault, listArticleFiles } from './article-files.ts';
import { readArticle, readArticleSync, type Article, type ArticleProblem, type ArticleResult, type ReadArticleOptions, type SectionPage } from './articles.ts';

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
/** Files this thread reads between two turns of the event loop when it takes a batch itself (about 0.1 ms each). */
const FILES_PER_TURN = 4;
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
  /** Whether `result` has settled. */
  ready: boolean;
}

class ArticleLoad {
  private slots: Slot[] = [];
  private lanes: Lane[] = [];
  /** Next batch to hand out, next one the consumer takes. */
  private dispatched = 0;
  private consumed = 0;
  private hereBusy = false;
  private closed = false;
  /** The consumer is waiting for its next batch (this thread has nothing to index). */
  private waiting = false;
  /** The files are listed and cut into batches (`slots`). */
  private isListed = false;
  private listedCount = 0;
  private handedOut = 0;
  private readonly listed: Promise<void>;

  constructor(
    private readonly dataDir: string,
    private readonly options: LoadArticlesOptions & typeof DEFAULTS,
  ) {
    // NOTE: started while the files are listed (0.1 s at 10k files, 0.6 s at 100k), as a worker takes
    // 0.1-0.3 s to start; one that is not needed (a small archive) is stopped unused.
    const start = this.options.startWorker;
    for (let i = 0; start && i < this.options.workers; i += 1) this.lanes.push(this.startLane(start));
    this.listed = this.list();
    // Awaited by batches(); this only keeps an early failure from being reported as unhandled.
    this.listed.catch(() => {});
  }

  async *batches(): AsyncGenerator<ArticleBatch> {
    try {
      await this.listed;
      while (this.consumed < this.slots.length) {
        const slot = this.slots[this.consumed]!;
        this.waiting = !slot.ready;
        if (this.waiting) this.help();
        const batch = await slot.result;
        this.waiting = false;
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
      this.slots.push({ files: [], vaults: [], result: Promise.resolve({ articles: [], problems, warnings: [], sections: [], thread: 'main' }), resolve: () => {}, ready: true });
      this.dispatched = 1;
    }
    for (let from = 0; from < files.length; from += BATCH_SIZE) {
      let settle!: (batch: ArticleBatch) => void;
      const result = new Promise<ArticleBatch>((done) => (settle = done));
      const batchFiles = files.slice(from, from + BATCH_SIZE);
      const slot: Slot = {
        files: batchFiles,
        vaults: batchFiles.map((file) => isInVault(file, listing.vaults)),
        result,
        resolve: (batch) => {
          slot.ready = true;
          settle(batch);
        },
        ready: false,
      };
      this.slots.push(slot);
    }
    // Workers for every batch but one at most (none below minFilesForWorkers); the others are stopped.
    const needed = files.length >= this.options.minFilesForWorkers ? Math.min(this.lanes.length, this.slots.length) : 0;
    const unneeded = this.lanes.slice(needed);
    this.lanes = this.lanes.slice(0, needed);
    for (const lane of unneeded) void lane.worker.terminate();
    this.isListed = true;
    this.pump();
  }

  /** Hands out batches to idle workers (or runs one here when there are none), staying at most MAX_AHEAD ahead. */
  private pump(): void {
    // A worker that fails while the files are listed: nothing to hand out, nor to stop, yet.
    if (!this.isListed) return;
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

  /**
   * While the consumer waits for a worker, this thread reads and parses the next batch not yet
   * handed out, itself: the worker is the slower of the two (about 100 µs a file, against 50-90 µs
   * to index it), and this thread would otherwise sit idle (a quarter of a cold start).
   * The first IN_FLIGHT batches are always a worker's (they are handed out at once): a worker that works is seen to.
   */
  private help(): void {
    if (this.closed || this.hereBusy || this.lanes.length === 0) return;
    if (this.dispatched >= this.slots.length || this.dispatched - this.consumed >= MAX_AHEAD) return;
    const batch = this.dispatched;
    this.dispatched += 1;
    this.hereBusy = true;
    void this.readHereSync(batch).finally(() => {
      this.hereBusy = false;
      this.pump();
      if (this.waiting) this.help();
    });
  }

  /** Reads a batch on this thread with blocking reads (as a worker does), a few files per turn of the event loop. */
  private async readHereSync(batch: number): Promise<void> {
    const slot = this.slots[batch]!;
    const results: ArticleResult[] = [];
    for (let i = 0; i < slot.files.length && !this.closed; i += 1) {
      results.push(readArticleSync(this.dataDir, slot.files[i]!, { ...this.readOptions(), vault: slot.vaults[i]! }));
      if (i % FILES_PER_TURN === FILES_PER_TURN - 1) await yieldToLoop();
    }
    slot.resolve(batchOf(results, 'main'));
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
