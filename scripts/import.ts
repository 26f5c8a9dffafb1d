/**
 * `npm run import -- <folder>`: reads every `*.md` under the folder (files
 * written by `npm run export`, or hand-written ones with the same front matter)
 * into STORE_URL's store as notes. Ids are kept; a note already there is skipped,
 * so importing twice never duplicates anything.
 */
import path from 'node:path';
import { formatConfigErrors, loadConfig, loadDotenv } from '../src/config.ts';
import { createLogger, importNotes, openNoteStore, StartupError, StoreUnavailableError } from '../src/core/index.ts';

async function main(argv: string[]): Promise<number> {
  const folder = argv[0];
  if (!folder || argv.length > 1) {
    process.stderr.write('import: which folder? — try npm run import -- backup/notes\n');
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
    const { imported, skipped, failed } = await importNotes(store, path.resolve(folder));
    for (const { file, reason } of failed) process.stderr.write(`import: skipped ${file}: ${reason}\n`);
    process.stdout.write(
      `import: ${imported} imported, ${skipped} already there, ${failed.length} unreadable — into ${store.label}\n`,
    );
    return failed.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const known = error instanceof StartupError || error instanceof StoreUnavailableError || message.startsWith('import:');
    process.stderr.write(known ? `${message.startsWith('import:') ? '' : 'import: '}${message}\n` : `import: failed: ${(error as Error)?.stack ?? message}\n`);
    process.exit(1);
  },
);
