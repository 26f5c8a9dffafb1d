import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir } from '../helpers/context.ts';
import { botEnv, runBot } from '../helpers/bot-process.ts';

describe('npm start, console: /topics edits and /resurface as a user types them', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dataDir = await makeDataDir();
    env = botEnv({ DATA_DIR: dataDir, STORE_URL: `sqlite://${path.join(dataDir, 'notes.sqlite')}` });
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('adds, plans, starts and finishes topics in profile.md, and resurfaces old write-ups', async () => {
    const { code, stdout, stderr } = await runBot(
      env,
      '/topics add Paxos made simple\n/topics plan Learn Zig\n/topics start zig\n/topics done paxos\n/topics done git\n/resurface libgit2\n',
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Added "Paxos made simple" to Current topics.');
    expect(stdout).toContain('Added "Learn Zig" to Planned.');
    expect(stdout).toContain('Moved "Learn Zig" from Planned to Current topics.');
    expect(stdout).toMatch(/Moved "Paxos made simple" from Current topics to Done \(\d{4}-\d{2}-\d{2}\)\./);
    expect(stdout).toContain('topics: "git" matches 2 topics in Current topics — say which:');
    expect(stdout).toMatch(/write-ups? from over 30 days ago on "libgit2"/);
    const profile = await readFile(path.join(dataDir, 'profile.md'), 'utf8');
    expect(profile).toContain('- Decomposing monolith to micro services\n- Learn Zig\n');
    expect(profile).toMatch(/\n# Done\n- Paxos made simple \(done \d{4}-\d{2}-\d{2}\)\n/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
