import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src/core/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

describe('/find on the shipped sample data', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ searchLimit: 3 });
  });
  afterAll(() => ctx.close());

  const hitsOf = (reply: Awaited<ReturnType<TestContext['run']>>): SearchHit[] =>
    reply.sections.flatMap((s) => (s.type === 'hits' ? s.hits : []));

  it('answers with ranked hits, at most SEARCH_LIMIT', async () => {
    const reply = await ctx.run('/find libgit2');
    expect(reply).toMatchObject({ visibility: 'ephemeral', tone: 'ok' });
    expect(reply.text).toMatch(/^\d+ results? for "libgit2"/);
    const hits = hitsOf(reply);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits[0]!.title).toBe('Tuning libgit2 over NFS');
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('finds through a typo', async () => {
    expect(hitsOf(await ctx.run('/find libgti'))[0]!.title).toBe('Tuning libgit2 over NFS');
  });

  it('answers an empty query with usage help', async () => {
    expect(await ctx.run('/find   ')).toMatchObject({ tone: 'error', text: 'find: query is empty — try /find libgit2' });
  });

  it('explains bad filters', async () => {
    expect((await ctx.run('/find kind:')).text).toBe('find: kind: needs a value — use kind:note, kind:article or kind:profile');
    expect((await ctx.run('/find x kind:blog')).text).toBe('find: unknown kind "blog" — use kind:note, kind:article or kind:profile');
    expect((await ctx.run('/find #')).text).toBe('find: # needs a tag name after it — e.g. /find #git');
  });

  it('finds through a typo that changes how the word stems', async () => {
    expect(hitsOf(await ctx.run('/find cryptominnig'))[0]!.title).toBe('Detecting cryptomining in Bitbucket Pipelines');
  });

  it('says when nothing is found, with "did you mean" suggestions', async () => {
    const reply = await ctx.run('/find cyrptomnining');
    expect(reply.text).toBe('Nothing found for "cyrptomnining".');
    expect(reply.sections[0]).toMatchObject({ type: 'list', title: 'Did you mean' });
    const items = reply.sections[0]!.type === 'list' ? reply.sections[0]!.items : [];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(3);
    expect(items.map((i) => i.text)).toContain('cryptomining');
  });

  it('says when the words match but the filters leave nothing, instead of guessing at spelling', async () => {
    const reply = await ctx.run('/find libgit2 #nosuchtag');
    expect(reply.text).toBe('Nothing found for "libgit2 #nosuchtag".');
    expect(reply.sections).toEqual([{ type: 'text', text: '2 results without #nosuchtag — try /find libgit2' }]);
    // One letter is too little to suggest anything from.
    expect((await ctx.run('/find q')).sections).toEqual([{ type: 'text', text: 'Try fewer or other words, or /find #tag to list a tag.' }]);
  });

  it('lists a tag or kind on its own, and handles 1,000-word and metacharacter queries', async () => {
    expect(hitsOf(await ctx.run('/find #libgit2')).map((h) => h.title)).toEqual(['Tuning libgit2 over NFS']);
    expect(hitsOf(await ctx.run('/find kind:profile')).every((h) => h.kind === 'profile')).toBe(true);
    const long = await ctx.run(`/find ${Array.from({ length: 1000 }, (_, i) => `word${i}`).join(' ')}`);
    expect(long.tone).toBe('ok');
    const meta = await ctx.run('/find .*+?^${}()|[]\\ (a|b)*');
    expect(meta.tone).toBe('ok');
  });
});
