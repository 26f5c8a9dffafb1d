/**
 * Two real bot processes on one shared store (Redis, PostgreSQL): what one saves
 * the other finds within 5 s, and what one forgets disappears from the other.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir } from '../helpers/context.ts';
import { announceSkip, createTestStore, type TestStore } from '../helpers/servers.ts';
import { BotProcess, pollCommand } from './multi-process-bot.ts';

for (const kind of ['redis', 'postgres'] as const) {
  const skipped = announceSkip(kind, 'two bot processes on one store');

  describe.skipIf(skipped)(`two processes on one ${kind} store`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function startPair(): Promise<[BotProcess, BotProcess]> {
      const store: TestStore = await createTestStore(kind);
      cleanups.push(() => store.cleanup());
      const bots = await Promise.all(
        [0, 1].map(async () => {
          const dataDir = await makeDataDir();
          cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
          const bot = new BotProcess({ dataDir, storeUrl: store.url });
          cleanups.push(() => bot.stop());
          return bot;
        }),
      );
      await Promise.all(bots.map((bot) => bot.ready()));
      return bots as [BotProcess, BotProcess];
    }

    it('a note saved in one is found in the other within 5 s; a /forget in one disappears from the other within 5 s', { timeout: 90_000 }, async () => {
      // Two console bots: what is shared is the store, not the platform.
      const [first, second] = await startPair();
      const word = `quokka${Date.now().toString(36)}`;

      const saved = await first.command(`/note ${word} replication lag notes #ops`);
      const id = /^Saved note ([0-9a-z]{10}) \(#ops\)\./.exec(saved)?.[1];
      expect(id, saved).toBeDefined();
      expect(await first.command(`/find ${word}`)).toContain(`note ${id}`);

      const found = await pollCommand(second, `/find ${word}`, (reply) => reply.includes(`note ${id}`), 5000);
      expect(found.ms).toBeLessThan(5000);

      expect(await second.command(`/forget ${id}`)).toBe(`Forgot note ${id}.`);
      const gone = await pollCommand(first, `/find ${word}`, (reply) => !reply.includes(`note ${id}`), 5000);
      expect(gone.ms).toBeLessThan(5000);
      expect(gone.reply).toContain(`Nothing found for "${word}"`);
    });
  });
}
