/**
 * A sub-folder of articles/ that cannot be read (EACCES) is skipped with one
 * short warning; the rest loads, from the files and from a snapshot alike.
 * NOTE: root reads any folder whatever its mode, and the tests run as root here
 * (and in CI): the load then runs in a child process as the unprivileged user
 * `nobody`, so the refusal is the kernel's own.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, makeTempDir } from '../../helpers/context.ts';

const run = promisify(execFile);
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Loads DATA_DIR twice (cold, then from the snapshot the first wrote) and prints what each saw. */
const SCRIPT = `
import { KnowledgeBase, openNoteStore, loadArticles, watchDataDir } from ${JSON.stringify(path.join(REPO_ROOT, 'src/core/index.ts'))};
const dataDir = process.argv[1];
const warnings = [];
const logger = { warn: (fields, message) => warnings.push(typeof fields === 'string' ? fields : String(message)), info() {}, error() {}, debug() {}, child() { return logger; } };
const listed = await loadArticles(dataDir, { workers: 0 });
const loads = [];
for (const round of [1, 2]) {
  const store = await openNoteStore('memory://', { logger });
  const before = warnings.length;
  const kb = await KnowledgeBase.open({ dataDir, store, logger, snapshot: dataDir + '/snapshot.bin', snapshotDelayMs: 0 });
  // The watcher starts as the bot's does, once the articles are listed.
  const watcher = watchDataDir(kb, logger);
  await watcher.ready;
  await watcher.close();
  loads.push({ from: kb.loadReport.from, articles: kb.counts().articles, warnings: warnings.slice(before).filter((w) => /^(articles|data): /.test(w)) });
  await kb.close();
}
console.log(JSON.stringify({ articles: listed.articles.map((a) => a.path), problems: listed.problems, loads, warnings }));
`;

describe('an unreadable folder under articles/', () => {
  it('is skipped with one warning naming it at each start (none from the watcher); the other write-ups load, cold and from the snapshot', async () => {
    const dataDir = await makeTempDir();
    await mkdir(path.join(dataDir, 'articles/private/deeper'), { recursive: true });
    await mkdir(path.join(dataDir, 'articles/public'), { recursive: true });
    await writeFile(path.join(dataDir, 'profile.md'), '# Me\n\n- Git\n');
    await writeFile(path.join(dataDir, 'articles/public/open.md'), '# Open\nreadable');
    await writeFile(path.join(dataDir, 'articles/top.md'), '# Top\ntext');
    await writeFile(path.join(dataDir, 'articles/private/deeper/secret.md'), '# Secret\nhidden');
    // A link to a file in the folder: its target cannot be looked at (EACCES), and is skipped the same way.
    await symlink('private/deeper/secret.md', path.join(dataDir, 'articles/locked.md'));
    await chmod(path.join(dataDir, 'articles/private'), 0o000);
    // The unprivileged user must reach the rest, and write the snapshot.
    if (asRoot) await chmod(dataDir, 0o777);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, dataDir], {
      cwd: REPO_ROOT,
      timeout: 60_000,
      ...(asRoot ? { uid: NOBODY, gid: NOBODY, env: { PATH: process.env.PATH, HOME: '/tmp' } } : {}),
    });
    const seen = JSON.parse(stdout.trim().split('\n').pop()!) as {
      articles: string[];
      problems: unknown[];
      loads: unknown[];
      warnings: string[];
    };
    expect(seen.articles).toEqual(['articles/public/open.md', 'articles/top.md']);
    expect(seen.problems).toEqual([
      { path: 'articles/locked.md', reason: 'cannot read (EACCES)' },
      { path: 'articles/private/', reason: 'cannot read the folder (EACCES)' },
    ]);
    // Each start says it once, whether it builds from the files or starts from the snapshot, and the watcher adds nothing.
    const warnings = ['articles: skipped articles/locked.md: cannot read (EACCES)', 'articles: skipped articles/private/: cannot read the folder (EACCES)'];
    expect(seen.loads).toEqual([
      { from: 'cold', articles: 2, warnings },
      { from: 'snapshot', articles: 2, warnings },
    ]);
  });
});
