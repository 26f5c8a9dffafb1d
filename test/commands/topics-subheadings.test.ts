import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../src/adapters/console/console-format.ts';
import type { Person, Reply } from '../../src/core/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/** Acceptance 46: a current section split by sub-headings. */
const PROFILE = [
  '# About',
  'I write software.',
  '',
  '## Now',
  '### Work',
  '- Shard rebalancer',
  '### Personal',
  '- Garden irrigation controller',
  '',
  '## Books',
  '1. The Pragmatic Programmer',
  '',
].join('\n');

const ARTICLES = {
  'garden.md': '---\ntitle: Watering the garden\ndate: 2024-06-01\n---\nA garden irrigation controller on a Raspberry Pi: valves, schedules, moisture sensors.\n',
  'shard.md': '---\ntitle: Moving shards\ndate: 2024-07-01\n---\nHow the shard rebalancer picks what to move.\n',
};

const OWNER: Person = { platform: 'slack', id: 'UOWNER', name: 'owner' };

let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

async function open(): Promise<TestContext> {
  ctx = await createTestContext({ profile: PROFILE, articles: ARTICLES, noteWriters: ['slack:UOWNER'], now: () => new Date('2025-03-01T09:00:00Z') });
  return ctx;
}

const run = (c: TestContext, line: string, user: Person = OWNER) => c.run(line, { user, origin: { platform: user.platform, channel: 'C1' } });

/** Each list of a reply: its title, then its items as a reader sees them. */
const lists = (reply: Reply) =>
  reply.sections.flatMap((s) => (s.type === 'list' ? [[s.title, ...s.items.map((i) => [i.text, i.detail].filter(Boolean).join(' | '))]] : []));

describe('/topics on a current section split by sub-headings', () => {
  it('shows and counts the topics of every sub-heading, grouped by it', async () => {
    const c = await open();
    const shown = await c.run('/topics');
    expect(shown.text).toBe('Now');
    expect(lists(shown)).toEqual([
      ['Work', 'Shard rebalancer | 1 article, 0 notes'],
      ['Personal', 'Garden irrigation controller | 1 article, 0 notes'],
    ]);
    expect(renderConsoleReply(shown)).toBe(
      ['Now', 'Work:', '  - Shard rebalancer (1 article, 0 notes)', 'Personal:', '  - Garden irrigation controller (1 article, 0 notes)'].join('\n'),
    );
    // What /topics done offers while it is typed: the topics of both.
    expect((await c.dispatcher.complete('topics', 'done ', OWNER)).map((o) => o.value)).toEqual(['done Shard rebalancer', 'done Garden irrigation controller']);
  });

  it('shows one sub-heading asked for by name, under its section\'s name, counted as the section is', async () => {
    const c = await open();
    const personal = await c.run('/topics personal');
    expect(personal.text).toBe('Now › Personal');
    expect(lists(personal)).toEqual([['Now › Personal', 'Garden irrigation controller | 1 article, 0 notes']]);
    expect(renderConsoleReply(personal)).toBe(['Now › Personal', '  - Garden irrigation controller (1 article, 0 notes)'].join('\n'));
    const work = await c.run('/topics Work');
    expect(work.text).toBe('Now › Work');
    expect(lists(work)).toEqual([['Now › Work', 'Shard rebalancer | 1 article, 0 notes']]);
    // The section's own name still shows all of it.
    expect(lists(await c.run('/topics now')).map(([title]) => title)).toEqual(['Work', 'Personal']);
  });

  it('offers the sub-headings while /topics is typed, and names them when a word finds nothing', async () => {
    const c = await open();
    const offered = async (typed: string, user: Person = OWNER) => (await c.dispatcher.complete('topics', typed, user)).map((o) => o.value);
    const reader: Person = { platform: 'slack', id: 'UREADER', name: 'reader' };
    expect(await offered('', reader)).toEqual(['current', 'planned', 'interests', 'reading', 'Work', 'Personal']);
    expect(await offered('pe')).toEqual(['Personal']);
    expect(await offered('W')).toEqual(['Work']);
    // Each offer shows what it names.
    expect((await c.run('/topics Personal')).text).toBe('Now › Personal');

    const missing = await c.run('/topics gardening');
    expect(missing.text).toBe('topics: no "gardening" section in the profile — try /topics current, /topics reading (sections: About, Now (Work, Personal), Books)');
  });

  it('labels a /find hit on a topic under a sub-heading with it, and finds it by it', async () => {
    const c = await open();
    const sources = async (line: string) => {
      const found = await c.run(line);
      const hits = found.sections.find((s) => s.type === 'hits');
      return hits?.type === 'hits' ? hits.hits.filter((h) => h.kind === 'profile').map((h) => [h.title, h.source.label]) : [];
    };
    expect(await sources('/find irrigation')).toEqual([['Garden irrigation controller', 'profile › Now › Personal']]);
    expect(await sources('/find rebalancer')).toEqual([['Shard rebalancer', 'profile › Now › Work']]);
    expect(await sources('/find personal')).toEqual([['Garden irrigation controller', 'profile › Now › Personal']]);
    // An item of a section that is not split keeps its one-part label.
    expect(await sources('/find pragmatic')).toEqual([['The Pragmatic Programmer', 'profile › Books']]);
  });

  it('marks a topic done into "## Done" after Now, every other line as it was', async () => {
    const c = await open();
    const done = await run(c, '/topics done shard');
    expect(done.text).toBe('Moved "Shard rebalancer" from Now to Done (2025-03-01).');
    expect(lists(done)).toEqual([['Done', 'Shard rebalancer (done 2025-03-01)']]);
    const text = await readFile(path.join(c.dataDir, 'profile.md'), 'utf8');
    expect(text).toBe(
      PROFILE.replace('### Work\n- Shard rebalancer\n', '### Work\n').replace(
        '- Garden irrigation controller\n\n',
        '- Garden irrigation controller\n\n## Done\n- Shard rebalancer (done 2025-03-01)\n\n',
      ),
    );
    expect(lists(await c.run('/topics'))).toEqual([['Personal', 'Garden irrigation controller | 1 article, 0 notes']]);
    const added = await run(c, '/topics add Home lab');
    expect(added.text).toBe('Added "Home lab" to Now.');
    expect(lists(added)).toEqual([
      ['Work', 'Home lab'],
      ['Personal', 'Garden irrigation controller'],
    ]);
    expect(await readFile(path.join(c.dataDir, 'profile.md'), 'utf8')).toBe(text.replace('### Work\n', '### Work\n- Home lab\n'));
  });

  it('takes every sub-heading\'s topics for /resurface and the home tab', async () => {
    const c = await open();
    const resurfaced = await run(c, '/resurface');
    const hits = resurfaced.sections.find((s) => s.type === 'hits');
    expect(hits?.type === 'hits' && hits.hits.map((h) => h.title).sort()).toEqual(['Moving shards', 'Watering the garden']);
    const home = await run(c, '/home');
    expect(lists(home).slice(0, 2)).toEqual([
      ['Now › Work', 'Shard rebalancer | 1 article, 0 notes'],
      ['Now › Personal', 'Garden irrigation controller | 1 article, 0 notes'],
    ]);
  });
});
