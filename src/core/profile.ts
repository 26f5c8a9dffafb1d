/**
 * The owner's profile page, split into sections by heading.
 */
import { readFile } from 'node:fs/promises';
import type { List } from 'mdast';
import { StartupError } from './errors.ts';
import { firstLink, parseMarkdown, plainText } from './markdown.ts';

/** One list item of a profile section. */
export interface ProfileItem {
  /** The item's text, links reduced to their text. */
  text: string;
  /** The item's first absolute link, when it has one. */
  url?: string;
}

/** A heading of the profile and what stands under it until the next heading. */
export interface ProfileSection {
  /** The heading text: `Current topics`. */
  title: string;
  /** Lower-case, dash-separated heading: `current-topics`. */
  slug: string;
  /** Top-level list items (nested lists stay with their parent item). */
  items: ProfileItem[];
  /** Paragraphs and other text that is not a list. */
  paragraphs: string[];
}

export interface Profile {
  sections: ProfileSection[];
}

/** Parses a profile page. Heading level and bullet style do not matter. */
export function parseProfile(markdown: string): Profile {
  const tree = parseMarkdown(markdown);
  const sections: ProfileSection[] = [];
  let current: ProfileSection | undefined;
  for (const node of tree.children) {
    if (node.type === 'heading') {
      const title = plainText(node);
      current = { title, slug: slugify(title), items: [], paragraphs: [] };
      sections.push(current);
      continue;
    }
    if (!current || node.type === 'yaml' || node.type === 'thematicBreak' || node.type === 'html') continue;
    if (node.type === 'list') {
      current.items.push(...listItems(node));
    } else {
      const text = plainText(node);
      if (text) current.paragraphs.push(text);
    }
  }
  return { sections };
}

function listItems(list: List): ProfileItem[] {
  const items: ProfileItem[] = [];
  for (const item of list.children) {
    // NOTE: only the item's first block is its text; a nested list is detail, not a new item.
    const first = item.children[0];
    if (!first) continue;
    const text = plainText(first);
    if (!text) continue;
    const url = firstLink(first);
    items.push(url ? { text, url } : { text });
  }
  return items;
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
 * Finds the section a user asked for: `current` → "Current topics",
 * `reading` → "Reading list". Matches a slug, or the start of any word of the heading.
 */
export function findSection(profile: Profile, wanted: string): ProfileSection | undefined {
  const key = slugify(wanted);
  if (!key) return undefined;
  const sections = profile.sections;
  return (
    sections.find((s) => s.slug === key) ??
    sections.find((s) => s.slug.startsWith(key)) ??
    sections.find((s) => s.slug.split('-').some((word) => word.startsWith(key) || key.startsWith(word) && word.length >= 4))
  );
}

/** Reads and parses the profile; a missing or unreadable file is a startup error naming the path. */
export async function loadProfile(file: string): Promise<Profile> {
  let markdown: string;
  try {
    markdown = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(
      code === 'ENOENT'
        ? `profile: ${file} does not exist — create it (see data/profile.md for the format) or set DATA_DIR to the folder that holds profile.md`
        : `profile: cannot read ${file} (${code ?? String(error)})`,
    );
  }
  return parseProfile(markdown);
}
