/**
 * `npm run export -- <folder>`: writes every note in STORE_URL's store as
 * `<folder>/<id>.md` (front matter + text, the shape of an article).
 */
import path from 'node:path';
import { formatConfigErrors, loadConfig, loadDotenv } from '../src/config.ts';
import { createLogger, exportNotes, openNoteStore, StartupError, StoreUnavailableError } from '../src/core/index.ts';

async function main(argv: string[]): Promise<number> {
  const folder = argv[0];
  if (!folder || argv.length > 1) {
    process.stderr.write('export: which folder? — try npm run export -- backup/notes\n');
    return 2;
  }
  loadDotenv();
  const result = loadConfig();
  if (!result.ok) {
    process.stderr.write(`${formatConfigErrors(result.errors)}\n`);
    return 1;
  }
  const store = await openNoteStore(result.config.storeUrl, { logger: createLogger('error') });
  try {
    const { written } = await exportNotes(store, path.resolve(folder));
    process.stdout.write(`export: wrote ${written} note${written === 1 ? '' : 's'} from ${store.label} to ${folder}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const known = error instanceof StartupError || error instanceof StoreUnavailableError || message.startsWith('export:');
    process.stderr.write(known ? `${message.startsWith('export:') ? '' : 'export: '}${message}\n` : `export: failed: ${(error as Error)?.stack ?? message}\n`);
    process.exit(1);
  },
);
