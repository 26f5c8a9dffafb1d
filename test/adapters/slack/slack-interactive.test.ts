/**
 * Buttons and the Home tab, through the real Bolt app over HTTP and Socket
 * Mode, against the Slack stand-in (which refuses what Slack would refuse):
 * a reply's actions as a "More results" button, a press answered as the
 * presser, replacing the ephemeral message; `app_home_opened` published as a
 * Home view and refreshed when notes change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack.ts';
import { renderSlackHome } from '../../../src/adapters/slack/slack-format.ts';
import { buildSlackManifest } from '../../../src/adapters/slack/slack-manifest.ts';
import { commands } from '../../../commands/index.ts';
import { silentLogger, type Dispatcher } from '../../../src/core/index.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import {
  APP_TOKEN,
  BOT_TOKEN,
  SIGNING_SECRET,
  blockActionsPayload,
  eventCallback,
  homeOpenedEvent,
  interactiveBody,
  postEvent,
  postSigned,
  slackHomeViewProblems,
  slashCommandBody,
  startFakeSlack,
  type FakeSlack,
  type RespondBody,
} from '../../helpers/fake-slack.ts';
import { dispatcherWith, homeCommand, pager } from '../../helpers/test-commands.ts';

const PROFILE = '# Ada\n\n## Current topics\n\n- Herons and their nests\n';
const ARTICLES = { 'birds/herons.md': '# Herons\n\nGrey herons nest in colonies called heronries.\n' };

let fake: FakeSlack;
let ctx: TestContext;
let dispatcher: Dispatcher;
let adapter: SlackAdapter;
let eventsUrl: string;

beforeAll(async () => {
  fake = await startFakeSlack();
  ctx = await createTestContext({ profile: PROFILE, articles: ARTICLES, noteWriters: ['slack:U0OWNER'] });
  dispatcher = dispatcherWith(ctx, [pager, homeCommand()], ['slack:U0OWNER', 'slack:U0BOB']);
  adapter = createSlackAdapter(
    { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
    { dispatcher, logger: silentLogger() },
    { host: '127.0.0.1', homeRefreshMs: 100 },
  );
  await adapter.start();
  eventsUrl = `http://127.0.0.1:${adapter.port}/slack/events`;
});

afterAll(async () => {
  await adapter?.stop();
  await ctx?.close();
  await fake?.close();
});

type Button = { type: string; text: { type: string; text: string }; action_id: string; value: string };
const buttonsOf = (message: RespondBody | undefined): Button[] =>
  (message?.blocks ?? []).filter((block) => block.type === 'actions').flatMap((block) => block.elements as Button[]);

async function slash(command: string, text: string, user = 'U0OWNER'): Promise<RespondBody> {
  const res = await postSigned(eventsUrl, slashCommandBody({ command, text, user_id: user, response_url: fake.responseUrl() }));
  expect(res.status).toBe(200);
  return (await res.json()) as RespondBody;
}

async function press(value: string, options: { user?: string; ephemeral?: boolean } = {}): Promise<RespondBody> {
  const id = `press-${Math.random().toString(36).slice(2)}`;
  const payload = blockActionsPayload({ response_url: fake.responseUrl(id), value, user_id: options.user ?? 'U0OWNER', ephemeral: options.ephemeral ?? true });
  const res = await postSigned(eventsUrl, interactiveBody(payload));
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
  return fake.waitForResponse(id);
}

describe('a reply with actions', () => {
  it('carries a "More results" button that runs the action', async () => {
    const first = await slash('/pager', '');
    expect(first.text).toBe('page 1, for U0OWNER');
    const [button] = buttonsOf(first);
    expect(button).toMatchObject({ type: 'button', text: { type: 'plain_text', text: 'More results' }, action_id: 'tinker_action_0' });
    // The button is last, after the reply's own blocks.
    expect(first.blocks?.at(-1)?.type).toBe('actions');

    const second = await press(button!.value);
    expect(second).toMatchObject({ text: 'page 2, for U0OWNER', response_type: 'ephemeral', replace_original: true });
    const third = await press(buttonsOf(second)[0]!.value);
    expect(third.text).toBe('page 3, for U0OWNER');
    expect(buttonsOf(third)).toEqual([]);
  });

  it('runs as the person who pressed it, and answers a press on a public message with a new ephemeral one', async () => {
    const [button] = buttonsOf(await slash('/pager', ''));
    const answer = await press(button!.value, { user: 'U0BOB', ephemeral: false });
    expect(answer.text).toBe('page 2, for U0BOB');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.replace_original).toBeUndefined();
  });

  it('keeps an action too long for a button value, and says so plainly when one has expired', async () => {
    const long = 'x'.repeat(2100);
    const [button] = buttonsOf(await slash('/pager', long));
    expect(button!.value.length).toBeLessThanOrEqual(2000);
    expect((await press(button!.value)).text).toBe('page 2, for U0OWNER (2100 characters more)');
    const expired = await press(button!.value.replace(/m:.*/, 'm:gone.0'));
    expect(expired.text).toBe('slack: this button has expired — please run the command again.');
  });

  it('checks permission for a pressed button as for a typed command', async () => {
    const value = buttonsOf(await slash('/pager', ''))[0]!.value.replace('"pager"', '"note"').replace(/"page:2"/, '"pressed into a note"');
    expect((await press(value, { user: 'U0MALLORY' })).text).toBe('note: only the owner can change notes or topics here — nothing was changed.');
  });
});

describe('the Home tab', () => {
  it('publishes the home command’s reply for the person who opened it, as a valid Home view', async () => {
    const res = await postEvent(eventsUrl, homeOpenedEvent('U0OWNER'));
    expect(res.status).toBe(200);
    const view = await fake.waitForView('U0OWNER');
    expect(view.type).toBe('home');
    expect(view.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'tinker for U0OWNER' } });
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*Latest notes*');
    expect(text).toContain('no notes yet');
    // The unlisted home command is not among the commands it lists.
    expect(text).toContain('/pager');
    expect(text).not.toContain('/home');
    // No buttons in the Home tab: a press there has no response_url to answer through.
    expect(view.blocks.some((block) => block.type === 'actions')).toBe(false);
  });

  it('publishes nothing for the Messages tab', async () => {
    await postEvent(eventsUrl, homeOpenedEvent('U0MSGS', 'messages'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.views('U0MSGS')).toEqual([]);
  });

  it('is published again, for those who opened it, when a note is saved', async () => {
    await postEvent(eventsUrl, homeOpenedEvent('U0BOB'));
    await fake.waitForView('U0BOB');
    const before = fake.views('U0OWNER').length;
    expect((await slash('/note', 'herons fish at dawn #birds')).text).toMatch(/^Saved note/);
    const refreshed = await fake.waitForView('U0OWNER', { index: before, timeoutMs: 5000 });
    expect(JSON.stringify(refreshed.blocks)).toContain('herons fish at dawn #birds');
    expect(JSON.stringify((await fake.waitForView('U0BOB', { index: 1, timeoutMs: 5000 })).blocks)).toContain('herons fish at dawn');
    // One refresh for a burst of changes, not one per change.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fake.views('U0OWNER').length).toBe(before + 1);
    expect(fake.views('U0MSGS')).toEqual([]);
  });

  it('arrives over Socket Mode too', async () => {
    const socketFake = await startFakeSlack();
    const socket = createSlackAdapter(
      { botToken: BOT_TOKEN, appToken: APP_TOKEN, port: 0, apiUrl: socketFake.apiUrl },
      { dispatcher, logger: silentLogger() },
      { homeRefreshMs: 100 },
    );
    try {
      await socket.start();
      await socketFake.socketConnected();
      await socketFake.sendEnvelope('events_api', eventCallback(homeOpenedEvent('U0SOCK')));
      expect((await socketFake.waitForView('U0SOCK')).blocks[0]).toMatchObject({ text: { text: 'tinker for U0SOCK' } });
      // And a button press over the socket, answered via response_url.
      const [button] = buttonsOf((await socketFake.sendEnvelope('slash_commands', {
        command: '/pager', text: '', user_id: 'U0SOCK', user_name: 'sock', channel_id: 'C0', response_url: socketFake.responseUrl(), trigger_id: '1.2.sock',
      })).payload as RespondBody);
      await socketFake.sendEnvelope('interactive', blockActionsPayload({ response_url: socketFake.responseUrl('sock-press'), value: button!.value, user_id: 'U0SOCK' }));
      expect((await socketFake.waitForResponse('sock-press')).text).toBe('page 2, for U0SOCK');
    } finally {
      await socket.stop();
      await socketFake.close();
    }
  });

  it('fits a long home reply into Slack’s 100 blocks, saying what was left out', async () => {
    const big = dispatcherWith(ctx, [homeCommand({ items: 400 })]);
    const home = await big.dispatch({ command: 'home', text: '', user: { platform: 'slack', id: 'U0BIG', name: 'big' }, origin: { platform: 'slack' } });
    const view = renderSlackHome(home);
    expect(view.blocks).toHaveLength(100);
    expect(slackHomeViewProblems(view)).toEqual([]);
    expect(JSON.stringify(view.blocks.at(-1))).toMatch(/more parts? not shown \(Slack shows at most 100 blocks\)/);
  });
});

describe('the Slack stand-in refuses views Slack would refuse', () => {
  const section = { type: 'section', text: { type: 'mrkdwn', text: 'hello' } };
  it('names each problem', () => {
    expect(slackHomeViewProblems({ type: 'home', blocks: [section] })).toEqual([]);
    expect(slackHomeViewProblems({ type: 'modal', blocks: [section] })).toEqual(['view.type: modal (must be home)']);
    expect(slackHomeViewProblems({ type: 'home', blocks: Array.from({ length: 101 }, () => section) })).toEqual(['101 blocks (at most 100)']);
    expect(slackHomeViewProblems({ type: 'home', blocks: [] })).toEqual(['view.blocks: empty']);
    expect(slackHomeViewProblems({ type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] })).toEqual([
      'blocks[0] header: text of 151 characters (at most 150)',
    ]);
    expect(slackHomeViewProblems({ type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ' ' } }, { type: 'image' }] })).toEqual([
      'blocks[0] section: empty text',
      'blocks[1]: unknown type image',
    ]);
    const button = { type: 'button', text: { type: 'plain_text', text: 'Go' }, action_id: 'a', value: 'v' };
    expect(slackHomeViewProblems({ type: 'home', blocks: [{ type: 'actions', elements: [button, button] }] })).toEqual([
      'blocks[0].elements[1]: action_id a is not unique',
    ]);
    expect(slackHomeViewProblems({ type: 'home', blocks: [{ type: 'actions', elements: [{ ...button, text: { type: 'mrkdwn', text: 'x'.repeat(76) } }] }] })).toEqual([
      'blocks[0].elements[0] button: must be plain_text',
      'blocks[0].elements[0] button: text of 76 characters (at most 75)',
    ]);
  });

  it('answers views.publish with invalid_arguments and publishes nothing', async () => {
    const res = await fetch(`${fake.apiUrl}views.publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'U0BAD', view: { type: 'modal', blocks: [] } }),
    });
    expect(await res.json()).toEqual({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['view.type: modal (must be home)', 'view.blocks: empty'] },
    });
    expect(fake.views('U0BAD')).toEqual([]);
  });
});

describe('the manifest', () => {
  it('declares the Home tab and app_home_opened only when there is a home command (commands/ has one)', () => {
    expect(commands.some((command) => command.name === 'home')).toBe(true);
    const withHome = buildSlackManifest(commands, { httpBaseUrl: 'https://bot.example.com' });
    expect(withHome.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: false, messages_tab_read_only_enabled: false });
    expect(withHome.settings.event_subscriptions).toEqual({ bot_events: ['app_home_opened'], request_url: 'https://bot.example.com/slack/events' });
    expect(withHome.features.slash_commands.map((c) => c.command)).not.toContain('/home');
    expect(withHome.oauth_config.scopes.bot).toEqual(['commands']);
    expect(buildSlackManifest(commands).settings.event_subscriptions).toEqual({ bot_events: ['app_home_opened'] });
    const without = buildSlackManifest(commands.filter((command) => command.name !== 'home'));
    expect(without.features.app_home).toBeUndefined();
    expect(without.settings.event_subscriptions).toBeUndefined();
  });
});
