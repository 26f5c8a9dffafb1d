import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, makeTempDir } from '../helpers/context.ts';
import { botEnv, runBot, startBot } from '../helpers/bot-process.ts';

describe('npm start with no platform credentials: the console', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dataDir = await makeDataDir();
    env = botEnv({ DATA_DIR: dataDir, STORE_URL: `sqlite://${path.join(dataDir, 'notes.sqlite')}` });
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('runs one command per line from piped input, finds a note saved in the same run, exits 0', async () => {
    const { code, stdout, stderr } = await runBot(
      env,
      '/note the flux capacitor needs 1.21 gigawatts #physics\n/find flux capacitor\n/find libgti\n/topics\n/bogus\nhello\n',
    );
    expect(code, stderr).toBe(0);
    const id = /^Saved note ([0-9a-z]{10}) \(#physics\)\.$/m.exec(stdout)?.[1];
    expect(id, stdout).toBeDefined();
    expect(stdout).toMatch(/^1 result for "flux capacitor"$/m);
    expect(stdout).toContain(`— note ${id}`);
    expect(stdout).toMatch(/\*\*flux\*\* \*\*capacitor\*\*/);
    expect(stdout).toMatch(/^1\. Tuning libgit2 over NFS/m);
    expect(stdout).toMatch(/^Current topics$/m);
    expect(stdout).toContain('Unknown command "/bogus". Known commands: /note, /find, /topics, /forget, /help.');
    expect(stdout).toContain('Commands start with "/" — try /help or /find <words>');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('finds the note again after a restart', async () => {
    const { code, stdout } = await runBot(env, '/find gigawatts\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 result for "gigawatts"$/m);
    expect(stdout).toContain('**gigawatts**');
  });

  it('closes cleanly on SIGTERM, keeping what was saved', async () => {
    const bot = startBot(env, { via: 'node' });
    bot.send('/note saved before SIGTERM #shutdown');
    await bot.waitFor(/Saved note [0-9a-z]{10}/);
    bot.child.kill('SIGTERM');
    expect(await bot.exited, bot.stderr()).toBe(0);
    expect(bot.stderr()).toBe('');
    const { stdout } = await runBot(env, '/find #shutdown\n');
    expect(stdout).toMatch(/^1 result for "#shutdown"$/m);
  });
});

describe('npm start with bad setup', () => {
  it('names a missing profile and exits 1', async () => {
    const empty = await makeTempDir();
    const { code, stdout, stderr } = await runBot(botEnv({ DATA_DIR: empty }), '');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      `tinker: profile: ${path.join(empty, 'profile.md')} does not exist — create it (see data/profile.md for the format) or set DATA_DIR to the folder that holds profile.md`,
    );
  });

  it('lists every configuration problem and exits 1', async () => {
    const { code, stderr } = await runBot(botEnv({ SEARCH_LIMIT: '0', NOTE_WRITERS: 'nobody' }), '');
    expect(code).toBe(1);
    expect(stderr).toContain('tinker: configuration has 2 problems:');
    expect(stderr).toContain('  - NOTE_WRITERS: "nobody" is not platform:userId');
    expect(stderr).toContain('  - SEARCH_LIMIT: "0" should be a whole number from 1 to 50');
  });
});
