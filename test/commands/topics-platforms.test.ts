/**
 * /topics edits through the real adapters: Slack over HTTP (signed requests
 * into Bolt, a stand-in Web API) and Discord (discord.js against the local
 * stand-in), as an owner and as someone else.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord.ts';
import type { Adapter } from '../../src/adapters/adapter.ts';
import { silentLogger } from '../../src/core/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { startFakeDiscord, type FakeDiscord, type FakeUser, type InteractionResult } from '../helpers/fake-discord.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack.ts';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  homeOpenedEvent,
  interactiveBody,
  postEvent,
  postSigned,
  slashCommandBody,
  startFakeSlack,
  startSlackDriver,
  type FakeSlack,
  type RespondBody,
  type SlackDriver,
} from '../helpers/fake-slack.ts';

const SLACK_OWNER = 'U0OWNER';
const SLACK_OTHER = 'U0OTHER';
const DISCORD_OWNER: FakeUser = { id: '80351110224678912', username: 'owner', global_name: 'The Owner' };
const DISCORD_OTHER: FakeUser = { id: '90000000000000002', username: 'carol', global_name: 'Carol' };
const GUILD = '3300000000000000001';
const CHANNEL = '2200000000000000009';
const EPHEMERAL = 64;

const profileText = (ctx: TestContext) => readFile(path.join(ctx.dataDir, 'profile.md'), 'utf8');

/** Every piece of text a Slack message shows. */
function slackText(message: RespondBody | undefined): string {
  return JSON.stringify(message ?? {});
}

describe('/topics edits over Slack (HTTP mode)', () => {
  let ctx: TestContext;
  let slack: SlackDriver;
  beforeAll(async () => {
    ctx = await createTestContext({ noteWriters: [`slack:${SLACK_OWNER}`], articles: {} });
    slack = await startSlackDriver({ dispatcher: ctx.dispatcher, logger: silentLogger() });
  });
  afterAll(async () => {
    await slack?.stop();
    await ctx?.close();
  });

  it('lets the owner add a topic, and the channel sees it in /topics', async () => {
    const { status, message } = await slack.command('topics', 'add Rate limiting at the edge & back', { user_id: SLACK_OWNER });
    expect(status).toBe(200);
    expect(message).toMatchObject({ response_type: 'ephemeral', text: 'Added "Rate limiting at the edge &amp; back" to Current topics.' });
    expect(await profileText(ctx)).toContain('\n- Rate limiting at the edge & back\n');
    const shown = await slack.command('topics', '', { user_id: SLACK_OTHER });
    expect(shown.message?.response_type).toBe('in_channel');
    expect(slackText(shown.message)).toContain('Rate limiting at the edge &amp; back');
  });

  it('refuses an edit from someone else and leaves the file alone', async () => {
    const before = await profileText(ctx);
    const { message } = await slack.command('topics', 'done rate limiting', { user_id: SLACK_OTHER });
    expect(message).toMatchObject({ response_type: 'ephemeral', text: 'topics: only the owner can change notes or topics here — nothing was changed.' });
    expect(await profileText(ctx)).toBe(before);
  });

  it('offers a button per candidate for an ambiguous topic; pressing one finishes that topic', async () => {
    const { message } = await slack.command('topics', 'done git repositories', { user_id: SLACK_OWNER });
    expect(message?.text).toMatch(/^topics: "git repositories" matches 2 topics in Current topics/);
    const actions = (message?.blocks ?? []).find((block) => block.type === 'actions') as { elements: Array<{ action_id: string; value: string; text: { text: string } }> } | undefined;
    expect(actions?.elements.map((e) => e.text.text)).toEqual([
      'Disaster recovery for customer git repositories',
      'Mirroring git repositories for redundancy with consistency …',
    ]);
    const button = actions!.elements[0]!;
    const responseId = 'pressed-topic';
    const res = await postSigned(
      slack.eventsUrl,
      interactiveBody({
        type: 'block_actions',
        user: { id: SLACK_OWNER, username: 'owner' },
        channel: { id: 'C0TEST' },
        container: { type: 'message', is_ephemeral: true, channel_id: 'C0TEST' },
        trigger_id: 'trigger-topics-1',
        response_url: slack.fake.responseUrl(responseId),
        actions: [{ type: 'button', action_id: button.action_id, value: button.value, block_id: 'b' }],
      }),
    );
    expect(res.status).toBe(200);
    const answer = await slack.fake.waitForResponse(responseId);
    expect(answer.text).toMatch(/^Moved "Disaster recovery for customer git repositories" from Current topics to Done \(\d{4}-\d{2}-\d{2}\)\.$/);
    expect(await profileText(ctx)).toMatch(/\n# Done\n- Disaster recovery for customer git repositories \(done \d{4}-\d{2}-\d{2}\)\n/);
  });
});

describe('/topics edits over Discord', () => {
  let ctx: TestContext;
  let fake: FakeDiscord;
  let adapter: Adapter;
  beforeAll(async () => {
    fake = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }] }] });
    ctx = await createTestContext({ noteWriters: [`discord:${DISCORD_OWNER.id}`], articles: {} });
    adapter = createDiscordAdapter(
      { token: 'test-bot-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, logger: silentLogger() },
    );
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    await ctx?.close();
  });

  const shown = (result: InteractionResult) =>
    (result.edit ?? result.callback.data ?? {}) as { flags?: number; embeds?: Array<{ title?: string; description?: string }> };

  it('takes "add <topic>" as the option\'s text (no closed list of choices refuses it)', async () => {
    const result = await fake.interact(fake.chatInput('topics', { what: 'plan Learn Zig' }, { guildId: GUILD, channelId: CHANNEL, user: DISCORD_OWNER }));
    const message = shown(result);
    expect(message.flags).toBe(EPHEMERAL);
    expect(JSON.stringify(message.embeds)).toContain('Added \\"Learn Zig\\" to Planned.');
    expect(await profileText(ctx)).toContain('- Distributed lock managers\n- Learn Zig\n');
  });

  it('refuses an edit from someone else', async () => {
    const before = await profileText(ctx);
    const result = await fake.interact(fake.chatInput('topics', { what: 'start zig' }, { guildId: GUILD, channelId: CHANNEL, user: DISCORD_OTHER }));
    expect(JSON.stringify(shown(result).embeds)).toContain('topics: only the owner can change notes or topics here — nothing was changed.');
    expect(await profileText(ctx)).toBe(before);
  });

  it('completes the topic an edit names while it is typed', async () => {
    const result = await fake.interact(fake.autocomplete('topics', 'what', 'start zi', { guildId: GUILD, channelId: CHANNEL, user: DISCORD_OWNER }));
    expect((result.callback.data as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toEqual(['start Learn Zig']);
    const other = await fake.interact(fake.autocomplete('topics', 'what', '', { guildId: GUILD, channelId: CHANNEL, user: DISCORD_OTHER }));
    expect((other.callback.data as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toEqual(['current', 'planned', 'interests', 'reading']);
  });
});

describe('/resurface through the adapters', () => {
  let ctx: TestContext;
  let slack: SlackDriver;
  let fake: FakeDiscord;
  let adapter: Adapter;
  const clock = { now: new Date('2024-11-01T10:00:00Z') };
  beforeAll(async () => {
    ctx = await createTestContext({
      noteWriters: [`slack:${SLACK_OWNER}`],
      articles: { 'nfs.md': '---\ntitle: Tuning libgit2 over NFS\ndate: 2024-03-02\n---\nPerformance tuning of libgit2 on NFS, a patch upstream.\n' },
      now: () => clock.now,
    });
    await ctx.kb.saveNote({
      text: 'libgit2 NFS performance tuning: salary talk notes',
      author: { platform: 'slack', id: SLACK_OWNER, name: 'owner' },
      source: { platform: 'slack', channel: 'C0TEST' },
    });
    clock.now = new Date('2025-01-15T10:00:00Z');
    slack = await startSlackDriver({ dispatcher: ctx.dispatcher, logger: silentLogger() });
    fake = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }] }] });
    adapter = createDiscordAdapter(
      { token: 'test-bot-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, logger: silentLogger() },
    );
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    await slack?.stop();
    await ctx?.close();
  });

  it('shows the owner, over Slack, their old note and write-up on the current topics', async () => {
    const { message } = await slack.command('resurface', '', { user_id: SLACK_OWNER });
    expect(message).toMatchObject({ response_type: 'ephemeral', text: '1 note and 1 write-up from over 30 days ago on your current topics' });
    expect(slackText(message)).toContain('salary talk notes');
    expect(slackText(message)).toContain('Tuning libgit2 over NFS');
  });

  it('shows someone else, over Discord, the write-up but never the owner\'s private note', async () => {
    const result = await fake.interact(fake.chatInput('resurface', { words: 'libgit2 nfs' }, { guildId: GUILD, channelId: CHANNEL, user: DISCORD_OTHER }));
    const message = shown(result);
    expect(message.flags).toBe(EPHEMERAL);
    const text = JSON.stringify(message.embeds);
    expect(text).toContain('Tuning libgit2 over NFS');
    expect(text).not.toContain('salary');
  });

  const shown = (result: InteractionResult) =>
    (result.edit ?? result.callback.data ?? {}) as { flags?: number; embeds?: Array<{ title?: string; description?: string }> };
});

describe('the Slack home tab: the home command\'s content, published and kept current', () => {
  let ctx: TestContext;
  let fake: FakeSlack;
  let adapter: SlackAdapter;
  let eventsUrl: string;
  beforeAll(async () => {
    ctx = await createTestContext({
      noteWriters: [`slack:${SLACK_OWNER}`],
      articles: { 'nfs.md': '# Tuning libgit2 over NFS\nPerformance tuning of libgit2 on NFS, a patch upstream.\n' },
    });
    await ctx.kb.saveNote({
      text: 'libgit2 NFS performance tuning: private salary notes',
      author: { platform: 'slack', id: SLACK_OWNER, name: 'owner' },
      source: { platform: 'slack', channel: 'C0TEST' },
    });
    fake = await startFakeSlack();
    adapter = createSlackAdapter(
      { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, logger: silentLogger() },
      { host: '127.0.0.1', homeRefreshMs: 100 },
    );
    await adapter.start();
    eventsUrl = `http://127.0.0.1:${adapter.port}/slack/events`;
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    await ctx?.close();
  });

  it('shows the owner the current topics with counts, their latest notes and the commands', async () => {
    expect((await postEvent(eventsUrl, homeOpenedEvent(SLACK_OWNER))).status).toBe(200);
    const text = JSON.stringify((await fake.waitForView(SLACK_OWNER)).blocks);
    expect(fake.refusedViews).toEqual([]);
    expect(text).toContain('Current topics');
    expect(text).toContain('1 article, 1 note');
    expect(text).toContain('private salary notes');
    expect(text).toContain('/resurface');
    expect(text).not.toContain('/home');
  });

  it('shows someone else neither the owner\'s private note nor it in the counts', async () => {
    await postEvent(eventsUrl, homeOpenedEvent(SLACK_OTHER));
    const text = JSON.stringify((await fake.waitForView(SLACK_OTHER)).blocks);
    expect(text).toContain('1 article, 0 notes');
    expect(text).not.toContain('salary');
  });

  it('is published again when the owner adds a topic from chat', async () => {
    const before = fake.views(SLACK_OWNER).length;
    const res = await postSigned(eventsUrl, slashCommandBody({ command: '/topics', text: 'add Herons and their nests', user_id: SLACK_OWNER, response_url: fake.responseUrl('home-add') }));
    expect(res.status).toBe(200);
    const refreshed = await fake.waitForView(SLACK_OWNER, { index: before, timeoutMs: 5000 });
    expect(JSON.stringify(refreshed.blocks)).toContain('Herons and their nests');
  });
});
