/**
 * Compiles the bot's TypeScript into dist/ with esbuild, when a source is newer
 * than the last build. `npm start` runs this first (a no-op when dist/ is
 * fresh, a few milliseconds), so the bot starts from JavaScript instead of
 * compiling every module with tsx at each start: about half a second less.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 *
 * Usage: node scripts/build.mjs [--force] [--bench]   (--bench: the benchmark's child, into bench/.work/dist/)
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
/** Written after a build, with the time the build started. */
const stampOf = (outdir) => path.join(outdir, '.built');

// A worker thread's script must be a file of its own, beside the entry point: src/parsing-worker.ts (bundled into the entry) starts it from there.
const WORKER = { 'article-parser-worker': 'src/core/sources/article-parser-worker.ts' };

/**
 * Packages compiled into the bundle rather than loaded from node_modules at start: the
 * markdown, YAML, TOML and word packages every start imports, pure JavaScript in many small ES
 * modules. Resolving and loading each file took about half a second of every start (0.2 s the
 * micromark/mdast stack the profile is parsed with, 0.1 s markdown-it, 0.2 s the rest). Their
 * own imports are bundled with them. Everything else (sqlite3's native addon, Slack, Discord,
 * Redis, PostgreSQL, pino and its worker transports) stays in node_modules.
 */
const BUNDLED = /^(markdown-it|markdown-it-footnote|mdast-util-[a-z-]+|micromark-extension-[a-z-]+|yaml|smol-toml|stopword|stemmer)$/;

/** The package a bare import names (`@scope/name` or `name`), without a path inside it. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Marks every package imported by our own sources as external, but those in BUNDLED. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      // Inside a bundled package: its own imports are bundled too.
      if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      return BUNDLED.test(packageOf(args.path)) ? undefined : { external: true };
    });
  },
};

/** What a build compiles, from which sources, and where to. */
export const BOT = {
  name: 'dist/',
  entryPoints: { main: 'src/main.ts', ...WORKER },
  sources: ['src', 'commands'],
  outdir: DIST,
};

/**
 * The benchmark's child process, built apart from the bot (bench/ is not part of
 * it) but the same way, so that its start-up is timed as the bot's is.
 */
export const BENCH = {
  name: 'bench/.work/dist/',
  entryPoints: { 'bench-child': 'bench/child.ts', ...WORKER },
  sources: ['src', 'commands', 'bench'],
  outdir: path.join(ROOT, 'bench', '.work', 'dist'),
};

/** The sources a build reads: its folders' .ts files (bench/ not recursively), this script and the lock files. */
async function sourceFiles(target) {
  // The lock files too: packages compiled into the bundle (BUNDLED) change only with them, and
  // npm rewrites node_modules/.package-lock.json at every install.
  const files = [fileURLToPath(import.meta.url), ...['package.json', 'package-lock.json', 'node_modules/.package-lock.json'].map((file) => path.join(ROOT, file)).filter((file) => existsSync(file))];
  for (const dir of target.sources) {
    // Not recursive for bench/: bench/.work holds the generated corpora (100k files).
    const recursive = dir !== 'bench';
    for (const entry of await readdir(path.join(ROOT, dir), { recursive, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) files.push(path.join(entry.parentPath ?? entry.path, entry.name)); // `path`: Node before 20.12
    }
  }
  return files;
}

/** True when the output was built after every source last changed. */
export async function isFresh(outdir = DIST, target = BOT) {
  const built = await stat(stampOf(outdir)).catch(() => undefined);
  if (!built) return false;
  for (const file of await sourceFiles(target)) {
    if ((await stat(file)).mtimeMs >= built.mtimeMs) return false;
  }
  return true;
}

/**
 * Builds `target` (the bot by default) unless it is fresh. Each output file is
 * written beside its place and renamed over it, so a process starting
 * meanwhile never reads half a file.
 */
export async function ensureBuilt({ force = false, target = BOT, outdir = target.outdir } = {}) {
  if (!force && (await isFresh(outdir, target))) return 'fresh';
  const startedAt = new Date();
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: target.entryPoints,
    bundle: true,
    // Dynamic imports (the Slack, Discord, Redis and PostgreSQL parts) stay separate chunks, loaded only when used.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackages],
    // A bundled CommonJS package (yaml) requires Node's built-ins: ES modules have no require of their own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
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
  const target = process.argv.includes('--bench') ? BENCH : BOT;
  ensureBuilt({ force: process.argv.includes('--force'), target }).then(
    (outcome) => process.stderr.write(`build: ${outcome === 'fresh' ? `${target.name} is up to date` : `${target.name} built`}\n`),
    (error) => {
      process.stderr.write(`build: failed\n${describeBuildError(error)}\n`);
      process.exit(1);
    },
  );
}
