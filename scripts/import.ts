/**
 * `npm run import -- <folder>`: reads every `*.md` under the folder (files
 * written by `npm run export`, or hand-written ones with the same front matter)
 * into STORE_URL's store as notes. Ids are kept; a note already there is skipped,
 * so importing twice never duplicates anything.
 */
import { importNotes } from '../src/core/index.ts';
import { runStoreScript } from './store-script.ts';

runStoreScript({
  name: 'import',
  async run(store, folder) {
    const { imported, skipped, failed } = await importNotes(store, folder);
    for (const { file, reason } of failed) process.stderr.write(`import: skipped ${file}: ${reason}\n`);
    process.stdout.write(
      `import: ${imported} imported, ${skipped} already there, ${failed.length} unreadable — into ${store.label}\n`,
    );
    return failed.length > 0 ? 1 : 0;
  },
});
