/**
 * A second kind of process for the retry test: opens the store and knowledge
 * base from STORE_URL / DATA_DIR like the bot does, saves one note per
 * idempotency key given on the command line (all at once), and prints the
 * results as JSON. Retried platform requests reach tinker exactly like this:
 * the same key, possibly in another process, possibly at the same moment.
 */
import { KnowledgeBase, openNoteStore, silentLogger } from '../../src/core/index.ts';

const [storeUrl, dataDir, ...keys] = process.argv.slice(2);
if (!storeUrl || !dataDir) {
  process.stderr.write('usage: multi-process-save.ts <store url> <data dir> <key>...\n');
  process.exit(2);
}
const logger = silentLogger();
const store = await openNoteStore(storeUrl, { logger });
const kb = await KnowledgeBase.open({ dataDir, store, logger });
const results = await Promise.all(
  keys.map((key) =>
    kb.saveNote({
      text: `retried request ${key} #retry`,
      author: { platform: 'slack', id: 'U1', name: 'owner' },
      source: { platform: 'slack', channel: 'C1' },
      idempotencyKey: key,
    }),
  ),
);
process.stdout.write(`${JSON.stringify(results.map((r) => ({ id: r.note.id, key: r.note.idempotencyKey })))}\n`);
await kb.close();
