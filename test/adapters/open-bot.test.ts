/**
 * An open bot (NOTE_WRITERS empty) says so, once per person, on Slack and
 * Discord: a one-line hint on their first ephemeral reply, remembered in the
 * store so that a restart does not show it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord.ts';
import type { Adapter } from '../../src/adapters/adapter.ts';
import { OPEN_BOT_HINT, createDispatcher, silentLogger } from '../../src/core/index.ts';
import { commands } from '../../commands/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { FAKE_USER, startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import { startSlackDriver, type SlackDriver } from '../helpers/fake-slack.ts';

let ctx: TestContext;
let slack: SlackDriver;
let fake: FakeDiscord;
let discord: Adapter;

beforeAll(async () => {
  ctx = await createTestContext({ profile: '# Ada\n\n## Current topics\n\n- herons\n', articles: {}, noteWriters: [] });
  slack = await startSlackDriver({ dispatcher: ctx.dispatcher, logger: silentLogger() });
  fake = await startFakeDiscord();
  discord = createDiscordAdapter({ token: 't', applicationId: fake.applicationId, apiUrl: fake.apiUrl }, { dispatcher: ctx.dispatcher, logger: silentLogger() });
  await discord.start();
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await slack?.stop();
  await ctx?.close();
});

describe('the open-bot hint', () => {
  it('comes once on Slack, on the first ephemeral reply', async () => {
    const first = await slack.command('help', '', { user_id: 'U0NEW' });
    expect(JSON.stringify(first.message?.blocks)).toContain(OPEN_BOT_HINT);
    const second = await slack.command('help', '', { user_id: 'U0NEW' });
    expect(JSON.stringify(second.message?.blocks)).not.toContain('This bot is open');
  });

  it('comes once on Discord', async () => {
    const description = async () => {
      const result = await fake.interact(fake.chatInput('help'));
      return (result.callback.data as { embeds: Array<{ description?: string }> }).embeds[0]!.description ?? '';
    };
    expect(await description()).toContain("This bot is open: anyone here can save notes and edit the owner's topics");
    expect(await description()).not.toContain('This bot is open');
  });

  it('is remembered in the store: a restarted dispatcher on it does not show it again', async () => {
    expect(await ctx.store.recall(`hint:open:discord:${FAKE_USER.id}`)).toBe(true);
    const restarted = createDispatcher(commands, { kb: ctx.kb, searchLimit: 5, noteWriters: [] }, silentLogger(), { memory: ctx.store });
    const user = { platform: 'slack', id: 'U0NEW', name: 'new' };
    expect((await restarted.dispatch({ command: 'help', text: '', user, origin: { platform: 'slack' } })).sections.map((s) => s.type)).toEqual(['list']);
  });
});
