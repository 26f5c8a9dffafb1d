/**
 * A symlink loop between two files (articles/a.md -> b.md, b.md -> a.md)
 * cannot be read: each link is skipped with one short warning at every start,
 * whether the index is built from the files or loaded from the snapshot, and
 * the watcher's first scan does not say it again. (A dangling link is left out
 * without a word, as a file deleted meanwhile.)
 */
import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBase, openNoteStore, parseQuery, silentLogger, watchDataDir, type Logger } from '../../../src/core/index.ts';
import { CONSOLE_USER, makeDataDir } from '../../helpers/context.ts';

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A logger that keeps its warnings' messages. */
function warningLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger = silentLogger();
  logger.warn = ((fields: unknown, message?: string) => warnings.push(typeof fields === 'string' ? fields : String(message))) as Logger['warn'];
  return { logger, warnings };
}

async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a symlink loop between two files under articles/', () => {
  it('is skipped with one warning per link at each start, cold and from the snapshot; the rest loads; the watcher adds none', async () => {
    const dataDir = await makeDataDir({ articles: { 'ok.md': '# Readable\nmarmoset' } });
    cleanup.push(dataDir);
    await symlink('b.md', path.join(dataDir, 'articles/a.md'));
    await symlink('a.md', path.join(dataDir, 'articles/b.md'));
    await symlink('nowhere.md', path.join(dataDir, 'articles/dangling.md'));
    const loads: unknown[] = [];
    for (const round of [1, 2]) {
      const { logger, warnings } = warningLogger();
      const kb = await KnowledgeBase.open({ dataDir, store: await openNoteStore('memory://', { logger: silentLogger() }), logger, snapshot: path.join(dataDir, 'snapshot.bin'), snapshotDelayMs: 0 });
      const watcher = watchDataDir(kb, logger);
      await watcher.ready;
      await watcher.close();
      loads.push({
        round,
        from: kb.loadReport?.from,
        articles: kb.counts().articles,
        found: kb.search(parseQuery('marmoset'), { viewer: CONSOLE_USER, limit: 5 }).hits.map((hit) => hit.title),
        warnings,
      });
      await kb.close();
    }
    const warnings = ['articles: skipped articles/a.md: a symlink loop (ELOOP)', 'articles: skipped articles/b.md: a symlink loop (ELOOP)'];
    expect(loads).toEqual([
      { round: 1, from: 'cold', articles: 1, found: ['Readable'], warnings },
      { round: 2, from: 'snapshot', articles: 1, found: ['Readable'], warnings },
    ]);
  });

  it('made while the bot runs, is warned about once by the watcher', async () => {
    const dataDir = await makeDataDir({ articles: { 'ok.md': '# Readable\nmarmoset' } });
    cleanup.push(dataDir);
    const { logger, warnings } = warningLogger();
    const kb = await KnowledgeBase.open({ dataDir, store: await openNoteStore('memory://', { logger: silentLogger() }), logger });
    const watcher = watchDataDir(kb, logger);
    try {
      await watcher.ready;
      await symlink('d.md', path.join(dataDir, 'articles/c.md'));
      await symlink('c.md', path.join(dataDir, 'articles/d.md'));
      await eventually(() => warnings.length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect([...warnings].sort()).toEqual([
        'data: not watching articles/c.md (ELOOP); changes there are not picked up',
        'data: not watching articles/d.md (ELOOP); changes there are not picked up',
      ]);
    } finally {
      await watcher.close();
      await kb.close();
    }
  });
});
