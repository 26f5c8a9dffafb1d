import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';

describe('/note', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ noteWriters: ['slack:U0WRITER'] });
  });
  afterAll(() => ctx.close());

  it('saves, replies with the id and tags, and the note is stored and findable', async () => {
    const reply = await ctx.run('/note  try io_uring for pack reads #Linux #perf  ');
    const id = /^Saved note ([0-9a-z]{10}) \(#linux #perf\)\.$/.exec(reply.text)?.[1];
    expect(id, reply.text).toBeDefined();
    expect(reply).toMatchObject({ visibility: 'ephemeral', tone: 'ok' });
    expect(await ctx.store.get(id!)).toMatchObject({ text: 'try io_uring for pack reads #Linux #perf', tags: ['linux', 'perf'] });
    const found = await ctx.run('/find io_uring');
    expect(found.sections[0]).toMatchObject({ type: 'hits', hits: [{ kind: 'note', source: { noteId: id } }] });
  });

  it('says "no tags" when there are none', async () => {
    expect((await ctx.run('/note plain words')).text).toMatch(/^Saved note [0-9a-z]{10} \(no tags\)\.$/);
  });

  it('answers empty and whitespace-only text with usage help', async () => {
    for (const line of ['/note', '/note    ', '/note \u0000\u0001']) {
      const reply = await ctx.run(line);
      expect(reply).toMatchObject({ tone: 'error', text: 'note: the note is empty — try /note libgit2 mmap window size matters on NFS #git' });
    }
  });

  it('answers a note of only tags or punctuation as empty, and saves nothing', async () => {
    const before = ctx.kb.counts().notes;
    for (const line of ['/note #', '/note #a #b !!!', '/note #git', '/note ... --- ?!', '/note --share #x', '/note #🚀 !']) {
      expect(await ctx.run(line), line).toMatchObject({
        tone: 'error',
        text: 'note: the note is empty — it has only tags or punctuation; add some words, e.g. /note libgit2 mmap window size matters on NFS #git',
      });
    }
    expect((await ctx.run('/note --share')).text).toBe('note: the note is empty — try /note libgit2 mmap window size matters on NFS #git');
    expect(ctx.kb.counts().notes).toBe(before);
    // An issue number is words, not a tag; so is an emoji on its own.
    expect((await ctx.run('/note #42')).text).toMatch(/^Saved note [0-9a-z]{10} \(no tags\)\.$/);
    expect((await ctx.run('/note 🚀')).text).toMatch(/^Saved note [0-9a-z]{10} \(no tags\)\.$/);
  });

  it('keeps an emoji tag, which /find #🚀 then finds', async () => {
    const reply = await ctx.run('/note launch day checklist #🚀 #ship-it✅');
    const id = /^Saved note ([0-9a-z]{10}) \(#🚀 #ship-it✅\)\.$/.exec(reply.text)?.[1];
    expect(id, reply.text).toBeDefined();
    const found = await ctx.run('/find #🚀');
    expect(found.text).toBe('1 result for "#🚀"');
    expect(found.sections[0]).toMatchObject({ type: 'hits', hits: [{ source: { noteId: id }, tags: ['🚀', 'ship-it✅'] }] });
    expect(reply.sections).toEqual([{ type: 'text', text: `Find it with /find #🚀 — forget it with /forget ${id}` }]);
    // Letters with combining marks stay whole (#हिंदी, not #ह).
    expect((await ctx.run('/note नमस्ते #हिंदी')).text).toMatch(/\(#हिंदी\)\.$/);
  });

  it('shares a note that starts with --share, and says so', async () => {
    const reply = await ctx.run('/note --share  team wiki moved to confluence #wiki');
    const id = /^Saved note ([0-9a-z]{10}) \(#wiki\), shared: everyone who can use \/find can read it\.$/.exec(reply.text)?.[1];
    expect(id, reply.text).toBeDefined();
    expect(await ctx.store.get(id!)).toMatchObject({ text: 'team wiki moved to confluence #wiki', shared: true });
    // Anywhere else, --share is just text.
    const plain = await ctx.run('/note use git push --share-nothing and --share later');
    expect(plain.text).toMatch(/^Saved note [0-9a-z]{10} \(no tags\)\.$/);
  });

  it('refuses more than 4,000 characters and saves nothing', async () => {
    const before = ctx.kb.counts().notes;
    const reply = await ctx.run(`/note ${'x'.repeat(4001)}`);
    expect(reply.text).toBe('note: that is 4,001 characters; a note can hold at most 4,000 — nothing was saved. Put long write-ups under articles/.');
    expect(ctx.kb.counts().notes).toBe(before);
    // Characters as a person counts them: 4,000 emoji (8,000 UTF-16 units) fit.
    expect((await ctx.run(`/note ${'🦊'.repeat(4000)}`)).text).toMatch(/^Saved note /);
    expect((await ctx.run(`/note ${'🦊'.repeat(4001)}`)).text).toBe(
      'note: that is 4,001 characters; a note can hold at most 4,000 — nothing was saved. Put long write-ups under articles/.',
    );
  });

  it('refuses authors not in NOTE_WRITERS, and allows those who are', async () => {
    const before = ctx.kb.counts().notes;
    const stranger = await ctx.run('/note hi', { user: { platform: 'slack', id: 'U0OTHER', name: 'x' } });
    expect(stranger).toMatchObject({ tone: 'error', text: 'note: only the owner can change notes or topics here — nothing was changed.' });
    expect(ctx.kb.counts().notes).toBe(before);
    const writer = await ctx.run('/note hi', { user: { platform: 'slack', id: 'U0WRITER', name: 'w' } });
    expect(writer.tone).toBe('ok');
  });

  it('attributes a saved message to its author, permission checked on the invoker', async () => {
    const reply = await ctx.run('/note quoted message text', {
      user: { platform: 'slack', id: 'U0WRITER', name: 'w' },
      author: { platform: 'slack', id: 'U0AUTHOR', name: 'author' },
      origin: { platform: 'slack', channel: 'C1', permalink: 'https://example.slack.com/archives/C1/p1' },
    });
    const id = /note ([0-9a-z]{10})/.exec(reply.text)![1]!;
    expect(ctx.kb.note(id)).toMatchObject({ author: { id: 'U0AUTHOR' }, source: { channel: 'C1', permalink: 'https://example.slack.com/archives/C1/p1' } });
  });

  it('strips control characters and lone surrogates before storing', async () => {
    const reply = await ctx.run('/note bell\u0007 and lone \uD800 surrogate');
    const id = /note ([0-9a-z]{10})/.exec(reply.text)![1]!;
    expect((await ctx.store.get(id))!.text).toBe('bell and lone \uFFFD surrogate');
  });
});
