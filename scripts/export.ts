/**
 * `npm run export -- <folder>`: writes every note in STORE_URL's store as
 * `<folder>/<id>.md` (front matter + text, the shape of an article).
 */
import { exportNotes } from '../src/core/index.ts';
import { runStoreScript } from './store-script.ts';

runStoreScript({
  name: 'export',
  async run(store, folder) {
    const { written } = await exportNotes(store, folder);
    process.stdout.write(`export: wrote ${written} note${written === 1 ? '' : 's'} from ${store.label} to ${folder}\n`);
    return 0;
  },
});
