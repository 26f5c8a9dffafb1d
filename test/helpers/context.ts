/**
 * A test context built from the real core: a temporary DATA_DIR, an in-memory
 * (or given) note store, the real knowledge base and the real commands.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../../commands/index.ts';
import {
  KnowledgeBase,
  createDispatcher,
  openNoteStore,
  silentLogger,
  type Dispatcher,
  type Logger,
  type Invocation,
  type NoteStore,
  type NotesVisibleTo,
  type Person,
} from '../../src/core/index.ts';

/** The console user: an owner, who reads every note. */
export const CONSOLE_USER: Person = { platform: 'console', id: 'local', name: 'owner' };

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The sample shipped in data/ (users replace it): only tests of the shipped profile itself read it. */
export const SHIPPED_DATA = path.join(REPO_ROOT, 'data');
/** The tests' own knowledge base (test/fixtures/kb/README.md): the default of every test context. */
export const FIXTURE_DATA = path.join(REPO_ROOT, 'test', 'fixtures', 'kb');

export interface TestContextOptions {
  /** Profile markdown; default: test/fixtures/kb/profile.md. */
  profile?: string;
  /** Articles by path under articles/; default: test/fixtures/kb/articles. */
  articles?: Record<string, string>;
  /** A folder copied as articles/ (hidden files and folders too), instead of `articles`. */
  articlesFrom?: string;
  /** ARTICLES_URL: the template articles' links are made from. */
  linkTemplate?: string;
  /** Store; default: an in-memory Keyv store. */
  store?: NoteStore;
  noteWriters?: string[];
  searchLimit?: number;
  /** NOTES_VISIBLE_TO; default `owner`. */
  notesVisibleTo?: NotesVisibleTo;
  /** Clock for the knowledge base (note creation times, relative dates). */
  now?: () => Date;
  /** Where the knowledge base and dispatcher log; default: nowhere. */
  logger?: Logger;
}

export interface TestContext {
  dataDir: string;
  kb: KnowledgeBase;
  store: NoteStore;
  dispatcher: Dispatcher;
  /** Runs a command as a user (console user by default) and returns the reply. */
  run(line: string, overrides?: Partial<Invocation>): ReturnType<Dispatcher['dispatch']>;
  close(): Promise<void>;
}

export async function makeTempDir(prefix = 'tinker-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** A DATA_DIR in a temp folder: the given profile and articles, or copies of the tests' own (test/fixtures/kb). */
export async function makeDataDir(options: Pick<TestContextOptions, 'profile' | 'articles' | 'articlesFrom'> = {}): Promise<string> {
  const dataDir = await makeTempDir();
  if (options.profile !== undefined) await writeFile(path.join(dataDir, 'profile.md'), options.profile);
  else await cp(path.join(FIXTURE_DATA, 'profile.md'), path.join(dataDir, 'profile.md'));
  if (options.articlesFrom) {
    await cp(options.articlesFrom, path.join(dataDir, 'articles'), { recursive: true });
  } else if (options.articles) {
    for (const [relative, source] of Object.entries(options.articles)) {
      const file = path.join(dataDir, 'articles', relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, source);
    }
  } else {
    await cp(path.join(FIXTURE_DATA, 'articles'), path.join(dataDir, 'articles'), { recursive: true });
  }
  return dataDir;
}

export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const dataDir = await makeDataDir(options);
  const logger = options.logger ?? silentLogger();
  const store = options.store ?? (await openNoteStore('memory://', { logger }));
  const kb = await KnowledgeBase.open({
    dataDir,
    store,
    logger,
    readRule: { owners: options.noteWriters ?? [], notesVisibleTo: options.notesVisibleTo ?? 'owner' },
    ...(options.now ? { now: options.now } : {}),
    ...(options.linkTemplate ? { linkTemplate: options.linkTemplate } : {}),
  });
  const dispatcher = createDispatcher(
    commands,
    { kb, searchLimit: options.searchLimit ?? 5, noteWriters: options.noteWriters ?? [] },
    logger,
    { memory: store, onChange: (listener) => kb.onChange(listener) },
  );
  return {
    dataDir,
    kb,
    store,
    dispatcher,
    run(line, overrides = {}) {
      const match = /^\/(\S*)\s?([\s\S]*)$/.exec(line);
      return dispatcher.dispatch({
        command: match?.[1] ?? line,
        text: match?.[2] ?? '',
        user: CONSOLE_USER,
        origin: { platform: 'console' },
        ...overrides,
      });
    },
    async close() {
      await kb.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
