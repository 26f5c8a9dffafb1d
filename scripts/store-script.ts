/**
 * What `npm run export` and `npm run import` share: one folder argument,
 * STORE_URL from the environment (and .env), the store opened and closed, and
 * every failure told in one line that starts with the script's name.
 */
import { pathToFileURL } from 'node:url';
import { formatConfigErrors, loadConfig, loadDotenv } from '../src/config.ts';
import { createLogger, openNoteStore, StartupError, StoreUnavailableError, type NoteStore } from '../src/core/index.ts';

/** Where a script writes: standard output and error, or a test's buffers. */
export interface ScriptOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface StoreScript {
  /** `export` or `import`: the start of every line the script prints. */
  name: string;
  /**
   * Runs with the open store and the folder as the user typed it (relative to the
   * working directory, so messages name it the same way); resolves with the exit code.
   */
  run(store: NoteStore, folder: string, output: ScriptOutput): Promise<number>;
}

/** Whether the module at `moduleUrl` is the script node was started with (not imported by a test). */
export function isEntryPoint(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]!).href;
}

/** Runs a store script on `process.argv` (and .env) and exits with its code. */
export function runStoreScript(script: StoreScript, argv: string[] = process.argv.slice(2)): void {
  loadDotenv();
  void runStore(script, argv, process.env, process).then((code) => process.exit(code));
}

/** Runs a store script with `env`; resolves with the exit code, every failure told in one line. Never rejects. */
export async function runStore(script: StoreScript, argv: string[], env: NodeJS.ProcessEnv, output: ScriptOutput): Promise<number> {
  const given = argv[0];
  try {
    return await main(script, argv, env, output);
  } catch (error) {
    output.stderr.write(`${failureLine(script.name, given ?? '', error)}\n`);
    return 1;
  }
}

async function main(script: StoreScript, argv: string[], env: NodeJS.ProcessEnv, output: ScriptOutput): Promise<number> {
  const given = argv[0];
  if (!given || argv.length > 1) {
    output.stderr.write(`${script.name}: which folder? — try npm run ${script.name} -- backup/notes\n`);
    return 2;
  }
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    output.stderr.write(`${formatConfigErrors(loaded.errors)}\n`);
    return 1;
  }
  const store = await openNoteStore(loaded.config.storeUrl, { logger: createLogger('error') });
  try {
    return await script.run(store, given, output);
  } finally {
    await store.close();
  }
}

/** One line, no stack: what went wrong, naming the folder when the file system said no. */
export function failureLine(name: string, folder: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith(`${name}:`)) return message;
  if (error instanceof StartupError || error instanceof StoreUnavailableError) return `${name}: ${message}`;
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return `${name}: ${folder} is not a folder`;
    case 'ENOENT':
      return `${name}: ${folder} does not exist`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `${name}: ${folder}: permission denied`;
    case 'ENOSPC':
      return `${name}: ${folder}: no space left on the device`;
    default:
      return `${name}: failed: ${message.split('\n')[0]}`;
  }
}
