/**
 * The read rule at every entry point of the knowledge base and through dispatch:
 * a private note reaches its saver and the owners only, through hits, counts,
 * "did you mean", completions, tags, topic counts and note lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYONE, parseQuery, type Note, type Person, type Reply, type SearchHit } from '../../../src/core/index.ts';
import { CONSOLE_USER, createTestContext, type TestContext } from '../../helpers/context.ts';

const OWNER: Person = { platform: 'slack', id: 'U0OWNER', name: 'owner on slack' };
const STRANGER: Person = { platform: 'slack', id: 'U0STRANGER', name: 'colleague' };
const DISCORD_STRANGER: Person = { platform: 'discord', id: '90000000000000001', name: 'bob' };
const SLACK = { platform: 'slack', channel: 'C1' };

const PROFILE = '# Current topics\n- Zebrafish salary benchmarks\n';
const ARTICLES = { 'hr/pay.md': '---\ntitle: Pay bands explained\ntags: [pay]\ndate: 2024-01-10\n---\nHow pay bands work.\n' };

const hitsOf = (reply: Reply): SearchHit[] => reply.sections.flatMap((s) => (s.type === 'hits' ? s.hits : []));
const textOf = (reply: Reply): string => JSON.stringify(reply);

describe('the read rule (NOTES_VISIBLE_TO=owner, NOTE_WRITERS set)', () => {
  let ctx: TestContext;
  let privateId: string;
  let sharedId: string;
  let quotedId: string;
  beforeAll(async () => {
    ctx = await createTestContext({ profile: PROFILE, articles: ARTICLES, noteWriters: [`slack:${OWNER.id}`] });
    const saved = await ctx.run('/note zebrafish salary benchmarks for the 1on1 with Quincy #1on1 #salary');
    privateId = /note ([0-9a-z]{10})/.exec(saved.text)![1]!;
    const shared = await ctx.run('/note --share zebrafish tank cleaning rota #aquarium', { user: OWNER, origin: SLACK });
    sharedId = /note ([0-9a-z]{10})/.exec(shared.text)![1]!;
    // "Save to notes" on the colleague's message: the owner saved it, so it is the owner's.
    const quoted = await ctx.run('/note colleague said the quarterly xylophone budget is frozen', {
      user: OWNER,
      author: STRANGER,
      origin: SLACK,
    });
    quotedId = /note ([0-9a-z]{10})/.exec(quoted.text)![1]!;
  });
  afterAll(() => ctx.close());

  it('saves private by default, shared with --share (the flag is not kept in the text)', async () => {
    expect(ctx.kb.note(privateId)).not.toHaveProperty('shared');
    expect(ctx.kb.note(sharedId)).toMatchObject({ shared: true, text: 'zebrafish tank cleaning rota #aquarium' });
    expect(await ctx.store.get(sharedId)).toMatchObject({ shared: true });
    expect(ctx.kb.note(quotedId)).toMatchObject({ author: { id: STRANGER.id }, savedBy: { id: OWNER.id } });
  });

  it('/find: a stranger gets neither the hit nor a count of it; the owners get both', async () => {
    for (const viewer of [STRANGER, DISCORD_STRANGER]) {
      const reply = await ctx.run('/find quincy', { user: viewer, origin: { platform: viewer.platform } });
      expect(reply.text).toBe('Nothing found for "quincy".');
      expect(textOf(reply)).not.toMatch(/quincy.*result/i);
      // "salary" is in the profile too: that hit, and only it, is theirs.
      expect(hitsOf(await ctx.run('/find salary', { user: viewer })).map((h) => h.kind)).toEqual(['profile']);
      expect(hitsOf(await ctx.run('/find zebrafish', { user: viewer })).map((h) => h.source.noteId ?? h.id)).toEqual([sharedId, 'profile:current-topics:0']);
      expect((await ctx.run('/find zebrafish', { user: viewer })).text).toBe('2 results for "zebrafish"');
      expect((await ctx.run('/find kind:note', { user: viewer })).text).toBe('1 result for "kind:note"');
      expect((await ctx.run('/find xylophone', { user: viewer })).text).toBe('Nothing found for "xylophone".');
    }
    for (const viewer of [CONSOLE_USER, OWNER]) {
      expect((await ctx.run('/find zebrafish', { user: viewer })).text).toBe('3 results for "zebrafish"');
      expect((await ctx.run('/find salary', { user: viewer })).text).toBe('2 results for "salary"');
      expect((await ctx.run('/find kind:note', { user: viewer })).text).toBe('3 results for "kind:note"');
    }
  });

  it('/find: "N results without #tag" counts only what the viewer may read', async () => {
    expect((await ctx.run('/find zebrafish #pay', { user: OWNER })).sections).toEqual([
      { type: 'text', text: '3 results without #pay — try /find zebrafish' },
    ]);
    expect((await ctx.run('/find zebrafish #pay', { user: STRANGER })).sections).toEqual([
      { type: 'text', text: '2 results without #pay — try /find zebrafish' },
    ]);
    // Only the private note holds "quincy": for the stranger the words match nothing at all.
    const hidden = await ctx.run('/find quincy #pay', { user: STRANGER });
    expect(textOf(hidden)).not.toMatch(/without|quincy\b.*result/i);
  });

  it('/find #tag of a private note: nothing, and no tag suggested from it', async () => {
    const reply = await ctx.run('/find #1on1', { user: STRANGER });
    expect(reply.text).toBe('Nothing found for "#1on1".');
    expect(reply.sections).toEqual([{ type: 'text', text: 'Nothing is tagged #1on1 — /tags lists the tags in use.' }]);
    const near = await ctx.run('/find #salar', { user: STRANGER });
    expect(textOf(near)).not.toContain('#salary');
    expect(textOf(await ctx.run('/find #salar', { user: OWNER }))).toContain('/find #salary');
  });

  it('"did you mean": no word of a hidden note is suggested', async () => {
    expect(ctx.kb.didYouMean('quincey', STRANGER)).toEqual([]);
    expect(ctx.kb.didYouMean('quincey', OWNER)).toContain('quincy');
    const reply = await ctx.run('/find quincey', { user: STRANGER });
    expect(textOf(reply)).not.toContain('quincy');
    expect((await ctx.run('/find quincey', { user: CONSOLE_USER })).text).toBe('1 result for "quincey"');
  });

  it('completions: none made of a hidden note', () => {
    expect(ctx.kb.complete('quin', STRANGER, 10)).toEqual([]);
    expect(ctx.kb.complete('quin', OWNER, 10)).toEqual(['quincy']);
    expect(ctx.kb.complete('xyloph', STRANGER, 10)).toEqual([]);
    expect(ctx.kb.complete('zebra', STRANGER, 10)).toEqual(['zebrafish']);
  });

  it('/tags counts only what the viewer may read', async () => {
    expect(ctx.kb.tags(STRANGER).map((t) => [t.tag, t.count])).toEqual([['aquarium', 1], ['pay', 1]]);
    expect(ctx.kb.tags(OWNER).map((t) => t.tag)).toEqual(['1on1', 'aquarium', 'pay', 'salary']);
    const reply = await ctx.run('/tags', { user: STRANGER });
    expect(textOf(reply)).not.toMatch(/1on1|salary/);
    expect((await ctx.run('/tags sal', { user: STRANGER })).text).toBe('No tag matches "sal".');
    expect((await ctx.run('/tags sal', { user: OWNER })).text).toBe('1 tag matching "sal", most used first');
  });

  it('topic counts: per viewer, and for a public reply only what everyone may read', () => {
    expect(ctx.kb.topicMatches('zebrafish salary benchmarks', OWNER)).toEqual({ notes: 1, articles: 0 });
    expect(ctx.kb.topicMatches('zebrafish salary benchmarks', STRANGER)).toEqual({ notes: 0, articles: 0 });
    expect(ctx.kb.topicMatches('zebrafish tank', EVERYONE)).toEqual({ notes: 1, articles: 0 });
    expect(ctx.kb.topicMatches('zebrafish salary benchmarks', EVERYONE)).toEqual({ notes: 0, articles: 0 });
  });

  it('/topics posts to the channel, so its counts leave private notes out, even for the owner', async () => {
    const reply = await ctx.run('/topics', { user: OWNER });
    expect(reply.sections[0]).toMatchObject({ type: 'list', items: [{ text: 'Zebrafish salary benchmarks', detail: '0 articles, 0 notes' }] });
  });

  it('note lists (home tab): the viewer\'s own and shared notes', () => {
    expect(ctx.kb.notesFor(STRANGER).map((n) => n.id)).toEqual([sharedId]);
    expect(ctx.kb.notesFor(OWNER).map((n) => n.id).sort()).toEqual([privateId, sharedId, quotedId].sort());
    expect(ctx.kb.notesFor(OWNER, 1)).toHaveLength(1);
  });

  it('/forget: a shared note of someone else cannot be forgotten, and a hidden one reads as missing', async () => {
    await expect(ctx.kb.forgetNote(sharedId, STRANGER)).rejects.toThrow(
      `forget: note ${sharedId} is shared by someone else — only they or the owner can forget it`,
    );
    expect(await ctx.kb.forgetNote(privateId, STRANGER)).toBeUndefined();
    expect(ctx.kb.note(privateId)).toBeDefined();
    expect(ctx.kb.note(sharedId)).toBeDefined();
  });

  it('keeps a note stored before sharing existed (no shared field) private', async () => {
    const legacy: Note = {
      id: 'legacy0001',
      text: 'old walrus note from before sharing',
      tags: [],
      author: { platform: 'slack', id: 'U0OWNER', name: 'owner' },
      source: { platform: 'slack' },
      createdAt: '2023-01-01T00:00:00.000Z',
    };
    await ctx.store.put(legacy);
    ctx.kb.indexNote((await ctx.store.get(legacy.id))!);
    expect(ctx.kb.search(parseQuery('walrus'), { viewer: STRANGER, limit: 5 }).total).toBe(0);
    expect(ctx.kb.search(parseQuery('walrus'), { viewer: OWNER, limit: 5 }).total).toBe(1);
  });
});

describe('the read rule with NOTE_WRITERS empty (anyone may write)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ profile: PROFILE, articles: ARTICLES });
    await ctx.run('/note alice keeps her okapi notes here #mine', { user: STRANGER, origin: SLACK });
    await ctx.run('/note bob keeps his okapi notes here #his', { user: DISCORD_STRANGER, origin: { platform: 'discord' } });
    await ctx.run('/note --share okapi facts for everyone #facts', { user: DISCORD_STRANGER, origin: { platform: 'discord' } });
  });
  afterAll(() => ctx.close());

  it('each person reads their own notes and the shared ones; the console reads all', async () => {
    const titles = async (viewer: Person) => hitsOf(await ctx.run('/find okapi', { user: viewer })).map((h) => h.title).sort();
    expect(await titles(STRANGER)).toEqual(['alice keeps her okapi notes here #mine', 'okapi facts for everyone #facts']);
    expect(await titles(DISCORD_STRANGER)).toEqual(['bob keeps his okapi notes here #his', 'okapi facts for everyone #facts']);
    expect(await titles(CONSOLE_USER)).toHaveLength(3);
    // Same id on another platform is another person.
    expect(await titles({ platform: 'discord', id: STRANGER.id, name: 'x' })).toEqual(['okapi facts for everyone #facts']);
  });

  it('/forget: another person\'s private note is answered as missing and kept; your own goes', async () => {
    const [bobs] = ctx.kb.notesFor(DISCORD_STRANGER).filter((n) => !n.shared);
    const hidden = await ctx.run(`/forget ${bobs!.id}`, { user: STRANGER, origin: SLACK });
    expect(hidden.text).toBe(`forget: there is no note ${bobs!.id} — /find kind:note lists your notes`);
    expect(ctx.kb.note(bobs!.id)).toBeDefined();
    expect((await ctx.run(`/forget ${bobs!.id}`, { user: DISCORD_STRANGER })).text).toBe(`Forgot note ${bobs!.id}.`);
  });
});

describe('the read rule with NOTES_VISIBLE_TO=everyone', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ profile: PROFILE, articles: ARTICLES, noteWriters: [`slack:${OWNER.id}`], notesVisibleTo: 'everyone' });
    await ctx.run('/note quokka salary data #salary');
  });
  afterAll(() => ctx.close());

  it('lets anyone read every note, as before the rule existed', async () => {
    expect((await ctx.run('/find quokka', { user: STRANGER })).text).toBe('1 result for "quokka"');
    expect(ctx.kb.tags(STRANGER).map((t) => t.tag)).toContain('salary');
    expect(ctx.kb.complete('quok', STRANGER, 5)).toEqual(['quokka']);
  });
});
