/**
 * The knowledge base: the owner's profile, articles and notes, and one search
 * index over all three. Commands talk to this; it knows nothing of platforms.
 */
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Origin, Person } from '../domain/types.ts';
import { streamArticles } from '../sources/article-loader.ts';
import { readArticle, type Article, type ArticleProblem } from '../sources/articles.ts';
import { StoreUnavailableError, UserError } from '../domain/errors.ts';
import type { Logger } from '../util/logger.ts';
import type { NoteChange, NoteStore } from '../store/note-store.ts';
import { extractTags, newNoteId, noteIdForKey, noteTitle, type Note } from '../domain/notes.ts';
import { loadProfile, parseProfile, type Profile } from '../sources/profile.ts';
import type { ProfileEdit, ProfileEditOutcome } from './profile-edit.ts';
import { editProfileFile, localDate, serializeProfileWork } from './profile-file.ts';
import { SearchIndex, type IndexedDoc, type SearchOutcome, type SearchQuery } from '../search/search-index.ts';
import { readArticleTextSync } from '../search/snippet.ts';
import {
  articleMtimes,
  articleMtimesOffThread,
  createSnapshotScheduler,
  diffSources,
  hashProfile,
  readSnapshot,
  sourcesOf,
  writeSnapshot,
  type ArticleStamps,
  type Snapshot,
  type SnapshotScheduler,
} from '../snapshot/snapshot.ts';
import { indexTerm, tokenize } from '../text/words.ts';

/** What a new note is made of. */
export interface NewNote {
  text: string;
  author: Person;
  source: Origin;
  idempotencyKey?: string;
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
}

/** How the index was loaded at start-up. */
export interface LoadReport {
  /** `snapshot`: loaded and brought up to date; `cold`: built from every file and note. */
  from: 'snapshot' | 'cold';
  ms: number;
  /** Articles and notes (re-)indexed or dropped because they changed since the snapshot. */
  reindexed: number;
  removed: number;
}

export class KnowledgeBase {
  readonly dataDir: string;
  readonly store: NoteStore;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private profileValue: Profile = { sections: [] };
  private readonly notes = new Map<string, Note>();
  private readonly inFlight = new Map<string, Promise<SaveResult>>();
  private readonly noteVersions = new Map<string, number>();
  // Article text is read back from disk for the few hits shown, not kept in memory.
  index = new SearchIndex({ loadText: (doc) => readArticleTextSync(this.dataDir, doc.source.path) });
  /** True until the index is complete; `/find` says "still indexing" meanwhile. */
  indexing = true;
  /** Settles once the index is complete; rejects when the store cannot be read. */
  ready: Promise<void> = Promise.resolve();
  loadReport: LoadReport | undefined;
  private readonly snapshotFile: string | undefined;
  private readonly snapshotDelayMs: number | undefined;
  private snapshots: SnapshotScheduler | undefined;
  private readonly changeListeners = new Set<() => void>();

  private constructor(options: KnowledgeBaseOptions) {
    this.dataDir = options.dataDir;
    this.store = options.store;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.snapshotFile = options.snapshot;
    this.snapshotDelayMs = options.snapshotDelayMs;
  }

  /** Loads profile, articles and every stored note, and indexes them (from the snapshot when it is still valid). */
  static async open(options: KnowledgeBaseOptions): Promise<KnowledgeBase> {
    const kb = KnowledgeBase.start(options);
    await kb.ready;
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
    // Listing the articles (a stat each) runs on another thread while the snapshot is parsed here.
    const mtimesOffThread = this.snapshotFile ? articleMtimesOffThread(this.dataDir) : undefined;
    const snapshot = this.snapshotFile ? await readSnapshot(this.snapshotFile, this.logger) : undefined;
    // Cold: articles are read and parsed (on worker threads) from now on, while the profile and notes load.
    const articles = snapshot ? undefined : streamArticles(this.dataDir, { logger: this.logger })[Symbol.asyncIterator]();
    let profile: Profile;
    let notes: Note[];
    let mtimes: ArticleStamps | undefined;
    try {
      [profile, notes, mtimes] = await Promise.all([
        loadProfile(this.profilePath),
        this.store.loadAll(),
        snapshot ? (mtimesOffThread ?? articleMtimes(this.dataDir)) : undefined,
      ]);
    } catch (error) {
      await articles?.return?.();
      throw error;
    }
    this.profileValue = profile;
    let reindexed = 0;
    let removed = 0;
    if (snapshot) {
      for (const note of notes) this.notes.set(note.id, note);
      ({ reindexed, removed } = await this.loadSnapshot(snapshot, mtimes!));
    } else {
      this.indexProfile();
      // Batch by batch in path order as they are parsed, yielding between them: commands are answered meanwhile.
      try {
        for (let next = await articles!.next(); !next.done; next = await articles!.next()) {
          this.reportProblems(next.value.problems);
          this.index.addAll(next.value.articles.map(articleDoc));
          await yieldToLoop();
        }
      } finally {
        // Stops the workers if indexing failed half-way.
        await articles!.return?.();
      }
      for (const note of notes) this.indexNote(note);
    }
    this.indexing = false;
    this.loadReport = { from: snapshot ? 'snapshot' : 'cold', ms: performance.now() - started, reindexed, removed };
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
  }

  /** Swaps in the snapshot's index, then re-indexes what changed since it was saved. */
  private async loadSnapshot(snapshot: Snapshot, mtimes: ArticleStamps): Promise<{ reindexed: number; removed: number }> {
    const index = await snapshot.restore({
      loadText: (doc) => readArticleTextSync(this.dataDir, doc.source.path),
    });
    // Notes saved while the snapshot loaded are in `notes`: the diff picks them up.
    const current = {
      profile: hashProfile(this.profileValue),
      articles: mtimes,
      notes: Object.fromEntries([...this.notes.values()].map((note) => [note.id, note.createdAt])),
    };
    const diff = diffSources(snapshot.sources, current);
    this.index = index;
    if (diff.profileChanged) {
      index.removeWhere((doc) => doc.kind === 'profile');
      this.indexProfile();
    }
    for (const file of diff.removedArticles) index.remove(`article:${file}`);
    for (const id of diff.removedNotes) index.remove(`note:${id}`);
    for (const id of diff.changedNotes) {
      const note = this.notes.get(id);
      if (note) index.upsert(noteDoc(note));
    }
    const queue = [...diff.changedArticles];
    await Promise.all(
      Array.from({ length: Math.min(16, queue.length) }, async () => {
        for (let file = queue.shift(); file !== undefined; file = queue.shift()) await this.reloadArticle(file);
      }),
    );
    return {
      reindexed: diff.changedArticles.length + diff.changedNotes.length,
      removed: diff.removedArticles.length + diff.removedNotes.length,
    };
  }

  /** Writes the index snapshot now (the scheduler calls this once changes settle). */
  async saveSnapshot(): Promise<void> {
    if (!this.snapshotFile || this.indexing) return;
    await writeSnapshot(this.snapshotFile, this.index, sourcesOf(this.index, hashProfile(this.profileValue)));
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

  search(query: SearchQuery, limit: number): SearchOutcome {
    if (this.indexing) throw new UserError('indexing', 'find: still indexing — try again in a few seconds');
    return this.index.search(query, limit);
  }

  didYouMean(text: string, limit = 3): string[] {
    return this.index.didYouMean(text, limit);
  }

  /** Completions for a partly typed `/find` query. */
  complete(partial: string, limit: number): string[] {
    return this.index.complete(partial, limit);
  }

  /**
   * How many notes and articles match a topic: a document matches when it
   * holds at least half of the topic's words (at least two of them when it has two or more).
   */
  topicMatches(topic: string): { notes: number; articles: number } {
    const terms = new Set(tokenize(topic).map((word) => indexTerm(word)).filter((t): t is string => !!t));
    const counts = { notes: 0, articles: 0 };
    if (terms.size === 0) return counts;
    const needed = Math.min(terms.size, Math.max(2, Math.ceil(terms.size / 2)));
    const { note, article } = this.index.countWithTerms([...terms], needed);
    return { notes: note, articles: article };
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
      tags: extractTags(input.text),
      author: input.author,
      source: input.source,
      createdAt: this.now().toISOString(),
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
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

  /** Deletes a note from the store and the index; undefined when there is none. */
  async forgetNote(id: string): Promise<Note | undefined> {
    const known = this.notes.get(id) ?? (await this.store.get(id));
    if (!known) return undefined;
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

  private useProfile(profile: Profile): void {
    if (hashProfile(profile) === hashProfile(this.profileValue)) return;
    this.profileValue = profile;
    this.index.removeWhere((doc) => doc.kind === 'profile');
    this.indexProfile();
    this.changed();
  }

  /** Re-reads one article (path relative to DATA_DIR); a broken one keeps its last good version. */
  async reloadArticle(relativePath: string): Promise<boolean> {
    const result = await readArticle(this.dataDir, relativePath);
    if ('problem' in result) {
      this.reportProblems([result.problem]);
      return false;
    }
    this.index.upsert(articleDoc(result.article));
    this.changed();
    return true;
  }

  removeArticle(relativePath: string): void {
    this.index.remove(`article:${relativePath}`);
    this.changed();
  }

  /** Drops every article under a folder prefix (`articles/x/`), when the folder was removed. */
  removeArticlesUnder(prefix: string): void {
    this.index.removeWhere((doc) => doc.kind === 'article' && (doc.source.path?.startsWith(prefix) ?? false));
    this.changed();
  }

  /** Notes in memory, newest first. */
  allNotes(): Note[] {
    return [...this.notes.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
    // Saves pending changes, so the next start need not re-index them.
    await this.snapshots?.flush();
    await this.snapshots?.close();
    await this.store.close();
  }

  private indexProfile(): void {
    const docs: IndexedDoc[] = [];
    for (const section of this.profileValue.sections) {
      section.items.forEach((item, i) => {
        docs.push({
          id: `profile:${section.slug}:${i}`,
          kind: 'profile',
          title: item.text,
          text: section.title,
          tags: [],
          source: { label: `profile › ${section.title}`, ...(item.url ? { url: item.url } : {}) },
        });
      });
      if (section.items.length === 0 && section.paragraphs.length > 0) {
        docs.push({
          id: `profile:${section.slug}`,
          kind: 'profile',
          title: section.title,
          text: section.paragraphs.join('\n'),
          tags: [],
          source: { label: `profile › ${section.title}` },
        });
      }
    }
    this.index.addAll(docs);
  }

  private reportProblems(problems: readonly ArticleProblem[]): void {
    for (const problem of problems) {
      this.logger.warn({ path: problem.path, reason: problem.reason }, `articles: skipped ${problem.path}: ${problem.reason}`);
    }
  }
}

export function articleDoc(article: Article): IndexedDoc {
  return {
    id: `article:${article.path}`,
    kind: 'article',
    title: article.title,
    text: article.text,
    tags: article.tags,
    ...(article.date ? { date: article.date } : {}),
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
