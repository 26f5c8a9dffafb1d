import { newNoteId, type Note } from '../../src/core/index.ts';

/** A console note with a fresh id, created now; `overrides` replace any field. */
export function makeNote(text: string, overrides: Partial<Note> = {}): Note {
  return {
    id: newNoteId(),
    text,
    tags: [],
    author: { platform: 'console', id: 'local', name: 'owner' },
    source: { platform: 'console' },
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}
