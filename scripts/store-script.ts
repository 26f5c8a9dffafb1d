/**
 * What `npm run export` and `npm run import` share: one folder argument,
 * STORE_URL from the environment (and .env), the store opened and closed, and
 * every failure told in one line that starts with the script's name.
 */
import { loadConfigOrReport } from '../src/config.ts';
import { createLogger, openNoteStore, StartupError, StoreUnavailableError, type NoteStore } from '../src/core/index.ts';

export interface StoreScript {
  /** `export` or `import`: the start of every line the script prints. */
  name: string;
  /**
   * Runs with the open store and the folder as the user typed it (relative to the
   * working directory, so messages name it the same way); resolves with the exit code.
   */
  run(store: NoteStore, folder: string): Promise<number>;
}

/** Runs a store script on `process.argv` and exits with its code. */
export function runStoreScript(script: StoreScript, argv: string[] = process.argv.slice(2)): void {
  const given = argv[0];
  main(script, argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${failureLine(script.name, given ?? '', error)}\n`);
      process.exit(1);
    },
  );
}

async function main(script: StoreScript, argv: string[]): Promise<number> {
  const given = argv[0];
  if (!given || argv.length > 1) {
    process.stderr.write(`${script.name}: which folder? — try npm run ${script.name} -- backup/notes\n`);
    return 2;
  }
  const config = loadConfigOrReport();
  if (!config) return 1;
  const store = await openNoteStore(config.storeUrl, { logger: createLogger('error') });
  try {
    return await script.run(store, given);
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
