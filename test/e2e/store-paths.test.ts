/**
 * Unhappy paths of the store and the snapshot, as a user meets them with
 * `npm start`: a sqlite:// path into a folder that does not exist, `~` in a
 * sqlite:// path, a damaged snapshot at the default path.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { botEnv, runBot } from '../helpers/bot-process.ts';
import { REPO_ROOT, makeDataDir, makeTempDir } from '../helpers/context.ts';

const cleanups: string[] = [];
afterEach(async () => {
  for (const dir of cleanups.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await makeDataDir({ profile: '# Me\n', articles: { 'ops/drills.md': '# Recovery drills\nWe restore from backups.\n' } });
  cleanups.push(dir);
  return dir;
}

describe('npm start with STORE_URL=sqlite://…', () => {
  it('a folder that does not exist: a configuration error naming it, exit 1, nothing created', async () => {
    const data = await dataDir();
    const missing = path.join(data, 'no', 'such', 'dir');
    const { code, stdout, stderr } = await runBot(botEnv({ DATA_DIR: data, STORE_URL: `sqlite://${missing}/notes.sqlite` }), '/note lost? #x\n');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'tinker: configuration has 1 problem:',
        `  - STORE_URL: the folder ${missing} does not exist — create it, or point STORE_URL at a file in an existing folder`,
        'See .env.example for every variable and its format.',
        '',
      ].join('\n'),
    );
    expect(existsSync(path.join(data, 'no'))).toBe(false);
  });

  it('~/ is the home folder: the notes live there, and no folder named ~ appears', async () => {
    const data = await dataDir();
    const home = await makeTempDir('tinker-home-');
    cleanups.push(home);
    const env = botEnv({ DATA_DIR: data, HOME: home, STORE_URL: 'sqlite://~/notes.sqlite', INDEX_SNAPSHOT: 'off' });
    const saved = await runBot(env, '/note kept at home #home\n');
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/^Saved note [0-9a-z]{10} \(#home\)\.$/m);
    expect(existsSync(path.join(home, 'notes.sqlite'))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, '~'))).toBe(false);
    const found = await runBot(env, '/find #home\n');
    expect(found.stdout).toMatch(/^1 result for "#home"$/m);
  });
});

describe('npm start with a damaged snapshot at the default path', () => {
  it('rebuilds the index with a warning instead of refusing to start, and replaces the file', async () => {
    const data = await dataDir();
    const snapshot = path.join(data, '.index-snapshot.bin');
    for (const damaged of ['garbage\u0000\u0001', '{}', '0123456789']) {
      await writeFile(snapshot, damaged);
      const { code, stdout, stderr } = await runBot(botEnv({ DATA_DIR: data }), '/find backups\n');
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^1 result for "backups"$/m);
      expect(stderr).not.toMatch(/INDEX_SNAPSHOT|configuration/);
      expect(stderr).toContain('snapshot: damaged or not a snapshot; building the index from the files (the next save replaces it)');
      // Saved at the end: a whole snapshot now.
      expect((await readFile(snapshot)).subarray(0, 16).toString('latin1')).toBe('tinker snapshot\n');
    }
  });

  it('removes the old JSON default once the binary one is in use, and leaves a file of the user\'s alone', async () => {
    const data = await dataDir();
    await writeFile(path.join(data, '.index-snapshot.json'), '{"version":4,"format":2,"savedAt":"2025-01-01T00:00:00.000Z","sources":{}}');
    const { code, stdout } = await runBot(botEnv({ DATA_DIR: data }), '/find backups\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 result for "backups"$/m);
    expect((await readdir(data)).filter((name) => name.startsWith('.index-snapshot'))).toEqual(['.index-snapshot.bin']);
    // An explicitly named damaged file keeps the old rule: refused, untouched.
    const chosen = path.join(data, 'kept', 'index.bin');
    await mkdir(path.dirname(chosen));
    await writeFile(chosen, '{}');
    const refused = await runBot(botEnv({ DATA_DIR: data, INDEX_SNAPSHOT: chosen }), '/find backups\n');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`  - INDEX_SNAPSHOT: ${chosen} is not an index snapshot — point INDEX_SNAPSHOT at a new file, or set it to off\n`);
    expect(await readFile(chosen, 'utf8')).toBe('{}');
  });
});
