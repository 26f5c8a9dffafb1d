/**
 * Store outage under running bots: stop the Redis or PostgreSQL server (a private
 * one, so no other test is disturbed). /note answers "not saved" within the
 * platforms' 3 s, never "saved"; /find and /topics keep answering from the index;
 * when the server is back the bots recover without a restart, notes saved after
 * that are kept, and the other process hears about them again.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openNoteStore, silentLogger } from '../../src/core/index.ts';
import { makeDataDir } from '../helpers/context.ts';
import { privateServerSkipReason, startPrivatePostgres, startPrivateRedis, type PrivateServer } from '../helpers/servers.ts';
import { BotProcess, pollCommand } from './multi-process-bot.ts';

const NOT_SAVED = 'note: not saved: the note store is unavailable — please try again in a moment.';
const NOT_DELETED = 'forget: not deleted: the note store is unavailable — please try again in a moment.';

for (const kind of ['redis', 'postgres'] as const) {
  const reason = privateServerSkipReason(kind);
  if (reason) console.log(`skipped: store outage on ${kind}: ${reason}`);

  describe.skipIf(reason !== undefined)(`store outage: ${kind} stopped under two running bots`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it('"not saved" within 3 s while down, answers from the index, recovers without a restart', { timeout: 120_000 }, async () => {
      const server: PrivateServer = await (kind === 'redis' ? startPrivateRedis() : startPrivatePostgres());
      cleanups.push(() => server.destroy());
      const bots = await Promise.all(
        [0, 1].map(async () => {
          const dataDir = await makeDataDir();
          cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
          const bot = new BotProcess({ dataDir, storeUrl: server.url });
          cleanups.push(() => bot.stop());
          return bot;
        }),
      );
      const [bot, other] = bots as [BotProcess, BotProcess];
      await Promise.all(bots.map((b) => b.ready()));

      const before = /^Saved note ([0-9a-z]{10}) /.exec(await bot.command('/note zebrafish before the outage #outage'))?.[1];
      expect(before).toBeDefined();
      const topics = await bot.command('/topics');
      await pollCommand(other, '/find zebrafish', (reply) => reply.includes(`note ${before}`), 5000);

      await server.stop();

      for (let attempt = 0; attempt < 3; attempt += 1) {
        const started = Date.now();
        const reply = await bot.command(`/note okapi during the outage ${attempt}`);
        expect(Date.now() - started).toBeLessThan(3000);
        expect(reply).toBe(NOT_SAVED);
      }
      expect(await bot.command(`/forget ${before}`)).toBe(NOT_DELETED);
      expect(await bot.command('/find zebrafish')).toContain(`note ${before}`);
      expect(await bot.command('/topics')).toBe(topics);

      // A bot started while the store is down says so and exits, rather than run without notes.
      const dataDir = await makeDataDir({ profile: '# Owner\n', articles: {} });
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const late = new BotProcess({ dataDir, storeUrl: server.url });
      cleanups.push(() => late.kill9());
      expect(await late.exited).toBe(1);
      // Names the variable and the server, never its password.
      const shown = server.url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(late.stderr).toMatch(new RegExp(`^tinker: (STORE_URL: cannot (connect to|open)|notes: cannot read the store) ${shown} \\(`, 'm'));

      await server.start();
      const recovered = await pollCommand(bot, '/note narwhal after the outage #outage', (reply) => reply.startsWith('Saved note'), 15_000);
      const after = /^Saved note ([0-9a-z]{10}) /.exec(recovered.reply)![1]!;
      // The other process hears about it again: its change feed came back too.
      await pollCommand(other, '/find narwhal', (reply) => reply.includes(`note ${after}`), 5000);
      expect(await other.command('/find zebrafish')).toContain(`note ${before}`);

      // Nothing answered "not saved" turns up later (no replay of queued writes).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const reader = await openNoteStore(server.url, { logger: silentLogger() });
      try {
        const texts = (await reader.loadAll()).map((n) => n.text).sort();
        expect(texts).toEqual(['narwhal after the outage #outage', 'zebrafish before the outage #outage']);
      } finally {
        await reader.close();
      }
      expect(bot.stdout).not.toMatch(/went wrong/i);
    });
  });
}
