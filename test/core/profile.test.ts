import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSection, loadProfile, parseProfile } from '../../src/core/index.ts';
import { SHIPPED_DATA } from '../helpers/context.ts';

describe('parseProfile on the shipped data/profile.md', async () => {
  const profile = parseProfile(await readFile(path.join(SHIPPED_DATA, 'profile.md'), 'utf8'));
  const titles = profile.sections.map((s) => s.title);

  it('finds every section by heading, whatever its level', () => {
    expect(titles).toEqual(['Overview', 'About me', 'Current topics', 'Planned', 'Reading list', 'Interests']);
  });

  it('keeps each list item with its text and link', () => {
    const current = findSection(profile, 'current')!;
    expect(current.items).toHaveLength(7);
    expect(current.items[3]).toEqual({
      text: 'Performance tuning of libgit2 over NFS by contributing patches to upstream',
      url: 'https://libgit2.org/',
    });
    expect(current.items[0]).toEqual({ text: 'Data consistency in distributed architecture. Fault detection and recovery' });
    expect(findSection(profile, 'reading')!.items.map((i) => i.text)).toContain('Designing Data-Intensive Applications');
    expect(findSection(profile, 'planned')!.items[0]).toEqual({ text: 'Learn Extended Berkeley Packet Filtering (eBPF)', url: 'https://ebpf.io' });
    expect(findSection(profile, 'interests')!.items).toHaveLength(5);
  });

  it('keeps text of sections without a list', () => {
    expect(findSection(profile, 'about')!.paragraphs[0]).toBe('Principal engineer Bitbucket foundations');
  });
});

describe('parseProfile variants', () => {
  it('treats heading levels and bullet styles alike, and drops relative links', () => {
    const profile = parseProfile(
      [
        '### Current Topics',
        '* Tracing with [eBPF](https://ebpf.io) probes',
        '* Read the [notes](notes.md)',
        '',
        '#### Side projects',
        '- A *chess* engine',
        '  - nested detail stays with its parent',
        '- Second',
      ].join('\n'),
    );
    expect(profile.sections.map((s) => s.slug)).toEqual(['current-topics', 'side-projects']);
    expect(profile.sections[0]!.items).toEqual([{ text: 'Tracing with eBPF probes', url: 'https://ebpf.io' }, { text: 'Read the notes' }]);
    expect(profile.sections[1]!.items.map((i) => i.text)).toEqual(['A chess engine', 'Second']);
  });

  it('ignores front matter, and finds sections by slug or word start', () => {
    const profile = parseProfile('---\nowner: me\n---\n# Reading list\n- A book\n# Interests\n- Chess\n');
    expect(profile.sections).toHaveLength(2);
    expect(findSection(profile, 'reading')?.title).toBe('Reading list');
    expect(findSection(profile, 'list')?.title).toBe('Reading list');
    expect(findSection(profile, 'interest')?.title).toBe('Interests');
    expect(findSection(profile, 'nothing')).toBeUndefined();
  });
});

describe('loadProfile', () => {
  it('names the path when the profile is missing', async () => {
    await expect(loadProfile('/nonexistent/profile.md')).rejects.toThrow(
      'profile: /nonexistent/profile.md does not exist — create it (see data/profile.md for the format) or set DATA_DIR to the folder that holds profile.md',
    );
  });
});
