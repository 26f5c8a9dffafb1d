/**
 * Concurrency on a shared store with real processes: 1,000 /note fired at two
 * bots at once end up as exactly 1,000 stored, findable notes; the same platform
 * request retried in two processes at once makes one note.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { noteIdForKey, openNoteStore, silentLogger } from '../../src/core/index.ts';
import { botEnv } from '../helpers/bot-process.ts';
import { REPO_ROOT, makeDataDir } from '../helpers/context.ts';
import { announceSkip, createTestStore, type StoreKind, type TestStore } from '../helpers/servers.ts';
import { BotProcess, pollCommand } from './multi-process-bot.ts';

const run = promisify(execFile);
const PER_BOT = 500;

for (const kind of ['sqlite', 'redis', 'postgres'] as StoreKind[]) {
  const skipped = announceSkip(kind, 'the two-process burst');

  describe.skipIf(skipped)(`burst on one ${kind} store from two processes`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setup(): Promise<{ store: TestStore; dataDir: string }> {
      const store = await createTestStore(kind);
      cleanups.push(() => store.cleanup());
      const dataDir = await makeDataDir({ profile: '# Owner\n', articles: {} });
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      return { store, dataDir };
    }

    function startBot(store: TestStore, dataDir: string): BotProcess {
      const bot = new BotProcess({ dataDir, storeUrl: store.url, env: { SEARCH_LIMIT: '50' } });
      cleanups.push(() => bot.stop());
      return bot;
    }

    it('1,000 /note at once across two processes: 1,000 stored, findable notes', { timeout: 180_000 }, async () => {
      const { store, dataDir } = await setup();
      const bots = [startBot(store, dataDir), startBot(store, dataDir)] as const;
      await Promise.all(bots.map((bot) => bot.ready()));

      // Every line written at once; each note carries a word of its own.
      bots.forEach((bot, b) => bot.send(...Array.from({ length: PER_BOT }, (_, i) => `/note burst kq${b}x${i}v under load #burst`)));
      await Promise.all(bots.map((bot) => bot.waitFor(() => bot.savedIds().length === PER_BOT, 120_000, `${PER_BOT} saved replies`)));
      for (const bot of bots) expect(bot.stdout).not.toMatch(/not saved|unavailable|went wrong/i);

      const ids = bots.flatMap((bot) => bot.savedIds());
      expect(new Set(ids).size).toBe(2 * PER_BOT);
      const reader = await openNoteStore(store.url, { logger: silentLogger() });
      try {
        const stored = await reader.loadAll();
        expect(stored).toHaveLength(2 * PER_BOT);
        expect(new Set(stored.map((n) => n.id))).toEqual(new Set(ids));
      } finally {
        await reader.close();
      }

      const sample = [0, 137, 262, 499].flatMap((i) => [0, 1].map((b) => ({ word: `kq${b}x${i}v`, id: bots[b]!.savedIds()[i]! })));
      if (kind !== 'sqlite') {
        // With a change feed, each process finds the other's notes too.
        for (const bot of bots) {
          for (const { word, id } of sample) await pollCommand(bot, `/find ${word}`, (reply) => reply.includes(`note ${id}`), 5000);
        }
      }
      // A process started afterwards finds every one of them.
      await Promise.all(bots.map((bot) => bot.stop()));
      const fresh = startBot(store, dataDir);
      await fresh.ready();
      for (const { word, id } of sample) expect(await fresh.command(`/find ${word}`)).toContain(`note ${id}`);
      expect(await fresh.command('/find #burst')).toMatch(/burst/);
    });

    it('the same request retried in two processes at the same moment makes one note', { timeout: 60_000 }, async () => {
      const { store, dataDir } = await setup();
      // The keys the adapters really produce for a retried slash command and a retried interaction.
      const keys = Array.from({ length: 50 }, (_, i) => (i % 2 ? `slack:trigger:1234567890.${i}.abcdef` : `discord:interaction:12345678901234567${i}`));
      const script = path.join(REPO_ROOT, 'test/e2e/multi-process-save.ts');
      const outputs = await Promise.all(
        [0, 1].map(() => run(process.execPath, ['--import', 'tsx', script, store.url, dataDir, ...keys], { cwd: REPO_ROOT, env: botEnv({}) })),
      );
      const expected = keys.map((key) => ({ id: noteIdForKey(key), key }));
      for (const { stdout } of outputs) expect(JSON.parse(stdout)).toEqual(expected);

      const reader = await openNoteStore(store.url, { logger: silentLogger() });
      try {
        const stored = await reader.loadAll();
        expect(stored).toHaveLength(keys.length);
        expect(new Set(stored.map((n) => n.id))).toEqual(new Set(expected.map((e) => e.id)));
      } finally {
        await reader.close();
      }
    });
  });
}
