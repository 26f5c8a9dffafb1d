import { describe, expect, it } from 'vitest';
import { hitsPage, reply, showFirstHits, type HitsPaging, type Reply, type SearchHit } from '../../../src/core/index.ts';

const hit = (i: number): SearchHit => ({
  id: `article:a/${i}.md`,
  kind: 'article',
  title: `Article ${i}`,
  tags: [],
  source: { label: `a/${i}.md` },
  snippet: [{ text: 'x' }],
  score: 100 - i,
});

const paging = (total: number): HitsPaging => ({
  total,
  summary: `${total} results for "x"`,
  more: { id: 'find:more', label: 'More results', command: 'find', text: 'x' },
  end: 1000,
});

/** Hits offset+1 … offset+count of a ranking of `total`, as /find builds the reply. */
function page(offset: number, count: number, total: number, extra: Partial<Reply> = {}): Reply {
  const built = hitsPage({ hits: Array.from({ length: count }, (_, i) => hit(offset + i)), offset, paging: paging(total) });
  return reply(built.text, { sections: [{ type: 'text', text: 'Dated 2024.' }, built.section], actions: [...built.actions, ...(extra.actions ?? [])] });
}

const hitsOf = (r: Reply) => r.sections.flatMap((s) => (s.type === 'hits' ? s.hits.map((h) => h.id) : []));

describe('hitsPage', () => {
  it('says the range unless the page is the whole ranking, and continues after the last hit', () => {
    expect(page(0, 5, 5).text).toBe('5 results for "x"');
    expect(page(0, 5, 5).actions).toBeUndefined();
    expect(page(0, 5, 31).text).toBe('31 results for "x" (1-5 of 31)');
    expect(page(0, 5, 31).actions).toEqual([{ id: 'find:more', label: 'More results', command: 'find', text: 'x', offset: 5 }]);
    expect(page(5, 5, 31).sections[1]).toMatchObject({ type: 'hits', first: 6 });
    expect(page(30, 1, 31).text).toBe('31 results for "x" (31 of 31)');
    expect(page(0, 1, 31).text).toBe('31 results for "x" (1 of 31)');
    expect(page(30, 1, 31).actions).toBeUndefined();
    // No button past the paging depth.
    expect(hitsPage({ hits: [hit(998), hit(999)], offset: 998, paging: paging(5000) }).actions).toEqual([]);
  });
});

describe('showFirstHits', () => {
  it('cuts the hits, the range and points More results at the first hit left out', () => {
    const cut = showFirstHits(page(5, 10, 31), 3);
    expect(cut.text).toBe('31 results for "x" (6-8 of 31)');
    expect(hitsOf(cut)).toEqual([hit(5).id, hit(6).id, hit(7).id]);
    expect(cut.sections[0]).toEqual({ type: 'text', text: 'Dated 2024.' });
    expect(cut.sections[1]).toMatchObject({ first: 6 });
    expect(cut.actions).toEqual([{ id: 'find:more', label: 'More results', command: 'find', text: 'x', offset: 8 }]);
  });

  it('adds More results to a last page it cuts, and keeps the other buttons in place', () => {
    const other = { id: 'other', label: 'Other', command: 'help', text: '' };
    const last = page(20, 11, 31, { actions: [other] });
    expect(last.actions).toEqual([other]);
    expect(showFirstHits(last, 4).actions).toEqual([{ id: 'find:more', label: 'More results', command: 'find', text: 'x', offset: 24 }, other]);
    const first = page(0, 10, 31, { actions: [other] });
    expect(showFirstHits(first, 2).actions?.map((a) => [a.id, a.offset])).toEqual([['find:more', 2], ['other', undefined]]);
    // The first page of a ranking that fitted gains a range once cut.
    expect(showFirstHits(page(0, 5, 5), 2).text).toBe('5 results for "x" (1-2 of 5)');
  });

  it('keeps at least one hit, so a press always moves on; leaves alone what needs no cut or has no paging', () => {
    expect(hitsOf(showFirstHits(page(0, 5, 31), 0))).toEqual([hit(0).id]);
    expect(showFirstHits(page(0, 5, 31), 0).actions?.[0]?.offset).toBe(1);
    const whole = page(0, 5, 31);
    expect(showFirstHits(whole, 5)).toBe(whole);
    const unpaged = reply('resurfaced', { sections: [{ type: 'hits', hits: [hit(1), hit(2)] }] });
    expect(showFirstHits(unpaged, 1)).toBe(unpaged);
  });
});
