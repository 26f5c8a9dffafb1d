/**
 * Who may read what: the one read rule. Write-ups and the profile are for
 * everyone who can run the commands; a note is for the person who saved it and
 * the owners (the console user and NOTE_WRITERS), unless it is shared or
 * NOTES_VISIBLE_TO=everyone. Every read in the knowledge base goes through
 * `KnowledgeBase.visibleTo`, which applies this.
 */
import type { Note } from '../domain/notes.ts';
import { isOwner, samePerson } from '../domain/people.ts';
import type { Person } from '../domain/types.ts';

/** Who reads notes (config NOTES_VISIBLE_TO). */
export type NotesVisibleTo = 'owner' | 'everyone';

export const NOTES_VISIBLE_TO_VALUES: readonly NotesVisibleTo[] = ['owner', 'everyone'];

export interface ReadRule {
  /** NOTE_WRITERS entries (`platform:userId`): the owners, who read every note. */
  owners: readonly string[];
  /** `owner` (the default): a note is private to its saver and the owners unless shared; `everyone`: every note is readable by anyone. */
  notesVisibleTo: NotesVisibleTo;
}

export const DEFAULT_READ_RULE: ReadRule = { owners: [], notesVisibleTo: 'owner' };

/** Who a note belongs to: whoever saved it (for "Save to notes", the person who clicked, not the message's author). */
export function noteSaver(note: Note): Person {
  return note.savedBy ?? note.author;
}

/** Whether the viewer sees every note (an owner, or notes are open to everyone). */
export function readsAllNotes(rule: ReadRule, viewer: Person): boolean {
  return rule.notesVisibleTo === 'everyone' || isOwner(rule.owners, viewer);
}

/** Whether a viewer may read a note. */
export function canReadNote(rule: ReadRule, note: Note, viewer: Person): boolean {
  return note.shared === true || readsAllNotes(rule, viewer) || samePerson(noteSaver(note), viewer);
}

/** Whether a viewer may delete a note: its saver, or an owner (sharing a note lets others read it, not delete it). */
export function canForgetNote(rule: ReadRule, note: Note, viewer: Person): boolean {
  return isOwner(rule.owners, viewer) || samePerson(noteSaver(note), viewer);
}
