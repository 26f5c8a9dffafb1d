/**
 * What both platform adapters share around dispatch: a deadline that never
 * throws, stop() waiting for replies in progress (so the store is not closed
 * under a /note), and, for Discord, a gateway closed for good reported as fatal.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord.ts';
import { createInFlight, dispatchWithin, within } from '../../src/core/index.ts';
import { createSlackAdapter } from '../../src/adapters/slack/slack.ts';
import type { Adapter } from '../../src/adapters/adapter.ts';
import { GENERIC_FAILURE, reply, silentLogger, type Dispatcher } from '../../src/core/index.ts';
import { pino } from 'pino';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { freePort } from '../helpers/servers.ts';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, postSigned, slashCommandBody, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const GUILD = '3300000000000000001';
const CHANNEL = '2200000000000000009';
const IN_GUILD = { guildId: GUILD, channelId: CHANNEL };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real dispatcher, with `slowMs` added before the named commands; records when each dispatch entered and finished. */
function slowDispatcher(real: Dispatcher, commands: string[], slowMs: number) {
  const events: string[] = [];
  let entered: () => void = () => {};
  const enteredOnce = new Promise<void>((resolve) => (entered = resolve));
  const dispatcher: Dispatcher = {
    ...real,
    async dispatch(invocation) {
      if (!commands.includes(invocation.command)) return real.dispatch(invocation);
      events.push(`enter ${invocation.command}`);
      entered();
      await new Promise((resolve) => setTimeout(resolve, slowMs));
      const answer = await real.dispatch(invocation);
      events.push(`done ${invocation.command}`);
      return answer;
    },
  };
  return { dispatcher, events, entered: enteredOnce };
}

async function context(): Promise<TestContext> {
  const ctx = await createTestContext();
  cleanups.push(() => ctx.close());
  return ctx;
}

describe('dispatch within a deadline', () => {
  it('gives the reply early when it is quick, and later (never a rejection) when it is slow or throws', async () => {
    const quick: Dispatcher = {
      commands: [],
      find: () => undefined,
      permits: () => true,
      complete: async () => [],
      onChange: () => () => {},
      dispatch: async () => reply('quick'),
      withCommands: () => quick,
    };
    const fast = await dispatchWithin(quick, invocation(), 200, silentLogger());
    expect(fast.early?.text).toBe('quick');

    const slow: Dispatcher = { ...quick, dispatch: () => new Promise((resolve) => setTimeout(() => resolve(reply('slow')), 100)) };
    const late = await dispatchWithin(slow, invocation(), 10, silentLogger());
    expect(late.early).toBeUndefined();
    expect((await late.result).text).toBe('slow');

    const broken: Dispatcher = {
      ...quick,
      dispatch: () => {
        throw new Error('boom');
      },
    };
    const failed = await dispatchWithin(broken, invocation(), 100, silentLogger());
    expect(failed.early).toEqual(reply(GENERIC_FAILURE, { tone: 'error' }));
    expect(await within(new Promise(() => {}), 5)).toBeUndefined();
  });

  it('drains work in progress, bounded', async () => {
    const inFlight = createInFlight();
    let done = false;
    void inFlight.track(new Promise<void>((resolve) => setTimeout(() => ((done = true), resolve()), 50)));
    expect(inFlight.size).toBe(1);
    expect(await inFlight.drain(1000)).toBe(true);
    expect(done).toBe(true);
    void inFlight.track(new Promise(() => {}));
    const started = Date.now();
    expect(await inFlight.drain(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

function invocation() {
  return { command: 'x', text: '', user: { platform: 'test', id: 'u', name: 'u' }, origin: { platform: 'test' } };
}

describe('stop() waits for replies in progress', () => {
  it('Slack: a /note still running when stop() is called is saved and answered first', async () => {
    const ctx = await context();
    const slow = slowDispatcher(ctx.dispatcher, ['note'], 500);
    const fake: FakeSlack = await startFakeSlack();
    cleanups.push(() => fake.close());
    const adapter = createSlackAdapter(
      { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
      { dispatcher: slow.dispatcher, logger: silentLogger() },
      // Acknowledged at once: the reply follows via response_url, after the HTTP request has ended.
      { host: '127.0.0.1', ackBudgetMs: 50 },
    );
    await adapter.start();
    const acked = await postSigned(
      `http://127.0.0.1:${adapter.port}/slack/events`,
      slashCommandBody({ command: '/note', text: 'saved while stopping #stop', response_url: fake.responseUrl('stopping') }),
    );
    expect(await acked.text()).toBe('');
    await slow.entered;
    await adapter.stop();
    slow.events.push('stopped');
    expect(slow.events).toEqual(['enter note', 'done note', 'stopped']);
    expect((await fake.waitForResponse('stopping')).text).toMatch(/^Saved note [0-9a-z]{10} \(#stop\)\.$/);
  });

  it('Slack Socket Mode: a /note still running when stop() is called is saved and answered first', async () => {
    const ctx = await context();
    const slow = slowDispatcher(ctx.dispatcher, ['note'], 500);
    const fake: FakeSlack = await startFakeSlack();
    cleanups.push(() => fake.close());
    const adapter = createSlackAdapter(
      { botToken: BOT_TOKEN, appToken: APP_TOKEN, port: 3000, apiUrl: fake.apiUrl },
      { dispatcher: slow.dispatcher, logger: silentLogger() },
      { ackBudgetMs: 50 },
    );
    await adapter.start();
    await fake.socketConnected();
    await fake.sendEnvelope('slash_commands', {
      command: '/note',
      text: 'saved while stopping #stop',
      user_id: 'U0OWNER',
      user_name: 'owner',
      channel_id: 'C0SOCK',
      response_url: fake.responseUrl('socket-stopping'),
      trigger_id: '1.2.stopping',
    });
    await slow.entered;
    await adapter.stop();
    slow.events.push('stopped');
    expect(slow.events).toEqual(['enter note', 'done note', 'stopped']);
    expect((await fake.waitForResponse('socket-stopping')).text).toMatch(/^Saved note [0-9a-z]{10} \(#stop\)\.$/);
  });

  it('Discord: a /note still running when stop() is called is saved and answered first', async () => {
    const ctx = await context();
    const slow = slowDispatcher(ctx.dispatcher, ['note'], 500);
    const { fake, adapter } = await discord(ctx, slow.dispatcher);
    const answer = fake.interact(fake.chatInput('note', { text: 'saved while stopping #stop' }, IN_GUILD));
    await slow.entered;
    await adapter.stop();
    slow.events.push('stopped');
    expect(slow.events).toEqual(['enter note', 'done note', 'stopped']);
    const { callback } = await answer;
    expect((callback.data as { embeds: { title: string }[] }).embeds[0]!.title).toMatch(/^Saved note [0-9a-z]{10} \(#stop\)\.$/);
  });
});

async function discord(
  ctx: TestContext,
  dispatcher: Dispatcher,
  extra: { onFatal?: (error: Error) => void; deferAfterMs?: number } = {},
): Promise<{ fake: FakeDiscord; adapter: Adapter }> {
  const fake = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }] }] });
  cleanups.push(() => fake.close());
  const adapter = createDiscordAdapter(
    { token: 'test-bot-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    { dispatcher, logger: silentLogger(), ...(extra.onFatal ? { onFatal: extra.onFatal } : {}) },
    extra.deferAfterMs !== undefined ? { deferAfterMs: extra.deferAfterMs } : {},
  );
  await adapter.start();
  cleanups.push(() => adapter.stop());
  return { fake, adapter };
}

describe('Discord: the gateway closed for good', () => {
  it('is reported through onFatal with a message fit to print', async () => {
    const ctx = await context();
    const fatal: Error[] = [];
    const { fake } = await discord(ctx, ctx.dispatcher, { onFatal: (error) => fatal.push(error) });
    fake.closeGateway(4004);
    const deadline = Date.now() + 5000;
    while (fatal.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fatal.map((error) => error.message)).toEqual([
      "discord: the gateway closed the connection for good (code 4004) — check DISCORD_TOKEN and the bot's intents",
    ]);
  });
});

describe('Discord: an error after a public deferral', () => {
  it('shows only its one-line text in the channel, no sections', async () => {
    const ctx = await context();
    const failing: Dispatcher = {
      ...ctx.dispatcher,
      async dispatch(invocation) {
        if (invocation.command !== 'topics') return ctx.dispatcher.dispatch(invocation);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return reply('topics: the profile could not be read', { tone: 'error', sections: [{ type: 'text', text: 'internal detail' }] });
      },
    };
    const { fake } = await discord(ctx, failing, { deferAfterMs: 50 });
    const result = await fake.interact(fake.chatInput('topics', {}, IN_GUILD));
    // Deferred publicly, as /topics is public.
    expect(result.callback).toEqual({ type: 5, data: { flags: 0 } });
    expect((result.edit as { embeds: unknown[] }).embeds).toEqual([{ title: 'topics: the profile could not be read', color: 0xed4245 }]);
  });
});

describe('Discord: a start that cannot reach Discord', () => {
  it('gives up within its budget with one line naming DISCORD_API_URL, when the API never answers', async () => {
    // Accepts connections and never answers: discord.js's own REST timeout (15 s) is longer than the budget.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const apiUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api`;
    const ctx = await context();
    const adapter = createDiscordAdapter({ token: 't', applicationId: '1', apiUrl }, { dispatcher: ctx.dispatcher, logger: silentLogger() }, { startTimeoutMs: 1000 });
    const started = Date.now();
    await expect(adapter.start()).rejects.toThrow(`discord: could not reach Discord at ${apiUrl} within 1 s — check the network or DISCORD_API_URL`);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('keeps trying while nothing answers (a network that comes up with the bot), then says why within CONNECT_TIMEOUT', async () => {
    const apiUrl = `http://127.0.0.1:${await freePort()}/api`;
    const ctx = await context();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const adapter = createDiscordAdapter({ token: 't', applicationId: '1', apiUrl }, { dispatcher: ctx.dispatcher, logger }, { startTimeoutMs: 1200 });
    const started = Date.now();
    await expect(adapter.start()).rejects.toThrow(`discord: could not reach Discord at ${apiUrl} within 1.2 s (ECONNREFUSED) — check the network or DISCORD_API_URL`);
    // Not at once: the refused connection was tried again until the budget was spent.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
    expect(lines.filter((line) => line.includes('discord: cannot reach Discord yet, retrying'))).toHaveLength(1);
  });

  it('connects once Discord answers within the budget', async () => {
    const port = await freePort();
    const ctx = await context();
    const adapter = createDiscordAdapter(
      { token: 'later-token', applicationId: '1100000000000000000', apiUrl: `http://127.0.0.1:${port}/api` },
      { dispatcher: ctx.dispatcher, logger: silentLogger() },
      { startTimeoutMs: 15_000 },
    );
    cleanups.push(() => adapter.stop());
    const starting = adapter.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    const fake = await startFakeDiscord({ port });
    cleanups.push(() => fake.close());
    await starting;
    const result = await fake.interact(fake.chatInput('help', {}, IN_GUILD));
    expect(result.callback.type).toBe(4);
  });

  it('gives up at once when the address answers but is not Discord’s API (a proxy’s page)', async () => {
    const proxy = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>not here</html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const apiUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api`;
    const ctx = await context();
    const adapter = createDiscordAdapter({ token: 't', applicationId: '1', apiUrl }, { dispatcher: ctx.dispatcher, logger: silentLogger() }, { startTimeoutMs: 5000 });
    const started = Date.now();
    await expect(adapter.start()).rejects.toThrow(`discord: ${apiUrl} answered with HTTP 404, not as Discord's API does — check DISCORD_API_URL`);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
