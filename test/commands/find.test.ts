import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src/core/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import type { Reply } from '../../src/core/index.ts';

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

  it('says that a query of stop words alone is too common to search for, and searches them with a filter', async () => {
    expect(await ctx.run('/find the')).toMatchObject({ tone: 'error', text: 'find: "the" is too common to search for — add a word' });
    expect((await ctx.run('/find To be OR to BE')).text).toBe('find: "to", "be" and "or" are too common to search for — add a word');
    // Words that are searched are searched as before, and a filter lists what it admits (the stop word left out).
    expect((await ctx.run('/find the libgit2')).text).toMatch(/^\d+ results? for "the libgit2"/);
    expect(hitsOf(await ctx.run('/find the #libgit2')).map((h) => h.title)).toEqual(['Tuning libgit2 over NFS']);
  });

  it('says when a kind alone has nothing to list', async () => {
    // The sample data holds no notes.
    expect(await ctx.run('/find kind:note')).toMatchObject({
      text: 'Nothing found for "kind:note".',
      sections: [{ type: 'text', text: 'There is nothing of kind:note to list.' }],
    });
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
    // Three typos: too far off to search for, near enough to suggest.
    const reply = await ctx.run('/find cyrptomnig');
    expect(reply.text).toBe('Nothing found for "cyrptomnig".');
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
    expect((await ctx.run('/find q')).sections).toEqual([{ type: 'text', text: 'Try fewer or other words, or /tags to see the tags in use.' }]);
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

/** Write-ups with known dates (front matter, a Jekyll-style date-less one dated by its file time) and many matches. */
const DATED: Record<string, string> = {
  'a/2023-review.md': '---\ntitle: Ferret review 2023\ndate: 2023-12-31\ntags: [review]\n---\nferret year in review\n',
  'a/jan.md': '---\ntitle: Ferret January\ndate: 2024-01-01\ntags: [review]\n---\nferret notes of January\n',
  'a/june-1.md': '---\ntitle: Ferret June start\ndate: 2024-06-01\n---\nferret in June\n',
  'a/june-30.md': '---\ntitle: Ferret June end\ndate: "2024-06-30T23:30:00Z"\n---\nferret at the end of June\n',
  'a/july.md': '---\ntitle: Ferret July\ndate: 2024-07-01\n---\nferret in July\n',
  'a/recent.md': '---\ntitle: Ferret last week\ndate: 2025-03-10\n---\nferret a few days ago\n',
  'a/undated.md': '# Ferret undated\n\nferret with no date but its file time\n',
};

describe('/find date filters', () => {
  let ctx: TestContext;
  const clock = { now: new Date('2025-03-15T12:00:00Z') };
  beforeAll(async () => {
    ctx = await createTestContext({ profile: '# Current topics\n- Ferret care\n', articles: DATED, searchLimit: 10, now: () => clock.now });
    // The undated write-up's file time, far in the past.
    const { utimes } = await import('node:fs/promises');
    const old = new Date('2020-05-05T10:00:00Z');
    await utimes(`${ctx.dataDir}/articles/a/undated.md`, old, old);
    await ctx.kb.reloadArticle('articles/a/undated.md');
    clock.now = new Date('2025-03-12T09:00:00Z');
    await ctx.run('/note ferret vet appointment #vet');
    clock.now = new Date('2025-03-15T12:00:00Z');
  });
  afterAll(() => ctx.close());

  const titles = async (q: string) => hitsOf(await ctx.run(`/find ${q}`)).map((h) => h.title);

  it('after:/before: a year, a month or a day includes it; combined, it is the span between', async () => {
    expect(await titles('ferret after:2024-06 before:2024-06')).toEqual(expect.arrayContaining(['Ferret June start', 'Ferret June end']));
    expect(await titles('ferret after:2024-06 before:2024-06')).toHaveLength(2);
    expect((await titles('ferret before:2023')).sort()).toEqual(['Ferret review 2023', 'Ferret undated']);
    expect((await titles('ferret after:2024 before:2024')).sort()).toEqual(['Ferret January', 'Ferret July', 'Ferret June end', 'Ferret June start']);
    expect(await titles('ferret after:2024-07-01 before:2024-07-01')).toEqual(['Ferret July']);
  });

  it('relative dates count back from now; they combine with tags and kinds', async () => {
    expect((await titles('ferret after:7d')).sort()).toEqual(['Ferret last week', 'ferret vet appointment #vet']);
    expect(await titles('ferret after:7d kind:note')).toEqual(['ferret vet appointment #vet']);
    expect(await titles('after:1w #vet')).toEqual(['ferret vet appointment #vet']);
    expect(await titles('#review before:1y')).toEqual(['Ferret January', 'Ferret review 2023']);
  });

  it('names the tags in use a swap or two away from a tag that matched nothing', async () => {
    // Two swapped pairs: two edits, as /find counts typos (Levenshtein counted four).
    expect((await ctx.run('/find #erveiw')).sections).toEqual([
      { type: 'text', text: 'Nothing is tagged #erveiw — /tags lists the tags in use.' },
      { type: 'list', title: 'Tags like it', items: [{ text: '/find #review', detail: '2 results' }] },
    ]);
  });

  it('a filter alone lists newest first, undated profile items left out, and says what the dates mean', async () => {
    const reply = await ctx.run('/find after:2024');
    expect(reply.text).toBe('6 results for "after:2024"');
    expect(reply.sections[0]).toEqual({ type: 'text', text: 'Dated 2024-01-01 or later.' });
    expect(hitsOf(reply).map((h) => h.title)).toEqual([
      'ferret vet appointment #vet',
      'Ferret last week',
      'Ferret July',
      'Ferret June end',
      'Ferret June start',
      'Ferret January',
    ]);
    expect((await ctx.run('/find before:2024-06')).sections[0]).toEqual({ type: 'text', text: 'Dated 2024-06-30 or earlier.' });
    expect((await ctx.run('/find ferret after:2024-06 before:2024-08')).sections[0]).toEqual({ type: 'text', text: 'Dated 2024-06-01 to 2024-08-31.' });
  });

  it('answers a malformed date with one line and an example, and an empty span as such', async () => {
    expect(await ctx.run('/find ferret after:last-week')).toMatchObject({
      tone: 'error',
      text: 'find: after:last-week is not a date — try after:2024-06-15, after:2024-06, after:2024 or after:30d (also 3w, 6m, 1y)',
    });
    expect((await ctx.run('/find ferret before:2024-02-30')).text).toBe(
      'find: before:2024-02-30 is not a date — try before:2024-06-15, before:2024-06, before:2024 or before:30d (also 3w, 6m, 1y)',
    );
    expect((await ctx.run('/find ferret after:2025 before:2024')).text).toBe(
      'find: after:2025 is later than before:2024, so nothing is dated between them — try after:2024 before:2025',
    );
  });

  it('says when the words match outside the dates', async () => {
    expect((await ctx.run('/find ferret after:2026')).sections).toEqual([
      { type: 'text', text: 'Dated 2026-01-01 or later.' },
      { type: 'text', text: '9 results without after:2026 — try /find ferret' },
    ]);
  });

  it('says which filter left nothing when filters alone find nothing, naming the span the dates used', async () => {
    expect(await ctx.run('/find before:1900')).toMatchObject({
      text: 'Nothing found for "before:1900".',
      sections: [{ type: 'text', text: 'Nothing is dated 1900-12-31 or earlier — try a wider span.' }],
    });
    expect((await ctx.run('/find #review after:1w')).sections).toEqual([
      { type: 'text', text: 'Dated 2025-03-08 12:00 UTC or later.' },
      { type: 'text', text: 'Each of #review after:1w matches on its own, not all together — try fewer filters.' },
    ]);
    expect((await ctx.run('/find #vet kind:article')).sections).toEqual([
      { type: 'text', text: 'Each of #vet kind:article matches on its own, not all together — try fewer filters.' },
    ]);
    // Stop words are no words: "the" with a filter is the filter alone.
    expect((await ctx.run('/find the before:1900')).sections).toEqual([{ type: 'text', text: 'Nothing is dated 1900-12-31 or earlier — try a wider span.' }]);
  });
});

describe('/find pages', () => {
  let ctx: TestContext;
  const articles = Object.fromEntries(
    Array.from({ length: 23 }, (_, i) => [
      `p/${String(i).padStart(2, '0')}.md`,
      `---\ntitle: Gerbil ${i}\ndate: 2024-01-${String(1 + i).padStart(2, '0')}\ntags: [gerbil]\n---\n${'gerbil '.repeat(1 + (i % 7))}wheel ${i}\n`,
    ]),
  );
  beforeAll(async () => {
    ctx = await createTestContext({ profile: '# Current topics\n- Rodents\n', articles, searchLimit: 5 });
  });
  afterAll(() => ctx.close());

  const page = async (q: string, offset?: number) => {
    const reply = await ctx.run(`/find ${q}`, offset !== undefined ? { offset } : {});
    return { reply, ids: hitsOf(reply).map((h) => h.id) };
  };

  it('says which results a page shows, and offers the next page while more remain', async () => {
    const first = await page('gerbil');
    expect(first.reply.text).toBe('23 results for "gerbil" (1-5 of 23)');
    // The button carries the query and the first result it has not shown.
    expect(first.reply.actions).toEqual([{ id: 'find:more', label: 'More results', command: 'find', text: 'gerbil', offset: 5 }]);
    const second = await page(first.reply.actions![0]!.text, first.reply.actions![0]!.offset);
    expect(second.reply.text).toBe('23 results for "gerbil" (6-10 of 23)');
    // Shown as hits 6-10, not 1-5 again.
    expect(second.reply.sections.find((s) => s.type === 'hits')).toMatchObject({ first: 6 });
    expect(first.reply.sections.find((s) => s.type === 'hits')).not.toHaveProperty('first');
    const last = await page('gerbil page:5');
    expect(last.reply.text).toBe('23 results for "gerbil" (21-23 of 23)');
    expect(last.reply.actions).toBeUndefined();
    expect((await ctx.run('/find kind:profile')).actions).toBeUndefined();
  });

  it('keeps the ranking of the first page: pages are slices of one ranking, never repeating or skipping a hit', async () => {
    const all = ctx.kb.search({ text: 'gerbil', kinds: [], tags: [] }, { viewer: { platform: 'console', id: 'local', name: 'o' }, limit: 23 }).hits.map((h) => h.id);
    const paged: string[] = [];
    for (let n = 1; n <= 5; n += 1) paged.push(...(await page(`gerbil page:${n}`)).ids);
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(23);
    // A filter-only listing pages the same way, newest first.
    const listed: string[] = [];
    for (let n = 1; n <= 5; n += 1) listed.push(...(await page(`#gerbil page:${n}`)).ids);
    expect(listed).toEqual(Array.from({ length: 23 }, (_, i) => `article:articles/p/${String(22 - i).padStart(2, '0')}.md`));
  });

  it('keeps filters on the next page and refuses a page past the end', async () => {
    const filtered = await page('gerbil #gerbil after:2024-01-05');
    expect(filtered.reply.text).toBe('19 results for "gerbil #gerbil after:2024-01-05" (1-5 of 19)');
    expect(filtered.reply.actions![0]).toMatchObject({ text: 'gerbil #gerbil after:2024-01-05', offset: 5 });
    // A typed page: is dropped from the button's query: the offset says where it goes on.
    expect((await page('gerbil page:2')).reply.actions![0]).toMatchObject({ text: 'gerbil', offset: 10 });
    expect((await ctx.run('/find gerbil page:9')).text).toBe('find: there is no page 9 — 23 results for "gerbil" fill 5 pages; try /find gerbil page:5');
    expect((await ctx.run('/find page:2')).text).toBe('find: query is empty — try /find libgit2');
    expect((await ctx.run('/find gerbil page:201')).text).toBe(
      'find: only the first 1,000 results can be paged through — narrow the query with more words, #tag, kind: or after:',
    );
  });

  it('continues from any offset a button carries, not only page boundaries', async () => {
    const all = (await page('gerbil')).ids.concat((await page('gerbil page:2')).ids);
    const from3 = await page('gerbil', 3);
    expect(from3.reply.text).toBe('23 results for "gerbil" (4-8 of 23)');
    expect(from3.ids).toEqual(all.slice(3, 8));
    expect(from3.reply.sections.find((s) => s.type === 'hits')).toMatchObject({ first: 4 });
    expect(from3.reply.actions).toEqual([{ id: 'find:more', label: 'More results', command: 'find', text: 'gerbil', offset: 8 }]);
    const tail = await page('gerbil', 20);
    expect(tail.reply.text).toBe('23 results for "gerbil" (21-23 of 23)');
    expect(tail.reply.actions).toBeUndefined();
    // A button pressed after results went away (notes forgotten meanwhile).
    expect((await page('gerbil', 23)).reply.text).toBe('find: there are no more results — 23 results for "gerbil" now; try /find gerbil');
    expect((await page('gerbil', 1000)).reply.text).toBe(
      'find: only the first 1,000 results can be paged through — narrow the query with more words, #tag, kind: or after:',
    );
  });
});

function hitsOf(reply: Reply) {
  return reply.sections.flatMap((s) => (s.type === 'hits' ? s.hits : []));
}
