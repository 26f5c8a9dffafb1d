/**
 * `npm run export -- <folder>`: writes every note in STORE_URL's store as
 * `<folder>/<id>.md` (front matter + text, the shape of an article).
 */
import { exportNotes } from '../src/core/index.ts';
import { isEntryPoint, runStoreScript, type StoreScript } from './store-script.ts';

export const exportScript: StoreScript = {
  name: 'export',
  async run(store, folder, { stdout }) {
    const { written } = await exportNotes(store, folder);
    stdout.write(`export: wrote ${written} note${written === 1 ? '' : 's'} from ${store.label} to ${folder}\n`);
    return 0;
  },
};

if (isEntryPoint(import.meta.url)) runStoreScript(exportScript);
