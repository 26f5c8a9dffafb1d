import { defineCommand, reply, type ReplyListItem, type TagCount } from '../src/core/index.ts';

/** Most tags one reply lists; a prefix narrows the rest. */
export const TAGS_SHOWN = 30;

export const tags = defineCommand({
  name: 'tags',
  description: 'List the tags in use, most used first (a prefix narrows them)',
  usage: '/tags [prefix]',
  example: '/tags data',
  option: { name: 'prefix', description: 'Only tags that start with this (or have a part that does)', required: false, maxLength: 100 },
  visibility: 'ephemeral',
  writes: false,
  async run(ctx, invocation) {
    const prefix = invocation.text.trim().replace(/^#+/, '').split(/\s+/)[0] ?? '';
    const shownPrefix = prefix.length > 30 ? `${prefix.slice(0, 30)}…` : prefix;
    // Counts are of what this person may read: a tag only private notes carry is not listed.
    const inUse = ctx.kb.tags(invocation.user, prefix);
    if (inUse.length === 0) {
      return reply(prefix ? `No tag matches "${shownPrefix}".` : 'No tags yet.', {
        sections: [
          {
            type: 'text',
            text: prefix
              ? '/tags lists every tag in use.'
              : 'Tags come from #hashtags in notes (/note fix flaky CI #ci) and from tags: in the front matter of write-ups.',
          },
        ],
      });
    }
    const items: ReplyListItem[] = inUse.slice(0, TAGS_SHOWN).map((entry) => ({ text: `/find #${entry.tag}`, detail: counted(entry) }));
    const more = inUse.length - items.length;
    return reply(`${inUse.length.toLocaleString('en')} ${inUse.length === 1 ? 'tag' : 'tags'}${prefix ? ` matching "${shownPrefix}"` : ' in use'}, most used first`, {
      sections: [
        // No title: the reply's text already heads the list (a title would print the heading twice).
        { type: 'list', items },
        ...(more > 0
          ? [{ type: 'text' as const, text: `${more.toLocaleString('en')} more — narrow them with a prefix, e.g. /tags ${example(inUse, prefix)}` }]
          : []),
      ],
    });
  },
});

/** `12 articles, 3 notes`, leaving out a kind with none (profile items carry no tags). */
function counted(entry: TagCount): string {
  const parts = [
    entry.articles > 0 ? `${entry.articles} ${entry.articles === 1 ? 'article' : 'articles'}` : '',
    entry.notes > 0 ? `${entry.notes} ${entry.notes === 1 ? 'note' : 'notes'}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : `${entry.count}`;
}

/** A prefix worth trying: the first letters of a tag that is not shown. */
function example(inUse: readonly TagCount[], prefix: string): string {
  const hidden = inUse[TAGS_SHOWN]?.tag ?? inUse[0]!.tag;
  const letters = [...hidden];
  return letters.slice(0, Math.max([...prefix].length + 1, 2)).join('');
}
