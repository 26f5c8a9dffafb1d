import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/context.ts';
import { botEnv, runBot } from '../helpers/bot-process.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('npm start, a first index of a larger archive', () => {
  it('parses the write-ups on the worker thread that the build put beside the bot (src/parsing-worker.ts)', async () => {
    const dataDir = await makeTempDir();
    dirs.push(dataDir);
    await writeFile(path.join(dataDir, 'profile.md'), '# Me\n\n## Skills\n\n- Git\n');
    // The loader uses workers from 300 files on.
    for (let i = 0; i < 310; i += 1) {
      const folder = path.join(dataDir, 'articles', `topic-${i % 4}`);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `note-${i}.md`), `# Heading ${i}\n\nText about zebra${i}.\n`);
    }
    const { code, stdout, stderr } = await runBot(
      botEnv({ DATA_DIR: dataDir, STORE_URL: `sqlite://${path.join(dataDir, 'notes.sqlite')}`, INDEX_SNAPSHOT: 'off', LOG_LEVEL: 'info' }),
      '/find zebra305\n',
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^1 result for "zebra305"$/m);
    expect(stderr).not.toContain('parsing worker');
    const loaded = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; load?: unknown })
      .find((entry) => entry.msg === 'tinker: knowledge base loaded');
    const load = loaded?.load as { from: string; parsedOnWorkers: number; parsedHere: number } | undefined;
    expect(load?.from, stderr).toBe('cold');
    // The first three batches of 64 always go to the worker; the main thread may take later ones while it waits.
    expect(load!.parsedOnWorkers + load!.parsedHere).toBe(310);
    expect(load!.parsedOnWorkers).toBeGreaterThanOrEqual(3 * 64);
  });
});
