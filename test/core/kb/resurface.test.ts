import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resurface, resurfacedKey, RESURFACE_QUIET_MS, type ResurfaceSource } from '../../../src/core/kb/resurface.ts';
import { SearchIndex, StoreReadOnlyError, StoreUnavailableError, openNoteStore, silentLogger, type IndexedDoc, type NoteStore, type Person } from '../../../src/core/index.ts';
import { documentSpan } from '../../../src/core/kb/query.ts';
import { makeTempDir } from '../../helpers/context.ts';

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T12:00:00Z');
const OWNER: Person = { platform: 'console', id: 'local', name: 'owner' };
const COLLEAGUE: Person = { platform: 'slack', id: 'U2', name: 'colleague' };

const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

function note(id: string, text: string, daysAgo: number): IndexedDoc {
  return { id: `note:${id}`, kind: 'note', title: text.slice(0, 40), text, tags: [], date: ago(daysAgo), source: { label: `note ${id}`, noteId: id } };
}

function article(file: string, title: string, text: string, daysAgo: number, dated = true): IndexedDoc {
  return {
    id: `article:${file}`,
    kind: 'article',
    title,
    text,
    tags: [],
    ...(dated ? { date: ago(daysAgo) } : {}),
    mtimeMs: NOW.getTime() - daysAgo * DAY,
    source: { label: file, path: file },
  };
}

const DOCS: IndexedDoc[] = [
  note('n1', 'libgit2 over NFS: stat calls dominate, performance tuning with a patch upstream', 90),
  note('n2', 'libgit2 NFS mount options for performance tuning', 45),
  note('n3', 'libgit2 NFS performance, last week', 3),
  note('n4', 'performance review notes for the team', 200),
  article('articles/git/nfs.md', 'Tuning libgit2 over NFS', 'Performance tuning of libgit2 on NFS shares.', 400),
  article('articles/git/mirror.md', 'Mirroring git repositories', 'Mirroring git repositories for redundancy and consistency.', 100, false),
  article('articles/dr.md', 'Disaster recovery drills', 'Disaster recovery for customer git repositories, RPO and RTO.', 60),
  { id: 'profile:current-topics:0', kind: 'profile', title: 'Performance tuning of libgit2 over NFS', text: 'Current topics', tags: [], source: { label: 'profile' } },
];

const TOPICS = [
  'Performance tuning of libgit2 over NFS by contributing patches to upstream',
  'Mirroring git repositories for redundancy with consistency & RPO guarantee',
  'Disaster recovery for customer git repositories',
];

let stores: NoteStore[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  stores = [];
  dirs = [];
});

async function source(store?: NoteStore): Promise<ResurfaceSource> {
  const index = new SearchIndex();
  index.addAll(DOCS);
  const memory = store ?? (await openNoteStore('memory://', { logger: silentLogger() }));
  stores.push(memory);
  return {
    rank: (text, limit, keep) =>
      index.rank(text, { limit, keep }).matches.map((m) => ({ doc: index.get(m.id)!, score: m.score, terms: m.terms })),
    dated: (doc) => documentSpan(doc.date ?? (doc.mtimeMs ? new Date(doc.mtimeMs).toISOString() : undefined)),
    hit: (doc, terms, score) => index.hit(doc, new Set(terms), score),
    memory,
  };
}

const everything = () => true;
const ids = (outcome: { hits: { id: string }[] }) => outcome.hits.map((h) => h.id);

describe('resurface', () => {
  it('shows notes and write-ups older than 30 days about the current topics, each topic\'s best first', async () => {
    const outcome = await resurface(await source(), { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW });
    // n3 is 3 days old; n4 holds one word of a long topic only; the profile item is not a note or write-up.
    expect(ids(outcome).sort()).toEqual(['article:articles/dr.md', 'article:articles/git/mirror.md', 'article:articles/git/nfs.md', 'note:n1', 'note:n2']);
    // The best for each topic first (the libgit2 note names more of its topic's words than the write-up does).
    expect(ids(outcome).slice(0, 3).sort()).toEqual(['article:articles/dr.md', 'article:articles/git/mirror.md', 'note:n1']);
    expect(outcome).toMatchObject({ related: 5, quiet: 0 });
    expect(outcome.hits[0]!.snippet.some((span) => span.strong)).toBe(true);
  });

  it('takes the given words instead of the topics, with typos', async () => {
    const outcome = await resurface(await source(), { viewer: OWNER, texts: ['libgti2 mount'], visible: everything, now: NOW });
    expect(ids(outcome)).toEqual(['note:n2']);
  });

  it('leaves out what it showed the same person in the last 30 days, not what it showed someone else', async () => {
    const src = await source();
    const first = await resurface(src, { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 2 });
    expect(first.hits).toHaveLength(2);
    const second = await resurface(src, { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 2 });
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
    expect(second.quiet).toBe(2);
    const theirs = await resurface(src, { viewer: COLLEAGUE, texts: TOPICS, visible: everything, now: NOW, limit: 2 });
    expect(ids(theirs)).toEqual(ids(first));
    // All five shown: nothing new until the quiet period is over, on the knowledge base's clock.
    await resurface(src, { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW });
    const none = await resurface(src, { viewer: OWNER, texts: TOPICS, visible: everything, now: new Date(NOW.getTime() + 29 * DAY) });
    expect(none).toEqual({ hits: [], related: 5, quiet: 5, remembered: true });
    const later = await resurface(src, { viewer: OWNER, texts: TOPICS, visible: everything, now: new Date(NOW.getTime() + 31 * DAY) });
    expect(ids(later).slice(0, 2)).toEqual(ids(first));
  });

  it('remembers in the store with an expiry, under a short key, so processes sharing it agree', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const url = `sqlite://${path.join(dir, 'notes.sqlite')}`;
    const a = await openNoteStore(url, { logger: silentLogger() });
    const b = await openNoteStore(url, { logger: silentLogger() });
    const shown = await resurface(await source(a), { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 1 });
    const elsewhere = await resurface(await source(b), { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 1 });
    expect(elsewhere.hits[0]!.id).not.toBe(shown.hits[0]!.id);
    expect(await b.recall(resurfacedKey(OWNER, shown.hits[0]!.id))).toBe(NOW.toISOString());
    expect(resurfacedKey(OWNER, `article:${'deep/'.repeat(100)}x.md`).length).toBeLessThan(100);
    expect(RESURFACE_QUIET_MS).toBe(30 * DAY);
  });

  it('still resurfaces when the store will not remember, and says so in the outcome', async () => {
    const refused = new StoreReadOnlyError('notes: remember refused: the store is read-only', { detail: 'sqlite:///x: readonly', hint: 'make it writable' });
    const src = await source();
    const forgetful: ResurfaceSource = { ...src, memory: { recall: (key) => src.memory.recall(key), remember: () => Promise.reject(refused) } };
    const first = await resurface(forgetful, { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 2 });
    expect(first.hits).toHaveLength(2);
    expect(first).toMatchObject({ remembered: false, notRemembered: 'read-only', rememberError: refused });
    // Nothing was remembered: the same ones come again.
    expect(ids(await resurface(forgetful, { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 2 }))).toEqual(ids(first));
  });

  it('tells a store that is down for now from one that refuses writes, and throws what is not a store error', async () => {
    const src = await source();
    const failingWith = (error: Error): ResurfaceSource => ({ ...src, memory: { recall: (key) => src.memory.recall(key), remember: () => Promise.reject(error) } });
    const down = new StoreUnavailableError('notes: remember timed out');
    expect(await resurface(failingWith(down), { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 2 })).toMatchObject({
      remembered: false,
      notRemembered: 'unavailable',
      rememberError: down,
    });
    const bug = new TypeError('Cannot read properties of undefined');
    await expect(resurface(failingWith(bug), { viewer: OWNER, texts: TOPICS, visible: everything, now: NOW, limit: 2 })).rejects.toBe(bug);
  });

  it('never shows what the viewer may not read', async () => {
    const hidden = (doc: IndexedDoc) => doc.kind !== 'note';
    const outcome = await resurface(await source(), { viewer: COLLEAGUE, texts: TOPICS, visible: hidden, now: NOW });
    expect(ids(outcome).every((id) => id.startsWith('article:'))).toBe(true);
    expect(outcome.related).toBe(3);
  });
});
