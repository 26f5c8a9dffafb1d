/**
 * A note store that refuses writes for good (review 16): a real SQLite file
 * this process may not write. Read commands still answer — /resurface, the
 * Slack home tab's reply, the open-bot hint, /find, /tags, /topics — with what
 * they would remember left unremembered and one warning logged; writes get the
 * one refusal dispatch gives, naming what refused and what would fix it.
 *
 * The bot runs in a child process; as root (where chmod stops no write) it
 * runs as nobody, as test/core/store/read-only.test.ts does.
 */
import { spawn } from 'node:child_process';
import { chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNoteId, openNoteStore, silentLogger } from '../../src/core/index.ts';
import { REPO_ROOT, makeTempDir } from '../helpers/context.ts';

const SQLITE_HINT = 'make the file and its folder writable for the user the bot runs as, or point STORE_URL at a writable store';
const DAY_MS = 86_400_000;

let dir: string;
let file: string;
let outcome: Record<string, unknown>;

beforeAll(async () => {
  dir = await makeTempDir('tinker-ro-cmd-');
  file = path.join(dir, 'notes.sqlite');
  const store = await openNoteStore(`sqlite://${file}`, { logger: silentLogger() });
  const old = new Date(Date.now() - 40 * DAY_MS).toISOString();
  for (const text of ['herons nest in colonies #birds', 'grey herons wade in the shallows #birds']) {
    await store.put({ id: newNoteId(), text, tags: ['birds'], author: { platform: 'console', id: 'local', name: 'o' }, source: { platform: 'console' }, createdAt: old });
  }
  await store.close();
  await chmod(file, 0o444);
  // The folder stays writable for SQLite's -wal and -shm files: it is the file that refuses.
  await chmod(dir, 0o777);
  outcome = await runBot(`sqlite://${file}`, process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {});
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a read-only SQLite store', () => {
  it('/resurface answers every time, says its picks may come back, and logs one warning', () => {
    expect(outcome.resurface).toEqual([
      {
        tone: 'ok',
        text: '2 notes from over 30 days ago on "herons"',
        last: 'The note store refuses writes, so these may come back in your next /resurface.',
      },
      {
        tone: 'ok',
        text: '2 notes from over 30 days ago on "herons"',
        last: 'The note store refuses writes, so these may come back in your next /resurface.',
      },
    ]);
    const warnings = outcome.warnings as Array<{ msg: string; err: string }>;
    const resurfaceWarnings = warnings.filter((w) => w.msg.startsWith('resurface:'));
    expect(resurfaceWarnings).toHaveLength(1);
    expect(resurfaceWarnings[0]!.msg).toBe('resurface: could not remember what was shown; it may be offered again within 30 days');
    expect(resurfaceWarnings[0]!.err).toContain('the store is read-only');
  });

  it('the scheduled digest is sent, unclaimed, though the store cannot record that it was', () => {
    expect(outcome.digest).toEqual({ outcome: 'sent unclaimed', text: '2 notes from over 30 days ago on "herons"' });
  });

  it('read commands answer, the open-bot hint included, as the home tab does for a Slack user', () => {
    const reads = outcome.reads as Record<string, { tone: string; text: string; hint?: boolean }>;
    expect(reads.home).toMatchObject({ tone: 'ok', text: 'tinker: what the owner works on, the latest notes, and the commands' });
    // The hint is shown once (on the first reply), though it cannot be remembered in the store.
    expect(reads.home!.hint).toBe(true);
    expect(reads.find).toMatchObject({ tone: 'ok', hint: false });
    expect(reads.find!.text).toBe('1 result for "herons"');
    expect(reads.tags).toMatchObject({ tone: 'ok' });
    expect(reads.topics).toMatchObject({ tone: 'ok' });
    // The owner's private notes are not this reader's (the read rule): nothing to resurface, said plainly.
    expect(reads.resurfaceAsSlack).toMatchObject({ tone: 'ok', text: 'Nothing older than 30 days is about "herons".' });
  });

  it('writes get the one refusal, saying what did not happen, what refused and what would make it writable; nothing is lost', () => {
    const detail = `sqlite://${file}: attempt to write a readonly database`;
    expect(outcome.note).toEqual({ tone: 'error', text: `note: not saved — the note store refuses writes (${detail}); ${SQLITE_HINT}.` });
    expect(outcome.forget).toEqual({ tone: 'error', text: `forget: not deleted — the note store refuses writes (${detail}); ${SQLITE_HINT}.` });
    const after = outcome.after as { stored: string[]; forgotten?: string; found: string; refusedFound: string };
    // The refused note is neither in the store nor searchable; the note /forget was refused for is in both.
    expect(after.stored.sort()).toEqual(['grey herons wade in the shallows #birds', 'herons nest in colonies #birds']);
    expect(after.forgotten).toMatch(/herons/);
    // The two notes and the profile's topic.
    expect(after.found).toBe('3 results for "herons"');
    expect(after.refusedFound).toBe('Nothing found for "refused".');
  });
});

/** Runs the real commands over the store in a child process (as another user, when given). */
async function runBot(url: string, user: { uid?: number; gid?: number }): Promise<Record<string, unknown>> {
  const script = `
    import { Writable } from 'node:stream';
    import { pino } from 'pino';
    import { OPEN_BOT_HINT, openNoteStore } from './src/core/index.ts';
    import { sendDigestOnce } from './src/core/kb/resurface-schedule.ts';
    import { createTestContext } from './test/helpers/context.ts';
    const warnings = [];
    const logger = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { for (const line of String(chunk).split('\\n')) if (line) warnings.push(JSON.parse(line)); done(); } }));
    const store = await openNoteStore(${JSON.stringify(url)}, { logger });
    const ctx = await createTestContext({ store, logger, profile: '# Ada\\n\\n## Current topics\\n\\n- Herons\\n', articles: {} });
    const slack = { user: { platform: 'slack', id: 'U0READER', name: 'reader' }, origin: { platform: 'slack', channel: 'C0' } };
    const brief = (r) => ({ tone: r.tone, text: r.text, hint: r.sections.some((s) => s.type === 'text' && s.text === OPEN_BOT_HINT) });
    const resurface = [];
    for (let i = 0; i < 2; i += 1) {
      const r = await ctx.run('/resurface herons');
      const last = r.sections.at(-1);
      resurface.push({ tone: r.tone, text: r.text, last: last && last.type === 'text' ? last.text : undefined });
    }
    // The scheduled digest claims its occurrence in the store before it sends: refused here, it is sent all the same.
    let digestText;
    const digest = await sendDigestOnce(store, new Date('2025-06-02T09:00:00Z'), async () => {
      digestText = (await ctx.run('/resurface herons')).text;
      return true;
    }, { jitterMs: 0 });
    const reads = {};
    reads.home = brief(await ctx.run('/home', slack));
    reads.find = brief(await ctx.run('/find herons', slack));
    reads.tags = brief(await ctx.run('/tags', slack));
    reads.topics = brief(await ctx.run('/topics', slack));
    reads.resurfaceAsSlack = brief(await ctx.run('/resurface herons', slack));
    const note = await ctx.run('/note refused #x');
    const id = (await store.loadAll())[0].id;
    const forget = await ctx.run('/forget ' + id);
    // Each reply came once the store had answered: what is there now is what the commands left.
    const after = {
      stored: (await store.loadAll()).map((n) => n.text),
      forgotten: (await store.get(id))?.text,
      found: (await ctx.run('/find herons')).text,
      refusedFound: (await ctx.run('/find refused')).text,
    };
    await ctx.close();
    process.stdout.write(JSON.stringify({ resurface, digest: { outcome: digest, text: digestText }, reads, note: { tone: note.tone, text: note.text }, forget: { tone: forget.tone, text: forget.text }, after, warnings }));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: '/tmp', TMPDIR: '/tmp' },
    ...user,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`bot exited with ${code}: ${err}`);
  return JSON.parse(out) as Record<string, unknown>;
}
