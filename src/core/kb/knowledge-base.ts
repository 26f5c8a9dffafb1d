/**
 * The knowledge base: the owner's profile, articles and notes, and one search
 * index over all three. Commands talk to this; it knows nothing of platforms.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Origin, Person } from '../domain/types.ts';
import { streamArticles, type LoadArticlesOptions, type LoadProgress } from '../sources/article-loader.ts';
import { readArticle, type Article, type ArticleProblem } from '../sources/articles.ts';
import { ArticleTexts } from '../sources/article-texts.ts';
import { StoreReadOnlyError, StoreUnavailableError, UserError } from '../domain/errors.ts';
import type { Logger } from '../util/logger.ts';
import type { NoteChange, NoteStore } from '../store/note-store.ts';
import { extractTags, newNoteId, noteIdForKey, noteTitle, type Note } from '../domain/notes.ts';
import { loadProfile, parseProfile, type Profile } from '../sources/profile.ts';
import type { ProfileEdit, ProfileEditOutcome } from './profile-edit.ts';
import { editProfileFile, localDate, serializeProfileWork } from './profile-file.ts';
import { profileDocs, profileStamp } from './profile-docs.ts';
import { resurface, type ResurfaceOutcome, type ResurfaceSource } from './resurface.ts';
import { topicWords, wordsNeeded } from './topic-match.ts';
import { SearchIndex, type IndexedDoc, type SearchOutcome } from '../search/search-index.ts';
import type { SearchHit } from '../domain/types.ts';
import { samePerson } from '../domain/people.ts';
import { coveringTags, documentSpan, hasFilters, inRange, tagCovers, tagHasPart, type FindQuery } from './query.ts';
import { DEFAULT_READ_RULE, canForgetNote, canReadNote, readsAllNotes, type ReadRule } from './read-rule.ts';
import {
  articleMtimes,
  articleMtimesOffThread,
  articleStamps,
  createSnapshotScheduler,
  diffArticles,
  diffSources,
  readSnapshot,
  sourcesOf,
  stampPaths,
  writeSnapshot,
  type ArticleStamps,
  type Snapshot,
  type SnapshotScheduler,
} from '../snapshot/snapshot.ts';
import { indexTerm, tagTerm, tokenize } from '../text/words.ts';

/** Deepest `offset` and largest `limit` a search takes (the /find pages stop well before). */
const MAX_SEARCH_DEPTH = 5000;

/** The predicate that keeps every document (the viewer reads every note). */
const ALL_DOCS = (_doc: IndexedDoc): boolean => true;

/** The snippet of an article whose file no longer reads after an edit (its last good version is what is searched). */
const UNREADABLE_SNIPPET = 'This file has changed and no longer reads (the log says why); it is found by its last good version until it is fixed.';

function hasSearchableWords(text: string): boolean {
  return tokenize(text).some((word) => indexTerm(word) !== undefined);
}

/** Plain code-point order: the same on every Node build, whatever its ICU data. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A note's tags: its #hashtags, but for the #words it says are not tags. */
function tagsOf(text: string, notTags: readonly string[] = []): string[] {
  if (notTags.length === 0) return extractTags(text);
  const excluded = new Set(notTags.flatMap((word) => extractTags(`#${word}`)));
  return extractTags(text).filter((tag) => !excluded.has(tag));
}

/** What a new note is made of. */
export interface NewNote {
  text: string;
  author: Person;
  /** Who saved it, when not the author ("Save to notes" on another's message). */
  savedBy?: Person;
  source: Origin;
  /** Readable by everyone (`/note --share`). */
  shared?: boolean;
  idempotencyKey?: string;
  /** `#words` in the text that are not tags (as after the `#`): a Slack message's channel links. */
  notTags?: readonly string[];
}

/** Options of a search: whose eyes, how many, from where. */
export interface SearchOptions {
  /** Who reads the results: only what the read rule lets them see is ranked, counted or shown. */
  viewer: Person;
  /** Most hits returned. */
  limit: number;
  /** Hits to skip (a later page); default 0. */
  offset?: number;
}

/** A tag in use, and how many documents the viewer may read carry it. */
export interface TagCount {
  /** As written most often (lower case). */
  tag: string;
  count: number;
  notes: number;
  articles: number;
}

export interface SaveResult {
  note: Note;
  /** False when an earlier save with the same idempotency key is returned. */
  created: boolean;
}

export interface KnowledgeBaseOptions {
  dataDir: string;
  store: NoteStore;
  logger: Logger;
  /** Clock, for tests. */
  now?: () => Date;
  /** Index snapshot file (config INDEX_SNAPSHOT); absent: the index is always built from the files and notes. */
  snapshot?: string;
  /** Quiet time after the last change before the snapshot is saved; default 30 s. */
  snapshotDelayMs?: number;
  /** Who may read notes (NOTE_WRITERS, NOTES_VISIBLE_TO); default: only the console user reads others' notes. */
  readRule?: ReadRule;
  /** ARTICLES_URL: the template each article's link is made from (when its front matter has no url). */
  linkTemplate?: string;
  /** Told how far a cold build's parsing of the write-ups is, batch by batch. */
  onProgress?: (progress: LoadProgress) => void;
  /** Starts a thread that parses write-ups for a cold build (src/parsing-worker.ts); absent: they are parsed on this thread. */
  startParsingWorker?: LoadArticlesOptions['startWorker'];
}

/** A snapshot read back, with its index restored. */
type RestoredSnapshot = Snapshot & { index: SearchIndex };

/** How the index was loaded at start-up. */
export interface LoadReport {
  /** `snapshot`: loaded and brought up to date; `cold`: built from every file and note. */
  from: 'snapshot' | 'cold';
  /** Start to the index answering (`ready`). */
  ms: number;
  /** Articles and notes (re-)indexed or dropped because they changed since the snapshot. */
  reindexed: number;
  removed: number;
  /** From a snapshot: start to every file checked and what changed re-indexed (after `ms`, when the index already answered). */
  checkedMs?: number;
  /** Cold: write-ups read and parsed on worker threads. */
  parsedOnWorkers?: number;
  /** Cold: write-ups read and parsed on this thread (a small archive, a failed worker, or batches this thread took while it waited for a worker). */
  parsedHere?: number;
}

export class KnowledgeBase {
  readonly dataDir: string;
  readonly store: NoteStore;
  private readonly logger: Logger;
  /** Whether a read-only store's refusal to remember what /resurface showed was logged. */
  private warnedResurfaceReadOnly = false;
  /** The clock: note creation times, and what relative dates (`after:7d`) count back from. */
  readonly now: () => Date;
  private readonly readRule: ReadRule;
  private profileValue: Profile = { sections: [] };
  private readonly notes = new Map<string, Note>();
  private readonly inFlight = new Map<string, Promise<SaveResult>>();
  private readonly noteVersions = new Map<string, number>();
  /** Each indexed document's date span, computed once per document version. */
  private readonly spans = new WeakMap<IndexedDoc, { from: number; to: number } | undefined>();
  /** Articles whose file no longer reads: still found by their last good version, whose text is gone from disk. */
  private readonly unreadable = new Set<string>();
  /** Article text for snippets, read back from the files (the last few kept while unchanged). */
  private readonly articleTexts: ArticleTexts;
  /**
   * Files read that are no write-ups (an empty section `_index.md`, articles.ts `isEmptySection`) and their
   * modification times: not indexed, but kept in the snapshot's stamps, so a start does not read them again as new.
   */
  private readonly sections = new Map<string, number>();
  // Article text is read back from disk for the few hits shown, not kept in memory.
  index = new SearchIndex({ loadText: (doc) => this.articleText(doc) });
  private readonly linkTemplate: string | undefined;
  private readonly onProgress: ((progress: LoadProgress) => void) | undefined;
  private readonly startParsingWorker: LoadArticlesOptions['startWorker'];
  /** True until the index is complete; `/find` says "still indexing" meanwhile. */
  indexing = true;
  /** Settles once the index answers; rejects when the store cannot be read. */
  ready: Promise<void> = Promise.resolve();
  /**
   * Settles once the index is also up to date with the files: after a start from
   * a snapshot, a little after `ready` (every file's modification time checked,
   * what changed re-indexed); at the same time as `ready` otherwise. Never rejects.
   */
  checked: Promise<void> = Promise.resolve();
  loadReport: LoadReport | undefined;
  private readonly snapshotFile: string | undefined;
  private readonly snapshotDelayMs: number | undefined;
  private snapshots: SnapshotScheduler | undefined;
  private readonly changeListeners = new Set<() => void>();
  /** Set by close(): a cold build still running stops at the next batch (a signal during start-up). */
  private closing = false;
  /** Snapshot saves abandoned in a row because the index changed meanwhile. */
  private abandonedSaves = 0;

  private constructor(options: KnowledgeBaseOptions) {
    this.dataDir = options.dataDir;
    this.articleTexts = new ArticleTexts(options.dataDir);
    this.store = options.store;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.readRule = options.readRule ?? DEFAULT_READ_RULE;
    this.snapshotFile = options.snapshot;
    this.snapshotDelayMs = options.snapshotDelayMs;
    this.linkTemplate = options.linkTemplate;
    this.onProgress = options.onProgress;
    this.startParsingWorker = options.startParsingWorker;
  }

  /**
   * Loads profile, articles and every stored note, and indexes them (from the
   * snapshot when it is still valid); resolves once the index is up to date with the files (`checked`).
   */
  static async open(options: KnowledgeBaseOptions): Promise<KnowledgeBase> {
    const kb = KnowledgeBase.start(options);
    await kb.ready;
    await kb.checked;
    return kb;
  }

  /**
   * Starts loading and returns at once, so commands can be answered while a
   * cold build of a large archive runs; `ready` settles when the index is complete.
   */
  static start(options: KnowledgeBaseOptions): KnowledgeBase {
    const kb = new KnowledgeBase(options);
    kb.ready = kb.load();
    return kb;
  }

  private async load(): Promise<void> {
    const started = performance.now();
    // Listing the articles (a stat each) runs on another thread while the snapshot is restored here.
    const listing = this.snapshotFile && existsSync(this.snapshotFile) ? articleMtimesOffThread(this.dataDir) : undefined;
    // So is reading the profile and the notes (I/O); both are awaited below.
    const stored = Promise.all([loadProfile(this.profilePath), this.store.loadAll()]);
    stored.catch(() => {});
    const snapshot = this.snapshotFile ? await this.restoreSnapshot(this.snapshotFile) : undefined;
    if (!snapshot) listing?.catch(() => {});
    // Cold: articles are read and parsed (on worker threads) from now on, while the profile and notes load.
    const articles = snapshot
      ? undefined
      : streamArticles(this.dataDir, {
          logger: this.logger,
          ...(this.linkTemplate ? { linkTemplate: this.linkTemplate } : {}),
          ...(this.onProgress ? { onProgress: this.onProgress } : {}),
          ...(this.startParsingWorker ? { startWorker: this.startParsingWorker } : {}),
        })[Symbol.asyncIterator]();
    let profile: Profile;
    let notes: Note[];
    try {
      [profile, notes] = await stored;
    } catch (error) {
      await articles?.return?.();
      throw error;
    }
    this.profileValue = profile;
    // An empty archive is fine, a missing one is likely a wrong DATA_DIR (every /find would come back empty).
    const articlesDir = path.join(this.dataDir, 'articles');
    if (!existsSync(articlesDir)) {
      this.logger.warn(`articles: there is no ${articlesDir} folder, so no write-ups are searched — put markdown files there (an empty folder silences this), or check DATA_DIR`);
    }
    let reindexed = 0;
    let removed = 0;
    let parsedOnWorkers = 0;
    let parsedHere = 0;
    if (snapshot) {
      for (const note of notes) this.notes.set(note.id, note);
      ({ reindexed, removed } = this.useSnapshot(snapshot));
    } else {
      this.indexProfile();
      // Batch by batch in path order as they are parsed, yielding between them: commands are answered meanwhile.
      try {
        for (let next = await articles!.next(); !next.done; next = await articles!.next()) {
          this.reportProblems(next.value.problems, next.value.warnings);
          for (const section of next.value.sections) this.sections.set(section.path, section.mtimeMs);
          const parsed = next.value.articles.length + next.value.problems.length;
          if (next.value.thread === 'worker') parsedOnWorkers += parsed;
          else parsedHere += parsed;
          this.index.addAll(next.value.articles.map(articleDoc));
          await yieldToLoop();
          if (this.closing) break;
        }
      } finally {
        // Stops the workers if indexing failed half-way (or the knowledge base is closing).
        await articles!.return?.();
      }
      // Closed during a cold build: a half index is neither used nor saved as a snapshot.
      if (this.closing) return;
      for (const note of notes) this.indexNote(note);
    }
    this.indexing = false;
    this.loadReport = { from: snapshot ? 'snapshot' : 'cold', ms: performance.now() - started, reindexed, removed, ...(snapshot ? {} : { parsedOnWorkers, parsedHere }) };
    await this.store.subscribe?.((change) => void this.applyChange(change));
    if (this.snapshotFile) {
      this.snapshots = createSnapshotScheduler({
        save: () => this.saveSnapshot(),
        logger: this.logger,
        ...(this.snapshotDelayMs !== undefined ? { delayMs: this.snapshotDelayMs } : {}),
      });
      this.index.onChange = () => this.snapshots?.schedule();
      if (!snapshot || reindexed + removed > 0) this.snapshots.schedule();
    }
    // From a snapshot, the index answers now; the write-ups changed since it was saved are
    // re-indexed as soon as their listing is in (a fraction of a second at 100k files).
    if (snapshot) void this.index.finishRestore();
    if (snapshot) this.checked = this.checkArticles(snapshot.sources.articles, listing ?? articleMtimes(this.dataDir), started);
  }

  /**
   * The snapshot and the index it holds, restored at once (while the files are
   * listed on another thread); undefined when there is none, or its index cannot
   * be restored (the file checks out but its index does not: another build's
   * bytes, say), which is said once and built cold instead.
   */
  private async restoreSnapshot(file: string): Promise<RestoredSnapshot | undefined> {
    const snapshot = await readSnapshot(file, this.logger, this.snapshotOptions());
    if (!snapshot) return undefined;
    try {
      return { ...snapshot, index: await snapshot.restore({ loadText: (doc) => this.articleText(doc) }) };
    } catch (error) {
      this.logger.warn(
        { file, reason: error instanceof Error ? error.message : String(error) },
        'snapshot: its index cannot be restored; building the index from the files (the next save replaces it)',
      );
      return undefined;
    }
  }

  /** Swaps in the snapshot's index and brings its profile and notes up to date (the articles follow: `checkArticles`). */
  private useSnapshot(snapshot: RestoredSnapshot): { reindexed: number; removed: number } {
    const { index } = snapshot;
    // Notes saved while the snapshot loaded are in `notes`: the diff picks them up.
    const current = {
      profile: profileStamp(this.profileValue),
      articles: snapshot.sources.articles,
      notes: Object.fromEntries([...this.notes.values()].map((note) => [note.id, note.createdAt])),
    };
    const diff = diffSources(snapshot.sources, current);
    this.index = index;
    if (diff.profileChanged) {
      index.removeWhere((doc) => doc.kind === 'profile');
      this.indexProfile();
    }
    for (const id of diff.removedNotes) index.remove(`note:${id}`);
    for (const id of diff.changedNotes) {
      const note = this.notes.get(id);
      if (note) index.upsert(noteDoc(note));
    }
    return { reindexed: diff.changedNotes.length, removed: diff.removedNotes.length };
  }

  /**
   * Re-indexes the write-ups added, changed or removed since the snapshot was
   * saved, once the files' listing (`listing`) is in; adds them to the load report.
   * Never rejects: when the files cannot be listed, the snapshot's index stays as it is.
   */
  private async checkArticles(saved: ArticleStamps, listing: Promise<ArticleStamps>, started: number): Promise<void> {
    let mtimes: ArticleStamps;
    try {
      mtimes = await listing;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'snapshot: cannot list the write-ups to check them; answering from the snapshot');
      return;
    }
    // The cold build warns about a folder it cannot read; a start from the snapshot must too.
    if (mtimes.problems) this.reportProblems(mtimes.problems);
    const { changedArticles, removedArticles } = diffArticles(saved, mtimes);
    // The saved files the index does not hold are its section pages (nothing else is saved unindexed).
    const savedPaths = stampPaths(saved);
    savedPaths.forEach((file, i) => {
      if (!this.index.has(`article:${file}`)) this.sections.set(file, saved.mtimes[i]!);
    });
    for (const file of removedArticles) this.removeArticle(file);
    const queue = [...changedArticles];
    await Promise.all(
      Array.from({ length: Math.min(16, queue.length) }, async () => {
        for (let file = queue.shift(); file !== undefined; file = queue.shift()) await this.reloadArticle(file);
      }),
    );
    const report = this.loadReport!;
    this.loadReport = {
      ...report,
      reindexed: report.reindexed + changedArticles.length,
      removed: report.removed + removedArticles.length,
      checkedMs: performance.now() - started,
    };
    if (changedArticles.length + removedArticles.length > 0) {
      this.logger.info(
        { reindexed: changedArticles.length, removed: removedArticles.length },
        'snapshot: brought up to date with the write-ups changed since it was saved',
      );
    }
  }

  /**
   * Writes the index snapshot now (the scheduler calls this once changes settle);
   * false when a change to the index came in during the save and abandoned it
   * (that change schedules the next one). After two saves abandoned in a row,
   * the next is encoded in one go, so a steady stream of changes cannot put the
   * snapshot off for ever. Undefined: no snapshot to save (none configured, or still building).
   */
  async saveSnapshot(): Promise<boolean | undefined> {
    if (!this.snapshotFile || this.indexing) return undefined;
    const sources = sourcesOf(this.index, profileStamp(this.profileValue));
    if (this.sections.size > 0) {
      // Section pages are seen as the write-ups are, in the same path order.
      const entries: Array<[string, number]> = stampPaths(sources.articles).map((file, i) => [file, sources.articles.mtimes[i]!]);
      for (const entry of this.sections) entries.push(entry);
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      sources.articles = articleStamps(entries);
    }
    const saved = await writeSnapshot(this.snapshotFile, this.index, sources, {
      ...this.snapshotOptions(),
      atOnce: this.abandonedSaves >= 2,
    });
    this.abandonedSaves = saved ? 0 : this.abandonedSaves + 1;
    return saved;
  }

  /** What the snapshot must have been made under: the links in it come from ARTICLES_URL. */
  private snapshotOptions(): { linkTemplate?: string } {
    return this.linkTemplate ? { linkTemplate: this.linkTemplate } : {};
  }

  get profilePath(): string {
    return path.join(this.dataDir, 'profile.md');
  }

  get profile(): Profile {
    return this.profileValue;
  }

  /** Counts for health checks and status lines. */
  counts(): { profileItems: number; articles: number; notes: number } {
    const counts = this.index.counts();
    return { profileItems: counts.profile, articles: counts.article, notes: this.notes.size };
  }

  /** A note by id, from memory. */
  note(id: string): Note | undefined {
    return this.notes.get(id);
  }

  /**
   * The read rule as a predicate over indexed documents, for one viewer: the
   * one place it is applied. Every read below (hits, counts, suggestions,
   * completions, tags, note lists) keeps only what this keeps.
   */
  visibleTo(viewer: Person): (doc: IndexedDoc) => boolean {
    if (readsAllNotes(this.readRule, viewer)) return ALL_DOCS;
    return (doc) => {
      if (doc.kind !== 'note') return true;
      // A note document the store no longer holds is shown to nobody but the owners.
      const note = doc.source.noteId === undefined ? undefined : this.notes.get(doc.source.noteId);
      return note !== undefined && canReadNote(this.readRule, note, viewer);
    };
  }

  /** Whether a viewer may read a note (the same rule as `visibleTo`). */
  canRead(note: Note, viewer: Person): boolean {
    return canReadNote(this.readRule, note, viewer);
  }

  /**
   * Ranked hits for a query, with its filters (kinds, tags, dates) and the read
   * rule applied before anything is counted; `total` counts only what the viewer
   * may read. A query of filters alone lists what they admit, newest first. Each
   * page is a slice of one ranking, so pages never repeat or skip a hit.
   */
  search(query: FindQuery, options: SearchOptions): SearchOutcome {
    if (this.indexing) throw new UserError('indexing', 'find: still indexing — try again in a few seconds');
    // Bounded: a top of `offset + limit` costs about that much per matching document.
    const offset = Math.min(Math.max(0, options.offset ?? 0), MAX_SEARCH_DEPTH);
    const limit = Math.min(Math.max(0, options.limit), MAX_SEARCH_DEPTH);
    const visible = this.visibleTo(options.viewer);
    const admits = this.filterOf(query);
    const keep = admits ? (doc: IndexedDoc) => admits(doc) && visible(doc) : visible;
    if (!hasSearchableWords(query.text)) {
      if (!hasFilters(query)) return { hits: [], total: 0 };
      return this.newestFirst(keep, offset, limit);
    }
    // The index ranks the top `offset + limit` (at least one: it has no use for a top of none) and this slices.
    const ranked = this.index.rank(query.text, { limit: Math.max(1, offset + limit), keep: keep === ALL_DOCS ? undefined : keep });
    const { total } = ranked;
    const matches = ranked.matches.slice(0, offset + limit);
    const hits: SearchHit[] = [];
    for (const match of matches.slice(offset)) {
      const doc = this.index.get(match.id);
      if (doc) hits.push(this.index.hit(doc, new Set(match.terms), match.score));
    }
    return { hits, total };
  }

  /** The documents `keep` keeps, newest first (undated last, then by id, so pages are stable). */
  private newestFirst(keep: (doc: IndexedDoc) => boolean, offset: number, limit: number): SearchOutcome {
    const wanted = offset + limit;
    const top: Array<{ doc: IndexedDoc; at: number }> = [];
    let total = 0;
    const before = (a: { doc: IndexedDoc; at: number }, b: { doc: IndexedDoc; at: number }) =>
      a.at > b.at || (a.at === b.at && a.doc.id < b.doc.id);
    for (const doc of this.index.all()) {
      if (!keep(doc)) continue;
      total += 1;
      if (wanted === 0) continue;
      const entry = { doc, at: this.spanOf(doc)?.from ?? -Infinity };
      if (top.length >= wanted && !before(entry, top[top.length - 1]!)) continue;
      // Binary insertion into the sorted top: a filter that admits 100k documents costs one pass.
      let low = 0;
      let high = top.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (before(top[mid]!, entry)) low = mid + 1;
        else high = mid;
      }
      top.splice(low, 0, entry);
      if (top.length > wanted) top.pop();
    }
    return { total, hits: top.slice(offset).map(({ doc }) => this.index.hit(doc, new Set(), 0)) };
  }

  /** The kinds, tags and dates a query admits, as a predicate; undefined when it has none. */
  private filterOf(query: FindQuery): ((doc: IndexedDoc) => boolean) | undefined {
    if (!hasFilters(query)) return undefined;
    const { kinds, tags, dates } = query;
    return (doc) =>
      (kinds.length === 0 || kinds.includes(doc.kind)) &&
      // Tags are kept as written; the query's are folded (#café finds café).
      tags.every((tag) => doc.tags.some((docTag) => tagCovers(tag, docTag))) &&
      (dates === undefined || inRange(this.spanOf(doc), dates));
  }

  /**
   * When a document is dated: its front-matter date, a note's creation time, else
   * its file's modification time; undefined for profile items. Cached per document version.
   */
  private spanOf(doc: IndexedDoc): { from: number; to: number } | undefined {
    if (this.spans.has(doc)) return this.spans.get(doc);
    const span = documentSpan(doc.date ?? (doc.mtimeMs ? new Date(doc.mtimeMs).toISOString() : undefined));
    this.spans.set(doc, span);
    return span;
  }

  /** "Did you mean" words for a query that found nothing, made only of what the viewer may read. */
  didYouMean(text: string, viewer: Person, limit = 3): string[] {
    return this.index.didYouMean(text, limit, this.keepFor(viewer));
  }

  /** Completions for a partly typed `/find` query, made only of what the viewer may read. */
  complete(partial: string, viewer: Person, limit: number): string[] {
    return this.index.complete(partial, limit, this.keepFor(viewer));
  }

  /** `visibleTo`, or undefined when it keeps everything (the index then skips the check). */
  private keepFor(viewer: Person): ((doc: IndexedDoc) => boolean) | undefined {
    const keep = this.visibleTo(viewer);
    return keep === ALL_DOCS ? undefined : keep;
  }

  /**
   * How many notes and articles the viewer may read match a topic: a document matches when it
   * holds at least half of the topic's words (at least two of them when it has two or more).
   */
  topicMatches(topic: string, viewer: Person): { notes: number; articles: number } {
    const terms = topicWords(topic).map((word) => word.term!);
    const counts = { notes: 0, articles: 0 };
    if (terms.length === 0) return counts;
    // The rule /resurface uses too (topic-match.ts).
    const { note, article } = this.index.countWithTerms(terms, wordsNeeded(terms.length), this.keepFor(viewer));
    return { notes: note, articles: article };
  }

  /**
   * The tags on what the viewer may read, most used first (then alphabetically),
   * optionally only those that start with `prefix` or have a part that does
   * (`data` finds #database and #big-data). Tags that fold alike (#café, #cafe) count as one.
   * A document counts once under each tag that finds it (query.ts coveringTags): under
   * `#lsm/compaction` and under `#lsm`, which is listed even when nothing carries it alone,
   * so that a tag's count is what `/find #tag` lists for this viewer.
   */
  tags(viewer: Person, prefix = ''): TagCount[] {
    const wanted = tagTerm(prefix.trim().replace(/^#+/, '')) ?? '';
    const keep = this.visibleTo(viewer);
    const counts = new Map<string, TagCount & { forms: Map<string, number> }>();
    for (const doc of this.index.all()) {
      if (doc.tags.length === 0 || !keep(doc)) continue;
      const seen = new Set<string>();
      for (const { key, written } of doc.tags.flatMap(coveringTags)) {
        if (seen.has(key)) continue;
        seen.add(key);
        if (wanted && !tagHasPart(key, wanted)) continue;
        let entry = counts.get(key);
        if (!entry) counts.set(key, (entry = { tag: written, count: 0, notes: 0, articles: 0, forms: new Map() }));
        entry.count += 1;
        if (doc.kind === 'note') entry.notes += 1;
        else if (doc.kind === 'article') entry.articles += 1;
        entry.forms.set(written, (entry.forms.get(written) ?? 0) + 1);
      }
    }
    return [...counts.values()]
      .map(({ forms, ...entry }) => ({ ...entry, tag: [...forms.entries()].sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]))[0]![0] }))
      .sort((a, b) => b.count - a.count || byCodePoint(a.tag, b.tag));
  }

  /** The notes a viewer may read, newest first (at most `limit`). */
  notesFor(viewer: Person, limit = Infinity): Note[] {
    const out: Note[] = [];
    for (const note of this.allNotes()) {
      if (out.length >= limit) break;
      if (this.canRead(note, viewer)) out.push(note);
    }
    return out;
  }

  /**
   * Stores a note, then indexes it. Resolves only after the store confirmed the
   * write; a second save with the same idempotency key returns the first note.
   */
  async saveNote(input: NewNote): Promise<SaveResult> {
    const id = input.idempotencyKey ? noteIdForKey(input.idempotencyKey) : newNoteId();
    const pending = this.inFlight.get(id);
    if (pending) return pending.then((result) => ({ ...result, created: false }));
    const save = this.storeNote(id, input).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, save);
    return save;
  }

  private async storeNote(id: string, input: NewNote): Promise<SaveResult> {
    if (input.idempotencyKey) {
      const existing = this.notes.get(id) ?? (await this.store.get(id));
      if (existing) {
        this.indexNote(existing);
        return { note: existing, created: false };
      }
    }
    const note: Note = {
      id,
      text: input.text,
      tags: tagsOf(input.text, input.notTags),
      author: input.author,
      ...(input.savedBy && !samePerson(input.savedBy, input.author) ? { savedBy: input.savedBy } : {}),
      source: input.source,
      createdAt: this.now().toISOString(),
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      ...(input.shared ? { shared: true } : {}),
    };
    try {
      await this.store.put(note);
    } catch (error) {
      // NOTE: the user is told "not saved"; if the write lands after all, the note
      // is in the store, so the index must have it too or a restart would surprise them.
      if (error instanceof StoreUnavailableError && error.pending) {
        error.pending.then(
          () => {
            this.logger.warn({ id: note.id }, 'notes: a write reported as not saved landed late; indexed it');
            this.indexNote(note);
          },
          () => {},
        );
      }
      throw error;
    }
    this.indexNote(note);
    return { note, created: true };
  }

  /**
   * Deletes a note from the store and the index, for a viewer who may: its saver
   * or an owner. Undefined when there is none, or none the viewer may read (a
   * hidden note is answered as a missing one); a shared note of someone else's is refused.
   */
  async forgetNote(id: string, viewer: Person): Promise<Note | undefined> {
    const known = this.notes.get(id) ?? (await this.store.get(id));
    if (!known || !this.canRead(known, viewer)) return undefined;
    if (!canForgetNote(this.readRule, known, viewer)) {
      throw new UserError('not-allowed', `forget: note ${id} is shared by someone else — only they or the owner can forget it`);
    }
    await this.store.delete(id);
    this.dropNote(id);
    return known;
  }

  /**
   * Calls `listener` after what the knowledge base holds changed: a note saved
   * or forgotten (here or by another process), the profile, an article. Returns
   * the unsubscribe. (The Slack Home tab refreshes on it.)
   */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** Indexes a note that is already stored (at startup, or written by another process). */
  indexNote(note: Note): void {
    this.touch(note.id);
    this.notes.set(note.id, note);
    this.index.upsert(noteDoc(note));
    this.changed();
  }

  /** Brings the index up to date with a change another process made to the store. */
  async applyChange(change: NoteChange): Promise<void> {
    if (change.type === 'delete') {
      this.dropNote(change.id);
      return;
    }
    const version = this.touch(change.id);
    try {
      const note = await this.store.get(change.id);
      // A delete (or newer save) applied while this fetch ran wins over what it read.
      if (note && this.noteVersions.get(change.id) === version) this.indexNote(note);
    } catch (error) {
      this.logger.warn({ id: change.id, err: (error as Error).message }, 'notes: could not fetch a changed note');
    }
  }

  /** Drops a note from memory and the index (deleted here or by another process). */
  dropNote(id: string): void {
    this.touch(id);
    this.notes.delete(id);
    this.index.remove(`note:${id}`);
    this.changed();
  }

  /** Counts changes per note id, so a slow fetch can tell it was overtaken. */
  private touch(id: string): number {
    const version = (this.noteVersions.get(id) ?? 0) + 1;
    this.noteVersions.set(id, version);
    return version;
  }

  /**
   * Re-reads the profile; keeps the last good one when it cannot be read. Waits
   * for a /topics edit of the file in progress; a file that says what the
   * profile already holds (the watcher seeing that edit's own write) changes nothing.
   */
  async reloadProfile(): Promise<boolean> {
    return serializeProfileWork(this.profilePath, async () => {
      try {
        this.useProfile(await loadProfile(this.profilePath));
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'profile: kept the last good version');
        return false;
      }
      return true;
    });
  }

  /** A /topics edit: profile.md changed in place, and the profile and index at once (see profile-edit.ts). */
  async editProfile(edit: ProfileEdit): Promise<ProfileEditOutcome> {
    const { outcome, error } = await editProfileFile(this.profilePath, edit, localDate(this.now()), (text) => this.useProfile(parseProfile(text)));
    if (error) this.logger.warn({ err: error.message, file: this.profilePath }, 'profile: could not edit');
    return outcome;
  }

  /**
   * Up to five notes and write-ups older than 30 days about `texts` (the
   * current topics, or words) that `viewer` may read and was not shown in the
   * last 30 days; marks them shown (see resurface.ts).
   */
  async resurface(viewer: Person, texts: readonly string[]): Promise<ResurfaceOutcome> {
    if (this.indexing) throw new UserError('indexing', 'resurface: still indexing — try again in a few seconds');
    const index = this.index;
    const source: ResurfaceSource = {
      rank: (text, limit, keep) =>
        index.rank(text, { limit, keep }).matches.flatMap((match) => {
          const doc = index.get(match.id);
          return doc ? [{ doc, score: match.score, terms: match.terms }] : [];
        }),
      dated: (doc) => this.spanOf(doc),
      hit: (doc, terms, score) => index.hit(doc, new Set(terms), score),
      memory: this.store,
    };
    const outcome = await resurface(source, { viewer, texts, visible: this.visibleTo(viewer), now: this.now() });
    if (outcome.rememberError !== undefined) {
      const error = outcome.rememberError;
      // A store that refuses writes for good refuses every /resurface: said once, not on every call.
      const readOnly = error instanceof StoreReadOnlyError;
      if (!readOnly || !this.warnedResurfaceReadOnly) {
        this.logger.warn({ err: (error as Error).message }, 'resurface: could not remember what was shown; it may be offered again within 30 days');
      }
      if (readOnly) this.warnedResurfaceReadOnly = true;
    }
    return outcome;
  }

  private useProfile(profile: Profile): void {
    if (profileStamp(profile) === profileStamp(this.profileValue)) return;
    this.profileValue = profile;
    this.index.removeWhere((doc) => doc.kind === 'profile');
    this.indexProfile();
    this.changed();
  }

  /**
   * An article's text for its snippet, read back from its file. A file that no longer reads is found by
   * its last good version, so its current text would hold none of the words that matched: say so instead.
   */
  private articleText(doc: IndexedDoc): string | undefined {
    // The reason is in the log (a parser's message is longer than a snippet).
    if (doc.source.path !== undefined && this.unreadable.has(doc.source.path)) return UNREADABLE_SNIPPET;
    return doc.source.path === undefined ? undefined : this.articleTexts.read(doc.source.path, doc.mtimeMs);
  }

  /** Re-reads one article (path relative to DATA_DIR); a broken one keeps its last good version. */
  async reloadArticle(relativePath: string): Promise<boolean> {
    const result = await readArticle(this.dataDir, relativePath, this.linkTemplate ? { linkTemplate: this.linkTemplate } : {});
    // Re-read: a kept snippet text is of the version before (an edit within the file system's time resolution keeps its mtime).
    this.articleTexts.forget(relativePath);
    if ('problem' in result) {
      this.reportProblems([result.problem]);
      if (this.index.has(`article:${relativePath}`)) this.unreadable.add(relativePath);
      return false;
    }
    this.unreadable.delete(relativePath);
    if ('section' in result) {
      // A section page (its text emptied, or a new one): not a write-up; the snapshot keeps it as seen.
      this.sections.set(relativePath, result.section.mtimeMs);
      if (this.index.remove(`article:${relativePath}`)) this.changed();
      else this.snapshots?.schedule();
      return false;
    }
    this.sections.delete(relativePath);
    if (result.warning) this.reportProblems([], [result.warning]);
    this.index.upsert(articleDoc(result.article));
    this.changed();
    return true;
  }

  removeArticle(relativePath: string): void {
    this.unreadable.delete(relativePath);
    this.articleTexts.forget(relativePath);
    if (this.sections.delete(relativePath)) this.snapshots?.schedule();
    this.index.remove(`article:${relativePath}`);
    this.changed();
  }

  /** Drops every article under a folder prefix (`articles/x/`), when the folder was removed. */
  removeArticlesUnder(prefix: string): void {
    for (const file of this.unreadable) if (file.startsWith(prefix)) this.unreadable.delete(file);
    this.articleTexts.forgetUnder(prefix);
    for (const file of this.sections.keys()) if (file.startsWith(prefix) && this.sections.delete(file)) this.snapshots?.schedule();
    this.index.removeWhere((doc) => doc.kind === 'article' && (doc.source.path?.startsWith(prefix) ?? false));
    this.changed();
  }

  /** Notes in memory, newest first: every note, whoever may read it (for the owner's tools, not replies). */
  allNotes(): Note[] {
    return [...this.notes.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Stops what runs (a cold build stops at its next batch, unsaved), saves pending
   * changes and closes the store; safe while the knowledge base is still loading.
   */
  async close(): Promise<void> {
    this.closing = true;
    // The load may still read the store; it settles before the store is closed (a rejection was reported by whoever awaited it).
    await this.ready.catch(() => {});
    await this.checked;
    await Promise.allSettled([...this.inFlight.values()]);
    // Saves pending changes, so the next start need not re-index them.
    await this.snapshots?.flush();
    await this.snapshots?.close();
    await this.store.close();
  }

  private indexProfile(): void {
    this.index.addAll(profileDocs(this.profileValue));
  }

  private reportProblems(problems: readonly ArticleProblem[], partial: readonly ArticleProblem[] = []): void {
    for (const problem of problems) {
      this.logger.warn({ path: problem.path, reason: problem.reason }, `articles: skipped ${problem.path}: ${problem.reason}`);
    }
    for (const warning of partial) this.logger.warn({ path: warning.path, reason: warning.reason }, `articles: ${warning.path} ${warning.reason}`);
  }
}

export function articleDoc(article: Article): IndexedDoc {
  return {
    id: `article:${article.path}`,
    kind: 'article',
    title: article.title,
    text: article.text,
    tags: article.tags,
    ...(article.aliases ? { aliases: article.aliases } : {}),
    ...(article.date ? { date: article.date } : {}),
    ...(article.dateSource ? { dateSource: article.dateSource } : {}),
    source: { label: article.path, path: article.path, ...(article.url ? { url: article.url } : {}) },
    mtimeMs: article.mtimeMs,
  };
}

export function noteDoc(note: Note): IndexedDoc {
  return {
    id: `note:${note.id}`,
    kind: 'note',
    title: noteTitle(note.text),
    text: note.text,
    tags: note.tags,
    date: note.createdAt,
    source: {
      label: `note ${note.id}`,
      noteId: note.id,
      ...(note.source.permalink ? { url: note.source.permalink } : {}),
    },
  };
}

export { StoreUnavailableError };
