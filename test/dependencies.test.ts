/**
 * Honest dependencies (#10 §5, review 23): the runtime dependencies in
 * package.json are what the running bot imports (src/, commands/, scripts/:
 * `npm start` and the npm scripts export, import, discord:register,
 * slack:manifest), and nothing the bot imports is a devDependency, so
 * `npm install --omit=dev` is enough to run it.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders the running bot is built and run from. */
const RUNTIME_DIRS = ['src', 'commands', 'scripts'];
/** The npm scripts a person runs the bot with: their commands are runtime too (`tsx scripts/export.ts`). */
const RUNTIME_SCRIPTS = ['start', 'build', 'export', 'import', 'discord:register', 'slack:manifest'];

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
}

const packageName = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of RUNTIME_DIRS) {
    for (const entry of await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path.join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  return files;
}

/**
 * The packages imported by the runtime folders' files, each with a file that
 * imports it: as esbuild resolves them (static and dynamic imports; type-only
 * imports are dropped, as they are from the bundle).
 */
async function importedPackages(): Promise<Map<string, string>> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: await sourceFiles(),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    write: false,
    outdir: path.join(ROOT, 'dist-probe'),
    metafile: true,
    logLevel: 'silent',
  });
  const found = new Map<string, string>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external || imported.path.startsWith('node:') || imported.path.startsWith('.')) continue;
      const name = packageName(imported.path);
      if (!found.has(name)) found.set(name, file);
    }
  }
  return found;
}

describe('package.json dependencies', () => {
  it('lists as runtime dependencies exactly what the bot and its npm scripts import, and nothing the bot imports is a devDependency', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
    const imported = await importedPackages();
    // Sanity: the scan sees the bot's imports (a scan that finds nothing would pass everything).
    expect(imported.get('pino')).toMatch(/^src\//);
    expect(imported.get('esbuild')).toBe('scripts/build.mjs');
    const commands = RUNTIME_SCRIPTS.map((name) => pkg.scripts[name] ?? '');
    const runAsCommand = (name: string) => commands.some((command) => command.split(/\s+/).includes(name));
    const unused = Object.keys(pkg.dependencies).filter((name) => !imported.has(name) && !runAsCommand(name));
    expect(unused, 'runtime dependencies nothing under src/, commands/ or scripts/ imports: move them to devDependencies').toEqual([]);
    const undeclared = [...imported.keys()].filter((name) => !(name in pkg.dependencies));
    expect(
      undeclared.map((name) => `${name} (${imported.get(name)}${name in pkg.devDependencies ? ', a devDependency' : ''})`),
      'packages the bot imports that are not runtime dependencies',
    ).toEqual([]);
  });

  it('keeps the eval baseline out of the runtime: MiniSearch is a devDependency', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
    expect(pkg.devDependencies).toHaveProperty('minisearch');
    expect(pkg.dependencies).not.toHaveProperty('minisearch');
  });
});
