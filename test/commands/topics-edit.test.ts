import { execFileSync } from 'node:child_process';
import { chmod, lstat, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQuery, silentLogger, watchDataDir, type Reply } from '../../src/core/index.ts';
import { CONSOLE_USER, createTestContext, makeTempDir, type TestContext } from '../helpers/context.ts';

const SLACK_OWNER = { user: { platform: 'slack', id: 'UOWNER', name: 'owner' }, origin: { platform: 'slack', channel: 'C1' } };
const SLACK_COLLEAGUE = { user: { platform: 'slack', id: 'UOTHER', name: 'colleague' }, origin: { platform: 'slack', channel: 'C1' } };

/** The list of a reply, as the lines a reader sees. */
function listed(reply: Reply): string[] {
  const list = reply.sections.find((s) => s.type === 'list');
  return list?.type === 'list' ? list.items.map((i) => [i.text, i.url, i.detail].filter(Boolean).join(' | ')) : [];
}

async function eventually(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

async function open(options: Parameters<typeof createTestContext>[0] = {}): Promise<TestContext> {
  ctx = await createTestContext({ noteWriters: ['slack:UOWNER'], ...options });
  return ctx;
}

const profileFile = (c: TestContext) => path.join(c.dataDir, 'profile.md');

describe('/topics add, plan, start, done', () => {
  it('adds a current topic: profile.md gains one line, /topics and /find see it at once', async () => {
    const c = await open({ articles: { 'zig.md': '# Comptime in Zig\nNotes on learning Zig comptime.\n' } });
    const before = await readFile(profileFile(c), 'utf8');
    const added = await c.run('/topics add Learning Zig comptime', SLACK_OWNER);
    expect(added).toMatchObject({ tone: 'ok', visibility: 'ephemeral', text: 'Added "Learning Zig comptime" to Current topics.' });
    expect(listed(added).at(-1)).toBe('Learning Zig comptime');
    const after = await readFile(profileFile(c), 'utf8');
    expect(after).toBe(before.replace('- Decomposing monolith to micro services\n', '- Decomposing monolith to micro services\n- Learning Zig comptime\n'));
    const shown = await c.run('/topics');
    expect(listed(shown).at(-1)).toBe('Learning Zig comptime | 1 article, 0 notes');
    const found = await c.run('/find kind:profile comptime');
    expect(found.sections[0]?.type === 'hits' && found.sections[0].hits.map((h) => h.title)).toEqual(['Learning Zig comptime']);
  });

  it('plans, starts and finishes a topic, each time changing only the lines concerned', async () => {
    const c = await open({ articles: {} });
    expect((await c.run('/topics plan Learn Zig')).text).toBe('Added "Learn Zig" to Planned.');
    expect(listed(await c.run('/topics planned')).at(-1)).toBe('Learn Zig');
    expect((await c.run('/topics start zig')).text).toBe('Moved "Learn Zig" from Planned to Current topics.');
    expect(listed(await c.run('/topics planned'))).not.toContain('Learn Zig');
    const done = await c.run('/topics done lern zig');
    expect(done.text).toMatch(/^Moved "Learn Zig" from Current topics to Done \(\d{4}-\d{2}-\d{2}\)\.$/);
    const today = /\((\d{4}-\d{2}-\d{2})\)/.exec(done.text)![1];
    expect(listed(done)).toEqual([`Learn Zig (done ${today})`]);
    expect(listed(await c.run('/topics done'))).toEqual([`Learn Zig (done ${today})`]);
    expect(listed(await c.run('/topics'))).not.toContain('Learn Zig | 0 articles, 0 notes');
    const text = await readFile(profileFile(c), 'utf8');
    expect(text).toContain(`- Distributed lock managers\n\n# Done\n- Learn Zig (done ${today})\n\n# Reading list\n`);
  });

  it('names a topic through two swapped letters, one typo as /find counts it', async () => {
    const c = await open({ articles: {} });
    expect((await c.run('/topics plan Learn Zig')).text).toBe('Added "Learn Zig" to Planned.');
    expect((await c.run('/topics start laern zig')).text).toBe('Moved "Learn Zig" from Planned to Current topics.');
  });

  it('dates a finished topic by the knowledge base clock', async () => {
    const c = await open({ articles: {} });
    (c.kb as unknown as { now: () => Date }).now = () => new Date(2024, 1, 29, 23, 30);
    expect((await c.run('/topics done profiling')).text).toBe('Moved "Automatic instrumentation and profiling" from Current topics to Done (2024-02-29).');
  });

  it('lists the candidates of an ambiguous topic and leaves the file as it was', async () => {
    const c = await open({ articles: {} });
    const before = await readFile(profileFile(c));
    const reply = await c.run('/topics done git repositories');
    expect(reply).toMatchObject({
      tone: 'error',
      text: 'topics: "git repositories" matches 2 topics in Current topics — say which: "Disaster recovery for customer git repositories", "Mirroring git repositories for redundancy with consistency & RPO guarantee"; nothing changed',
    });
    expect(listed(reply)).toEqual([
      'Disaster recovery for customer git repositories | /topics done Disaster recovery for customer git repositories',
      'Mirroring git repositories for redundancy with consistency & RPO guarantee | /topics done Mirroring git repositories for redundancy with consistency & RPO guarantee',
    ]);
    expect(reply.actions).toEqual([
      { id: 'topics:done:0', label: 'Disaster recovery for customer git repositories', command: 'topics', text: 'done Disaster recovery for customer git repositories' },
      {
        id: 'topics:done:1',
        label: 'Mirroring git repositories for redundancy with consistency …',
        command: 'topics',
        text: 'done Mirroring git repositories for redundancy with consistency & RPO guarantee',
      },
    ]);
    expect((await readFile(profileFile(c))).equals(before)).toBe(true);
    // The button a candidate offers (what a press dispatches) picks that one.
    const pressed = reply.actions![1]!;
    expect((await c.run(`/${pressed.command} ${pressed.text}`)).text).toBe(
      'Moved "Mirroring git repositories for redundancy with consistency & RPO guarantee" from Current topics to Done (' +
        /\d{4}-\d{2}-\d{2}/.exec(await readFile(profileFile(c), 'utf8'))![0] +
        ').',
    );
  });

  it('says what is missing: no topic, nothing matching, nothing planned', async () => {
    const c = await open({ profile: '## Now\n- Raft\n', articles: {} });
    expect((await c.run('/topics add')).text).toBe('topics: which topic? — try /topics add Rate limiting at the edge');
    expect((await c.run('/topics start')).text).toBe('topics: which topic? — try /topics start zig');
    expect((await c.run('/topics start zig')).text).toBe(
      'topics: the profile has no Planned section — /topics plan zig adds it there, /topics add zig to Now; nothing changed',
    );
    expect((await c.run('/topics done paxos')).text).toBe('topics: nothing in Now matches "paxos" — it lists "Raft"; nothing changed');
    expect((await c.run('/topics done')).text).toBe('topics: no "done" section in the profile — try /topics current (sections: Now)');
  });

  it('lets only the owner edit; anyone may read', async () => {
    const c = await open({ articles: {} });
    const before = await readFile(profileFile(c));
    expect(await c.run('/topics add Office gossip', SLACK_COLLEAGUE)).toMatchObject({
      tone: 'error',
      text: 'topics: only the owner can change notes or topics here — nothing was changed.',
    });
    expect((await readFile(profileFile(c))).equals(before)).toBe(true);
    expect((await c.run('/topics planned', SLACK_COLLEAGUE)).text).toBe('Planned');
    expect((await c.run('/topics plan', SLACK_COLLEAGUE)).text).toBe('Planned');
    expect((await c.run('/topics add Office gossip', SLACK_OWNER)).tone).toBe('ok');
  });
});

describe('/topics edits on disk', () => {
  it('writes through a temporary file and a rename: no leftovers, permissions kept', async () => {
    const c = await open({ articles: {} });
    await chmod(profileFile(c), 0o640);
    const inode = (await stat(profileFile(c))).ino;
    await c.run('/topics add Paxos');
    const after = await stat(profileFile(c));
    expect(after.mode & 0o777).toBe(0o640);
    expect(after.ino).not.toBe(inode);
    expect(await readdir(c.dataDir)).toEqual(['profile.md']);
  });

  it('edits the file a symlinked profile.md points to, and keeps the link', async () => {
    const elsewhere = await makeTempDir();
    const c = await open({ articles: {} });
    await rename(profileFile(c), path.join(elsewhere, 'me.md'));
    await symlink(path.join(elsewhere, 'me.md'), profileFile(c));
    await c.run('/topics add Paxos');
    expect((await lstat(profileFile(c))).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(elsewhere, 'me.md'), 'utf8')).toContain('- Paxos\n');
    expect((await readdir(elsewhere)).sort()).toEqual(['me.md']);
  });

  it('keeps a Latin-1 profile in Latin-1, and refuses what Latin-1 cannot hold', async () => {
    const latin1 = Buffer.from('## Thèmes en cours\n- Café et réseaux\n', 'latin1');
    const c = await open({ profile: '', articles: {} });
    await writeFile(profileFile(c), latin1);
    await c.kb.reloadProfile();
    expect((await c.run('/topics add Crème brûlée')).tone).toBe('ok');
    expect(await readFile(profileFile(c))).toEqual(Buffer.from('## Thèmes en cours\n- Café et réseaux\n- Crème brûlée\n', 'latin1'));
    expect((await c.run('/topics add Zürich → 東京')).text).toBe(
      'topics: profile.md is saved as Windows-1252 (Latin-1), which cannot hold "Zürich → 東京" — nothing changed',
    );
  });

  it('runs edits made at the same moment one after the other: none is lost', async () => {
    const c = await open({ articles: {} });
    const replies = await Promise.all(['Paxos', 'Raft', 'Gossip', 'Chandy-Lamport snapshots', 'Vector clocks'].map((t) => c.run(`/topics add ${t}`)));
    expect(replies.map((r) => r.tone)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const text = await readFile(profileFile(c), 'utf8');
    for (const topic of ['Paxos', 'Raft', 'Gossip', 'Chandy-Lamport snapshots', 'Vector clocks']) expect(text).toContain(`- ${topic}\n`);
    expect(listed(await c.run('/topics'))).toHaveLength(12);
  });

  it('keeps a hand edit saved since the last re-read', async () => {
    const c = await open({ articles: {} });
    const text = await readFile(profileFile(c), 'utf8');
    // Saved by hand; the watcher (not running here) has not re-read it yet.
    await writeFile(profileFile(c), text.replace('- Distributed lock managers\n', '- Distributed lock managers\n- Hand-written plan\n'));
    await c.run('/topics add Paxos');
    const after = await readFile(profileFile(c), 'utf8');
    expect(after).toContain('- Hand-written plan\n');
    expect(after).toContain('- Paxos\n');
    expect(listed(await c.run('/topics planned'))).toContain('Hand-written plan');
  });

  it('says so when profile.md has gone, keeping the last good profile', async () => {
    const c = await open({ articles: {} });
    await rm(profileFile(c));
    expect(await c.run('/topics add Paxos')).toMatchObject({ tone: 'error', text: 'topics: cannot read profile.md (it does not exist) — nothing changed' });
    expect(listed(await c.run('/topics'))).toHaveLength(7);
  });

  it('says so when the profile cannot be written, and changes nothing', async () => {
    const c = await open({ articles: {} });
    const before = await readFile(profileFile(c), 'utf8');
    const restore = await makeUnwritable(c.dataDir);
    try {
      expect((await c.run('/topics add Paxos')).text).toBe('topics: cannot write profile.md (permission denied) — nothing changed');
    } finally {
      await restore();
    }
    expect(await readFile(profileFile(c), 'utf8')).toBe(before);
    expect(listed(await c.run('/topics'))).not.toContain('Paxos | 0 articles, 0 notes');
  });
});

/**
 * Makes a folder refuse new files, and returns how to undo it. NOTE: root writes
 * through any mode bits, and the tests run as root here and in CI: an immutable
 * folder (chattr +i, on ext4 or xfs) is refused to root too, by the kernel (EPERM).
 */
async function makeUnwritable(dir: string): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) {
    await chmod(dir, 0o555);
    return () => chmod(dir, 0o755);
  }
  execFileSync('chattr', ['+i', dir]);
  return async () => {
    execFileSync('chattr', ['-i', dir]);
  };
}

describe('/topics edits and the file watcher', () => {
  it('does not apply an edit twice when the watcher sees the file change, and still picks up hand edits', async () => {
    const c = await open({ articles: {} });
    const changed: string[] = [];
    const watcher = watchDataDir(c.kb, silentLogger(), (file) => changed.push(file));
    await watcher.ready;
    try {
      let indexChanges = 0;
      const previous = c.kb.index.onChange;
      c.kb.index.onChange = () => {
        indexChanges += 1;
        previous?.();
      };
      await c.run('/topics add Paxos');
      const profile = c.kb.profile;
      const afterEdit = indexChanges;
      expect(afterEdit).toBeGreaterThan(0);
      await eventually(() => changed.includes('profile.md'));
      // The watcher's re-read found what the edit already applied.
      expect(c.kb.profile).toBe(profile);
      expect(indexChanges).toBe(afterEdit);
      expect(c.kb.search(parseQuery('kind:profile paxos'), { viewer: CONSOLE_USER, limit: 10 }).hits).toHaveLength(1);
      // A hand edit afterwards is still applied.
      const text = await readFile(profileFile(c), 'utf8');
      await writeFile(profileFile(c), text.replace('- Paxos\n', '- Paxos made simple\n'));
      await eventually(() => c.kb.search(parseQuery('kind:profile simple'), { viewer: CONSOLE_USER, limit: 10 }).hits.length === 1);
    } finally {
      await watcher.close();
    }
  });
});

describe('/topics completions (Discord autocomplete)', () => {
  it('offers sections to anyone, edits to the owner, and the topics an edit can name', async () => {
    const c = await open({ articles: {} });
    const { topics } = await import('../../commands/topics.ts');
    const context = { kb: c.kb, searchLimit: 5, noteWriters: ['slack:UOWNER'], commands: [] };
    expect(await topics.complete(context, '', SLACK_COLLEAGUE.user)).toEqual(['current', 'planned', 'interests', 'reading']);
    expect(await topics.complete(context, '', SLACK_OWNER.user)).toEqual(['current', 'planned', 'interests', 'reading', 'add ', 'plan ', 'start ', 'done ']);
    expect(await topics.complete(context, 'pl', SLACK_OWNER.user)).toEqual(['planned', 'plan ']);
    expect(await topics.complete(context, 'start rust', SLACK_OWNER.user)).toEqual(['start Learning Rust']);
    expect(await topics.complete(context, 'done git', SLACK_OWNER.user)).toEqual([
      'done Disaster recovery for customer git repositories',
      'done Mirroring git repositories for redundancy with consistency & RPO guarantee',
    ]);
    expect(await topics.complete(context, 'done git', SLACK_COLLEAGUE.user)).toEqual([]);
    expect(await topics.complete(context, 'start ', SLACK_OWNER.user)).toHaveLength(4);
  });
});
