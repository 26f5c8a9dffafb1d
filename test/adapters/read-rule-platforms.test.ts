/**
 * The read rule through the real adapters: the owner saves private notes over
 * Slack (signed HTTP into Bolt) and Discord (discord.js against the stand-in);
 * a second person on each platform then reads with /find, /tags, /resurface,
 * Discord autocomplete and the Slack home tab, and gets none of them — no hit,
 * no count, no tag, no completion, no home-tab line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack.ts';
import { silentLogger } from '../../src/core/index.ts';
import type { Adapter } from '../../src/adapters/adapter.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { FAKE_USER, startFakeDiscord, type FakeDiscord, type FakeUser } from '../helpers/fake-discord.ts';
import {
  SIGNING_SECRET,
  BOT_TOKEN,
  homeOpenedEvent,
  postEvent,
  postSigned,
  slashCommandBody,
  startFakeSlack,
  type FakeSlack,
} from '../helpers/fake-slack.ts';

const SLACK_OWNER = 'U0OWNER';
const SLACK_STRANGER = 'U0SECOND';
const DISCORD_STRANGER: FakeUser = { id: '90000000000000002', username: 'second', global_name: 'Second User' };
const GUILD = '3300000000000000001';
const CHANNEL = '2200000000000000009';
const IN_GUILD = { guildId: GUILD, channelId: CHANNEL };

/** Words only the owner's private notes hold. */
const SECRETS = ['okavango', 'payrise', 'sabbatical', 'ulcer'];

let ctx: TestContext;
let slackFake: FakeSlack;
let slack: SlackAdapter;
let discordFake: FakeDiscord;
let discord: Adapter;
let eventsUrl: string;
const clock = { now: new Date(Date.now() - 40 * 86_400_000) };

beforeAll(async () => {
  slackFake = await startFakeSlack();
  discordFake = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }] }] });
  const noteWriters = [`slack:${SLACK_OWNER}`, `discord:${FAKE_USER.id}`];
  // The notes are saved 40 days ago, so that /resurface may offer them.
  ctx = await createTestContext({ noteWriters, now: () => clock.now });
  const deps = { dispatcher: ctx.dispatcher, kb: ctx.kb, logger: silentLogger(), noteWriters };
  slack = createSlackAdapter(
    { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: slackFake.apiUrl },
    deps,
    { host: '127.0.0.1', permalinkBudgetMs: 1000 },
  );
  await slack.start();
  eventsUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  discord = createDiscordAdapter({ token: 'test-bot-token', applicationId: discordFake.applicationId, apiUrl: discordFake.apiUrl }, deps);
  await discord.start();
});

afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
  await discordFake?.close();
  await slackFake?.close();
  await ctx?.close();
});

async function slash(command: string, text: string, userId: string): Promise<{ text: string; all: string }> {
  const body = slashCommandBody({ command, text, user_id: userId, user_name: userId.toLowerCase(), response_url: slackFake.responseUrl(`r-${Math.random()}`) });
  const res = await postSigned(eventsUrl, body);
  expect(res.status).toBe(200);
  const raw = await res.text();
  const ack = JSON.parse(raw) as { text: string };
  return { text: ack.text, all: raw };
}

async function discordCommand(name: string, option: string, value: string, user: FakeUser): Promise<string> {
  const result = await discordFake.interact(discordFake.chatInput(name, value ? { [option]: value } : {}, { ...IN_GUILD, user }));
  return JSON.stringify(result.edit ?? result.callback.data ?? {});
}

async function discordSuggestions(value: string, user: FakeUser): Promise<string[]> {
  const result = await discordFake.interact(discordFake.autocomplete('find', 'query', value, { ...IN_GUILD, user }));
  expect(result.callback.type).toBe(8);
  return (result.callback.data as { choices: { value: string }[] }).choices.map((c) => c.value);
}

describe('a second person reads none of the owner\'s private notes', () => {
  beforeAll(async () => {
    expect((await slash('/note', 'okavango payrise talk with the manager #salary #1on1', SLACK_OWNER)).text).toMatch(/^Saved note /);
    expect(await discordCommand('note', 'text', 'sabbatical plan and the ulcer #health', FAKE_USER)).toMatch(/Saved note /);
    // On a current topic of the shipped profile ("Performance tuning of libgit2 over NFS…"): counted on the home tab.
    expect((await slash('/note', 'payrise hinges on the libgit2 NFS performance tuning patches upstream', SLACK_OWNER)).text).toMatch(/^Saved note /);
    expect((await slash('/note', '--share okavango delta trip photos are on the wiki #travel', SLACK_OWNER)).text).toMatch(/shared/);
    clock.now = new Date();
  });

  it('the owner finds them on both platforms (the control)', async () => {
    expect((await slash('/find', 'okavango', SLACK_OWNER)).text).toBe('2 results for "okavango"');
    expect(await discordCommand('find', 'query', 'sabbatical', FAKE_USER)).toContain('1 result for \\"sabbatical\\"');
    expect(await discordSuggestions('okav', FAKE_USER)).toContain('okavango');
  });

  it('Slack: /find shows only the shared note, and counts only it', async () => {
    const shared = await slash('/find', 'okavango', SLACK_STRANGER);
    expect(shared.text).toBe('1 result for "okavango"');
    expect(shared.all).toContain('delta trip');
    for (const word of ['payrise', 'sabbatical', 'ulcer']) {
      const reply = await slash('/find', word, SLACK_STRANGER);
      expect(reply.text).toBe(`Nothing found for "${word}".`);
      for (const secret of SECRETS) if (secret !== word) expect(reply.all.toLowerCase()).not.toContain(secret);
    }
    const tagged = await slash('/find', '#salary', SLACK_STRANGER);
    expect(tagged.text).toBe('Nothing found for "#salary".');
    // The words match the shared note only: the count says 1, not 2.
    expect((await slash('/find', 'okavango #salary', SLACK_STRANGER)).all).toContain('1 result without #salary');
    expect((await slash('/find', 'okavango #salary', SLACK_OWNER)).text).toBe('1 result for "okavango #salary"');
    const tags = await slash('/tags', '', SLACK_STRANGER);
    expect(tags.all).toContain('#travel');
    expect(tags.all).not.toMatch(/#salary|#1on1|#health/);
  });

  it('Discord: /find, /tags and autocomplete show nothing private', async () => {
    expect(await discordCommand('find', 'query', 'okavango', DISCORD_STRANGER)).toContain('1 result for \\"okavango\\"');
    for (const word of ['payrise', 'sabbatical', 'ulcer']) {
      const all = (await discordCommand('find', 'query', word, DISCORD_STRANGER)).toLowerCase();
      expect(all).toContain(`nothing found for \\"${word}\\".`);
      for (const secret of SECRETS) if (secret !== word) expect(all).not.toContain(secret);
    }
    const tags = await discordCommand('tags', 'prefix', '', DISCORD_STRANGER);
    expect(tags).toContain('#travel');
    expect(tags).not.toMatch(/#salary|#1on1|#health/);
    for (const typed of ['okav', 'payr', 'sabb', 'ulc', '#sal', 'talk with']) {
      const choices = (await discordSuggestions(typed, DISCORD_STRANGER)).join(' ').toLowerCase();
      for (const secret of ['payrise', 'sabbatical', 'ulcer', 'manager']) expect(choices, typed).not.toContain(secret);
    }
    expect(await discordSuggestions('okav', DISCORD_STRANGER)).toContain('okavango');
  });

  it('/resurface on both platforms offers the second person only the shared note', async () => {
    const slackReply = await slash('/resurface', 'okavango', SLACK_STRANGER);
    expect(slackReply.all).toContain('delta trip');
    for (const secret of SECRETS) if (secret !== 'okavango') expect(slackReply.all.toLowerCase()).not.toContain(secret);
    const discordReply = (await discordCommand('resurface', 'words', 'sabbatical ulcer payrise', DISCORD_STRANGER)).toLowerCase();
    for (const secret of ['payrise talk', 'sabbatical plan', 'the ulcer']) expect(discordReply).not.toContain(secret);
    // The control: the owner is offered the private ones.
    expect((await discordCommand('resurface', 'words', 'sabbatical ulcer', FAKE_USER)).toLowerCase()).toContain('sabbatical plan');
  });

  it('the Slack home tab lists the second person none of the owner\'s notes, nor counts them', async () => {
    expect((await postEvent(eventsUrl, homeOpenedEvent(SLACK_STRANGER))).status).toBe(200);
    const theirs = JSON.stringify(await slackFake.waitForView(SLACK_STRANGER)).toLowerCase();
    expect(theirs).toContain('delta trip');
    for (const secret of ['payrise talk', 'sabbatical plan', 'the ulcer']) expect(theirs).not.toContain(secret);
    expect(theirs).toContain('performance tuning of libgit2 over nfs by contributing patches to upstream');
    expect(theirs).toMatch(/patches to upstream[^}]*1 article, 0 notes/);
    expect(theirs).not.toContain('payrise');
    expect((await postEvent(eventsUrl, homeOpenedEvent(SLACK_OWNER))).status).toBe(200);
    const owners = JSON.stringify(await slackFake.waitForView(SLACK_OWNER)).toLowerCase();
    expect(owners).toContain('payrise talk');
    expect(owners).toMatch(/patches to upstream[^}]*1 article, 1 note\b/);
  });
});
