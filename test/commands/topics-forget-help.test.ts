import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';

describe('/topics', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('shares current topics publicly, with links and counts of matching notes and articles', async () => {
    await ctx.run('/note NFS stat storms slow libgit2 down; patch upstream for performance tuning');
    const reply = await ctx.run('/topics');
    expect(reply).toMatchObject({ visibility: 'public', tone: 'ok', text: 'Current topics' });
    const list = reply.sections[0]!;
    expect(list.type).toBe('list');
    if (list.type !== 'list') return;
    expect(list.items).toHaveLength(7);
    const libgit2 = list.items[3]!;
    expect(libgit2).toMatchObject({
      text: 'Performance tuning of libgit2 over NFS by contributing patches to upstream',
      url: 'https://libgit2.org/',
      detail: '1 article, 1 note',
    });
    for (const item of list.items) expect(item.detail).toMatch(/^\d+ articles?, \d+ notes?$/);
  });

  it('leaves the counts out while the index is still being built, and says so', async () => {
    ctx.kb.indexing = true;
    try {
      const reply = await ctx.run('/topics');
      expect(reply.text).toBe('Current topics');
      const [list, note] = reply.sections;
      expect(list?.type === 'list' && list.items.every((item) => item.detail === undefined)).toBe(true);
      expect(note).toEqual({ type: 'text', text: 'Still indexing: counts of matching articles and notes in a few seconds.' });
    } finally {
      ctx.kb.indexing = false;
    }
    expect((await ctx.run('/topics')).sections).toHaveLength(1);
  });

  it('shows the other sections by name', async () => {
    const planned = await ctx.run('/topics planned');
    expect(planned.text).toBe('Planned');
    const list = planned.sections[0]!;
    expect(list.type === 'list' && list.items[0]).toEqual({ text: 'Learn Extended Berkeley Packet Filtering (eBPF)', url: 'https://ebpf.io' });
    expect(list.type === 'list' && list.items).toHaveLength(4);
    expect((await ctx.run('/topics reading')).text).toBe('Reading list');
    expect((await ctx.run('/topics INTERESTS')).text).toBe('Interests');
    expect((await ctx.run('/topics about')).sections[0]).toMatchObject({ type: 'text' });
  });

  it('explains an unknown section', async () => {
    const reply = await ctx.run('/topics gardening');
    expect(reply).toMatchObject({ tone: 'error', visibility: 'ephemeral' });
    expect(reply.text).toBe(
      'topics: no "gardening" section in the profile — try /topics current, /topics planned, /topics interests, /topics reading (sections: Overview, About me, Current topics, Planned, Reading list, Interests)',
    );
  });
});

describe('/forget', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ noteWriters: ['discord:1'] });
  });
  afterAll(() => ctx.close());

  it('deletes a note from the store and the index', async () => {
    const id = /note ([0-9a-z]{10})/.exec((await ctx.run('/note ephemeral thought about quokkas')).text)![1]!;
    expect((await ctx.run(`/forget ${id}`)).text).toBe(`Forgot note ${id}.`);
    expect(await ctx.store.get(id)).toBeUndefined();
    expect((await ctx.run('/find quokkas')).text).toBe('Nothing found for "quokkas".');
    expect((await ctx.run(`/forget ${id}`)).text).toBe(`forget: there is no note ${id} — /find kind:note lists your notes`);
  });

  it('answers bad input and non-writers clearly', async () => {
    expect((await ctx.run('/forget')).text).toBe('forget: which note? — try /forget k3v9x2ma7q (the id /note replied with)');
    expect((await ctx.run('/forget ../../etc')).text).toBe('forget: "../../etc" is not a note id — ids are 10 letters and digits, like k3v9x2ma7q');
    const id = /note ([0-9a-z]{10})/.exec((await ctx.run('/note keep me')).text)![1]!;
    const refused = await ctx.run(`/forget ${id}`, { user: { platform: 'discord', id: '2', name: 'x' } });
    expect(refused.text).toBe('forget: only the owner can delete notes here — nothing was deleted.');
    expect(await ctx.store.get(id)).toBeDefined();
  });
});

describe('/help and unknown commands', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('lists every command with an example', async () => {
    const reply = await ctx.run('/help');
    const list = reply.sections[0]!;
    if (list.type !== 'list') throw new Error('expected a list');
    expect(list.items.map((i) => i.text.split(' ')[0])).toEqual(['/note', '/find', '/topics', '/forget', '/help']);
    for (const item of list.items) expect(item.detail).toMatch(/^e\.g\. \//);
  });

  it('names an unknown command and lists the known ones', async () => {
    expect((await ctx.run('/frobnicate now')).text).toBe('Unknown command "/frobnicate". Known commands: /note, /find, /topics, /forget, /help.');
    expect((await ctx.run('/FIND libgit2')).tone).toBe('ok');
  });
});
