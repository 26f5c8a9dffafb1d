/**
 * Compiles the bot's TypeScript into dist/ with esbuild, when a source is newer
 * than the last build. `npm start` runs this first (a no-op when dist/ is
 * fresh, a few milliseconds), so the bot starts from JavaScript instead of
 * compiling every module with tsx at each start: about half a second less.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 *
 * Usage: node scripts/build.mjs [--force]
 */
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
/** Written after a build, with the time the build started. */
const stampOf = (outdir) => path.join(outdir, '.built');

/** What runs from dist/: the bot and the benchmark's child process. */
const ENTRY_POINTS = {
  main: 'src/main.ts',
  'bench-child': 'bench/child.ts',
  // A worker thread's script must be a file of its own: src/core/sources/article-loader.ts looks for it beside its chunk or one folder up.
  'article-parser-worker': 'src/core/sources/article-parser-worker.ts',
};

/** The sources a build reads: src/ and commands/ (all of them), bench/*.ts, and this script. */
async function sourceFiles() {
  const files = [fileURLToPath(import.meta.url)];
  for (const dir of ['src', 'commands']) {
    for (const entry of await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) files.push(path.join(entry.parentPath ?? entry.path, entry.name)); // `path`: Node before 20.12
    }
  }
  // Not recursive: bench/.work holds the generated corpora (100k files).
  for (const name of await readdir(path.join(ROOT, 'bench'))) {
    if (name.endsWith('.ts')) files.push(path.join(ROOT, 'bench', name));
  }
  return files;
}

/** True when dist/ was built after every source last changed. */
export async function isFresh(outdir = DIST) {
  const built = await stat(stampOf(outdir)).catch(() => undefined);
  if (!built) return false;
  for (const file of await sourceFiles()) {
    if ((await stat(file)).mtimeMs >= built.mtimeMs) return false;
  }
  return true;
}

/**
 * Builds dist/ unless it is fresh. Each output file is written beside its place
 * and renamed over it, so a process starting meanwhile never reads half a file.
 */
export async function ensureBuilt({ force = false, outdir = DIST } = {}) {
  if (!force && (await isFresh(outdir))) return 'fresh';
  const startedAt = new Date();
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    // Dynamic imports (the Slack, Discord, Redis and PostgreSQL parts) stay separate chunks, loaded only when used.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    outdir,
    write: false,
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) {
    await mkdir(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  await writeFile(stampOf(outdir), `${startedAt.toISOString()}\n`);
  // A source saved while the build ran is newer than the stamp: the next start builds again.
  await utimes(stampOf(outdir), startedAt, startedAt);
  await removeOldChunks(outdir, new Set(result.outputFiles.map((file) => file.path)));
  return 'built';
}

/** Chunks of earlier builds (their names carry a content hash, so they never collide with the new ones). */
async function removeOldChunks(outdir, current) {
  const dir = path.join(outdir, 'chunks');
  for (const name of await readdir(dir).catch(() => [])) {
    const file = path.join(dir, name);
    if (!current.has(file) && !name.endsWith('.tmp')) await rm(file, { force: true });
  }
}

/** esbuild's errors, one line each, for a person reading the terminal. */
export function describeBuildError(error) {
  const messages = Array.isArray(error?.errors) ? error.errors : [];
  if (messages.length === 0) return String(error?.message ?? error);
  return messages
    .map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text))
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureBuilt({ force: process.argv.includes('--force') }).then(
    (outcome) => process.stderr.write(`build: ${outcome === 'fresh' ? 'dist/ is up to date' : 'dist/ built'}\n`),
    (error) => {
      process.stderr.write(`build: failed\n${describeBuildError(error)}\n`);
      process.exit(1);
    },
  );
}
