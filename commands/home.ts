import { defineCommand, findSection, noteTitle, reply, type ReplyListItem, type ReplySection } from '../src/core/index.ts';

/** Notes the home tab lists. */
const LATEST_NOTES = 10;

/**
 * What the Slack home tab shows the person who opens it: the owner's current
 * topics with their counts, the latest notes that person may read, and the
 * commands. Not a slash command (unlisted): the Slack adapter publishes its reply as a Home view.
 */
export const home = defineCommand({
  name: 'home',
  description: "The home tab: the owner's current topics, the latest notes, the commands",
  usage: '/home',
  example: '/home',
  listed: false,
  visibility: 'ephemeral',
  writes: false,
  async run(ctx, invocation) {
    const viewer = invocation.user;
    const sections: ReplySection[] = [];
    const current = findSection(ctx.kb.profile, 'current');
    const topics = current?.items ?? [];
    if (topics.length > 0) {
      // Counts while a first start indexes would be too low: left out, as /topics does.
      const counting = !ctx.kb.indexing;
      const listItem = (item: (typeof topics)[number]): ReplyListItem => {
        const shown: ReplyListItem = item.url ? { text: item.text, url: item.url } : { text: item.text };
        if (!counting) return shown;
        const { notes, articles } = ctx.kb.topicMatches(item.topic ?? item.text, viewer);
        return { ...shown, detail: `${plural(articles, 'article')}, ${plural(notes, 'note')}` };
      };
      // A current section split by sub-headings (`## Now` over `### Work`, `### Personal`): a list for each.
      const groups = (current!.groups ?? []).filter((group) => group.items.length > 0);
      if (groups.length > 0) {
        for (const group of groups) sections.push({ type: 'list', title: `${current!.title} › ${group.title}`, items: group.items.map(listItem) });
      } else {
        sections.push({ type: 'list', title: current!.title, items: topics.map(listItem) });
      }
    } else {
      sections.push({ type: 'text', text: 'No current topics yet — the owner adds one with /topics add <topic>.' });
    }
    const notes = ctx.kb.notesFor(viewer, LATEST_NOTES);
    if (notes.length > 0) {
      sections.push({
        type: 'list',
        title: 'Latest notes',
        items: notes.map((note) => ({
          text: noteTitle(note.text),
          detail: `${note.createdAt.slice(0, 10)} · note ${note.id}`,
          ...(note.source.permalink ? { url: note.source.permalink } : {}),
        })),
      });
    } else {
      sections.push({ type: 'text', text: 'No notes yet — /note <text> saves one.' });
    }
    sections.push({
      type: 'list',
      title: 'Commands',
      items: ctx.commands.map((command) => ({ text: `${command.usage} — ${command.description}`, detail: `e.g. ${command.example}` })),
    });
    return reply('tinker: what the owner works on, the latest notes, and the commands', { sections });
  },
});

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
