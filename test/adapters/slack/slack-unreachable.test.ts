/**
 * Slack that cannot be reached, or that refuses the tokens: start() gives up
 * within its budget with one clear error, through the real Bolt app. And a
 * Socket Mode connection lost after a good start: Bolt reconnects; one that
 * cannot be brought back is reported through onFatal.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../../src/adapters/slack/slack.ts';
import type { SlackConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/core/index.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.ts';

const BUDGET_MS = 800;
let ctx: TestContext;
const adapters: SlackAdapter[] = [];
const fakes: FakeSlack[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  for (const adapter of adapters) await adapter.stop().catch(() => {});
  for (const fake of fakes) await fake.close().catch(() => {});
  await ctx?.close();
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function fakeSlack(options: Parameters<typeof startFakeSlack>[0] = {}): Promise<FakeSlack> {
  const fake = await startFakeSlack(options);
  fakes.push(fake);
  return fake;
}

function slack(config: Partial<SlackConfig> & { apiUrl: string }, options: SlackAdapterOptions = {}, onFatal?: (error: Error) => void): SlackAdapter {
  const adapter = createSlackAdapter(
    { botToken: BOT_TOKEN, port: 0, ...config },
    { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger(), ...(onFatal ? { onFatal } : {}) },
    { host: '127.0.0.1', startTimeoutMs: BUDGET_MS, ...options },
  );
  adapters.push(adapter);
  return adapter;
}

/** How long `work` takes to reject, and with what message. */
async function rejection(work: Promise<unknown>): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    return { message: (error as Error).message, ms: Date.now() - started };
  }
  throw new Error('expected a rejection');
}

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const opens = (fake: FakeSlack) => fake.calls.filter((call) => call.method === 'apps.connections.open').length;

describe('start() when Slack cannot be reached', () => {
  it('HTTP mode: gives up within the budget, naming the URL and SLACK_API_URL, without opening its port', async () => {
    const port = await closedPort();
    const adapter = slack({ signingSecret: SIGNING_SECRET, apiUrl: `http://127.0.0.1:${port}/api/` });
    const { message, ms } = await rejection(adapter.start());
    expect(message).toBe(
      `slack: cannot reach Slack at http://127.0.0.1:${port}/api/ within 0.8 s (ECONNREFUSED) — check the network or SLACK_API_URL`,
    );
    // It retried for most of the budget, and stopped at it.
    expect(ms).toBeGreaterThanOrEqual(BUDGET_MS / 2);
    expect(ms).toBeLessThan(BUDGET_MS + 500);
    expect(adapter.port).toBeUndefined();
  });

  it('Socket Mode: the same, before any websocket', async () => {
    const port = await closedPort();
    const adapter = slack({ appToken: APP_TOKEN, apiUrl: `http://127.0.0.1:${port}/api/` });
    const { message, ms } = await rejection(adapter.start());
    expect(message).toBe(
      `slack: cannot reach Slack at http://127.0.0.1:${port}/api/ within 0.8 s (ECONNREFUSED) — check the network or SLACK_API_URL`,
    );
    expect(ms).toBeLessThan(BUDGET_MS + 500);
  });

  it('rides out a Slack that answers 503 for a moment', async () => {
    const fake = await fakeSlack();
    fake.failNext('auth.test', 2);
    const adapter = slack({ signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl }, { startTimeoutMs: 5000 });
    await adapter.start();
    expect(fake.calls.filter((call) => call.method === 'auth.test')).toHaveLength(3);
    expect((await fetch(`http://127.0.0.1:${adapter.port}/healthz`)).status).toBe(200);
  });

  it('a refused bot token fails at once, before Socket Mode connects', async () => {
    const fake = await fakeSlack();
    const adapter = slack({ botToken: 'xoxb-revoked', appToken: APP_TOKEN, apiUrl: fake.apiUrl });
    const { message, ms } = await rejection(adapter.start());
    expect(message).toBe('slack: auth.test refused the bot token (invalid_auth) — check SLACK_BOT_TOKEN (xoxb-…)');
    expect(ms).toBeLessThan(BUDGET_MS / 2);
    expect(opens(fake)).toBe(0);
  });

  it('a wrong SLACK_API_URL (an HTTP server that is not Slack) fails at once, naming the variable', async () => {
    const fake = await fakeSlack();
    const wrong = fake.apiUrl.replace(/\/api\/$/, '/not-slack/');
    const { message, ms } = await rejection(slack({ signingSecret: SIGNING_SECRET, apiUrl: wrong }).start());
    expect(message).toBe(`slack: ${wrong} answered auth.test with HTTP 404 Not Found — check SLACK_API_URL`);
    expect(ms).toBeLessThan(BUDGET_MS / 2);
  });

  it('Socket Mode: a websocket that never says hello gives up within the budget and stops trying', async () => {
    const fake = await fakeSlack({ silentSocket: true });
    const adapter = slack({ appToken: APP_TOKEN, apiUrl: fake.apiUrl }, { startTimeoutMs: 1000 });
    const { message, ms } = await rejection(adapter.start());
    const host = new URL(fake.apiUrl).host;
    expect(message).toBe(
      `slack: Socket Mode could not connect to ${host} within 1 s (no hello from Slack) — check the network: a proxy or firewall may block websockets`,
    );
    expect(ms).toBeLessThan(1500);
    const tries = opens(fake);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(opens(fake)).toBe(tries);
  });
});

describe('Socket Mode after a good start', () => {
  let fake: FakeSlack;
  const fatal: Error[] = [];

  beforeAll(async () => {
    fake = await fakeSlack();
  });

  async function started(onFatal: (error: Error) => void = (error) => void fatal.push(error)): Promise<SlackAdapter> {
    const adapter = slack({ appToken: APP_TOKEN, apiUrl: fake.apiUrl }, { socketPingTimeoutMs: 200 }, onFatal);
    await adapter.start();
    return adapter;
  }

  /** Sends /topics until a connected client acknowledges it. */
  async function answered(): Promise<unknown> {
    let ack: unknown;
    await until('an acknowledged envelope', async () => {
      ack = await fake
        .sendEnvelope('slash_commands', { command: '/topics', text: '', user_id: 'U0ANY', channel_id: 'C0', response_url: fake.responseUrl(), trigger_id: `t.${Date.now()}` }, { timeoutMs: 500 })
        .catch(() => undefined);
      return ack !== undefined;
    });
    return ack;
  }

  it('reconnects after a dropped connection, and answers again', async () => {
    const adapter = await started();
    await answered();
    const before = opens(fake);
    fake.dropSockets();
    await until('a new apps.connections.open', () => opens(fake) > before);
    expect(await answered()).toMatchObject({ payload: { response_type: 'in_channel' } });
    expect(fatal).toEqual([]);
    await adapter.stop();
  });

  it('stop() while a reconnect is under way ends quietly, with no onFatal', async () => {
    const adapter = await started();
    await answered();
    const before = opens(fake);
    fake.setSilentSocket(true);
    fake.dropSockets();
    await until('a reconnect waiting for hello', () => opens(fake) > before);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await adapter.stop();
    fake.setSilentSocket(false);
    // A reconnect whose failure nobody caught would surface as an unhandled rejection here.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fatal).toEqual([]);
  });

  it('reports a connection that Slack will not let back (a revoked app token) through onFatal', async () => {
    const errors: Error[] = [];
    await started((error) => errors.push(error));
    await answered();
    fake.revokeAppToken();
    fake.dropSockets();
    await until('onFatal', () => errors.length > 0);
    expect(errors.map((error) => error.message)).toEqual([
      'slack: lost the Socket Mode connection and Slack refused to reconnect (invalid_auth) — check SLACK_APP_TOKEN (xapp-… with connections:write)',
    ]);
  });

  it('reports a Slack that is gone when reconnecting through onFatal', async () => {
    const gone = await fakeSlack();
    const errors: Error[] = [];
    const adapter = slack({ appToken: APP_TOKEN, apiUrl: gone.apiUrl }, { socketPingTimeoutMs: 200 }, (error) => errors.push(error));
    await adapter.start();
    await gone.close();
    await until('onFatal', () => errors.length > 0);
    expect(errors.map((error) => error.message)).toEqual([
      `slack: lost the Socket Mode connection and cannot reach Slack at ${gone.apiUrl} to reconnect (ECONNREFUSED) — check the network or SLACK_API_URL`,
    ]);
    expect(fatal).toEqual([]);
  });
});
