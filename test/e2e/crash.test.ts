/**
 * Crashes: `kill -9` a bot in the middle of a burst of /note. After a restart,
 * every note whose reply said "Saved note <id>" is there, and the store opens
 * cleanly and takes new notes (SQLite included). On SQLite the same holds for
 * two processes group-committing into one file, both killed mid-burst.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openNoteStore, silentLogger } from '../../src/core/index.ts';
import { makeDataDir } from '../helpers/context.ts';
import { announceSkip, createTestStore, type StoreKind } from '../helpers/servers.ts';
import { BotProcess } from './multi-process-bot.ts';

const BURST = 400;

for (const kind of ['sqlite', 'redis', 'postgres'] as StoreKind[]) {
  const skipped = announceSkip(kind, 'kill -9 in a burst');

  describe.skipIf(skipped)(`kill -9 during a burst of /note on ${kind}`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it('every note replied "saved" is there after a restart, and the store opens cleanly', { timeout: 120_000 }, async () => {
      const store = await createTestStore(kind);
      cleanups.push(() => store.cleanup());
      const dataDir = await makeDataDir({ profile: '# Owner\n', articles: {} });
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

      const victim = new BotProcess({ dataDir, storeUrl: store.url });
      cleanups.push(() => victim.kill9());
      await victim.ready();
      victim.send(...Array.from({ length: BURST }, (_, i) => `/note crash burst cz${i}w #crash`));
      await victim.waitFor(() => victim.savedIds().length >= 60, 60_000, '60 saved replies');
      await victim.kill9();
      const saved = victim.savedIds();
      // The kill landed mid-burst.
      expect(saved.length).toBeGreaterThanOrEqual(60);
      expect(saved.length).toBeLessThan(BURST);

      const survivor = new BotProcess({ dataDir, storeUrl: store.url });
      cleanups.push(() => survivor.stop());
      await survivor.ready();
      const last = saved.length - 1;
      expect(await survivor.command(`/find cz${last}w`)).toContain(`note ${saved[last]}`);
      expect(await survivor.command('/note after the crash #crash')).toMatch(/^Saved note [0-9a-z]{10} \(#crash\)\./);

      const reader = await openNoteStore(store.url, { logger: silentLogger() });
      try {
        const ids = new Set((await reader.loadAll()).map((n) => n.id));
        const missing = saved.filter((id) => !ids.has(id));
        expect(missing).toEqual([]);
      } finally {
        await reader.close();
      }
      if (kind === 'sqlite') expect(await sqliteIntegrity(store.url)).toBe('ok');
    });
  });
}

describe('kill -9 of two processes group-committing into one SQLite file', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('every note either process replied "saved" to is in the file, and integrity_check is ok', { timeout: 120_000 }, async () => {
    const store = await createTestStore('sqlite');
    cleanups.push(() => store.cleanup());
    const dataDir = await makeDataDir({ profile: '# Owner\n', articles: {} });
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const bots = [0, 1].map(() => new BotProcess({ dataDir, storeUrl: store.url }));
    for (const bot of bots) cleanups.push(() => bot.kill9());
    await Promise.all(bots.map((bot) => bot.ready()));
    bots.forEach((bot, b) => bot.send(...Array.from({ length: BURST }, (_, i) => `/note two-process crash cz${b}x${i}w #crash`)));
    await Promise.all(bots.map((bot) => bot.waitFor(() => bot.savedIds().length >= 40, 60_000, '40 saved replies')));
    await Promise.all(bots.map((bot) => bot.kill9()));
    const saved = bots.flatMap((bot) => bot.savedIds());
    expect(bots.every((bot) => bot.savedIds().length < BURST)).toBe(true);

    expect(await sqliteIntegrity(store.url)).toBe('ok');
    const reader = await openNoteStore(store.url, { logger: silentLogger() });
    try {
      const ids = new Set((await reader.loadAll()).map((n) => n.id));
      expect(saved.filter((id) => !ids.has(id))).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});

async function sqliteIntegrity(url: string): Promise<string> {
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const db = new KeyvSqlite({ uri: url, table: 'notes' });
  try {
    const rows = (await db.query('PRAGMA integrity_check')) as Array<Record<string, string>>;
    return rows.map((row) => Object.values(row)[0]).join('; ');
  } finally {
    await db.disconnect();
  }
}
