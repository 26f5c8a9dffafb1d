/**
 * A SIGTERM while the bot is still starting (a supervisor stopping it, or npm's shell
 * gone: scripts/start.mjs) stops it as on SIGTERM later on: logged, the store closed,
 * exit 0, nothing saved lost, no half index saved as a snapshot (review 41).
 * The start-up is held in the index load deterministically: profile.md is a FIFO,
 * which the bot's read waits on until the test writes the profile into it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newNoteId, openNoteStore, silentLogger, type Note } from '../../src/core/index.ts';
import { botTracker } from '../helpers/bot-process.ts';
import { makeDataDir } from '../helpers/context.ts';

const bots = botTracker();

afterAll(() => bots.cleanup());

describe('a signal during start-up', () => {
  it('stops the console bot cleanly while its index loads: exit 0, store closed, the saved note kept, no snapshot', { timeout: 60_000 }, async () => {
    const dataDir = bots.keep(await makeDataDir());
    const storeUrl = `sqlite://${path.join(dataDir, 'notes.sqlite')}`;
    const saved: Note = {
      id: newNoteId(),
      text: 'saved before the start #kept',
      tags: ['kept'],
      author: { platform: 'console', id: 'owner', name: 'owner' },
      source: { platform: 'console' },
      createdAt: new Date().toISOString(),
    };
    const seed = await openNoteStore(storeUrl, { logger: silentLogger() });
    await seed.put(saved);
    await seed.close();
    const profile = path.join(dataDir, 'profile.md');
    await rm(profile);
    execFileSync('mkfifo', [profile]);

    const bot = bots.start({ DATA_DIR: dataDir, STORE_URL: storeUrl, LOG_LEVEL: 'info' });
    // Opening the FIFO for writing waits until the bot opens it to read the profile: its store is open
    // and its index is loading, the console not started yet.
    const writer = await open(profile, 'w');
    bot.signal('SIGTERM');
    await bot.waitForLog(/tinker: stopping/);
    // The load goes on to where it can stop (the profile read), and nothing is cut off.
    await writer.writeFile('# Now\n\n## Current topics\n\n- fsync\n');
    await writer.close();
    expect(await bot.exited).toBe(0);
    expect(bot.child.signalCode).toBeNull();
    expect(bot.stderr()).toMatch(/"signal":"SIGTERM"/);
    expect(existsSync(path.join(dataDir, '.index-snapshot.bin'))).toBe(false);
    const reopened = await openNoteStore(storeUrl, { logger: silentLogger() });
    try {
      expect(await reopened.get(saved.id)).toEqual(saved);
    } finally {
      await reopened.close();
    }
  });
});
