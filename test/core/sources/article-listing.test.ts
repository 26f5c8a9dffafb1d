/**
 * The listing of write-ups (listArticleFiles, isInVault) gives what a plain walk gives
 * (path.join and path.relative per file, path.posix.dirname per folder up): the same files in
 * the same order, the same vaults and problems, for roots and folders given every way the callers
 * give them and some they do not (relative, trailing slash, a folder above the root). And it works
 * the paths out per folder, not per file: a path.relative per file was most of its cost at 100k files.
 */
import type { Dirent } from 'node:fs';
import { statSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInVault, listArticleFiles } from '../../../src/core/sources/article-files.ts';
import { makeTempDir } from '../../helpers/context.ts';

/** The listing as a walk that joins and relates every path on its own (the code before it was made faster). */
async function referenceListing(root: string, folder: string) {
  const files: string[] = [];
  const vaults = new Set<string>();
  const problems: Array<{ path: string; reason: string }> = [];
  const relativeOf = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') problems.push({ path: `${relativeOf(dir)}/`, reason: `cannot read the folder (${code ?? String(error)})` });
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.name === '.obsidian' && entry.isDirectory()) vaults.add(relativeOf(dir));
      if (entry.name.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) continue;
      if (entry.isDirectory()) await walk(file);
      else if (/\.(?:md|markdown|mdx)$/i.test(entry.name)) {
        let linked = false;
        if (entry.isSymbolicLink()) {
          try {
            linked = statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            problems.push({ path: relativeOf(file), reason: code === 'ELOOP' ? 'a symlink loop (ELOOP)' : `cannot read (${code ?? 'unknown error'})` });
          }
        }
        if (entry.isFile() || linked) files.push(relativeOf(file));
      }
    }
  };
  await walk(folder);
  return { files: files.sort(), vaults: [...vaults].sort(), problems: problems.sort((a, b) => a.path.localeCompare(b.path)) };
}

/** isInVault as it was: path.posix.dirname up to articles/. */
function referenceInVault(relativePath: string, vaults: ReadonlySet<string>): boolean {
  for (let dir = path.posix.dirname(relativePath); dir.startsWith('articles'); dir = path.posix.dirname(dir)) {
    if (vaults.has(dir)) return true;
    if (dir === 'articles') break;
  }
  return false;
}

/** A DATA_DIR with every kind of entry the rules tell apart. */
async function makeDataDir(): Promise<string> {
  const dataDir = await makeTempDir();
  const files = [
    'profile.md',
    'articles/a.md',
    'articles/B.MD',
    'articles/c.markdown',
    'articles/d.Mdx',
    'articles/notes.txt',
    'articles/a-b.md',
    'articles/a.b.md',
    'articles/a0.md',
    'articles/a/inner.md',
    'articles/with space/é ü.md',
    'articles/..dots/x.md',
    'articles/.hidden.md',
    'articles/.git/objects.md',
    'articles/.trash/gone.md',
    'articles/node_modules/pkg/readme.md',
    'articles/deep/node_modules/readme.md',
    'articles/deep/er/still/deeper/bottom.md',
    'articles/vault/top.md',
    'articles/vault/.obsidian/workspace.md',
    'articles/vault/n/nested.md',
    'articles/vault/n/inner-vault/.obsidian/app.json',
    'articles/vault/n/inner-vault/x.md',
    'articles/not-a-vault/.obsidian',
    'articles/not-a-vault/y.md',
    'articles/.obsidian/root.json',
    'articles/rooted.md',
  ];
  for (const file of files) {
    await mkdir(path.dirname(path.join(dataDir, file)), { recursive: true });
    await writeFile(path.join(dataDir, file), `# ${path.basename(file)}\n`);
  }
  await symlink('a.md', path.join(dataDir, 'articles/link.md'));
  await symlink('nowhere.md', path.join(dataDir, 'articles/dangling.md'));
  await symlink('loop-b.md', path.join(dataDir, 'articles/loop-a.md'));
  await symlink('loop-a.md', path.join(dataDir, 'articles/loop-b.md'));
  await symlink('deep', path.join(dataDir, 'articles/folder-link'));
  await symlink('deep', path.join(dataDir, 'articles/folder-link.md'));
  await symlink('..', path.join(dataDir, 'articles/vault/up'));
  return dataDir;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('listArticleFiles', () => {
  it('lists what a walk relating every path on its own lists, for roots and folders given every way', async () => {
    const dataDir = await makeDataDir();
    const articles = path.join(dataDir, 'articles');
    const fromCwd = path.relative(process.cwd(), dataDir);
    const cases: Array<[string, string]> = [
      [dataDir, articles],
      [dataDir + '/', articles + '/'],
      [articles, articles],
      [dataDir, dataDir],
      [articles, dataDir],
      [path.join(articles, 'vault'), articles],
      [articles, path.join(articles, 'vault')],
      [fromCwd, path.join(fromCwd, 'articles')],
      [dataDir, path.join(fromCwd, 'articles', '.', 'vault', '..')],
      [dataDir, path.join(dataDir, 'missing')],
    ];
    for (const [root, folder] of cases) {
      const listing = await listArticleFiles(root, folder);
      const expected = await referenceListing(root, folder);
      expect({ root, folder, files: listing.files, vaults: [...listing.vaults].sort(), problems: listing.problems }).toEqual({ root, folder, ...expected });
    }
    // The rules are at work: a vault, a loop reported, hidden folders and node_modules left out.
    const listing = await listArticleFiles(dataDir, articles);
    expect([...listing.vaults].sort()).toEqual(['articles', 'articles/vault', 'articles/vault/n/inner-vault']);
    expect(listing.problems.map((problem) => problem.path)).toEqual(['articles/loop-a.md', 'articles/loop-b.md']);
    expect(listing.files).toContain('articles/link.md');
    expect(listing.files.some((file) => /node_modules|\/\.|folder-link|dangling/.test(file))).toBe(false);
  });

  it('works out paths per folder, not a path.relative per file', async () => {
    const dataDir = await makeTempDir();
    for (let folder = 0; folder < 5; folder += 1) {
      await mkdir(path.join(dataDir, 'articles', `f${folder}`), { recursive: true });
      for (let file = 0; file < 40; file += 1) await writeFile(path.join(dataDir, 'articles', `f${folder}`, `n${file}.md`), '# N\n');
    }
    const relative = vi.spyOn(path, 'relative');
    const listing = await listArticleFiles(dataDir, path.join(dataDir, 'articles'));
    expect(listing.files).toHaveLength(200);
    expect(relative.mock.calls.length).toBeLessThanOrEqual(1);
  });
});

describe('isInVault', () => {
  it('answers as path.posix.dirname up to articles/ does, for listed paths and odd ones', async () => {
    const dataDir = await makeDataDir();
    const listing = await listArticleFiles(dataDir, path.join(dataDir, 'articles'));
    const odd = ['articles', 'articles/', 'articles/vault/', 'articles//vault/x.md', 'articles/vault//n/x.md', 'articlesx/vault/a.md', '/articles/vault/a.md', 'vault/x.md', 'x.md', '', '/', 'articles/vault/n/inner-vault', 'articles/vault/n/inner-vault/'];
    const vaultSets = [listing.vaults, new Set<string>(), new Set(['articles/vault']), new Set(['articles/vault/n/inner-vault']), new Set(['articlesx/vault', '/articles/vault', '.', '/']), new Set(['articles/'])];
    for (const vaults of vaultSets) {
      for (const file of [...listing.files, ...odd]) {
        expect({ file, vaults: [...vaults], inVault: isInVault(file, vaults) }).toEqual({ file, vaults: [...vaults], inVault: referenceInVault(file, vaults) });
      }
    }
    expect(listing.files.filter((file) => isInVault(file, listing.vaults))).toContain('articles/vault/n/inner-vault/x.md');
  });
});
