import { access, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, makeDataDir, makeTempDir } from '../helpers/context.ts';
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
      '/note the flux capacitor needs 1.21 gigawatts #physics\n/find flux capacitor\n/find libgti\n/topics\n/bogus\nhello\n/find kind:article\n/more\n/more\n/fnd nfs\n',
      // As a user starts it; the other tests run what npm start runs, without npm.
      { via: 'npm' },
    );
    expect(code, stderr).toBe(0);
    const id = /^Saved note ([0-9a-z]{10}) \(#physics\)\.$/m.exec(stdout)?.[1];
    expect(id, stdout).toBeDefined();
    expect(stdout).toMatch(/^1 result for "flux capacitor"$/m);
    expect(stdout).toContain(`— note ${id}`);
    expect(stdout).toMatch(/\*\*flux\*\* \*\*capacitor\*\*/);
    expect(stdout).toMatch(/^1\. Tuning libgit2 over NFS/m);
    expect(stdout).toMatch(/^Current topics$/m);
    expect(stdout).toContain('Unknown command "/bogus". Known commands: /note, /find, /tags, /topics, /resurface, /forget, /help, /more.');
    expect(stdout).toContain('Commands start with "/" — try /help or /find <words>');
    // More results: the first page offers /more, which shows the next one, numbered on.
    expect(stdout).toMatch(/^10 results for "kind:article" \(1-5 of 10\)\n(.*\n)*→ More results: \/more\n10 results for "kind:article" \(6-10 of 10\)\n6\. /m);
    expect(stdout).toContain('more: nothing more to show — /more continues a /find that has more results');
    expect(stdout).toContain('Unknown command "/fnd" — did you mean /find?');
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

describe('npm start with a variable that would destroy data or point nowhere: one line naming it, exit 1', () => {
  let dataDir: string;
  let store: string;
  beforeAll(async () => {
    dataDir = await makeDataDir({ profile: '# Me\n\n## Current topics\n\n- herons\n', articles: {} });
    store = path.join(dataDir, 'notes.sqlite');
    const { code, stdout } = await runBot(botEnv({ DATA_DIR: dataDir, INDEX_SNAPSHOT: 'off' }), '/note precious note #keep\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Saved note [0-9a-z]{10} \(#keep\)\.$/m);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('refuses INDEX_SNAPSHOT at the notes store or the profile, leaving both untouched', async () => {
    const before = await readFile(store);
    const profile = path.join(dataDir, 'profile.md');
    for (const [target, what] of [[store, 'is the notes store (STORE_URL)'], [profile, 'is the profile']] as const) {
      const { code, stdout, stderr } = await runBot(botEnv({ DATA_DIR: dataDir, INDEX_SNAPSHOT: target }), '/find #keep\n');
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        [
          'tinker: configuration has 1 problem:',
          `  - INDEX_SNAPSHOT: ${target} ${what} — point INDEX_SNAPSHOT at a new file, or set it to off`,
          'See .env.example for every variable and its format.',
          '',
        ].join('\n'),
      );
    }
    expect((await readFile(store)).equals(before)).toBe(true);
    expect(await readFile(profile, 'utf8')).toBe('# Me\n\n## Current topics\n\n- herons\n');
    const { stdout } = await runBot(botEnv({ DATA_DIR: dataDir, INDEX_SNAPSHOT: 'off' }), '/find #keep\n');
    expect(stdout).toMatch(/^1 result for "#keep"$/m);
  });

  it('refuses INDEX_SNAPSHOT at a file that is not a snapshot', async () => {
    const own = path.join(dataDir, 'my-notes.txt');
    await writeFile(own, 'not a snapshot');
    const { code, stderr } = await runBot(botEnv({ DATA_DIR: dataDir, INDEX_SNAPSHOT: own }), '/find #keep\n');
    expect(code).toBe(1);
    expect(stderr).toContain(`  - INDEX_SNAPSHOT: ${own} is not an index snapshot — point INDEX_SNAPSHOT at a new file, or set it to off\n`);
    expect(await readFile(own, 'utf8')).toBe('not a snapshot');
  });

  it('takes INDEX_SNAPSHOT=OFF as off: no file named OFF, no snapshot', async () => {
    const { code, stdout, stderr } = await runBot(botEnv({ DATA_DIR: dataDir, INDEX_SNAPSHOT: 'OFF' }), '/find #keep\n');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^1 result for "#keep"$/m);
    await expect(access(path.join(REPO_ROOT, 'OFF'))).rejects.toThrow(/ENOENT/);
    expect((await readdir(dataDir)).filter((name) => name.includes('snapshot'))).toEqual([]);
  });

  it('refuses a NOTE_WRITERS entry on a platform that does not exist', async () => {
    const { code, stderr } = await runBot(botEnv({ DATA_DIR: dataDir, NOTE_WRITERS: 'slack:U024BE7LH,slak:U1' }), '');
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        'tinker: configuration has 1 problem:',
        '  - NOTE_WRITERS: "slak:U1" names an unknown platform "slak" — use slack:<user id> or discord:<user id>, e.g. slack:U024BE7LH,discord:80351110224678912',
        'See .env.example for every variable and its format.',
        '',
      ].join('\n'),
    );
  });

  it('blames DATA_DIR when it is a file', async () => {
    const file = path.join(dataDir, 'my-notes.txt');
    await writeFile(file, 'a file');
    const { code, stderr } = await runBot(botEnv({ DATA_DIR: file }), '');
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        'tinker: configuration has 1 problem:',
        `  - DATA_DIR: ${file} is not a folder — set DATA_DIR to the folder that holds profile.md and articles/`,
        'See .env.example for every variable and its format.',
        '',
      ].join('\n'),
    );
  });

  it('names STORE_URL, password hidden, when PostgreSQL or Redis cannot be reached', { timeout: 30_000 }, async () => {
    const [postgres, redis] = await Promise.all([
      runBot(botEnv({ DATA_DIR: dataDir, STORE_URL: 'postgresql://tinker:s3cret@127.0.0.1:1/notes' }), ''),
      runBot(botEnv({ DATA_DIR: dataDir, STORE_URL: 'redis://:s3cret@127.0.0.1:1' }), ''),
    ]);
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toBe('tinker: STORE_URL: cannot connect to postgresql://tinker:***@127.0.0.1:1/notes (connect ECONNREFUSED 127.0.0.1:1)\n');
    expect(redis.code).toBe(1);
    expect(redis.stderr).toBe(
      'tinker: STORE_URL: cannot connect to redis://:***@127.0.0.1:1 (no connection within 5000 ms; last error: connect ECONNREFUSED 127.0.0.1:1)\n',
    );
  });
});
