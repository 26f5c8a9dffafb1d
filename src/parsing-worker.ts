/**
 * How this build starts the article-parsing worker thread (the code of
 * src/core/sources/article-parser-worker.ts). The core's loader takes the
 * starter as `startParsingWorker` and knows nothing of builds (#10 §5):
 * - compiled (scripts/build.mjs), the worker is a file of its own beside the
 *   bundle's entry, and this module is bundled into that entry (dist/main.js,
 *   the bench's bench-child.js), so it sits beside this module's own URL;
 * - from the sources (tsx, vitest), it is the TypeScript file, which a worker
 *   can run only through tsx's API: a worker inherits no loader hooks, and
 *   Node 20 runs no TypeScript.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Where the worker's script is for the code running now. */
export const PARSING_WORKER_SCRIPT = new URL(
  import.meta.url.endsWith('.ts') ? './core/sources/article-parser-worker.ts' : './article-parser-worker.js',
  import.meta.url,
);

/** Starts one parsing worker with the loader's options. */
export type StartParsingWorker = (options: WorkerOptions) => Worker;

/**
 * A starter for `script`; undefined when the script is not there (a build that
 * left it out): the caller then says so, and the write-ups are parsed on the main thread.
 */
export function parsingWorkerStarter(script: URL = PARSING_WORKER_SCRIPT): StartParsingWorker | undefined {
  if (!existsSync(script)) return undefined;
  if (!script.pathname.endsWith('.ts')) return (options) => new Worker(script, options);
  // NOTE: tsx's ESM entry: the CommonJS one fails to register inside a worker.
  const tsx =
    typeof import.meta.resolve === 'function'
      ? import.meta.resolve('tsx/esm/api')
      : pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(script.href)}, ${JSON.stringify(import.meta.url)}))`;
  return (options) => new Worker(boot, { ...options, eval: true });
}
