/**
 * The scheduled /resurface digest end to end: the timer (its clock shifted to
 * just before an occurrence), the owner's /resurface through the real
 * dispatcher, and a direct message through the real Slack adapter to the
 * Slack stand-in; two "processes" sharing the store send it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack.ts';
import { nextOccurrence, parseResurfaceSchedule, silentLogger, startResurfaceDigest, type Reply, type ResurfaceSchedule } from '../../src/core/index.ts';
import { buildSlackManifest } from '../../src/adapters/slack/slack-manifest.ts';
import { commands } from '../../commands/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { BOT_TOKEN, SIGNING_SECRET, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const OWNER = 'U0OWNER';

describe('the RESURFACE_SCHEDULE digest', () => {
  let ctx: TestContext;
  let fake: FakeSlack;
  let slack: SlackAdapter;
  const kbClock = { now: new Date('2024-11-01T10:00:00Z') };
  beforeAll(async () => {
    ctx = await createTestContext({
      noteWriters: [`slack:${OWNER}`],
      articles: { 'nfs.md': '---\ntitle: Tuning libgit2 over NFS\ndate: 2024-03-02\n---\nPerformance tuning of libgit2 on NFS, a patch upstream.\n' },
      now: () => kbClock.now,
    });
    await ctx.kb.saveNote({
      text: 'libgit2 NFS performance tuning: stat calls',
      author: { platform: 'slack', id: OWNER, name: 'owner' },
      source: { platform: 'slack', channel: 'C0TEST' },
    });
    kbClock.now = new Date('2025-01-15T10:00:00Z');
    fake = await startFakeSlack();
    slack = createSlackAdapter(
      { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, logger: silentLogger() },
      { host: '127.0.0.1' },
    );
    await slack.start();
  });
  afterAll(async () => {
    await slack?.stop();
    await fake?.close();
    await ctx?.close();
  });

  it('sends the owner their /resurface as a direct message when it is due, once for two processes', async () => {
    const parsed = parseResurfaceSchedule('daily 09:00 UTC');
    if ('error' in parsed) throw new Error(parsed.error);
    const schedule: ResurfaceSchedule = parsed.schedule;
    // The timers' clock runs 300 ms before the next 09:00 UTC.
    const due = nextOccurrence(schedule, new Date());
    const shift = due.getTime() - 300 - Date.now();
    const now = () => new Date(Date.now() + shift);
    const owner = { platform: 'slack', id: OWNER, name: OWNER };
    // As main.ts composes it: the owner's /resurface, sent only when it found something.
    const compose = async (): Promise<Reply | undefined> => {
      const answer = await ctx.dispatcher.dispatch({ command: 'resurface', text: '', user: owner, origin: { platform: 'slack' } });
      return answer.sections.some((section) => section.type === 'hits') ? answer : undefined;
    };
    const digests = [1, 2].map(() =>
      startResurfaceDigest({ schedule, memory: ctx.store, logger: silentLogger(), now, jitterMs: 50, compose, deliver: (answer) => slack.sendDirect(OWNER, answer) }),
    );
    try {
      expect(digests[0]!.next().getTime()).toBe(due.getTime());
      const start = Date.now();
      while (fake.directMessages(OWNER).length === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 300));
      const messages = fake.directMessages(OWNER);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.text).toBe('1 note and 1 write-up from over 30 days ago on your current topics');
      expect(JSON.stringify(messages[0]!.blocks)).toContain('stat calls');
      expect(fake.calls.filter((call) => call.method === 'conversations.open').map((call) => call.params.users)).toEqual([OWNER]);
      // The next one is tomorrow's.
      expect(digests[0]!.next().getTime()).toBe(due.getTime() + 86_400_000);
    } finally {
      for (const digest of digests) digest.stop();
    }
  });

  it('asks for the direct-message scopes in the manifest only when the digest is wanted', () => {
    expect(buildSlackManifest(commands).oauth_config.scopes.bot).toEqual(['commands']);
    const withDigest = buildSlackManifest(commands, { directMessages: true });
    expect(withDigest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'im:write']);
    expect(withDigest.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true });
  });
});
