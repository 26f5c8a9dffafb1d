import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError, openNoteStore, silentLogger, type NoteStore, type Person, type Reply } from '../../src/core/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const DAY = 86_400_000;
const OWNER: Person = { platform: 'slack', id: 'UOWNER', name: 'owner' };
const COLLEAGUE: Person = { platform: 'slack', id: 'UOTHER', name: 'colleague' };

const ARTICLES = {
  'nfs.md': '---\ntitle: Tuning libgit2 over NFS\ndate: 2024-03-02\n---\nPerformance tuning of libgit2 on NFS: fewer stat calls, a patch upstream.\n',
  'mirror.md': '---\ntitle: Mirroring git repositories\ndate: 2024-05-20\n---\nMirroring git repositories for redundancy, with consistency checks and an RPO.\n',
  'fresh.md': '---\ntitle: Disaster recovery, this month\ndate: 2025-02-25\n---\nDisaster recovery for customer git repositories: the new drill.\n',
  'cooking.md': '---\ntitle: Sourdough\ndate: 2023-01-01\n---\nFlour, water, salt.\n',
};

interface Bench {
  ctx: TestContext;
  kb: TestContext['kb'];
  /** The knowledge base's clock. */
  clock: { now: Date };
  run(line: string, user?: Person): Promise<Reply>;
}

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.ctx.close();
  bench = undefined;
});

/** The real core and commands on a temporary DATA_DIR, with a clock the test moves. */
async function open(options: { profile?: string; store?: NoteStore } = {}): Promise<Bench> {
  const clock = { now: new Date('2025-03-01T09:00:00Z') };
  const ctx = await createTestContext({ articles: ARTICLES, noteWriters: ['slack:UOWNER'], now: () => clock.now, ...options });
  bench = {
    ctx,
    kb: ctx.kb,
    clock,
    run: (line, user = OWNER) => ctx.run(line, { user, origin: { platform: user.platform, channel: 'C1' } }),
  };
  return bench;
}

/** Saves a note at a given time by `author` (a colleague's own note too: NOTE_WRITERS limits /note, not who may have notes). */
async function noteAt(b: Bench, when: string, text: string, author: Person = OWNER): Promise<string> {
  const saved = b.clock.now;
  b.clock.now = new Date(when);
  try {
    const { note } = await b.kb.saveNote({ text, author, source: { platform: author.platform, channel: 'C1' } });
    return note.id;
  } finally {
    b.clock.now = saved;
  }
}

const titles = (reply: Reply) => {
  const hits = reply.sections.find((s) => s.type === 'hits');
  return hits?.type === 'hits' ? hits.hits.map((h) => h.title) : [];
};

describe('/resurface', () => {
  it('shows notes and write-ups older than 30 days about the current topics, and not again for 30 days', async () => {
    const b = await open();
    await noteAt(b, '2024-11-02T10:00:00Z', 'libgit2 NFS performance tuning: the patch for upstream is ready');
    await noteAt(b, '2025-02-20T10:00:00Z', 'libgit2 NFS performance tuning, round two');
    await noteAt(b, '2024-10-01T10:00:00Z', 'Sourdough starter feeding times');
    const first = await b.run('/resurface');
    expect(first).toMatchObject({ tone: 'ok', visibility: 'ephemeral', text: '1 note and 2 write-ups from over 30 days ago on your current topics' });
    expect(titles(first).sort()).toEqual(['Mirroring git repositories', 'Tuning libgit2 over NFS', 'libgit2 NFS performance tuning: the patch for upstream is ready']);
    expect(first.sections.at(-1)).toEqual({ type: 'text', text: 'Each is left out of your /resurface for the next 30 days.' });
    expect(await b.run('/resurface')).toMatchObject({
      text: 'Nothing new to resurface on your current topics: the 3 older notes and write-ups on it were shown to you in the last 30 days.',
    });
    // Someone else's /resurface is their own (and sees only what they may read: the write-ups).
    expect(titles(await b.run('/resurface', COLLEAGUE)).sort()).toEqual(['Mirroring git repositories', 'Tuning libgit2 over NFS']);
    // 31 days on, the first three may come back, and what was new then is old enough now.
    b.clock.now = new Date(b.clock.now.getTime() + 31 * DAY);
    const later = titles(await b.run('/resurface'));
    expect(later).toHaveLength(5);
    expect(later).toEqual(expect.arrayContaining(titles(first)));
    expect(later).toEqual(expect.arrayContaining(['Disaster recovery, this month', 'libgit2 NFS performance tuning, round two']));
  });

  it('says when a store that is down for now could not remember its picks, and not that it refuses writes', async () => {
    const store = await openNoteStore('memory://', { logger: silentLogger() });
    const down = Object.assign(Object.create(store) as NoteStore, { remember: () => Promise.reject(new StoreUnavailableError('notes: remember timed out')) });
    const b = await open({ store: down });
    const reply = await b.run('/resurface libgit2');
    expect(titles(reply)).toContain('Tuning libgit2 over NFS');
    expect(reply.sections.at(-1)).toEqual({ type: 'text', text: 'The note store is unavailable right now, so these may come back in your next /resurface.' });
  });

  it('takes words instead of the topics, typos included', async () => {
    const b = await open();
    expect(titles(await b.run('/resurface mirorring redundancy'))).toEqual(['Mirroring git repositories']);
    expect((await b.run('/resurface sourdough')).text).toBe('1 write-up from over 30 days ago on "sourdough"');
    expect(await b.run('/resurface kubernetes')).toMatchObject({
      tone: 'ok',
      text: 'Nothing older than 30 days is about "kubernetes".',
      sections: [{ type: 'text', text: 'Notes and write-ups come back here once they are 30 days old; /find shows newer ones.' }],
    });
  });

  it('never shows a colleague the owner\'s private notes, but shows them their own', async () => {
    const b = await open();
    await noteAt(b, '2024-11-02T10:00:00Z', 'Mirroring git repositories: redundancy budget and salaries');
    await noteAt(b, '2024-11-03T10:00:00Z', 'Mirroring git repositories: my own redundancy notes', COLLEAGUE);
    const theirs = titles(await b.run('/resurface mirroring redundancy', COLLEAGUE));
    expect(theirs).toContain('Mirroring git repositories: my own redundancy notes');
    expect(theirs).not.toContain('Mirroring git repositories: redundancy budget and salaries');
    expect(titles(await b.run('/resurface mirroring redundancy'))).toContain('Mirroring git repositories: redundancy budget and salaries');
  });

  it('explains a profile without current topics, and a first index still being built', async () => {
    const b = await open({ profile: '# About\nJust me.\n' });
    expect(await b.run('/resurface')).toMatchObject({
      tone: 'error',
      text: 'resurface: the profile lists no current topics — try /resurface <words>, e.g. /resurface libgit2',
    });
    b.kb.indexing = true;
    try {
      expect((await b.run('/resurface libgit2')).text).toBe('resurface: still indexing — try again in a few seconds');
    } finally {
      b.kb.indexing = false;
    }
  });
});

describe('home (the Slack home tab\'s content)', () => {
  it('holds the current topics with counts, the ten latest notes the viewer may read, and the commands', async () => {
    const b = await open();
    for (let i = 1; i <= 12; i++) await noteAt(b, `2025-02-${String(i).padStart(2, '0')}T10:00:00Z`, `Owner note ${i} about libgit2 NFS performance tuning`);
    await noteAt(b, '2025-02-27T10:00:00Z', 'Colleague note on libgit2 NFS performance tuning', COLLEAGUE);
    const mine = await b.run('/home');
    expect(mine.tone).toBe('ok');
    const [topics, latest, help] = mine.sections;
    expect(topics).toMatchObject({ type: 'list', title: 'Current topics' });
    expect(topics?.type === 'list' && topics.items[3]).toEqual({
      text: 'Performance tuning of libgit2 over NFS by contributing patches to upstream',
      url: 'https://libgit2.org/',
      detail: '1 article, 13 notes',
    });
    expect(latest?.type === 'list' && latest.items.map((i) => i.text)).toEqual([
      'Colleague note on libgit2 NFS performance tuning',
      ...[12, 11, 10, 9, 8, 7, 6, 5, 4].map((i) => `Owner note ${i} about libgit2 NFS performance tuning`),
    ]);
    expect(latest?.type === 'list' && latest.items[0]!.detail).toMatch(/^2025-02-27 · note [a-z0-9]{10}$/);
    expect(help?.type === 'list' && help.items.map((i) => i.text.split(' ')[0])).toEqual(['/note', '/find', '/tags', '/topics', '/resurface', '/forget', '/help']);
    expect(help?.type === 'list' && help.items.every((i) => i.detail?.startsWith('e.g. /'))).toBe(true);

    const theirs = await b.run('/home', COLLEAGUE);
    const [theirTopics, theirLatest] = theirs.sections;
    expect(theirTopics?.type === 'list' && theirTopics.items[3]!.detail).toBe('1 article, 1 note');
    expect(theirLatest?.type === 'list' && theirLatest.items.map((i) => i.text)).toEqual(['Colleague note on libgit2 NFS performance tuning']);
  });

  it('is not listed in /help, and says so when there are no topics or notes yet', async () => {
    const b = await open({ profile: '# About\nJust me.\n' });
    const help = await b.run('/help');
    expect(JSON.stringify(help)).not.toContain('/home');
    expect(JSON.stringify(help)).toContain('/resurface');
    const home = await b.run('/home', COLLEAGUE);
    expect(home.sections.slice(0, 2)).toEqual([
      { type: 'text', text: 'No current topics yet — the owner adds one with /topics add <topic>.' },
      { type: 'text', text: 'No notes yet — /note <text> saves one.' },
    ]);
  });
});
