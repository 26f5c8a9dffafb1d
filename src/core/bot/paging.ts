/**
 * Pages of a ranked list of hits. A command builds a page with `hitsPage`;
 * a renderer that cannot show all of a page's hits within its platform's
 * limits gives the reply to `showFirstHits`, so that the summary's range says
 * what is shown and the More button starts at the first hit left out: every
 * hit is reachable by pressing More, whatever fits on a platform.
 */
import type { SearchHit } from '../domain/types.ts';
import type { HitsPaging, Reply, ReplyAction, ReplySection } from './command.ts';

/** One page: its hits, the position of the first (0-based), and the ranking it comes from. */
export interface HitsPageOptions {
  hits: SearchHit[];
  /** 0-based position of `hits[0]` in the ranking. */
  offset: number;
  paging: HitsPaging;
}

/** The summary, hits section and More button of one page of a ranking. */
export function hitsPage({ hits, offset, paging }: HitsPageOptions): { text: string; section: ReplySection; actions: ReplyAction[] } {
  const next = offset + hits.length;
  return {
    text: summaryOf(paging, offset, hits.length),
    section: { type: 'hits', hits, ...(offset > 0 ? { first: offset + 1 } : {}), paging },
    actions: next < Math.min(paging.total, paging.end) ? [{ ...paging.more, offset: next }] : [],
  };
}

/**
 * The reply as it reads with only the first `shown` hits of its paged hits
 * section (at least one, so that the button always moves on): the range in its
 * text and its More button follow. A reply without a paged section, or that
 * shows no more than `shown` hits, is returned as it is.
 */
export function showFirstHits(reply: Reply, shown: number): Reply {
  const index = reply.sections.findIndex((section) => section.type === 'hits' && section.paging);
  const section = reply.sections[index];
  if (!section || section.type !== 'hits' || !section.paging) return reply;
  const keep = Math.max(1, Math.floor(shown));
  if (keep >= section.hits.length) return reply;
  const paging = section.paging;
  const page = hitsPage({ hits: section.hits.slice(0, keep), offset: (section.first ?? 1) - 1, paging });
  const more = page.actions[0];
  const actions = reply.actions ?? [];
  const had = actions.some((action) => action.id === paging.more.id);
  // The More button keeps its place among the reply's buttons (first when it is new).
  const next = !more
    ? actions.filter((action) => action.id !== paging.more.id)
    : had
      ? actions.map((action) => (action.id === paging.more.id ? more : action))
      : [more, ...actions];
  const { actions: _old, ...rest } = reply;
  return {
    ...rest,
    text: page.text,
    sections: reply.sections.map((part, i) => (i === index ? page.section : part)),
    ...(next.length > 0 ? { actions: next } : {}),
  };
}

function summaryOf(paging: HitsPaging, offset: number, count: number): string {
  // The range is left out only when the page is the whole ranking.
  if (offset === 0 && count >= paging.total) return paging.summary;
  // A page of one hit says "(13 of 13)", not "(13-13 of 13)".
  const range = count === 1 ? `${offset + 1}` : `${offset + 1}-${offset + count}`;
  return `${paging.summary} (${range} of ${paging.total.toLocaleString('en')})`;
}
