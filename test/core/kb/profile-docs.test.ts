import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBase, SearchIndex, openNoteStore, parseProfile, parseQuery, silentLogger } from '../../../src/core/index.ts';
import { DEFAULT_SNAPSHOT_NAME } from '../../../src/core/snapshot/snapshot-file.ts';
import { hashProfile, sourcesOf, writeSnapshot } from '../../../src/core/snapshot/snapshot.ts';
import { CONSOLE_USER, makeDataDir } from '../../helpers/context.ts';

const PROFILE = '## Now\n### Work\n- Shard rebalancer\n### Personal\n- Garden irrigation controller\n';

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('profile documents in a snapshot', () => {
  it('a snapshot saved before items were labelled by their sub-heading has its profile items re-indexed with the new labels', async () => {
    const dataDir = await makeDataDir({ profile: PROFILE, articles: {} });
    cleanup.push(dataDir);
    const snapshot = path.join(dataDir, DEFAULT_SNAPSHOT_NAME);
    const logger = silentLogger();
    // What the previous version saved: the same profile, stamped by its parse alone, its items labelled by the section only.
    const profile = parseProfile(await readFile(path.join(dataDir, 'profile.md'), 'utf8'));
    const old = new SearchIndex();
    old.addAll(
      profile.sections[0]!.items.map((item, i) => ({ id: `profile:now:${i}`, kind: 'profile' as const, title: item.text, text: 'Now', tags: [], source: { label: 'profile › Now' } })),
    );
    await writeSnapshot(snapshot, old, sourcesOf(old, hashProfile(profile)));

    const kb = await KnowledgeBase.open({ dataDir, store: await openNoteStore(`sqlite://${path.join(dataDir, 'notes.sqlite')}`, { logger }), logger, snapshot });
    try {
      expect(kb.loadReport).toMatchObject({ from: 'snapshot' });
      const labels = (q: string) => kb.search(parseQuery(q), { viewer: CONSOLE_USER, limit: 5 }).hits.map((h) => h.source.label);
      expect(labels('irrigation')).toEqual(['profile › Now › Personal']);
      expect(labels('rebalancer')).toEqual(['profile › Now › Work']);
    } finally {
      await kb.close();
    }
  });
});
