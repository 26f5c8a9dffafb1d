/**
 * `npm run import -- <folder>`: reads every `*.md` under the folder (files
 * written by `npm run export`, or hand-written ones with the same front matter)
 * into STORE_URL's store as notes. Ids are kept; a note already there is skipped,
 * so importing twice never duplicates anything.
 */
import { importNotes } from '../src/core/index.ts';
import { isEntryPoint, runStoreScript, type StoreScript } from './store-script.ts';

export const importScript: StoreScript = {
  name: 'import',
  async run(store, folder, { stdout, stderr }) {
    const { imported, skipped, failed } = await importNotes(store, folder);
    for (const { file, reason } of failed) stderr.write(`import: skipped ${file}: ${reason}\n`);
    stdout.write(`import: ${imported} imported, ${skipped} already there, ${failed.length} unreadable — into ${store.label}\n`);
    return failed.length > 0 ? 1 : 0;
  },
};

if (isEntryPoint(import.meta.url)) runStoreScript(importScript);
