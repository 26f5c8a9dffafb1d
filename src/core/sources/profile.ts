/**
 * The owner's profile page, split into sections by heading.
 */
import { readFile } from 'node:fs/promises';
import { decodeText } from '../util/decode.ts';
import type { Heading, List, RootContent } from 'mdast';
import { StartupError } from '../domain/errors.ts';
import { firstLink, parseMarkdown, plainText } from './markdown.ts';

/** One list item of a profile section. */
export interface ProfileItem {
  /**
   * The item's text, links reduced to their text. Nested items (sub-bullets) follow
   * in parentheses, depth-first: `Migrating Postgres to 16 (rollback drill; replica cut-over)`.
   */
  text: string;
  /** The item's first absolute link (its own, else a nested item's), when it has one. */
  url?: string;
  /** The item's own text without its nested items; set only when it has nested items. */
  topic?: string;
}

/**
 * What a section is for, read from its heading's words: `## Now` and
 * `## What I'm working on` are `current`, `## Books` is `reading`.
 */
export type SectionKind = 'current' | 'planned' | 'reading' | 'interests' | 'about' | 'past';

/** A heading of the profile and what stands under it until the next heading. */
export interface ProfileSection {
  /** The heading text: `Current topics`; `Overview` for what stands before the first heading. */
  title: string;
  /** Lower-case, dash-separated heading: `current-topics`; unique in the profile (`current-topics-2`). */
  slug: string;
  /** What the heading says the section is for, when its words tell. */
  kind?: SectionKind;
  /** List items at every level of the section's lists (nested ones inside their parent's text). */
  items: ProfileItem[];
  /** Paragraphs and other text that is not a list. */
  paragraphs: string[];
  /**
   * The sub-headings the section is split by (`## Now` over `### Work` and `### Personal`),
   * each with its own items and text, in file order; set only when it has some. The
   * section's `items` and `paragraphs` hold theirs too (see `profileBlocks`).
   */
  groups?: ProfileGroup[];
}

/** A sub-heading of a section and what stands under it. */
export interface ProfileGroup {
  /** The sub-heading's text: `Work`. */
  title: string;
  items: ProfileItem[];
  paragraphs: string[];
}

/** A heading of the profile's markdown and the blocks under it until the next heading. */
export interface ProfilePart {
  /** Undefined for what stands before the first heading. */
  heading?: Heading;
  nodes: RootContent[];
}

/** A section as markdown: its own part (heading and blocks), then the parts of the sub-headings it takes in. */
export interface ProfileBlock {
  parts: [ProfilePart, ...ProfilePart[]];
}

export interface Profile {
  sections: ProfileSection[];
}

/** Title of the section that holds what stands before the first heading. */
const LEAD_TITLE = 'Overview';

/**
 * Parses a profile page. Heading level and bullet style do not matter; a
 * section split by sub-headings keeps them as groups (see `profileBlocks`).
 */
export function parseProfile(markdown: string): Profile {
  const tree = parseMarkdown(markdown);
  const sections: ProfileSection[] = [];
  const slugs = new Set<string>();
  for (const block of profileBlocks(tree.children)) {
    const [own, ...subs] = block.parts;
    const title = own.heading ? headingTitle(own.heading) : LEAD_TITLE;
    const base = slugify(title) || 'section';
    let slug = base;
    // NOTE: the slug names the section's items in the search index; a repeated heading must not share them.
    for (let n = 2; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
    const kind = classifyHeading(slug)?.kind;
    const content = partContent(own.nodes);
    const section: ProfileSection = kind ? { title, slug, kind, ...content } : { title, slug, ...content };
    if (subs.length > 0) {
      section.groups = subs.map((part) => ({ title: headingTitle(part.heading!), ...partContent(part.nodes) }));
      for (const group of section.groups) {
        section.items.push(...group.items);
        section.paragraphs.push(...group.paragraphs);
      }
    }
    sections.push(section);
  }
  return { sections };
}

/**
 * The profile's sections as markdown, in file order: one per heading, except
 * the sub-headings a section takes in. A section takes in the deeper headings
 * that follow it when its heading tells what it is for (`## Now`, `## Later`,
 * `## Books`) and nothing stands under it before the first of them: `## Now`
 * over `### Work` and `### Personal` is one current section with two groups.
 * A sub-heading that names another kind outright (`### Done` under `## Now`)
 * starts a section of its own, as does a heading no deeper than the section's;
 * a heading that tells nothing (`# Jane Doe`) or that has text or a list under
 * it (`## About` over a line) takes in none. What stands before the first
 * heading is a block only when it has items or text, as `parseProfile` makes it a section.
 */
export function profileBlocks(nodes: readonly RootContent[]): ProfileBlock[] {
  const lead: ProfileBlock = { parts: [{ nodes: [] }] };
  const blocks: ProfileBlock[] = [];
  for (const node of nodes) {
    if (node.type === 'heading') {
      const open = blocks.at(-1);
      if (open && takesIn(open, node)) open.parts.push({ heading: node, nodes: [] });
      else blocks.push({ parts: [{ heading: node, nodes: [] }] });
    } else {
      (blocks.at(-1) ?? lead).parts.at(-1)!.nodes.push(node);
    }
  }
  return hasContent(partContent(lead.parts[0].nodes)) ? [lead, ...blocks] : blocks;
}

function takesIn(block: ProfileBlock, heading: Heading): boolean {
  const own = block.parts[0];
  if (!own.heading || heading.depth <= own.heading.depth) return false;
  const kind = classifyHeading(slugify(headingTitle(own.heading)))?.kind;
  if (!kind || hasContent(partContent(own.nodes))) return false;
  const sub = classifyHeading(slugify(headingTitle(heading)));
  return !sub || sub.weak || sub.kind === kind;
}

const headingTitle = (heading: Heading) => plainText(heading) || 'Untitled';

/** The list items and texts of a heading's blocks. */
function partContent(nodes: readonly RootContent[]): { items: ProfileItem[]; paragraphs: string[] } {
  const items: ProfileItem[] = [];
  const paragraphs: string[] = [];
  for (const node of nodes) {
    if (node.type === 'yaml' || node.type === 'thematicBreak' || node.type === 'html' || node.type === 'heading') continue;
    if (node.type === 'list') {
      items.push(...listItems(node));
    } else {
      const text = plainText(node);
      if (text) paragraphs.push(text);
    }
  }
  return { items, paragraphs };
}

function listItems(list: List): ProfileItem[] {
  const items: ProfileItem[] = [];
  for (const item of list.children) {
    const [first, ...rest] = item.children;
    if (!first) continue;
    // The item's first block is its text; what follows (sub-bullets, more paragraphs) is its detail.
    const own = first.type === 'list' ? '' : plainText(first);
    const nested = (first.type === 'list' ? item.children : rest).flatMap(blockTexts);
    const text = withNested(own, nested);
    if (!text) continue;
    const url = firstLink(item);
    items.push({ text, ...(url ? { url } : {}), ...(own && nested.length > 0 ? { topic: own } : {}) });
  }
  return items;
}

/** The texts of a block inside a list item, depth-first: a nested list gives each of its items. */
function blockTexts(node: RootContent): string[] {
  if (node.type === 'list') {
    return node.children.flatMap((item) => item.children.flatMap(blockTexts));
  }
  if (node.type === 'html') return [];
  const text = plainText(node);
  return text ? [text] : [];
}

function withNested(own: string, nested: readonly string[]): string {
  if (nested.length === 0) return own;
  const detail = nested.join('; ');
  if (!own) return detail;
  return own.endsWith(':') ? `${own} ${detail}` : `${own} (${detail})`;
}

export function slugify(title: string): string {
  return title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Heading words that tell what a section is for, strongest first: a heading
 * takes the first kind one of its words names (`Currently reading` is reading,
 * `Currently learning` is current, `Learning` is planned). `weak` current words
 * (`Topics`, `Projects`) yield to a heading that names the kind outright.
 */
const KIND_WORDS: readonly { kind: SectionKind; weak?: true; words: ReadonlySet<string> }[] = [
  {
    kind: 'past',
    words: new Set(['past', 'previous', 'previously', 'former', 'formerly', 'old', 'done', 'completed', 'finished', 'archive', 'archived', 'history', 'earlier', 'retired']),
  },
  { kind: 'reading', words: new Set(['reading', 'read', 'books', 'book', 'bookshelf', 'papers', 'library']) },
  {
    kind: 'current',
    words: new Set(['current', 'currently', 'now', 'today', 'working', 'wip', 'ongoing', 'active', 'present', 'presently', 'progress', 'lately']),
  },
  {
    kind: 'planned',
    words: new Set(['planned', 'plan', 'plans', 'planning', 'next', 'later', 'upcoming', 'future', 'someday', 'soon', 'roadmap', 'todo', 'backlog', 'wishlist', 'learn', 'learning', 'want', 'explore', 'goals']),
  },
  { kind: 'interests', words: new Set(['interests', 'interest', 'interested', 'hobbies', 'hobby', 'likes', 'like', 'passions', 'passion']) },
  { kind: 'about', words: new Set(['about', 'bio', 'biography', 'intro', 'introduction', 'whoami', 'contact']) },
  { kind: 'current', weak: true, words: new Set(['topics', 'focus', 'focusing', 'projects', 'doing', 'priorities', 'work']) },
];

/** `this week`, `this quarter`, `these days`: a span of time that includes now. */
const NOW_SPANS = new Set(['day', 'days', 'week', 'month', 'quarter', 'year', 'sprint', 'semester', 'term', 'season', 'half']);

function classifyHeading(slug: string): { kind: SectionKind; weak: boolean } | undefined {
  const words = slug.split('-');
  const spanNow = words.some((word, i) => (word === 'this' || word === 'these') && NOW_SPANS.has(words[i + 1] ?? ''));
  for (const { kind, weak, words: names } of KIND_WORDS) {
    if (kind === 'current' && !weak && spanNow) return { kind, weak: false };
    if (words.some((word) => names.has(word))) return { kind, weak: weak ?? false };
  }
  return undefined;
}

const KIND_NAMES: readonly SectionKind[] = ['current', 'planned', 'reading', 'interests', 'about', 'past'];
/** Kinds that are not what the owner works on now: never the default section. */
const NOT_CURRENT: ReadonlySet<SectionKind | undefined> = new Set(['planned', 'reading', 'interests', 'about', 'past']);

const hasContent = (section: Pick<ProfileSection, 'items' | 'paragraphs'>) => section.items.length > 0 || section.paragraphs.length > 0;

/**
 * Finds the section a user asked for: `current` → "Current topics" (or "Now",
 * "What I'm working on", ...), `reading` → "Reading list". Matches a slug, the
 * start of any word of the heading, or a kind of section (`planned` finds
 * "Next"); a section with content wins over an empty one. `current` falls back
 * like the default of /topics (see `currentSection`).
 */
export function findSection(profile: Profile, wanted: string): ProfileSection | undefined {
  const key = slugify(wanted);
  if (!key) return undefined;
  if (namedKind(key) === 'current') return currentSection(profile);
  return matchSection(profile.sections, key);
}

/**
 * What the owner works on now: the section whose heading says so (`Current
 * topics`, `Now`, `Working on`, `This quarter`, `Topics`, ...); else the first
 * section with a list that is not about, planned, reading, interests or past
 * work (what stands before the first heading included); else an empty
 * "current" section, if there is one.
 */
function currentSection(profile: Profile): ProfileSection | undefined {
  const candidates = profile.sections.filter((s) => !NOT_CURRENT.has(s.kind));
  const named = matchSection(candidates, 'current');
  if (named && hasContent(named)) return named;
  return candidates.find((s) => s.items.length > 0) ?? named;
}

/** The kind a key names: `current`, `plan` (→ planned), `interest`. */
function namedKind(key: string): SectionKind | undefined {
  return KIND_NAMES.find((kind) => kind === key || (key.length >= 3 && kind.startsWith(key)));
}

function matchSection(sections: readonly ProfileSection[], key: string): ProfileSection | undefined {
  return matchPart(sections, key, false)?.section;
}

/** A section, or one sub-heading group of a section split by them, as `/topics <word>` names it. */
export interface ProfileMatch {
  section: ProfileSection;
  /** The group named, when the word named a sub-heading (`personal` for `### Personal` under `## Now`) rather than the section. */
  group?: ProfileGroup;
}

/**
 * Finds what `/topics <word>` shows: a section as `findSection` finds it, or
 * a sub-heading group of a section split by them (`personal` → `## Now` ›
 * `### Personal`). A group is named by its heading's words as a section is
 * (its slug, its start, the start of a word), each tier after the same tier
 * of sections; a word that names a kind (`planned`, `current`) names the
 * whole section; a group's heading has no kind of its own.
 */
export function findSectionOrGroup(profile: Profile, wanted: string): ProfileMatch | undefined {
  const key = slugify(wanted);
  if (!key) return undefined;
  if (namedKind(key) === 'current') {
    const section = currentSection(profile);
    return section && { section };
  }
  return matchPart(profile.sections, key, true);
}

function matchPart(sections: readonly ProfileSection[], key: string, withGroups: boolean): ProfileMatch | undefined {
  const named = namedKind(key);
  const said = classifyHeading(key)?.kind;
  const exact = (slug: string) => slug === key;
  const starts = (slug: string) => slug.startsWith(key);
  const wordStarts = (slug: string) => slug.split('-').some((word) => word.startsWith(key) || (key.startsWith(word) && word.length >= 4));
  const ofSection = (test: (s: ProfileSection) => boolean) => (m: ProfileMatch) => !m.group && test(m.section);
  const ofGroup = (test: (slug: string) => boolean) => (m: ProfileMatch) => m.group !== undefined && test(slugify(m.group.title));
  // A kind named outright (`planned` → `## Later`) beats a group of that name; a group's name beats a kind read from the word (`work`).
  const tiers: ((m: ProfileMatch) => boolean)[] = [
    ofSection((s) => exact(s.slug)),
    ofSection((s) => named !== undefined && s.kind === named && !classifyHeading(s.slug)?.weak),
    ofGroup(exact),
    ofSection((s) => starts(s.slug)),
    ofGroup(starts),
    ofSection((s) => wordStarts(s.slug)),
    ofGroup(wordStarts),
    ofSection((s) => named !== undefined && s.kind === named),
    ofSection((s) => said !== undefined && s.kind === said),
  ];
  const candidates: ProfileMatch[] = sections.map((section) => ({ section }));
  if (withGroups) for (const section of sections) for (const group of section.groups ?? []) candidates.push({ section, group });
  let empty: ProfileMatch | undefined;
  for (const tier of tiers) {
    for (const candidate of candidates) {
      if (!tier(candidate)) continue;
      if (hasContent(candidate.group ?? candidate.section)) return candidate;
      empty ??= candidate;
    }
  }
  return empty;
}

/** Reads and parses the profile; a missing, unreadable or binary file is a startup error naming the path. */
export async function loadProfile(file: string): Promise<Profile> {
  let markdown: string;
  try {
    markdown = decodeText(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(
      code === 'ENOENT'
        ? `profile: ${file} does not exist — create it (see data/profile.md for the format) or set DATA_DIR to the folder that holds profile.md`
        : `profile: cannot read ${file} (${code ?? String(error)})`,
    );
  }
  // As for an article: bytes that are no text would be shown as topics.
  if (markdown.includes('\u0000')) {
    throw new StartupError(`profile: ${file} is not a text file — profile.md is markdown: headings and lists (see data/profile.md for the format)`);
  }
  return parseProfile(markdown);
}
