import { UserError, defineCommand, findSection, reply, type ReplyListItem } from '../src/core/index.ts';

const SECTIONS = ['current', 'planned', 'interests', 'reading'] as const;

export const topics = defineCommand({
  name: 'topics',
  description: 'Share what the owner works on now (or plans, reads, likes)',
  usage: '/topics [current|planned|interests|reading]',
  example: '/topics planned',
  option: { name: 'section', description: 'Which part of the profile', required: false, choices: SECTIONS, maxLength: 40 },
  visibility: 'public',
  writes: false,
  async run(ctx, invocation) {
    const wanted = invocation.text.trim().toLowerCase() || 'current';
    const profile = ctx.kb.profile;
    const section = findSection(profile, wanted);
    const available = profile.sections.filter((s) => s.items.length > 0 || s.paragraphs.length > 0);
    if (!section) {
      const shown = wanted.length > 30 ? `${wanted.slice(0, 30)}…` : wanted;
      throw new UserError(
        'usage',
        `topics: no "${shown}" section in the profile — try ${SECTIONS.map((s) => `/topics ${s}`).join(', ')}${
          available.length > 0 ? ` (sections: ${available.map((s) => s.title).join(', ')})` : ''
        }`,
      );
    }
    const isCurrent = section.slug.startsWith('current');
    // While a first start indexes a large archive, counts would be too low: leave them out and say so.
    const counting = isCurrent && !ctx.kb.indexing;
    const items: ReplyListItem[] = section.items.map((item) => {
      if (!counting) return { ...item };
      const { notes, articles } = ctx.kb.topicMatches(item.text);
      return { ...item, detail: `${plural(articles, 'article')}, ${plural(notes, 'note')}` };
    });
    if (items.length === 0 && section.paragraphs.length === 0) {
      return reply(`${section.title}: nothing listed yet.`, { visibility: 'public' });
    }
    return reply(section.title, {
      visibility: 'public',
      sections: [
        ...(section.paragraphs.length > 0 && items.length === 0
          ? [{ type: 'text' as const, text: section.paragraphs.join('\n\n') }]
          : []),
        ...(items.length > 0 ? [{ type: 'list' as const, title: section.title, items }] : []),
        ...(isCurrent && !counting && items.length > 0
          ? [{ type: 'text' as const, text: 'Still indexing: counts of matching articles and notes in a few seconds.' }]
          : []),
      ],
    });
  },
});

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
