import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

describe('/topics', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('shares current topics publicly, with links and counts of matching notes and articles', async () => {
    // Shared: /topics posts to the channel, so it counts only what everyone there may read.
    await ctx.run('/note --share NFS stat storms slow libgit2 down; patch upstream for performance tuning');
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

/** Profiles shaped the way other people write them. */
const OTHER_PROFILE = (heading: string, eol = '\n') =>
  [
    '# Jane Doe',
    '',
    'Backend engineer.',
    '',
    '## About me',
    '- Ten years of Go',
    '',
    heading,
    '* Migrating Postgres to 16',
    '  * sub-item: rollback drill',
    '  * replica cut-over',
    '* Rate limiting at the [edge](https://example.com/edge)',
    '',
    '## Next',
    '- Learn Zig',
    '',
    '## Reading',
    '- Designing Data-Intensive Applications',
    '',
  ].join(eol);

const ARTICLES = {
  'pg.md': '---\ntitle: Migrating Postgres 16 in place\n---\nHow we did the Postgres migration.\n',
  'zig.md': '# Notes on Zig\nComptime is neat.\n',
};

/** The list of a /topics reply, as the lines a reader sees. */
function listed(reply: Reply): string[] {
  const list = reply.sections.find((s) => s.type === 'list');
  return list?.type === 'list' ? list.items.map((i) => [i.text, i.url, i.detail].filter(Boolean).join(' | ')) : [];
}

describe('/topics on profiles written other ways', () => {
  const headings = ['## Now', "## What I'm working on", '## Topics', '## Current focus', '## Working on', '## This quarter'];
  for (const heading of headings) {
    it(`shows "${heading}" for plain /topics and /topics current, with counts and nested items`, async () => {
      const ctx = await createTestContext({ profile: OTHER_PROFILE(heading), articles: ARTICLES });
      try {
        const title = heading.slice(3);
        for (const line of ['/topics', '/topics current']) {
          const reply = await ctx.run(line);
          expect(reply).toMatchObject({ tone: 'ok', visibility: 'public', text: title });
          expect(listed(reply)).toEqual([
            'Migrating Postgres to 16 (sub-item: rollback drill; replica cut-over) | 1 article, 0 notes',
            'Rate limiting at the edge | https://example.com/edge | 0 articles, 0 notes',
          ]);
        }
        expect(listed(await ctx.run('/topics planned'))).toEqual(['Learn Zig']);
        expect(listed(await ctx.run('/topics reading'))).toEqual(['Designing Data-Intensive Applications']);
      } finally {
        await ctx.close();
      }
    });
  }

  it('finds nested items and what stands before the first heading with /find, and counts by the topic itself', async () => {
    const ctx = await createTestContext({
      profile: 'Hello, I am Jane.\n\n- Building a compiler\n  - register allocation\n\n## Reading\n- SICP\n',
      articles: { 'ra.md': '# Register allocation\nLinear scan, for a compiler I am building.\n' },
    });
    try {
      const reply = await ctx.run('/topics');
      expect(reply.text).toBe('Overview');
      expect(listed(reply)).toEqual(['Building a compiler (register allocation) | 1 article, 0 notes']);
      const found = await ctx.run('/find kind:profile register allocation');
      expect(found.sections[0]?.type === 'hits' && found.sections[0].hits.map((h) => h.title)).toEqual([
        'Building a compiler (register allocation)',
      ]);
      expect((await ctx.run('/topics overview')).text).toBe('Overview');
    } finally {
      await ctx.close();
    }
  });

  it('keeps every item of a repeated heading findable, and shows the one with content', async () => {
    const ctx = await createTestContext({
      profile: '# Current topics\n\n# Current topics\n- Raft membership changes\n# Reading\n- Raft paper\n# Current topics\n- Gossip protocols\n',
      articles: {},
    });
    try {
      expect(listed(await ctx.run('/topics'))).toEqual(['Raft membership changes | 0 articles, 0 notes']);
      expect((await ctx.run('/find gossip')).text).toBe('1 result for "gossip"');
      expect((await ctx.run('/find kind:profile raft')).text).toBe('2 results for "kind:profile raft"');
    } finally {
      await ctx.close();
    }
  });

  it('falls back to the first other list, and reads CRLF profiles', async () => {
    const ctx = await createTestContext({
      profile: '## About me\r\nHi.\r\n\r\n## Reading list\r\n- DDIA\r\n\r\n## Side stuff\r\n- Home lab\r\n  - a Proxmox cluster\r\n',
      articles: {},
    });
    try {
      const reply = await ctx.run('/topics');
      expect(reply.text).toBe('Side stuff');
      expect(listed(reply)).toEqual(['Home lab (a Proxmox cluster) | 0 articles, 0 notes']);
      expect((await ctx.run('/topics current')).text).toBe('Side stuff');
      expect((await ctx.run('/topics side')).text).toBe('Side stuff');
      expect(listed(await ctx.run('/topics reading'))).toEqual(['DDIA']);
    } finally {
      await ctx.close();
    }
  });

  it('names the sections that exist, and never suggests the command that failed', async () => {
    const ctx = await createTestContext({ profile: OTHER_PROFILE('## Now'), articles: {} });
    try {
      const reply = await ctx.run('/topics gardening');
      expect(reply).toMatchObject({ tone: 'error', visibility: 'ephemeral' });
      expect(reply.text).toBe(
        'topics: no "gardening" section in the profile — try /topics current, /topics planned, /topics reading (sections: Jane Doe, About me, Now, Next, Reading)',
      );
    } finally {
      await ctx.close();
    }
    const bare = await createTestContext({ profile: '## About me\nHi.\n## Reading\n- SICP\n## Learning\n- Zig\n', articles: {} });
    try {
      expect((await bare.run('/topics')).text).toBe(
        'topics: the profile lists no current topics — try /topics planned, /topics reading (sections: About me, Reading, Learning)',
      );
      expect((await bare.run('/topics current')).text).toBe(
        'topics: no "current" section in the profile — try /topics planned, /topics reading (sections: About me, Reading, Learning)',
      );
      expect((await bare.run('/topics interests')).text).toBe(
        'topics: no "interests" section in the profile — try /topics planned, /topics reading (sections: About me, Reading, Learning)',
      );
    } finally {
      await bare.close();
    }
    const odd = await createTestContext({ profile: '## About me\nHi.\n## Garden log\nTomatoes are up.\n', articles: {} });
    try {
      expect((await odd.run('/topics')).text).toBe(
        'topics: the profile lists no current topics — try /topics about, /topics garden (sections: About me, Garden log)',
      );
    } finally {
      await odd.close();
    }
    const empty = await createTestContext({ profile: '', articles: {} });
    try {
      expect((await empty.run('/topics')).text).toBe('topics: the profile lists no current topics — it has no sections with a list or text yet');
    } finally {
      await empty.close();
    }
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
    expect(refused.text).toBe('forget: only the owner can change notes or topics here — nothing was changed.');
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
    expect(list.items.map((i) => i.text.split(' ')[0])).toEqual(['/note', '/find', '/tags', '/topics', '/resurface', '/forget', '/help']);
    for (const item of list.items) expect(item.detail).toMatch(/^e\.g\. \//);
  });

  it('names an unknown command and lists the known ones', async () => {
    expect((await ctx.run('/frobnicate now')).text).toBe('Unknown command "/frobnicate". Known commands: /note, /find, /tags, /topics, /resurface, /forget, /help.');
    expect((await ctx.run('/FIND libgit2')).tone).toBe('ok');
  });
});
