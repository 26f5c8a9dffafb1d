import { execFileSync } from 'node:child_process';
import { existsSync, statSync, utimesSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, makeTempDir } from './helpers/context.ts';

// Into a folder of its own: the end-to-end tests run the bot from dist/ meanwhile.
const outdir = await makeTempDir();
afterAll(() => rm(outdir, { recursive: true, force: true }));

/** Runs ensureBuilt() twice in a fresh process and prints both outcomes. */
const buildTwice = (target = 'BOT', into = outdir) =>
  execFileSync(
    process.execPath,
    ['-e', `import('./scripts/build.mjs').then(async (b) => console.log(await b.ensureBuilt({ target: b.${target}, outdir: ${JSON.stringify(into)} }), await b.ensureBuilt({ target: b.${target}, outdir: ${JSON.stringify(into)} })))`],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  ).trim();

describe('the build that npm start runs', () => {
  it('compiles only when a source is newer than the last build, with the parsing worker as a file of its own', () => {
    expect(buildTwice()).toBe('built fresh');
    for (const file of ['main.js', 'article-parser-worker.js']) expect(existsSync(path.join(outdir, file)), file).toBe(true);
    // The benchmark is not part of the bot.
    expect(existsSync(path.join(outdir, 'bench-child.js'))).toBe(false);
    // A build older than every source: the next start compiles again, then the one after does not.
    const stamp = path.join(outdir, '.built');
    utimesSync(stamp, new Date(0), new Date(0));
    expect(buildTwice()).toBe('built fresh');
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('compiles again after an install, which may have changed the packages compiled in', () => {
    expect(buildTwice().split(' ')[1]).toBe('fresh');
    // A build a second old, newer than every source; then an install (npm rewrites
    // node_modules/.package-lock.json at each one).
    const now = Date.now();
    utimesSync(path.join(outdir, '.built'), new Date(now - 1000), new Date(now - 1000));
    utimesSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'), new Date(now), new Date(now));
    expect(buildTwice()).toBe('built fresh');
  });

  it('builds the benchmark’s child apart, the same way', () => {
    const benchDir = path.join(outdir, 'bench');
    expect(buildTwice('BENCH', benchDir)).toBe('built fresh');
    for (const file of ['bench-child.js', 'article-parser-worker.js']) expect(existsSync(path.join(benchDir, file)), file).toBe(true);
    expect(existsSync(path.join(benchDir, 'main.js'))).toBe(false);
  });
});
