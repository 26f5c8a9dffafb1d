import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, silentLogger, watchDataDir, type DataWatcher, type Logger } from '../../../src/core/index.ts';
import { CONSOLE_USER, createTestContext, type TestContext } from '../../helpers/context.ts';

async function eventually(check: () => boolean, ms = 2000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

describe('edits under DATA_DIR are re-indexed within 2 s, without a restart', () => {
  let ctx: TestContext;
  let watcher: DataWatcher;
  /** Files the watcher has handed to the knowledge base, in order. */
  const handled: string[] = [];
  beforeAll(async () => {
    ctx = await createTestContext({ articles: { 'a.md': '# First\nalpha' } });
    watcher = watchDataDir(ctx.kb, silentLogger(), (file) => handled.push(file));
    await watcher.ready;
  });
  afterAll(async () => {
    await watcher.close();
    await ctx.close();
  });
  const titles = (q: string) => ctx.kb.search(parseQuery(q), { viewer: CONSOLE_USER, limit: 10 }).hits.map((h) => h.title);

  it('indexes a new article in a new nested folder', async () => {
    await mkdir(path.join(ctx.dataDir, 'articles/new/deeper'), { recursive: true });
    await writeFile(path.join(ctx.dataDir, 'articles/new/deeper/b.md'), '# Brand new\nzeppelin');
    await eventually(() => titles('zeppelin').includes('Brand new'));
  });

  it('picks up an edit saved by write-then-rename, as editors do', async () => {
    const tmp = path.join(ctx.dataDir, 'articles/.a.md.swp');
    await writeFile(tmp, '# First\nomega');
    await rename(tmp, path.join(ctx.dataDir, 'articles/a.md'));
    await eventually(() => titles('omega').includes('First') && !titles('alpha').includes('First'));
  });

  it('keeps the last good version of a file that no longer parses', async () => {
    const before = handled.length;
    await writeFile(path.join(ctx.dataDir, 'articles/a.md'), '---\ntitle: [broken\n---\n');
    // The watcher has re-read the broken file (a watcher that does nothing fails here) …
    await eventually(() => handled.slice(before).includes('articles/a.md'));
    // … and the index still holds the last version that parsed.
    expect(titles('omega')).toContain('First');
  });

  it('drops a deleted article', async () => {
    await rm(path.join(ctx.dataDir, 'articles/new/deeper/b.md'));
    await eventually(() => titles('zeppelin').length === 0);
  });

  it('re-reads the profile', async () => {
    await writeFile(path.join(ctx.dataDir, 'profile.md'), '# Current topics\n- Quantum basket weaving\n');
    await eventually(() => ctx.kb.profile.sections[0]?.items[0]?.text === 'Quantum basket weaving');
    expect(titles('basket')).toEqual(['Quantum basket weaving']);
  });
});

describe('an articles folder created after startup', () => {
  it('is watched too', async () => {
    const ctx = await createTestContext({ articles: {} });
    await rm(path.join(ctx.dataDir, 'articles'), { recursive: true, force: true });
    const watcher = watchDataDir(ctx.kb, silentLogger());
    try {
      await watcher.ready;
      await mkdir(path.join(ctx.dataDir, 'articles/later'), { recursive: true });
      await writeFile(path.join(ctx.dataDir, 'articles/later/first.md'), '# Late arrival\nnarwhal');
      await eventually(() => ctx.kb.search(parseQuery('narwhal'), { viewer: CONSOLE_USER, limit: 5 }).hits.length === 1);
      expect(ctx.kb.counts().articles).toBe(1);
    } finally {
      await watcher.close();
      await ctx.close();
    }
  });
});

describe('a symlink loop under articles/ (articles/x/loop -> ..)', () => {
  it('is not followed: a new file is read once, under its own path, without a stream of ELOOP warnings', async () => {
    const ctx = await createTestContext({ articles: { 'x/a.md': '# Inside\nkestrel' } });
    await symlink('..', path.join(ctx.dataDir, 'articles/x/loop'));
    const warnings: string[] = [];
    const logger = { ...silentLogger(), warn: (fields: unknown, message?: string) => warnings.push(`${message ?? String(fields)}`) } as Logger;
    const handled: string[] = [];
    const watcher = watchDataDir(ctx.kb, logger, (file) => handled.push(file));
    try {
      await watcher.ready;
      await writeFile(path.join(ctx.dataDir, 'articles/x/b.md'), '# Beside\nosprey');
      await eventually(() => handled.includes('articles/x/b.md'));
      // Time for the copies a followed loop would see (articles/x/loop/x/b.md, …) to come in.
      await new Promise((r) => setTimeout(r, 400));
      expect(handled).toEqual(['articles/x/b.md']);
      expect(warnings).toEqual([]);
      expect(ctx.kb.search(parseQuery('osprey'), { viewer: CONSOLE_USER, limit: 5 }).hits.map((h) => h.source.path)).toEqual(['articles/x/b.md']);
    } finally {
      await watcher.close();
      await ctx.close();
    }
  });
});
