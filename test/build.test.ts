import { execFileSync } from 'node:child_process';
import { existsSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/context.ts';

const stamp = path.join(REPO_ROOT, 'dist', '.built');
/** Runs ensureBuilt() twice in a fresh process and prints both outcomes. */
const buildTwice = () =>
  execFileSync(
    process.execPath,
    ['-e', "import('./scripts/build.mjs').then(async (b) => console.log(await b.ensureBuilt(), await b.ensureBuilt()))"],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  ).trim();

describe('the build that npm start runs', () => {
  it('compiles only when a source is newer than the last build', () => {
    // The tests' global setup has built dist/.
    expect(existsSync(path.join(REPO_ROOT, 'dist', 'main.js'))).toBe(true);
    expect(buildTwice()).toBe('fresh fresh');
    // A build older than every source: the next start compiles again, then the one after does not.
    utimesSync(stamp, new Date(0), new Date(0));
    expect(buildTwice()).toBe('built fresh');
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });
});
