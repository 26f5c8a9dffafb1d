import {
  UserError,
  defineCommand,
  findSection,
  reply,
  type Profile,
  type ProfileSection,
  type ReplyListItem,
} from '../src/core/index.ts';

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
    const wanted = invocation.text.trim().toLowerCase();
    const profile = ctx.kb.profile;
    const current = findSection(profile, 'current');
    const section = wanted ? findSection(profile, wanted) : current;
    if (!section) throw new UserError(wanted ? 'not-found' : 'usage', missing(profile, wanted));
    const isCurrent = section === current;
    // While a first start indexes a large archive, counts would be too low: leave them out and say so.
    const counting = isCurrent && !ctx.kb.indexing;
    const items: ReplyListItem[] = section.items.map((item) => {
      const shown: ReplyListItem = item.url ? { text: item.text, url: item.url } : { text: item.text };
      if (!counting) return shown;
      // A topic is counted by its own words; its sub-bullets are detail.
      const { notes, articles } = ctx.kb.topicMatches(item.topic ?? item.text);
      return { ...shown, detail: `${plural(articles, 'article')}, ${plural(notes, 'note')}` };
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

/** Most section titles an error lists (a profile may have hundreds of headings). */
const MAX_LISTED = 12;

/**
 * Why no section was found, with commands that do work: `/topics <word>` for
 * each usual section the profile has, or for its own headings, never the one that just failed.
 */
function missing(profile: Profile, wanted: string): string {
  const shown = wanted.length > 30 ? `${wanted.slice(0, 30)}…` : wanted;
  const problem = wanted
    ? `topics: no "${shown}" section in the profile`
    : 'topics: the profile lists no current topics';
  const available = profile.sections.filter((s) => s.items.length > 0 || s.paragraphs.length > 0);
  if (available.length === 0) return `${problem} — it has no sections with a list or text yet`;
  const suggested = new Set<ProfileSection>();
  const words: string[] = [];
  const suggest = (word: string, section: ProfileSection | undefined) => {
    if (!section || suggested.has(section) || !available.includes(section)) return;
    suggested.add(section);
    words.push(word);
  };
  for (const word of SECTIONS) suggest(word, findSection(profile, word));
  if (words.length === 0) {
    for (const section of available.slice(0, SECTIONS.length)) {
      // The heading's first word that finds this very section, else its whole slug.
      const word = section.slug.split('-').find((w) => findSection(profile, w) === section) ?? section.slug;
      suggest(word, findSection(profile, word));
    }
  }
  const titles = available.slice(0, MAX_LISTED).map((s) => s.title);
  if (available.length > MAX_LISTED) titles.push(`${available.length - MAX_LISTED} more`);
  const tries = words.length > 0 ? ` — try ${words.map((w) => `/topics ${w}`).join(', ')}` : '';
  return `${problem}${tries} (sections: ${titles.join(', ')})`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
