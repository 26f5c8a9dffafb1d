/**
 * Watches DATA_DIR and tells its owner which profile or article changed. It
 * knows files, not the index: the owner (the knowledge base) re-reads them.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';
import { hasArticleExtension, isArticlePath, isListedPath, toPosix } from './article-files.ts';
import type { Logger } from '../util/logger.ts';

/** What the watcher calls when a file under DATA_DIR changes (the knowledge base implements it). */
export interface DataChangeHandler {
  /** Folder watched: holds profile.md and articles/. */
  readonly dataDir: string;
  reloadProfile(): Promise<unknown>;
  /** An article (path relative to DATA_DIR, forward slashes) was added or changed. */
  reloadArticle(relativePath: string): Promise<unknown>;
  removeArticle(relativePath: string): void;
  /** A folder was removed: every article under this prefix (`articles/x/`) goes. */
  removeArticlesUnder(prefix: string): void;
}

export interface DataWatcher {
  /** Resolves once the watcher has scanned the folder and reports changes. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Errors the start-up listing of articles/ reports itself (`articles: skipped …`): a folder it may
 * not read, a symlink it cannot follow. Others (ENOSPC: out of inotify watches) only the watcher sees.
 */
const LISTING_CODES = new Set(['EACCES', 'EPERM', 'ELOOP']);

/** Quiet period after the last event on a file before it is re-read. */
const DEBOUNCE_MS = 150;

export function watchDataDir(kb: DataChangeHandler, logger: Logger, onChange?: (file: string) => void): DataWatcher {
  const dataDir = kb.dataDir;
  const relevant = (file: string): boolean => {
    const relative = toPosix(path.relative(dataDir, file));
    return relative === 'profile.md' || isArticlePath(relative);
  };
  // NOTE: editors often save by writing a temp file and renaming it; watching the
  // folder (not single files) and debouncing keeps those saves.
  // The folder itself is watched, so an articles/ folder created later is seen too;
  // everything else in it (the SQLite file, the index snapshot) is ignored.
  const ignored = (file: string, stats?: { isFile(): boolean; isDirectory(): boolean }): boolean => {
    const relative = toPosix(path.relative(dataDir, file));
    if (relative === '' || relative === 'profile.md') return false;
    if (relative === 'articles' || relative.startsWith('articles/')) {
      // Hidden folders (.git, .obsidian) and node_modules are not descended into.
      if (relative !== 'articles' && !isListedPath(relative.slice('articles/'.length))) return true;
      // A linked folder is not followed, as the loader does not follow it: a link back up
      // (articles/x/loop -> ..) would be watched again and again until ELOOP.
      if (relative !== 'articles' && stats?.isDirectory() && isSymbolicLink(file)) return true;
      return (stats?.isFile() ?? false) && !hasArticleExtension(relative);
    }
    return true;
  };
  const watcher = watch(dataDir, {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
    ignored,
  });

  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (file: string, removed: boolean) => {
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        void apply(file, removed);
      }, DEBOUNCE_MS),
    );
  };

  const apply = async (file: string, removed: boolean) => {
    const relative = toPosix(path.relative(dataDir, file));
    try {
      if (relative === 'profile.md') {
        if (!removed) await kb.reloadProfile();
        else logger.warn('profile: profile.md was removed; keeping the last good version');
      } else if (removed) {
        kb.removeArticle(relative);
      } else {
        await kb.reloadArticle(relative);
      }
      logger.info({ file: relative, removed }, 'data: re-indexed');
      onChange?.(relative);
    } catch (error) {
      logger.warn({ file: relative, err: (error as Error).message }, 'data: could not re-index');
    }
  };

  watcher.on('add', (file) => relevant(file) && schedule(file, false));
  watcher.on('change', (file) => relevant(file) && schedule(file, false));
  watcher.on('unlink', (file) => relevant(file) && schedule(file, true));
  watcher.on('unlinkDir', (dir) => {
    kb.removeArticlesUnder(toPosix(path.relative(dataDir, dir)) + '/');
  });
  // One short warning per path and kind of error, not one per event (a loop repeats its error for every level).
  const warned = new Set<string>();
  let scanned = false;
  watcher.on('error', (error) => {
    const { code, path: where, message } = error as NodeJS.ErrnoException;
    const relative = where ? toPosix(path.relative(dataDir, where)) : '';
    // The first scan meets what the start-up listing met and warned about already (an unreadable folder,
    // a symlink loop): one warning per start is enough. Later ones are new and are said.
    if (!scanned && relative.startsWith('articles/') && code !== undefined && LISTING_CODES.has(code)) return;
    const shown = relative.split('/').slice(0, 4).join('/');
    const key = `${code ?? message}:${shown}`;
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn({ code, path: shown }, `data: not watching ${shown || 'a file'}${code ? ` (${code})` : ''}; changes there are not picked up`);
  });

  const ready = new Promise<void>((resolve) =>
    watcher.once('ready', () => {
      scanned = true;
      resolve();
    }),
  );
  return {
    ready,
    async close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await watcher.close();
    },
  };
}

function isSymbolicLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
