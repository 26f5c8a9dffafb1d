/**
 * Editing the owner's profile from chat (`/topics add|plan|start|done`).
 *
 * Only the lines concerned change: the rest of profile.md stays byte for byte
 * (line endings, bullet style, indentation, trailing newline), so a git diff of
 * the profile shows exactly the edit. Sections are found as `/topics` finds them
 * (`findSection`), list items by the markdown parser's line positions.
 */
import type { List, ListItem, RootContent } from 'mdast';
import { parseMarkdown, plainText } from '../sources/markdown.ts';
import { findSection, parseProfile, profileBlocks, type Profile, type ProfileSection } from '../sources/profile.ts';
import { matchTopic, wordKey } from './topic-match.ts';

export type ProfileEditAction = 'add' | 'plan' | 'start' | 'done';

export interface ProfileEdit {
  action: ProfileEditAction;
  /** What the person typed after the sub-command. */
  topic: string;
}

/** An edit that was made: the new file text and what to tell the person. */
export interface ProfileEdited {
  ok: true;
  markdown: string;
  /** One line: `Added "Learn Zig" to Planned.` */
  summary: string;
  /** The topic as it stands in the profile now (plain text). */
  topic: string;
  /** The heading of the section the topic went to, as the profile names it. */
  section: string;
}

/** An edit that was refused; nothing changed. */
export interface ProfileEditRefused {
  ok: false;
  /** One line a person understands, starting with `topics:`. */
  message: string;
  /** For an ambiguous topic: the items it could mean, so a reply can offer each. */
  candidates?: string[];
}

export type ProfileEditOutcome = ProfileEdited | ProfileEditRefused;

/** Longest topic accepted from chat, in characters. */
export const TOPIC_MAX_LENGTH = 300;

/** Section headings this editor writes when the profile has none of that kind. */
const NEW_HEADINGS = { current: 'Current topics', planned: 'Planned', done: 'Done' } as const;

/** One line of the file and the line ending that follows it ('' for a last line without one). */
interface Line {
  text: string;
  eol: string;
}

/** A heading's lines (0-based). */
interface HeadingLines {
  line: number;
  endLine: number;
  depth: number;
  /** Its text, as the profile's section or group is titled. */
  title: string;
}

/** A heading of the file (or what stands before the first one) and the blocks under it. */
interface Part {
  heading?: HeadingLines;
  nodes: RootContent[];
}

/** A section of the file with the line numbers (0-based) it spans. */
interface Block {
  section: ProfileSection;
  /** The heading's first line, or undefined for what stands before the first heading. */
  heading?: HeadingLines;
  /** First and last line of the section, heading and sub-sections included. */
  start: number;
  end: number;
  /** Every block of the section, its sub-sections' included. */
  nodes: RootContent[];
  /** The section's own part, then one per sub-heading it is split by (the groups of its ProfileSection). */
  parts: [Part, ...Part[]];
}

/** A top-level list item of a section, with its lines. */
interface Item {
  list: List;
  node: ListItem;
  start: number;
  end: number;
  /** The item's own text (its first paragraph), plain. */
  text: string;
  /** The sub-heading it stands under, in a section split by sub-headings. */
  group?: string;
}

/**
 * Applies one edit to the profile's text. `today` is the date written after a
 * finished topic (`2024-06-15`). Pure: the caller reads and writes the file.
 */
export function editProfileText(markdown: string, edit: ProfileEdit, today: string): ProfileEditOutcome {
  const doc = new ProfileDocument(markdown);
  const topic = cleanTopic(edit.topic);
  const example = EXAMPLES[edit.action];
  if (!topic) return refuse(`topics: which topic? — try ${example}`);
  if ([...topic].length > TOPIC_MAX_LENGTH) {
    return refuse(`topics: a topic is at most ${TOPIC_MAX_LENGTH} characters — this one has ${[...topic].length}; nothing changed`);
  }
  switch (edit.action) {
    case 'add':
    case 'plan':
      return doc.add(edit.action === 'add' ? 'current' : 'planned', topic);
    case 'start':
      return doc.move('planned', 'current', topic);
    case 'done':
      return doc.move('current', 'done', topic, today);
  }
}

const EXAMPLES: Record<ProfileEditAction, string> = {
  add: '/topics add Rate limiting at the edge',
  plan: '/topics plan Learn Zig',
  start: '/topics start zig',
  done: '/topics done rate limiting',
};

type Target = keyof typeof NEW_HEADINGS;

class ProfileDocument {
  private readonly lines: Line[];
  private readonly profile: Profile;
  private readonly blocks: Block[];

  constructor(markdown: string) {
    this.lines = splitLines(markdown);
    const tree = parseMarkdown(markdown);
    this.profile = parseProfile(markdown);
    this.blocks = sectionBlocks(tree.children, this.profile, this.lines.length);
  }

  /** The section a target names, as /topics finds it; undefined when the profile has none. */
  private block(target: Target): Block | undefined {
    const current = findSection(this.profile, 'current');
    const section = target === 'current' ? current : findSection(this.profile, target);
    if (!section) return undefined;
    // `done` and `planned` must not fall back on the section that holds current topics.
    if (target !== 'current' && section === current) return undefined;
    if (target === 'done' && section === findSection(this.profile, 'planned')) return undefined;
    return this.blocks.find((block) => block.section === section);
  }

  private title(target: Target): string {
    return this.block(target)?.section.title ?? NEW_HEADINGS[target];
  }

  add(target: 'current' | 'planned', topic: string): ProfileEditOutcome {
    const words = wordKey(topic);
    for (const where of ['current', 'planned'] as const) {
      const block = this.block(where);
      const same = block && this.items(block).find((item) => wordKey(item.text) === words);
      if (!same) continue;
      const title = block.section.title;
      if (where === target) return refuse(`topics: "${same.text}" is already in ${title} — nothing changed`);
      if (where === 'planned') {
        return refuse(`topics: "${same.text}" is in ${title} — /topics start ${same.text} moves it to ${this.title('current')}; nothing changed`);
      }
      return refuse(`topics: "${same.text}" is already in ${title} — nothing changed`);
    }
    const lines = this.insert(target, [escapeBlockStart(topic)]);
    const section = this.title(target);
    return edited(lines, `Added "${topic}" to ${section}.`, topic, section);
  }

  move(from: 'planned' | 'current', to: 'current' | 'done', query: string, today?: string): ProfileEditOutcome {
    const source = this.block(from);
    const fromTitle = source?.section.title ?? NEW_HEADINGS[from];
    const items = source ? this.items(source) : [];
    if (items.length === 0) {
      const hint = from === 'planned' ? ` — /topics plan ${query} adds it there, /topics add ${query} to ${this.title('current')}` : ` — /topics add ${query} adds it`;
      return refuse(`topics: ${source ? `${fromTitle} lists nothing` : `the profile has no ${fromTitle} section`}${hint}; nothing changed`);
    }
    const match = matchTopic(query, items.map((item) => item.text));
    if (match.kind === 'none') {
      const closest =
        match.closest !== undefined
          ? ` — the closest is "${shorten(items[match.closest]!.text, 80)}"`
          : ` — it lists ${items.slice(0, 3).map((item) => `"${shorten(item.text, 60)}"`).join(', ')}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`;
      return refuse(`topics: nothing in ${fromTitle} matches "${shorten(query, 60)}"${closest}; nothing changed`);
    }
    if (match.kind === 'ambiguous') {
      const candidates = match.indexes.map((i) => items[i]!.text);
      return {
        ok: false,
        message: `topics: "${shorten(query, 60)}" matches ${candidates.length} topics in ${fromTitle} — say which: ${candidates.map((c) => `"${shorten(c, 80)}"`).join(', ')}; nothing changed`,
        candidates,
      };
    }
    const item = items[match.index]!;
    const taken = this.itemLines(item);
    if (to === 'done') taken[0] = `${taken[0]!.replace(/\s+$/, '')} (done ${today})`;
    const toTitle = this.title(to);
    const lines = this.insert(to, taken, item, item.group);
    const summary = to === 'done' ? `Moved "${item.text}" from ${fromTitle} to ${toTitle} (${today}).` : `Moved "${item.text}" from ${fromTitle} to ${toTitle}.`;
    return edited(lines, summary, item.text, toTitle);
  }

  /** The section's top-level list items, in order. */
  private items(block: Block): Item[] {
    const items: Item[] = [];
    for (const part of block.parts) {
      const group = part === block.parts[0] ? undefined : part.heading?.title;
      for (const node of part.nodes) {
        if (node.type !== 'list') continue;
        for (const child of node.children) {
          const [first] = child.children;
          const text = first === undefined ? '' : first.type === 'list' ? plainText(child) : plainText(first);
          if (!text) continue;
          items.push({ list: node, node: child, start: startLine(child), end: endLine(child), text, ...(group !== undefined ? { group } : {}) });
        }
      }
    }
    return items;
  }

  /** An item's lines, its content column moved to column 0 (its marker taken off the first line). */
  private itemLines(item: Item): string[] {
    const texts = this.lines.slice(item.start, item.end + 1).map((line) => line.text);
    const marker = parseMarker(texts[0]!);
    const column = marker ? marker.indent.length + marker.marker.length + marker.space.length : 0;
    return texts.map((text, i) => (i === 0 ? text.slice(column) : dedent(text, column)));
  }

  /**
   * The file's lines with `content` (an item: its first line without a marker,
   * then its continuation lines at column 0) appended to the target section's
   * last list, and `removed` taken out of its list. In a section split by
   * sub-headings, it goes to the last list of the sub-section named `group`
   * (the one the item comes from), else of the first sub-section. Creates the
   * section when the profile has none.
   */
  private insert(target: Target, content: string[], removed?: Item, group?: string): Line[] {
    const block = this.block(target);
    const eol = this.eol();
    const inserts: { at: number; lines: string[] }[] = [];
    const [, ...subs] = block?.parts ?? [];
    const part = block && (subs.find((sub) => group !== undefined && wordKey(sub.heading!.title) === wordKey(group)) ?? subs[0] ?? block.parts[0]);
    const list = part && [...part.nodes].reverse().find((node): node is List => node.type === 'list');
    if (part && list) {
      const last = list.children.at(-1)!;
      const lastStart = startLine(last);
      const marker = parseMarker(this.lines[lastStart]!.text) ?? defaultMarker();
      const bullet = nextMarker(marker);
      const lines = indentItem(bullet, content);
      inserts.push({ at: endLine(last) + 1, lines: list.spread ? ['', ...lines] : lines });
    } else if (part) {
      // A section with no list yet: the item goes after its last line of text (or its heading).
      const after = part.nodes.length > 0 ? endLine(part.nodes.at(-1)!) : part.heading!.endLine;
      const blank = part.nodes.length > 0 || this.blankAfterHeading();
      inserts.push({ at: after + 1, lines: [...(blank ? [''] : []), ...indentItem(this.newBullet(), content)] });
    } else {
      inserts.push(this.newSection(target, indentItem(this.newBullet(), content)));
    }
    const drop = removed ? this.removalRange(removed) : undefined;
    return applyChanges(this.lines, inserts, drop, eol);
  }

  /** Where a new section goes, with its heading: next to the sections of kinds it belongs with. */
  private newSection(target: Target, item: string[]): { at: number; lines: string[] } {
    const after = (block: Block | undefined) => (block ? lastTextLine(this.lines, block) : undefined);
    const before = (block: Block | undefined) => (block?.heading ? block.heading.line : undefined);
    const later = this.blocks.find((b) => b.section.kind && ['reading', 'interests', 'past'].includes(b.section.kind) && b.heading);
    let position: { at: number; reference?: Block; placement: 'before' | 'after' } | undefined;
    const tryAfter = (block: Block | undefined) => {
      const line = after(block);
      if (!position && line !== undefined) position = { at: line + 1, reference: block!, placement: 'after' };
    };
    const tryBefore = (block: Block | undefined) => {
      const line = before(block);
      if (!position && line !== undefined) position = { at: line, reference: block!, placement: 'before' };
    };
    if (target === 'current') {
      tryBefore(this.block('planned'));
      tryBefore(later);
    } else if (target === 'planned') {
      tryAfter(this.block('current'));
      tryBefore(later);
    } else {
      tryAfter(this.block('planned'));
      tryAfter(this.block('current'));
    }
    const depth = position?.reference?.heading?.depth ?? this.usualDepth();
    const heading = `${'#'.repeat(depth)} ${NEW_HEADINGS[target]}`;
    const body = [heading, ...(this.blankAfterHeading() ? [''] : []), ...item];
    if (!position) {
      // At the end of the file, after a blank line.
      const lastText = lastNonBlank(this.lines, 0, this.lines.length - 1);
      return { at: lastText + 1, lines: lastText >= 0 ? ['', ...body] : body };
    }
    if (position.placement === 'before') {
      const previousBlank = position.at > 0 && isBlank(this.lines[position.at - 1]!.text);
      return { at: position.at, lines: [...(previousBlank || position.at === 0 ? [] : ['']), ...body, ''] };
    }
    return { at: position.at, lines: ['', ...body] };
  }

  /** The lines to take out with an item: in a loose list, the blank lines that separate it too. */
  private removalRange(item: Item): { from: number; to: number } {
    const siblings = item.list.children;
    const index = siblings.indexOf(item.node);
    if (!item.list.spread) return { from: item.start, to: item.end };
    const next = siblings[index + 1];
    if (next) return { from: item.start, to: startLine(next) - 1 };
    const previous = siblings[index - 1];
    if (previous) return { from: endLine(previous) + 1, to: item.end };
    return { from: item.start, to: item.end };
  }

  /** The line ending the file uses most (first one seen on a tie); `\n` for a single line. */
  private eol(): string {
    const counts = new Map<string, number>();
    for (const { eol } of this.lines) if (eol) counts.set(eol, (counts.get(eol) ?? 0) + 1);
    let best = '\n';
    let most = 0;
    for (const [eol, count] of counts) {
      if (count > most) [best, most] = [eol, count];
    }
    return best;
  }

  /** Whether the profile leaves a blank line under its headings: as under its first heading over a list, else its first heading over anything. */
  private blankAfterHeading(): boolean {
    const headed = this.blocks.flatMap((block) => block.parts).filter((part) => part.heading && part.nodes.length > 0);
    const example = headed.find((part) => part.nodes[0]!.type === 'list') ?? headed[0];
    if (!example) return true;
    const next = this.lines[example.heading!.endLine + 1];
    return next !== undefined && isBlank(next.text);
  }

  /** The bullet of the profile's first bullet list, `-` when it has none. */
  private newBullet(): Marker {
    for (const block of this.blocks) {
      for (const node of block.nodes) {
        if (node.type !== 'list' || node.ordered) continue;
        const marker = parseMarker(this.lines[startLine(node)]!.text);
        if (marker) return { indent: '', marker: marker.marker, space: ' ' };
      }
    }
    return defaultMarker();
  }

  /** The heading level most sections of known kinds use; 2 when there are none. */
  private usualDepth(): number {
    const depths = new Map<number, number>();
    for (const block of this.blocks) {
      if (block.heading && block.section.kind) depths.set(block.heading.depth, (depths.get(block.heading.depth) ?? 0) + 1);
    }
    let best = 2;
    let most = 0;
    for (const [depth, count] of depths) if (count > most) [best, most] = [depth, count];
    return best;
  }
}

function refuse(message: string): ProfileEditRefused {
  return { ok: false, message };
}

function edited(lines: Line[], summary: string, topic: string, section: string): ProfileEdited {
  return { ok: true, markdown: joinLines(lines), summary, topic, section };
}

/** Splits text into lines as the markdown parser counts them (`\r\n`, `\r` and `\n` each end one). */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lines.push({ text: text.slice(start, match.index), eol: match[0] });
    start = match.index + match[0].length;
  }
  // A file that ends with a line ending has no last, empty line of its own.
  if (start < text.length || lines.length === 0) lines.push({ text: text.slice(start), eol: '' });
  return lines;
}

function joinLines(lines: readonly Line[]): string {
  return lines.map((line) => line.text + line.eol).join('');
}

/**
 * Inserts new lines and drops a range, leaving every other line (and its line
 * ending) as it was. A line inserted after the file's last line gives that line
 * the file's line ending; the file keeps ending the way it did.
 */
function applyChanges(
  original: readonly Line[],
  inserts: readonly { at: number; lines: string[] }[],
  drop: { from: number; to: number } | undefined,
  eol: string,
): Line[] {
  const endsWithEol = original.length > 0 && original.at(-1)!.eol !== '';
  const out: Line[] = [];
  const emit = (at: number) => {
    for (const insert of inserts) if (insert.at === at) for (const text of insert.lines) out.push({ text, eol });
  };
  original.forEach((line, i) => {
    emit(i);
    if (drop && i >= drop.from && i <= drop.to) return;
    out.push(line);
  });
  emit(original.length);
  // Only the file's last line may lack a line ending; it keeps the file's own ending.
  for (let i = 0; i < out.length - 1; i++) if (out[i]!.eol === '') out[i] = { text: out[i]!.text, eol };
  if (out.length > 0) out[out.length - 1] = { text: out.at(-1)!.text, eol: endsWithEol ? out.at(-1)!.eol || eol : '' };
  return out;
}

/** Lines (0-based) of each section, in file order; the Profile's sections in the same order (both from `profileBlocks`). */
function sectionBlocks(nodes: readonly RootContent[], profile: Profile, lineCount: number): Block[] {
  const split = profileBlocks(nodes);
  const blocks = split.map((block, i): Block => {
    const parts = block.parts.map((part): Part => {
      const heading = part.heading;
      return heading
        ? { heading: { line: startLine(heading), endLine: endLine(heading), depth: heading.depth, title: plainText(heading) || 'Untitled' }, nodes: part.nodes }
        : { nodes: part.nodes };
    }) as Block['parts'];
    const heading = parts[0].heading;
    return { section: profile.sections[i]!, ...(heading ? { heading } : {}), start: heading ? heading.line : 0, end: lineCount - 1, nodes: parts.flatMap((part) => part.nodes), parts };
  });
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (next) block.end = next.start - 1;
  });
  return blocks;
}

const startLine = (node: { position?: { start: { line: number } } }) => node.position!.start.line - 1;
const endLine = (node: { position?: { end: { line: number } } }) => node.position!.end.line - 1;
const isBlank = (text: string) => /^[ \t]*$/.test(text);

function lastNonBlank(lines: readonly Line[], from: number, to: number): number {
  for (let i = to; i >= from; i--) if (!isBlank(lines[i]!.text)) return i;
  return from - 1;
}

function lastTextLine(lines: readonly Line[], block: Block): number {
  return lastNonBlank(lines, block.start, block.end);
}

interface Marker {
  indent: string;
  /** `-`, `*`, `+`, `1.` or `1)`. */
  marker: string;
  /** What separates the marker from the text (a task box `[ ] ` included). */
  space: string;
}

function parseMarker(line: string): Marker | undefined {
  const match = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+(?:\[[ xX]\][ \t]+)?|$)/.exec(line);
  if (!match) return undefined;
  return { indent: match[1]!, marker: match[2]!, space: match[3] || ' ' };
}

function defaultMarker(): Marker {
  return { indent: '', marker: '-', space: ' ' };
}

/** The marker of an item appended after `last`: the same bullet, or the next number; a fresh task box. */
function nextMarker(last: Marker): Marker {
  const number = /^(\d+)([.)])$/.exec(last.marker);
  const marker = number ? `${Number(number[1]) + 1}${number[2]}` : last.marker;
  let space = last.space.replace(/\[[xX]\]/, '[ ]');
  // Four or more spaces after a marker make the text an indented code block.
  if (!space.includes('[') && space.length > 4) space = ' ';
  // Keep the text column of the list where a longer number would shift it.
  if (number && !space.includes('[') && marker.length > last.marker.length && space.length > 1) space = space.slice(1);
  return { indent: last.indent, marker, space };
}

/** An item's lines under a marker: the first after it, the rest indented to its text column. */
function indentItem(marker: Marker, content: readonly string[]): string[] {
  const column = ' '.repeat(marker.indent.length + marker.marker.length + marker.space.length);
  return content.map((text, i) => (i === 0 ? `${marker.indent}${marker.marker}${marker.space}${text}` : isBlank(text) ? text : `${column}${text}`));
}

/** Takes up to `column` leading spaces off a line (tabs count as reaching the next multiple of 4). */
function dedent(text: string, column: number): string {
  let width = 0;
  let i = 0;
  while (i < text.length && width < column) {
    if (text[i] === ' ') width += 1;
    else if (text[i] === '\t') width = (Math.floor(width / 4) + 1) * 4;
    else break;
    i++;
  }
  return text.slice(i);
}

/** The topic as one line: whitespace collapsed, a typed bullet (`- `, `• `) taken off; a number stays (escaped). */
function cleanTopic(raw: string): string {
  return raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[-*+•]\s+/, '')
    .trim();
}

/** A backslash before what would make a list item's text a heading, a quote or a nested list. */
function escapeBlockStart(topic: string): string {
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(topic);
  if (ordered) return `${ordered[1]}\\${topic.slice(ordered[1]!.length)}`;
  return /^(#{1,6}(\s|$)|>|[-+*](\s|$)|`{3}|~{3}|\[[ xX]\]\s)/.test(topic) ? `\\${topic}` : topic;
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
