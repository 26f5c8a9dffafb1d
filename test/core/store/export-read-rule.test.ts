/**
 * Export and import keep what the read rule reads: `shared` and who saved a
 * note, so a restore neither hides shared notes nor lets the author of a saved
 * message read a note that was the saver's.
 */
import { describe, expect, it } from 'vitest';
import { noteFromMarkdown, noteToMarkdown, type Note } from '../../../src/core/index.ts';

const base: Note = {
  id: 'k3v9x2ma7q',
  text: 'colleague said the budget is frozen',
  tags: [],
  author: { platform: 'slack', id: 'U0COLLEAGUE', name: 'colleague' },
  source: { platform: 'slack', channel: 'C1' },
  createdAt: '2024-06-15T10:00:00.000Z',
};

describe('export and import of the read rule\'s fields', () => {
  it('round-trips savedBy and shared', () => {
    const saved: Note = { ...base, savedBy: { platform: 'slack', id: 'U0OWNER', name: 'owner' }, shared: true };
    const markdown = noteToMarkdown(saved);
    expect(markdown).toContain('shared: true');
    expect(noteFromMarkdown(markdown)).toEqual(saved);
  });

  it('leaves a private note private, and a hand-written file without the fields private too', () => {
    const markdown = noteToMarkdown(base);
    expect(markdown).not.toMatch(/shared|savedBy/);
    const back = noteFromMarkdown(markdown);
    expect(back).not.toHaveProperty('shared');
    expect(back).not.toHaveProperty('savedBy');
    expect(noteFromMarkdown('---\nshared: "yes"\n---\n\nhand written\n')).not.toHaveProperty('shared');
  });
});
