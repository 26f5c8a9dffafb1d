import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/**
 * Every line of a /tags reply, with the total its /find link returns: the count beside a
 * tag must be what its /find lists (review 40), "3 articles, 1 note" being 4.
 */
async function countsAndFinds(ctx: TestContext, command: string): Promise<{ line: string; counted: number; found: number }[]> {
  const list = (await ctx.run(command)).sections[0];
  if (list?.type !== 'list') throw new Error(`${command}: no list`);
  const out = [];
  for (const item of list.items) {
    const counted = [...(item.detail ?? '').matchAll(/(\d+) (?:article|note)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const found = Number(/^(\d+) results? for/.exec((await ctx.run(item.text)).text)?.[1] ?? 0);
    out.push({ line: item.text, counted, found });
  }
  return out;
}

const ARTICLES: Record<string, string> = {
  'a.md': '---\ntitle: A\ntags: [database, postgres]\n---\ntext\n',
  'b.md': '---\ntitle: B\ntags: [Database, big-data]\n---\ntext\n',
  'c.md': '---\ntitle: C\ntags: [database, café]\n---\ntext\n',
  'd.md': '---\ntitle: D\ntags: [cafe]\n---\ntext\n',
};

describe('/tags', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ profile: '# Current topics\n- Data\n', articles: ARTICLES });
    await ctx.run('/note vacuum settings #postgres #data/etl');
    await ctx.run('/note launch checklist #🚀');
  });
  afterAll(() => ctx.close());

  it('lists the tags in use with counts, most used first, each as the /find that lists it', async () => {
    const reply = await ctx.run('/tags');
    expect(reply).toMatchObject({ tone: 'ok', visibility: 'ephemeral', text: '7 tags in use, most used first' });
    expect(reply.sections).toEqual([
      {
        type: 'list',
        items: [
          { text: '/find #database', detail: '3 articles' },
          { text: '/find #cafe', detail: '2 articles' },
          { text: '/find #postgres', detail: '1 article, 1 note' },
          { text: '/find #big-data', detail: '1 article' },
          // Only a parent here (#data/etl): /find #data finds what #data/etl is on.
          { text: '/find #data', detail: '1 note' },
          { text: '/find #data/etl', detail: '1 note' },
          { text: '/find #🚀', detail: '1 note' },
        ],
      },
    ]);
    // Every line finds what it counts.
    expect((await ctx.run('/find #postgres')).text).toBe('2 results for "#postgres"');
    expect((await ctx.run('/find #cafe')).text).toBe('2 results for "#cafe"');
    for (const line of await countsAndFinds(ctx, '/tags')) expect(line.found, line.line).toBe(line.counted);
  });

  it('narrows by a prefix of the tag or of a part of it, with or without #', async () => {
    const reply = await ctx.run('/tags data');
    expect(reply.text).toBe('4 tags matching "data", most used first');
    expect(reply.sections[0]).toMatchObject({
      type: 'list',
      items: [{ text: '/find #database' }, { text: '/find #big-data' }, { text: '/find #data' }, { text: '/find #data/etl' }],
    });
    expect(reply.sections[0]).not.toHaveProperty('title');
    expect((await ctx.run('/tags #ETL')).sections[0]).toMatchObject({ items: [{ text: '/find #data/etl' }] });
    expect((await ctx.run('/tags 🚀')).sections[0]).toMatchObject({ items: [{ text: '/find #🚀' }] });
  });

  it('says when no tag matches, and when there are none yet', async () => {
    expect((await ctx.run('/tags zzz')).text).toBe('No tag matches "zzz".');
    expect((await ctx.run('/tags zzz')).sections).toEqual([{ type: 'text', text: '/tags lists every tag in use.' }]);
    const empty = await createTestContext({ profile: '# Current topics\n- x\n', articles: { 'x.md': '# X\n\nno tags\n' } });
    try {
      expect(await empty.run('/tags')).toMatchObject({
        text: 'No tags yet.',
        sections: [{ type: 'text', text: 'Tags come from #hashtags in notes (/note fix flaky CI #ci) and from tags: in the front matter of write-ups.' }],
      });
    } finally {
      await empty.close();
    }
  });

  it('lists at most 30, and says how to narrow the rest', async () => {
    const many = await createTestContext({
      profile: '# Current topics\n- x\n',
      articles: Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`t${i}.md`, `---\ntitle: T${i}\ntags: [topic${String(i).padStart(2, '0')}]\n---\nx\n`])),
    });
    try {
      const reply = await many.run('/tags');
      expect(reply.text).toBe('45 tags in use, most used first');
      expect(reply.sections[0]).toMatchObject({ type: 'list' });
      expect(reply.sections[0]!.type === 'list' && reply.sections[0]!.items).toHaveLength(30);
      expect(reply.sections[1]).toEqual({ type: 'text', text: '15 more — narrow them with a prefix, e.g. /tags to' });
    } finally {
      await many.close();
    }
  });
});

/** An Obsidian vault (it holds `.obsidian/`) with nested tags, inline and in front matter. */
const VAULT: Record<string, string> = {
  'vault/.obsidian/app.json': '{}',
  'vault/LSM trees.md': 'Log-structured merge trees #lsm\n',
  'vault/Leveled compaction.md': 'Leveled compaction rewrites less often #lsm/compaction\n',
  'vault/Tiered.md': '---\ntags: [LSM/Compaction/tiered]\n---\nTiered compaction\n',
  'vault/Engines.md': '---\ntags: [storage/engines]\n---\nStorage engines\n',
  'vault/Lsmx.md': 'Not nested, only longer #lsmx\n',
};

describe('nested tags (Obsidian)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ profile: '# Current topics\n- x\n', articles: VAULT });
    await ctx.run('/note bloom filters per level #lsm/compaction');
  });
  afterAll(() => ctx.close());

  const titles = async (q: string) =>
    (await ctx.run(`/find ${q}`)).sections.flatMap((s) => (s.type === 'hits' ? s.hits.map((h) => h.title) : [])).sort();

  it('#tag finds what carries it or a tag nested under it, as Obsidian\'s tag search does', async () => {
    expect(await titles('#lsm')).toEqual(['LSM trees', 'Leveled compaction', 'Tiered', 'bloom filters per level #lsm/compaction']);
    expect(await titles('#LSM/')).toEqual(await titles('#lsm'));
    expect(await titles('#lsm/compaction')).toEqual(['Leveled compaction', 'Tiered', 'bloom filters per level #lsm/compaction']);
    expect(await titles('#lsm/compaction/tiered')).toEqual(['Tiered']);
    expect(await titles('#lsm kind:note')).toEqual(['bloom filters per level #lsm/compaction']);
    expect(await titles('#lsmx')).toEqual(['Lsmx']);
  });

  it('a nested part alone is not the tag (#compaction), but the reply names the nested tags', async () => {
    const reply = await ctx.run('/find #compaction');
    expect(reply.text).toBe('Nothing found for "#compaction".');
    expect(reply.sections).toEqual([
      { type: 'text', text: 'Nothing is tagged #compaction — /tags lists the tags in use.' },
      {
        type: 'list',
        title: 'Tags like it',
        items: [
          { text: '/find #lsm/compaction', detail: '3 results' },
          { text: '/find #lsm/compaction/tiered', detail: '1 result' },
        ],
      },
    ]);
    // A tag that exists only as the parent of nested ones is in use: the reply names the other filter.
    expect((await ctx.run('/find #storage kind:note')).sections).toEqual([
      { type: 'text', text: 'Each of #storage kind:note matches on its own, not all together — try fewer filters.' },
    ]);
  });

  it('/tags keeps the "/" as written and lists the nested tags under a prefix', async () => {
    const reply = await ctx.run('/tags lsm');
    expect(reply.sections[0]).toMatchObject({
      type: 'list',
      items: [
        // Each counts what its /find lists: #lsm also what is nested under it.
        { text: '/find #lsm', detail: '3 articles, 1 note' },
        { text: '/find #lsm/compaction', detail: '2 articles, 1 note' },
        { text: '/find #lsm/compaction/tiered', detail: '1 article' },
        { text: '/find #lsmx', detail: '1 article' },
      ],
    });
    expect(await titles('#lsm')).toHaveLength(4);
  });

  it('/tags lists a tag used only as a parent (#storage of #storage/engines), and every count is what its /find lists', async () => {
    expect((await ctx.run('/tags storage')).sections[0]).toMatchObject({
      type: 'list',
      items: [
        { text: '/find #storage', detail: '1 article' },
        { text: '/find #storage/engines', detail: '1 article' },
      ],
    });
    const lines = await countsAndFinds(ctx, '/tags');
    expect(lines.map((line) => line.line)).toContain('/find #lsm/compaction/tiered');
    for (const line of lines) expect(line.found, line.line).toBe(line.counted);
  });
});
