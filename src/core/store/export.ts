/**
 * Notes as markdown files and back: `export` writes one `<id>.md` per note with
 * front matter shaped like an article's (title, date, tags, plus id, author and
 * source), so a file can also go under articles/; `import` reads such files into
 * a store, keeping ids and skipping notes already there.
 */
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { listMarkdownFiles } from '../sources/article-files.ts';
import type { Origin, Person } from '../domain/types.ts';
import { frontMatterOf, parseMarkdown } from '../sources/markdown.ts';
import type { NoteStore } from './note-store.ts';
import { NOTE_ID_SHAPE, NOTE_MAX_LENGTH, characterCount, cleanNoteText, extractTags, isNoteId, noteIdForKey, noteTitle, type Note } from '../domain/notes.ts';
import { normalizeTag } from '../domain/tags.ts';

/** The markdown file for a note: YAML front matter, a blank line, the text. */
export function noteToMarkdown(note: Note): string {
  const meta: Record<string, unknown> = {
    title: noteTitle(note.text),
    date: note.createdAt,
    tags: note.tags,
    id: note.id,
    author: { ...note.author },
    source: { ...note.source },
  };
  if (note.idempotencyKey) meta.idempotencyKey = note.idempotencyKey;
  // The read rule's inputs: who saved it (when not the author) and whether it is shared.
  if (note.savedBy) meta.savedBy = { ...note.savedBy };
  if (note.shared) meta.shared = true;
  // NOTE: lineWidth 0 keeps long values on one line; yaml quotes whatever needs it.
  return `---\n${stringify(meta, { lineWidth: 0 })}---\n\n${note.text}\n`;
}

/**
 * Reads a note back from a markdown file. Without an `id` in the front matter
 * (a file written by hand), the id derives from the text (and the front matter's
 * date, when there is one), so importing the same file twice still makes one
 * note. The file's `mtime` only dates a note that has no date. Throws with a short reason.
 */
export function noteFromMarkdown(source: string, mtime?: Date): Note {
  if (source.includes('\u0000')) throw new Error('not a text file');
  const tree = parseMarkdown(source);
  let meta: Record<string, unknown>;
  try {
    meta = frontMatterOf(tree);
  } catch (error) {
    throw new Error(`invalid front matter: ${(error as Error).message.split('\n')[0]}`);
  }
  const head = tree.children[0];
  const bodyStart = head?.type === 'yaml' ? (head.position?.end.offset ?? 0) : 0;
  // The same rules as /note: control characters and lone surrogates go, 4,000 characters at most.
  const text = cleanNoteText(source.slice(bodyStart));
  if (!text) throw new Error('the note text is empty');
  if (characterCount(text) > NOTE_MAX_LENGTH) {
    throw new Error(
      `the note is ${characterCount(text).toLocaleString('en')} characters; a note can hold at most ${NOTE_MAX_LENGTH.toLocaleString('en')} (put it under articles/)`,
    );
  }

  const givenDate = isoDate(meta.date);
  const createdAt = givenDate ?? mtime?.toISOString() ?? new Date().toISOString();
  const givenId = typeof meta.id === 'string' ? meta.id.trim().toLowerCase() : undefined;
  if (givenId !== undefined && !isNoteId(givenId)) {
    throw new Error(`"${givenId}" is not a note id (${NOTE_ID_SHAPE}); leave the id: line out to have one made from the note's date and text`);
  }
  // NOTE: never from the file's mtime: a copy or a touch would make the same file a second note.
  const id = givenId ?? noteIdForKey(givenDate ? `import:${givenDate}:${text}` : `import:${text}`);
  const tags = Array.isArray(meta.tags)
    ? [...new Set(meta.tags.filter((t): t is string => typeof t === 'string').map(normalizeTag).filter(Boolean))]
    : extractTags(text);
  return {
    id,
    text,
    tags,
    author: person(meta.author),
    source: origin(meta.source),
    createdAt,
    ...(typeof meta.idempotencyKey === 'string' ? { idempotencyKey: meta.idempotencyKey } : {}),
    ...(typeof meta.savedBy === 'object' && meta.savedBy !== null ? { savedBy: person(meta.savedBy) } : {}),
    // Only an explicit true shares: a hand-written file stays private.
    ...(meta.shared === true ? { shared: true } : {}),
  };
}

function isoDate(value: unknown): string | undefined {
  const raw = value instanceof Date ? value : typeof value === 'string' ? new Date(value.trim()) : undefined;
  return raw && !Number.isNaN(raw.getTime()) ? raw.toISOString() : undefined;
}

function person(value: unknown): Person {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  return { platform: str(v.platform) ?? 'import', id: str(v.id) ?? 'unknown', name: str(v.name) ?? 'unknown' };
}

function origin(value: unknown): Origin {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  const channel = str(v.channel);
  const permalink = str(v.permalink);
  return { platform: str(v.platform) ?? 'import', ...(channel ? { channel } : {}), ...(permalink ? { permalink } : {}) };
}

export interface ExportResult {
  /** Files written. */
  written: number;
  folder: string;
}

/**
 * Writes every note in the store as `<folder>/<id>.md`. The folder must be new
 * or empty: files left from an older export would be notes forgotten since,
 * and a later import would bring them back. The files are written into a
 * hidden folder beside it and renamed into place at the end, so a failed
 * export leaves no half backup behind.
 */
export async function exportNotes(store: NoteStore, folder: string): Promise<ExportResult> {
  const existing = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing && existing.length > 0) {
    throw new Error(
      `export: ${folder} is not empty (${existing.length} ${existing.length === 1 ? 'entry' : 'entries'}) — export into a new or empty folder, so the backup holds exactly the notes there are now`,
    );
  }
  const notes = await store.loadAll();
  const target = path.resolve(folder);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.export-${process.pid}`);
  await mkdir(temp);
  try {
    await inBatches(notes, async (note) => writeFile(path.join(temp, `${note.id}.md`), noteToMarkdown(note)));
    // Replaces the folder only if it is (still) missing or empty.
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`export: ${folder} is not empty — export into a new or empty folder, so the backup holds exactly the notes there are now`);
    }
    throw error;
  }
  return { written: notes.length, folder };
}

export interface ImportResult {
  imported: number;
  /** Notes whose id was already in the store. */
  skipped: number;
  /** Files that could not be read, each with its reason. */
  failed: Array<{ file: string; reason: string }>;
}

/** Reads every `*.md` under a folder into the store; a note already there is left alone. */
export async function importNotes(store: NoteStore, folder: string): Promise<ImportResult> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`import: ${folder} is not a folder`);
  const files = await listMarkdownFiles(folder, folder);
  const result: ImportResult = { imported: 0, skipped: 0, failed: [] };
  await inBatches(files, async (file) => {
    let note: Note;
    try {
      const full = path.join(folder, file);
      const [source, fileInfo] = await Promise.all([readFile(full, 'utf8'), stat(full)]);
      note = noteFromMarkdown(source, fileInfo.mtime);
    } catch (error) {
      result.failed.push({ file, reason: (error as Error).message });
      return;
    }
    // Store errors are not per file: they end the import (what was imported stays).
    if (await store.get(note.id)) {
      result.skipped += 1;
      return;
    }
    await store.put(note);
    result.imported += 1;
  });
  result.failed.sort((a, b) => a.file.localeCompare(b.file));
  return result;
}

/** Runs `fn` over items, 16 at a time. */
async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, items.length) }, worker));
}
