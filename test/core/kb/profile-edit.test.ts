import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editProfileText, type ProfileEdit, type ProfileEditOutcome } from '../../../src/core/kb/profile-edit.ts';
import { findSection, parseProfile } from '../../../src/core/sources/profile.ts';

const SHIPPED = readFileSync(new URL('../../../data/profile.md', import.meta.url), 'utf8');
const TODAY = '2025-03-14';

function edit(markdown: string, action: ProfileEdit['action'], topic: string): ProfileEditOutcome {
  return editProfileText(markdown, { action, topic }, TODAY);
}

function ok(markdown: string, action: ProfileEdit['action'], topic: string): string {
  const outcome = edit(markdown, action, topic);
  if (!outcome.ok) throw new Error(`refused: ${outcome.message}`);
  return outcome.markdown;
}

/** The lines added and removed, as a unified diff would show them (no context). */
function diff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

describe('editProfileText on the shipped profile', () => {
  it('adds a topic as the last item of Current topics, every other byte unchanged', () => {
    const after = ok(SHIPPED, 'add', 'Rate limiting at the edge');
    expect(diff(SHIPPED, after)).toEqual({ removed: [], added: ['- Rate limiting at the edge'] });
    expect(after.indexOf('- Rate limiting at the edge')).toBe(SHIPPED.indexOf('- Decomposing monolith to micro services') + '- Decomposing monolith to micro services\n'.length);
    expect(findSection(parseProfile(after), 'current')?.items.at(-1)?.text).toBe('Rate limiting at the edge');
  });

  it('plans a topic at the end of Planned', () => {
    const after = ok(SHIPPED, 'plan', 'Learn Zig');
    expect(diff(SHIPPED, after)).toEqual({ removed: [], added: ['- Learn Zig'] });
    expect(findSection(parseProfile(after), 'planned')?.items.map((i) => i.text).at(-1)).toBe('Learn Zig');
  });

  it('starts a planned topic found by a word with a typo, keeping its link', () => {
    const outcome = edit(SHIPPED, 'start', 'lerning rust');
    expect(outcome).toMatchObject({ ok: true, summary: 'Moved "Learning Rust" from Planned to Current topics.' });
    const after = (outcome as { markdown: string }).markdown;
    const profile = parseProfile(after);
    expect(findSection(profile, 'planned')?.items.map((i) => i.text)).not.toContain('Learning Rust');
    expect(findSection(profile, 'current')?.items.at(-1)).toEqual({ text: 'Learning Rust', url: 'https://doc.rust-lang.org/book/' });
    const changes = diff(SHIPPED, after);
    expect(changes.added).toContain('- [Learning Rust](https://doc.rust-lang.org/book/)');
  });

  it('marks a current topic done: out of Current topics, into a new Done section after Planned, with the date', () => {
    const outcome = edit(SHIPPED, 'done', 'monolith micro services');
    expect(outcome).toMatchObject({ ok: true, summary: 'Moved "Decomposing monolith to micro services" from Current topics to Done (2025-03-14).', section: 'Done' });
    const after = (outcome as { markdown: string }).markdown;
    expect(after).toContain('- Distributed lock managers\n\n# Done\n- Decomposing monolith to micro services (done 2025-03-14)\n\n# Reading list');
    expect(after).not.toContain('- Decomposing monolith to micro services\n');
    const profile = parseProfile(after);
    expect(profile.sections.map((s) => s.title)).toEqual(['Overview', 'About me', 'Current topics', 'Planned', 'Done', 'Reading list', 'Interests']);
    expect(findSection(profile, 'done')?.kind).toBe('past');
    // A second topic goes into the same Done section.
    const again = ok(after, 'done', 'profiling');
    expect(findSection(parseProfile(again), 'done')?.items.map((i) => i.text)).toEqual([
      'Decomposing monolith to micro services (done 2025-03-14)',
      'Automatic instrumentation and profiling (done 2025-03-14)',
    ]);
  });

  it('lists the candidates of an ambiguous topic and changes nothing', () => {
    expect(edit(SHIPPED, 'done', 'git repositories')).toEqual({
      ok: false,
      message:
        'topics: "git repositories" matches 2 topics in Current topics — say which: "Disaster recovery for customer git repositories", "Mirroring git repositories for redundancy with consistency & RPO guarantee"; nothing changed',
      candidates: ['Disaster recovery for customer git repositories', 'Mirroring git repositories for redundancy with consistency & RPO guarantee'],
    });
  });

  it('says when nothing matches, with the closest topic', () => {
    expect(edit(SHIPPED, 'done', 'kubernetes operators')).toEqual({
      ok: false,
      message:
        'topics: nothing in Current topics matches "kubernetes operators" — it lists "Data consistency in distributed architecture. Fault detecti…", "Disaster recovery for customer git repositories", "Mirroring git repositories for redundancy with consistency …" and 4 more; nothing changed',
    });
    expect(edit(SHIPPED, 'start', 'ebpf tracing')).toEqual({
      ok: false,
      message: 'topics: nothing in Planned matches "ebpf tracing" — the closest is "Learn Extended Berkeley Packet Filtering (eBPF)"; nothing changed',
    });
  });

  it('refuses a topic that is already there, and an empty one', () => {
    expect(edit(SHIPPED, 'add', 'automatic  instrumentation and PROFILING')).toEqual({
      ok: false,
      message: 'topics: "Automatic instrumentation and profiling" is already in Current topics — nothing changed',
    });
    expect(edit(SHIPPED, 'add', 'Distributed lock managers')).toEqual({
      ok: false,
      message: 'topics: "Distributed lock managers" is in Planned — /topics start Distributed lock managers moves it to Current topics; nothing changed',
    });
    expect(edit(SHIPPED, 'plan', '   ')).toEqual({ ok: false, message: 'topics: which topic? — try /topics plan Learn Zig' });
    expect(edit(SHIPPED, 'add', 'x'.repeat(301))).toEqual({ ok: false, message: 'topics: a topic is at most 300 characters — this one has 301; nothing changed' });
  });
});

describe('editProfileText keeps the profile\'s own style', () => {
  const CRLF = ['# Jane', '', '## Now', '', '* Migrating Postgres to 16', '  * rollback drill', '* Rate limiting', '', '## Reading', '* SICP', ''].join('\r\n');

  it('uses the profile\'s headings, bullets and line endings', () => {
    const after = ok(CRLF, 'add', 'Learn Zig');
    expect(after).toBe(CRLF.replace('* Rate limiting\r\n', '* Rate limiting\r\n* Learn Zig\r\n'));
  });

  it('moves an item with its sub-items, re-bulleted to the target list', () => {
    const profile = ['## Next', '1. Build a compiler', '   - register allocation', '2. Learn Zig', '', '## Working on', '- Raft', ''].join('\n');
    const after = ok(profile, 'start', 'compiler');
    expect(after).toBe(['## Next', '2. Learn Zig', '', '## Working on', '- Raft', '- Build a compiler', '  - register allocation', ''].join('\n'));
    expect(findSection(parseProfile(after), 'current')?.items.map((i) => i.text)).toEqual(['Raft', 'Build a compiler (register allocation)']);
  });

  it('creates a missing section in a sensible place, at the level of its neighbours', () => {
    const noCurrent = ['# Jane', '', 'Backend engineer.', '', '## About', 'Ten years of Go.', '', '## Next', '- Learn Zig', '', '## Reading', '- SICP', ''].join('\n');
    expect(ok(noCurrent, 'add', 'Raft')).toBe(noCurrent.replace('## Next', '## Current topics\n- Raft\n\n## Next'));
    const noPlanned = ['## Working on', '- Raft', '', '## Books', '- SICP', ''].join('\n');
    expect(ok(noPlanned, 'plan', 'Learn Zig')).toBe(['## Working on', '- Raft', '', '## Planned', '- Learn Zig', '', '## Books', '- SICP', ''].join('\n'));
    const bare = 'Jane\n';
    expect(ok(bare, 'add', 'Raft')).toBe('Jane\n\n## Current topics\n\n- Raft\n');
  });

  it('keeps a file without a trailing newline without one', () => {
    expect(ok('## Now\n- Raft', 'add', 'Gossip')).toBe('## Now\n- Raft\n- Gossip');
    expect(ok('## Now\n- Raft\n- Gossip', 'done', 'raft')).toBe('## Now\n- Gossip\n\n## Done\n- Raft (done 2025-03-14)');
  });

  it('keeps loose lists loose, numbers ordered lists, and escapes what would not stay a list item', () => {
    expect(ok('## Now\n\n- Raft\n\n- Gossip\n', 'add', 'Paxos')).toBe('## Now\n\n- Raft\n\n- Gossip\n\n- Paxos\n');
    expect(ok('## Now\n\n- Raft\n\n- Gossip\n', 'done', 'gossip')).toBe('## Now\n\n- Raft\n\n## Done\n\n- Gossip (done 2025-03-14)\n');
    expect(ok('## Now\n1. Raft\n2. Gossip\n', 'add', 'Paxos')).toBe('## Now\n1. Raft\n2. Gossip\n3. Paxos\n');
    const hashed = ok('## Now\n- Raft\n', 'add', '# 1 priority');
    expect(hashed).toBe('## Now\n- Raft\n- \\# 1 priority\n');
    expect(findSection(parseProfile(hashed), 'current')?.items.map((i) => i.text)).toEqual(['Raft', '# 1 priority']);
    expect(ok('## Now\n- Raft\n', 'add', '- Gossip\nprotocols')).toBe('## Now\n- Raft\n- Gossip protocols\n');
    const inline = ok('## Now\n- Raft\n', 'add', '`async` Rust and *pinning*');
    expect(inline).toBe('## Now\n- Raft\n- `async` Rust and *pinning*\n');
    expect(findSection(parseProfile(ok('## Now\n- Raft\n', 'add', '> quoted')), 'current')?.items.map((i) => i.text)).toEqual(['Raft', '> quoted']);
    expect(findSection(parseProfile(ok('## Now\n- Raft\n', 'add', '2. second')), 'current')?.items.map((i) => i.text)).toEqual(['Raft', '2. second']);
  });

  it('adds under a heading that has text but no list yet, and to an empty section', () => {
    expect(ok('## Now\nMostly on call.\n\n## Reading\n- SICP\n', 'add', 'Raft')).toBe('## Now\nMostly on call.\n\n- Raft\n\n## Reading\n- SICP\n');
    expect(ok('# Planned\n# Reading\n- SICP\n', 'plan', 'Zig')).toBe('# Planned\n- Zig\n# Reading\n- SICP\n');
  });

  it('keeps a byte-order mark and CR-only line ends', () => {
    expect(ok('\uFEFF# Now\r- Raft\r', 'add', 'Gossip')).toBe('\uFEFF# Now\r- Raft\r- Gossip\r');
  });
});

describe('editProfileText on sections split by sub-headings', () => {
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
    '## Books',
    '1. The Pragmatic Programmer',
    '',
  ].join('\n');

  it('marks a topic of any sub-section done into a "## Done" after Now, not inside it', () => {
    const shard = ok(SPLIT, 'done', 'shard');
    expect(shard).toBe(
      SPLIT.replace('### Work\n- Shard rebalancer\n', '### Work\n').replace(
        '- Garden irrigation controller\n\n',
        '- Garden irrigation controller\n\n## Done\n- Shard rebalancer (done 2025-03-14)\n\n',
      ),
    );
    const garden = ok(SPLIT, 'done', 'garden irrigation');
    expect(garden).toBe(
      SPLIT.replace('### Personal\n- Garden irrigation controller\n\n', '### Personal\n\n## Done\n- Garden irrigation controller (done 2025-03-14)\n\n'),
    );
    const parsed = parseProfile(garden);
    expect(findSection(parsed, 'current')?.items.map((i) => i.text)).toEqual(['Shard rebalancer']);
    expect(findSection(parsed, 'done')?.items.map((i) => i.text)).toEqual(['Garden irrigation controller (done 2025-03-14)']);
    // A second one joins the Done section the first made.
    expect(ok(shard, 'done', 'garden')).toBe(
      shard.replace('### Personal\n- Garden irrigation controller\n', '### Personal\n').replace('(done 2025-03-14)\n', '(done 2025-03-14)\n- Garden irrigation controller (done 2025-03-14)\n'),
    );
  });

  it('adds a current topic to the first sub-section, and refuses one that stands in any of them', () => {
    expect(diff(SPLIT, ok(SPLIT, 'add', 'Home lab'))).toEqual({ removed: [], added: ['- Home lab'] });
    expect(ok(SPLIT, 'add', 'Home lab')).toBe(SPLIT.replace('- Shard rebalancer\n', '- Shard rebalancer\n- Home lab\n'));
    expect(edit(SPLIT, 'add', 'garden irrigation CONTROLLER')).toEqual({ ok: false, message: 'topics: "Garden irrigation controller" is already in Now — nothing changed' });
    // A first sub-section with nothing under it yet gets the item under its heading.
    expect(ok('## Now\n### Work\n### Personal\n- Garden\n', 'add', 'Raft')).toBe('## Now\n### Work\n- Raft\n### Personal\n- Garden\n');
  });

  const BOTH = [
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
    '### Someday',
    '- Sailing',
    '',
    '## Books',
    '- SICP',
    '',
  ].join('\n');

  it('starts a planned topic in the current sub-section of the same name, else the first', () => {
    expect(ok(BOTH, 'start', 'zig')).toBe(
      BOTH.replace('- Garden irrigation controller\n', '- Garden irrigation controller\n- Learn Zig\n').replace('### Personal\n- Learn Zig\n', '### Personal\n'),
    );
    expect(ok(BOTH, 'start', 'failover')).toBe(
      BOTH.replace('- Shard rebalancer\n', '- Shard rebalancer\n- Multi-region failover\n').replace('### Work\n- Multi-region failover\n', '### Work\n'),
    );
    expect(ok(BOTH, 'start', 'sailing')).toBe(BOTH.replace('- Shard rebalancer\n', '- Shard rebalancer\n- Sailing\n').replace('### Someday\n- Sailing\n', '### Someday\n'));
    expect(ok(BOTH, 'plan', 'Rust')).toBe(BOTH.replace('- Multi-region failover\n', '- Multi-region failover\n- Rust\n'));
  });

  it('writes Done after Later at the level of Now, or into a split Done section\'s sub-section of the same name', () => {
    expect(ok(BOTH, 'done', 'garden')).toBe(
      BOTH.replace('### Personal\n- Garden irrigation controller\n', '### Personal\n').replace('- Sailing\n\n', '- Sailing\n\n## Done\n- Garden irrigation controller (done 2025-03-14)\n\n'),
    );
    const splitDone = `${BOTH}\n## Done\n### Work\n- Paxos (done 2025-01-02)\n### Personal\n- Bread (done 2025-02-03)\n`;
    expect(ok(splitDone, 'done', 'garden')).toBe(
      splitDone.replace('### Personal\n- Garden irrigation controller\n', '### Personal\n').replace('- Bread (done 2025-02-03)\n', '- Bread (done 2025-02-03)\n- Garden irrigation controller (done 2025-03-14)\n'),
    );
  });
});
