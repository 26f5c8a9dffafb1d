/**
 * Store outage through a platform adapter: the real Slack adapter (HTTP mode,
 * signed slash commands against a local stand-in) over a knowledge base on a
 * real Redis or PostgreSQL server that this test stops. /note must come back
 * "not saved" within Slack's 3 s, never "saved", and work again once the
 * server is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openNoteStore, silentLogger } from '../../src/core/index.ts';
import { createTestContext } from '../helpers/context.ts';
import { startSlackDriver } from '../helpers/fake-slack.ts';
import { privateServerSkipReason, startPrivatePostgres, startPrivateRedis } from '../helpers/servers.ts';

const NOT_SAVED = 'note: not saved: the note store is unavailable — please try again in a moment.';

for (const kind of ['redis', 'postgres'] as const) {
  const reason = privateServerSkipReason(kind);
  if (reason) console.log(`skipped: store outage through Slack on ${kind}: ${reason}`);

  describe.skipIf(reason !== undefined)(`store outage through the Slack adapter: ${kind}`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it('/note answers "not saved" within 3 s while the server is down, and saves again once it is back', { timeout: 60_000 }, async () => {
      const server = await (kind === 'redis' ? startPrivateRedis() : startPrivatePostgres());
      cleanups.push(() => server.destroy());
      const logger = silentLogger();
      const store = await openNoteStore(server.url, { logger });
      const ctx = await createTestContext({ store, profile: '# Owner\n', articles: {} });
      cleanups.push(() => ctx.close());
      const driver = await startSlackDriver({ dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger });
      cleanups.push(() => driver.stop());

      const before = await driver.command('note', 'zebrafish before the outage #outage');
      expect(before.status).toBe(200);
      expect(before.message?.text).toMatch(/^Saved note [0-9a-z]{10} \(#outage\)\.$/);

      await server.stop();
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const started = Date.now();
        const { status, message } = await driver.command('note', `okapi during the outage ${attempt}`);
        expect(Date.now() - started).toBeLessThan(3000);
        expect(status).toBe(200);
        expect(message?.text).toBe(NOT_SAVED);
        expect(message?.response_type ?? 'ephemeral').toBe('ephemeral');
      }
      // The index still answers.
      expect((await driver.command('find', 'zebrafish')).message?.text).toMatch(/zebrafish/);

      await server.start();
      const deadline = Date.now() + 15_000;
      let after = await driver.command('note', 'narwhal after the outage');
      while (!after.message?.text?.startsWith('Saved note') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = await driver.command('note', 'narwhal after the outage');
      }
      expect(after.message?.text).toMatch(/^Saved note [0-9a-z]{10} \(no tags\)\.$/);

      // Nothing answered "not saved" was stored after all.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const reader = await openNoteStore(server.url, { logger });
      try {
        const texts = (await reader.loadAll()).map((n) => n.text).sort();
        expect(texts).toEqual(['narwhal after the outage', 'zebrafish before the outage #outage']);
      } finally {
        await reader.close();
      }
    });
  });
}
