import {
  EVERYONE,
  UserError,
  canWrite,
  defineCommand,
  findSection,
  findSectionOrGroup,
  foldCase,
  matchTopic,
  reply,
  tokenize,
  type CommandContext,
  type Person,
  type Profile,
  type ProfileEditAction,
  type ProfileItem,
  type ProfileSection,
  type Reply,
  type ReplyListItem,
  type ReplySection,
} from '../src/core/index.ts';

const SECTIONS = ['current', 'planned', 'interests', 'reading'] as const;
const EDITS: readonly ProfileEditAction[] = ['add', 'plan', 'start', 'done'];
/** The section each edit puts a topic in. */
const TARGETS: Record<ProfileEditAction, string> = { add: 'current', plan: 'planned', start: 'current', done: 'done' };

/** `add Learn Zig` → an edit; `planned`, `plan` or `done` alone name a section to show. */
function parseEdit(text: string): { action: ProfileEditAction; topic: string } | undefined {
  const match = /^\s*(add|plan|start|done)(?:\s+([\s\S]*))?$/i.exec(text);
  if (!match) return undefined;
  const action = match[1]!.toLowerCase() as ProfileEditAction;
  const topic = (match[2] ?? '').trim();
  // `/topics plan` and `/topics done` alone show those sections, as before there were edits.
  if (!topic && (action === 'plan' || action === 'done')) return undefined;
  return { action, topic };
}

/** Whether a /topics call changes the profile (only the owner may). */
export function topicsWrites(text: string): boolean {
  return parseEdit(text) !== undefined;
}

export const topics = defineCommand({
  name: 'topics',
  description: 'Share what the owner works on now (or plans, reads, likes); the owner edits them here',
  usage: '/topics [section | add|plan|start|done <topic>]',
  example: '/topics planned · /topics add Rate limiting at the edge · /topics plan Learn Zig · /topics start zig · /topics done libgit2',
  option: {
    name: 'what',
    description: 'A section (planned, reading) or add|plan|start|done and a topic',
    required: false,
    maxLength: 400,
    autocomplete: true,
  },
  visibility: 'public',
  // Reading is for anyone; an edit only for the owner (dispatch checks).
  writes: topicsWrites,
  async run(ctx, invocation) {
    const edit = parseEdit(invocation.text);
    if (edit) return editTopics(ctx, edit.action, edit.topic);
    return show(ctx, invocation.text.trim().toLowerCase());
  },
  async complete(ctx: CommandContext, text: string, user: Person): Promise<string[]> {
    return completions(ctx, text, canWrite(ctx.noteWriters, user));
  },
});

/**
 * The names a partly typed topic may be heading for: those with a word that
 * starts with each typed word (the last one is still being typed), else those
 * the whole words name as an edit would match them (typos).
 */
function typedAs(partial: string, names: readonly string[]): readonly string[] {
  const typed = tokenize(partial).map(foldCase);
  if (typed.length === 0) return names;
  const started = names.filter((name) => {
    const words = tokenize(name).map(foldCase);
    return typed.every((word) => words.some((other) => other.startsWith(word)));
  });
  if (started.length > 0) return started;
  const match = matchTopic(partial, names);
  return match.kind === 'one' ? [names[match.index]!] : match.kind === 'ambiguous' ? match.indexes.map((i) => names[i]!) : [];
}

/** Most completions offered at once (Discord shows 25). */
const MAX_COMPLETIONS = 25;

/**
 * What to offer while /topics is typed: the sections, then (for the owner) the
 * edits; after `start ` the planned topics, after `done ` the current ones.
 */
function completions(ctx: CommandContext, text: string, writer: boolean): string[] {
  const typed = text.replace(/^\s+/, '');
  const edit = /^(start|done)\s+([\s\S]*)$/i.exec(typed);
  if (edit && writer) {
    const action = edit[1]!.toLowerCase();
    const section = findSection(ctx.kb.profile, action === 'start' ? 'planned' : 'current');
    const partial = edit[2]!.trim();
    const names = (section?.items ?? []).map((item) => item.topic ?? item.text);
    return typedAs(partial, names).slice(0, MAX_COMPLETIONS).map((name) => `${action} ${name}`);
  }
  const lower = typed.toLowerCase();
  const offers = [...SECTIONS, ...groupNames(ctx.kb.profile), ...(writer ? EDITS.map((action) => `${action} `) : [])];
  return offers.filter((offer) => offer.toLowerCase().startsWith(lower)).slice(0, MAX_COMPLETIONS);
}

/**
 * The sub-headings `/topics <name>` shows on their own (`## Now` › `### Personal`),
 * each once, and only those that very name finds (not one a section of that name shadows).
 */
function groupNames(profile: Profile): string[] {
  const names = new Set<string>();
  for (const section of profile.sections) {
    for (const group of section.groups ?? []) {
      if (group.items.length === 0 && group.paragraphs.length === 0) continue;
      if (findSectionOrGroup(profile, group.title)?.group === group) names.add(group.title);
    }
  }
  return [...names];
}

async function editTopics(ctx: CommandContext, action: ProfileEditAction, topic: string): Promise<Reply> {
  const outcome = await ctx.kb.editProfile({ action, topic });
  if (!outcome.ok) {
    const candidates = outcome.candidates ?? [];
    return reply(outcome.message, {
      tone: 'error',
      ...(candidates.length > 0
        ? {
            sections: [{ type: 'list' as const, title: 'Say which', items: candidates.map((c) => ({ text: c, detail: `/topics ${action} ${c}` })) }],
            // A button per candidate runs the edit on that one (its whole text matches it alone).
            actions: candidates.map((c, i) => ({ id: `topics:${action}:${i}`, label: shorten(c, 60), command: 'topics', text: `${action} ${c}` })),
          }
        : {}),
    });
  }
  // The section the edit went to, found the way the edit found it.
  const section = findSection(ctx.kb.profile, TARGETS[action]);
  return reply(outcome.summary, { sections: section?.title === outcome.section ? itemLists(section, shownItem) : [] });
}

const shownItem = (item: ProfileItem): ReplyListItem => (item.url ? { text: item.text, url: item.url } : { text: item.text });

/**
 * A section's items as reply lists: one per sub-heading, titled by it, when the
 * section is split by sub-headings (`## Now` over `### Work`, `### Personal`); else one titled by the section.
 */
function itemLists(section: ProfileSection, show: (item: ProfileItem) => ReplyListItem): ReplySection[] {
  const groups = (section.groups ?? []).filter((group) => group.items.length > 0);
  if (groups.length > 0) return groups.map((group) => ({ type: 'list' as const, title: group.title, items: group.items.map(show) }));
  return section.items.length > 0 ? [{ type: 'list' as const, title: section.title, items: section.items.map(show) }] : [];
}

function show(ctx: CommandContext, wanted: string): Reply {
  const profile = ctx.kb.profile;
  const current = findSection(profile, 'current');
  const found = wanted ? findSectionOrGroup(profile, wanted) : current && { section: current };
  if (!found) throw new UserError(wanted ? 'not-found' : 'usage', missing(profile, wanted));
  const { section, group } = found;
  const isCurrent = section === current;
  // While a first start indexes a large archive, counts would be too low: leave them out and say so.
  const counting = isCurrent && !ctx.kb.indexing;
  const showItem = (item: ProfileItem): ReplyListItem => {
    const shown = shownItem(item);
    if (!counting) return shown;
    // A topic is counted by its own words; its sub-bullets are detail.
    // The reply is posted to the channel: count only what everyone there may read.
    const { notes, articles } = ctx.kb.topicMatches(item.topic ?? item.text, EVERYONE);
    return { ...shown, detail: `${plural(articles, 'article')}, ${plural(notes, 'note')}` };
  };
  // A sub-heading asked for by name (`/topics personal`) is shown alone, under its section's name, as the home tab titles it.
  const title = group ? `${section.title} › ${group.title}` : section.title;
  const { items, paragraphs } = group ?? section;
  const lists: ReplySection[] = group
    ? items.length > 0 ? [{ type: 'list', title, items: items.map(showItem) }] : []
    : itemLists(section, showItem);
  if (items.length === 0 && paragraphs.length === 0) {
    return reply(`${title}: nothing listed yet.`, { visibility: 'public' });
  }
  return reply(title, {
    visibility: 'public',
    sections: [
      ...(paragraphs.length > 0 && items.length === 0
        ? [{ type: 'text' as const, text: paragraphs.join('\n\n') }]
        : []),
      ...lists,
      ...(isCurrent && !counting && items.length > 0
        ? [{ type: 'text' as const, text: 'Still indexing: counts of matching articles and notes in a few seconds.' }]
        : []),
    ],
  });
}

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
  const titles = available.slice(0, MAX_LISTED).map((s) => {
    // A section split by sub-headings: each of them is a /topics word too.
    const groups = (s.groups ?? []).filter((g) => g.items.length > 0 || g.paragraphs.length > 0).map((g) => g.title);
    return groups.length > 0 ? `${s.title} (${groups.join(', ')})` : s.title;
  });
  if (available.length > MAX_LISTED) titles.push(`${available.length - MAX_LISTED} more`);
  const tries = words.length > 0 ? ` — try ${words.map((w) => `/topics ${w}`).join(', ')}` : '';
  return `${problem}${tries} (sections: ${titles.join(', ')})`;
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
