import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSection, findSectionOrGroup, loadProfile, parseProfile, type Profile } from '../../../src/core/index.ts';
import { SHIPPED_DATA, makeTempDir } from '../../helpers/context.ts';

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
        '  - nested detail joins its parent',
        '- Second',
      ].join('\n'),
    );
    expect(profile.sections.map((s) => s.slug)).toEqual(['current-topics', 'side-projects']);
    expect(profile.sections[0]!.items).toEqual([{ text: 'Tracing with eBPF probes', url: 'https://ebpf.io' }, { text: 'Read the notes' }]);
    expect(profile.sections[1]!.items).toEqual([
      { text: 'A chess engine (nested detail joins its parent)', topic: 'A chess engine' },
      { text: 'Second' },
    ]);
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

/** Other people's profiles: the section for "what I work on now" under its many names. */
const aroundCurrent = (heading: string) =>
  [
    '# Jane Doe',
    '',
    'Backend engineer.',
    '',
    '## About me',
    '- Ten years of Go',
    '',
    '## Reading',
    '- Designing Data-Intensive Applications',
    '',
    heading,
    '- Migrating Postgres to 16',
    '- Rate limiting at the edge',
    '',
    '## Next',
    '- Learn Zig',
    '',
    '## Learning',
    '- Rust',
    '',
    '## Interests',
    '- Chess',
    '',
  ].join('\n');

const titleOf = (profile: Profile, wanted: string) => findSection(profile, wanted)?.title;

describe('the current section under its usual names', () => {
  const headings = [
    '## Now',
    "## What I'm working on",
    '## What I’m working on',
    '## Topics',
    '## Current focus',
    '## Working on',
    '## This quarter',
    '### Currently',
    '## Focus areas',
    '## Current projects',
    '## In progress',
    '## Current topics',
  ];
  for (const heading of headings) {
    it(`finds "${heading}" as current, and the other sections by their usual names`, () => {
      const profile = parseProfile(aroundCurrent(heading));
      const title = heading.replace(/^#+ /, '');
      expect(titleOf(profile, 'current')).toBe(title);
      expect(findSection(profile, 'current')!.items.map((i) => i.text)).toEqual(['Migrating Postgres to 16', 'Rate limiting at the edge']);
      expect(titleOf(profile, 'planned')).toBe('Next');
      expect(titleOf(profile, 'reading')).toBe('Reading');
      expect(titleOf(profile, 'interests')).toBe('Interests');
      expect(titleOf(profile, 'about')).toBe('About me');
    });
  }

  it('tells what each heading is for', () => {
    const kinds = parseProfile(
      [
        '## Now', '## Currently reading', '## Past projects', '## Learning', '## Hobbies', '## Bio', '## Side notes', '## This week',
      ].join('\n- x\n'),
    ).sections.map((s) => [s.title, s.kind]);
    expect(kinds).toEqual([
      ['Now', 'current'],
      ['Currently reading', 'reading'],
      ['Past projects', 'past'],
      ['Learning', 'planned'],
      ['Hobbies', 'interests'],
      ['Bio', 'about'],
      ['Side notes', undefined],
      ['This week', 'current'],
    ]);
  });

  it('prefers a heading that names current work over a weaker one, and content over an empty section', () => {
    expect(titleOf(parseProfile('## Projects\n- A\n## Current topics\n- B\n'), 'current')).toBe('Current topics');
    const twice = parseProfile('# Current topics\n\n# Planned\n- Zig\n# Current topics\n- Raft\n');
    expect(twice.sections.map((s) => s.slug)).toEqual(['current-topics', 'planned', 'current-topics-2']);
    expect(findSection(twice, 'current')?.items).toEqual([{ text: 'Raft' }]);
    expect(findSection(twice, '')).toBeUndefined();
  });

  it('falls back to the first list that is not about, planned, reading, interests or past work', () => {
    const profile = parseProfile(
      '## About me\n- Go\n## Reading list\n- DDIA\n## Past projects\n- Old thing\n## Side stuff\n- Home lab\n## Garden\n- Tomatoes\n',
    );
    expect(titleOf(profile, 'current')).toBe('Side stuff');
    expect(titleOf(profile, 'garden')).toBe('Garden');
    expect(titleOf(profile, 'side')).toBe('Side stuff');
    expect(titleOf(parseProfile('## Current reading\n- DDIA\n## Misc\n- Home lab\n'), 'current')).toBe('Misc');
    expect(titleOf(parseProfile('## Current reading\n- DDIA\n'), 'reading')).toBe('Current reading');
    // Nothing that could be current work: no section, rather than a reading list.
    expect(findSection(parseProfile('## About me\nHi.\n## Reading\n- DDIA\n'), 'current')).toBeUndefined();
    expect(findSection(parseProfile(''), 'current')).toBeUndefined();
  });

  it('keeps finding a section by slug or the start of a heading word', () => {
    const profile = parseProfile(aroundCurrent('## Now'));
    expect(titleOf(profile, 'now')).toBe('Now');
    expect(titleOf(profile, 'jane-doe')).toBe('Jane Doe');
    expect(titleOf(profile, 'learn')).toBe('Learning');
    expect(titleOf(profile, 'plan')).toBe('Next');
    expect(titleOf(profile, 'books')).toBe('Reading');
    expect(titleOf(profile, 'gardening')).toBeUndefined();
  });
});

describe('profile content that must not disappear', () => {
  it('keeps nested items inside their parent, depth-first, with the first link of any level', () => {
    const profile = parseProfile(
      [
        '## Now',
        '* Migrating Postgres to 16',
        '  * sub-item: rollback drill',
        '  * replica cut-over',
        '    1. check [lag](https://example.com/lag)',
        '* Hiring:',
        '  - two SREs',
        '* Plain topic',
        '-',
        '  - only nested',
        '* Loose item',
        '',
        '  with a second paragraph',
      ].join('\n'),
    );
    expect(profile.sections[0]!.items).toEqual([
      {
        text: 'Migrating Postgres to 16 (sub-item: rollback drill; replica cut-over; check lag)',
        topic: 'Migrating Postgres to 16',
        url: 'https://example.com/lag',
      },
      { text: 'Hiring: two SREs', topic: 'Hiring:' },
      { text: 'Plain topic' },
      { text: 'only nested' },
      { text: 'Loose item (with a second paragraph)', topic: 'Loose item' },
    ]);
  });

  it('keeps what stands before the first heading as an "Overview" section', () => {
    const profile = parseProfile('Intro line.\n\n- Building a compiler\n- Writing a book\n\n## Reading\n- SICP\n');
    expect(profile.sections[0]).toEqual({
      title: 'Overview',
      slug: 'overview',
      items: [{ text: 'Building a compiler' }, { text: 'Writing a book' }],
      paragraphs: ['Intro line.'],
    });
    expect(titleOf(profile, 'current')).toBe('Overview');
    expect(parseProfile('- Only a list').sections.map((s) => s.items.length)).toEqual([1]);
    // A later "# Overview" heading gets its own slug.
    expect(parseProfile('Hello\n# Overview\n- x\n').sections.map((s) => s.slug)).toEqual(['overview', 'overview-2']);
  });

  it('reads a profile with Windows line endings like any other', () => {
    const unix = aroundCurrent("## What I'm working on\n- Parent\n  - child");
    const windows = parseProfile(unix.replace(/\n/g, '\r\n'));
    expect(windows).toEqual(parseProfile(unix));
    expect(findSection(windows, 'current')!.items[0]).toEqual({ text: 'Parent (child)', topic: 'Parent' });
  });
});

describe('loadProfile', () => {
  it('names the path when the profile is missing', async () => {
    await expect(loadProfile('/nonexistent/profile.md')).rejects.toThrow(
      'profile: /nonexistent/profile.md does not exist — create it (see data/profile.md for the format) or set DATA_DIR to the folder that holds profile.md',
    );
  });

  it('refuses a file of bytes that are no text, as articles are, instead of showing them as topics', async () => {
    const dir = await makeTempDir();
    try {
      const file = path.join(dir, 'profile.md');
      await writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
      await expect(loadProfile(file)).rejects.toThrow(`profile: ${file} is not a text file — profile.md is markdown: headings and lists (see data/profile.md for the format)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a section split by sub-headings', () => {
  const SPLIT = [
    '# About',
    'I write software.',
    '',
    '## Now',
    '### Work',
    '- Shard rebalancer',
    '### Personal',
    '- Garden irrigation controller',
    '',
    '## Later',
    '### Work',
    '- Multi-region failover',
    '### Personal',
    '- Learn Zig',
    '',
    '## Books',
    '1. The Pragmatic Programmer',
    '',
  ].join('\n');

  it('reads the items under the sub-headings of an empty "Now" or "Later" as that section\'s, grouped by sub-heading', () => {
    const profile = parseProfile(SPLIT);
    expect(profile.sections.map((s) => s.title)).toEqual(['About', 'Now', 'Later', 'Books']);
    const current = findSection(profile, 'current')!;
    expect(current.title).toBe('Now');
    expect(current.items.map((i) => i.text)).toEqual(['Shard rebalancer', 'Garden irrigation controller']);
    expect(current.groups).toEqual([
      { title: 'Work', items: [{ text: 'Shard rebalancer' }], paragraphs: [] },
      { title: 'Personal', items: [{ text: 'Garden irrigation controller' }], paragraphs: [] },
    ]);
    const planned = findSection(profile, 'planned')!;
    expect(planned.title).toBe('Later');
    expect(planned.items.map((i) => i.text)).toEqual(['Multi-region failover', 'Learn Zig']);
    expect(planned.groups?.map((g) => g.title)).toEqual(['Work', 'Personal']);
    expect(findSection(profile, 'reading')?.items).toEqual([{ text: 'The Pragmatic Programmer' }]);
    expect(findSection(profile, 'about')?.groups).toBeUndefined();
  });

  it('lets only an empty section that tells what it is for take in deeper headings', () => {
    // A name over the whole profile tells nothing: every section stays its own.
    const named = parseProfile('# Jane Doe\n## Now\n- Raft\n## Books\n- SICP\n');
    expect(named.sections.map((s) => s.title)).toEqual(['Jane Doe', 'Now', 'Books']);
    expect(findSection(named, 'current')?.items).toEqual([{ text: 'Raft' }]);
    // An empty "About me" does not take in "Now", which names another kind outright.
    const about = parseProfile('# About me\n## Now\n- Raft\n## Reading\n- SICP\n');
    expect(about.sections.map((s) => s.title)).toEqual(['About me', 'Now', 'Reading']);
    expect(findSection(about, 'current')?.title).toBe('Now');
    // A section with a list or text of its own keeps its sub-headings apart, as before.
    expect(parseProfile('## Now\n- Raft\n### Side projects\n- Chess engine\n').sections.map((s) => s.title)).toEqual(['Now', 'Side projects']);
    expect(parseProfile('## Now\nMostly on call.\n### Work\n- Raft\n').sections.map((s) => s.title)).toEqual(['Now', 'Work']);
    // A sub-heading of another kind is a section of its own, and so is what follows it.
    const done = parseProfile('## Now\n### Work\n- Raft\n### Done\n- Paxos\n### Personal\n- Garden\n');
    expect(done.sections.map((s) => [s.title, s.items.map((i) => i.text)])).toEqual([
      ['Now', ['Raft']],
      ['Done', ['Paxos']],
      ['Personal', ['Garden']],
    ]);
    // A heading as deep as the section's ends it.
    expect(parseProfile('## Now\n## Side stuff\n- Garden\n').sections.map((s) => s.title)).toEqual(['Now', 'Side stuff']);
    // Deeper levels too, each sub-heading a group.
    const deep = parseProfile('# Current topics\n## Work\n### Storage\n- Raft\n## Home\n- Garden\n');
    expect(deep.sections.map((s) => s.title)).toEqual(['Current topics']);
    expect(deep.sections[0]!.groups?.map((g) => [g.title, g.items.length])).toEqual([['Work', 0], ['Storage', 1], ['Home', 1]]);
  });

  it('finds a sub-heading group by its heading\'s words, under its section, after a section of that name or kind', () => {
    const profile = parseProfile(SPLIT);
    const found = (wanted: string) => {
      const match = findSectionOrGroup(profile, wanted);
      return match && [match.section.title, match.group?.title];
    };
    // The first group of that name in file order: Now's Personal before Later's.
    expect(found('personal')).toEqual(['Now', 'Personal']);
    expect(found('Pers')).toEqual(['Now', 'Personal']);
    // `work` read as a kind was the whole current section; a group of that name is what it says.
    expect(found('work')).toEqual(['Now', 'Work']);
    // A kind named outright, or a section's own name, is still the whole section.
    expect(found('planned')).toEqual(['Later', undefined]);
    expect(found('current')).toEqual(['Now', undefined]);
    expect(found('now')).toEqual(['Now', undefined]);
    expect(found('books')).toEqual(['Books', undefined]);
    expect(found('gardening')).toBeUndefined();
    // findSection itself still names sections only (the edits find their target by it).
    expect(findSection(profile, 'personal')).toBeUndefined();
    // A group with nothing under it yields to one with items, as an empty section does.
    const deep = parseProfile('# Current topics\n## Work\n### Storage\n- Raft\n## Home\n- Garden\n');
    expect(findSectionOrGroup(deep, 'home')?.group?.items).toEqual([{ text: 'Garden' }]);
    expect(findSectionOrGroup(deep, 'storage')?.group?.title).toBe('Storage');
  });
});
