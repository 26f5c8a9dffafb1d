/**
 * The bot started the way a user starts it (`npm start` with the environment),
 * talking to the Slack stand-in, in HTTP mode and in Socket Mode.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNoteStore, silentLogger } from '../../../src/core/index.ts';
import { botTracker, type BotProcess } from '../../helpers/bot-process.ts';
import { makeDataDir } from '../../helpers/context.ts';
import {
  APP_TOKEN,
  BOT_TOKEN,
  SIGNING_SECRET,
  interactiveBody,
  messageShortcutPayload,
  postSigned,
  slashCommandBody,
  startFakeSlack,
  type FakeSlack,
} from '../../helpers/fake-slack.ts';
import { freePort } from '../../helpers/servers.ts';

const bots = botTracker();
const { npmStart, start } = bots;
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});

afterAll(async () => {
  await bots.cleanup();
  await fake?.close();
});

const output = (bot: BotProcess): string => bot.stdout() + bot.stderr();

async function until<T>(what: string, bot: BotProcess, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (bot.child.exitCode !== null) throw new Error(`${what}: the bot exited (${bot.child.exitCode}):\n${output(bot)}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms:\n${output(bot)}`);
}

async function tempData(): Promise<{ dataDir: string; storeUrl: string }> {
  const dataDir = await makeDataDir();
  bots.keep(dataDir);
  return { dataDir, storeUrl: `sqlite://${path.join(dataDir, 'notes.sqlite')}` };
}

describe('npm start with Slack configured', () => {
  it('HTTP mode: serves /healthz and answers signed slash commands and the shortcut; notes survive the process', async () => {
    const port = await freePort();
    const { dataDir, storeUrl } = await tempData();
    const bot = npmStart({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_PORT: String(port),
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      STORE_URL: storeUrl,
      NOTE_WRITERS: 'slack:U0OWNER',
    });
    const base = `http://127.0.0.1:${port}`;
    const healthz = async () => {
      const res = await fetch(`${base}/healthz`);
      return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
    };
    const health = await until('healthz', bot, healthz);
    // The route needs no sign-in: it counts only what anyone may read, never the (private) notes.
    expect(health).toEqual({ status: 'ok', mode: 'http', profileItems: 21, articles: 10 });

    const find = await postSigned(
      `${base}/slack/events`,
      slashCommandBody({ command: '/find', text: 'libgit2 nfs', response_url: fake.responseUrl() }),
    );
    expect(find.status).toBe(200);
    const found = (await find.json()) as { response_type: string; text: string };
    expect(found.response_type).toBe('ephemeral');
    expect(found.text).toMatch(/^\d+ results? for "libgit2 nfs"/);

    const note = await postSigned(
      `${base}/slack/events`,
      slashCommandBody({ command: '/note', text: 'started the way a user does #e2e', response_url: fake.responseUrl() }),
    );
    const saved = ((await note.json()) as { text: string }).text;
    const id = /^Saved note ([0-9a-z]{10}) \(#e2e\)\.$/.exec(saved)?.[1];
    expect(id, saved).toBeDefined();

    const responseId = 'npm-start-shortcut';
    await postSigned(
      `${base}/slack/events`,
      interactiveBody(messageShortcutPayload({ response_url: fake.responseUrl(responseId), text: 'from a thread #e2e', channel_id: 'C0NPM' })),
    );
    const shortcutAnswer = await fake.waitForResponse(responseId, { timeoutMs: 15_000 });
    expect(shortcutAnswer.text).toMatch(/^Saved note [0-9a-z]{10} \(#e2e\)\.$/);
    expect(await healthz()).toEqual({ status: 'ok', mode: 'http', profileItems: 21, articles: 10 });

    const refused = await postSigned(
      `${base}/slack/events`,
      slashCommandBody({ command: '/note', text: 'forged #e2e', response_url: fake.responseUrl() }),
      { secret: 'wrong' },
    );
    expect(refused.status).toBe(401);
    expect(fake.calls.some((call) => call.method === 'auth.test' && call.token === BOT_TOKEN)).toBe(true);
    expect(output(bot)).not.toContain('NOTE_WRITERS is empty');

    bot.signal('SIGTERM');
    await bot.exited;
    const store = await openNoteStore(storeUrl, { logger: silentLogger() });
    try {
      const notes = await store.loadAll();
      expect(notes.map((n) => n.text).sort()).toEqual(['from a thread #e2e', 'started the way a user does #e2e']);
      expect(notes.find((n) => n.id === id)?.author).toEqual({ platform: 'slack', id: 'U0OWNER', name: 'owner' });
    } finally {
      await store.close();
    }
  });

  it('Socket Mode: connects to the ws:// URL from apps.connections.open and acks envelopes with the reply', async () => {
    const { dataDir, storeUrl } = await tempData();
    const opensBefore = fake.calls.filter((call) => call.method === 'apps.connections.open').length;
    const bot = start({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      STORE_URL: storeUrl,
    });
    await until('socket connection', bot, async () =>
      fake.calls.filter((call) => call.method === 'apps.connections.open').length > opensBefore ? true : undefined,
    );
    await fake.socketConnected(20_000);
    // The app logs once it is ready for envelopes.
    await until('ready', bot, async () => (output(bot).includes('slack: started') ? true : undefined));
    const ack = await fake.sendEnvelope('slash_commands', {
      command: '/topics',
      text: 'reading',
      user_id: 'U0ANY',
      user_name: 'any',
      channel_id: 'C0SOCK',
      response_url: fake.responseUrl(),
      trigger_id: '9.9.npmsocket',
    });
    expect(ack.payload).toMatchObject({ response_type: 'in_channel', text: 'Reading list' });
    // NOTE_WRITERS is empty: start-up says so, naming the variable.
    expect(output(bot)).toContain(
      'tinker: NOTE_WRITERS is empty, so anyone who can use the bot in Slack or Discord may save notes and edit your topics — set NOTE_WRITERS=slack:<your member id> (or discord:<your user id>) to keep that to you',
    );
    bot.signal('SIGTERM');
    await bot.exited;
  });

  it('exits 1 with one clear line when Slack cannot be reached within CONNECT_TIMEOUT (HTTP mode, nothing listening at SLACK_API_URL)', async () => {
    const { dataDir, storeUrl } = await tempData();
    const closed = await freePort();
    const apiUrl = `http://127.0.0.1:${closed}/api/`;
    const port = await freePort();
    const bot = start({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_PORT: String(port),
      SLACK_API_URL: apiUrl,
      DATA_DIR: dataDir,
      STORE_URL: storeUrl,
      // The default is 30 s; the same code path with a budget a test can wait for.
      CONNECT_TIMEOUT: '1',
    });
    const started = Date.now();
    expect(await bot.exited).toBe(1);
    // The start-up budget is 1 s; allow for the start and the index.
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(bot.stderr()).toContain(
      `tinker: slack: cannot reach Slack at ${apiUrl} within 1 s (ECONNREFUSED) — check the network or SLACK_API_URL\n`,
    );
    // It shut down (the store closed) before exiting.
    expect(output(bot)).toContain('"signal":"start failed","msg":"tinker: stopping"');
    // A handful of retry warnings, not a line every few seconds forever; never a token.
    const retries = output(bot).split('\n').filter((line) => line.includes('cannot reach Slack yet'));
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.length).toBeLessThan(12);
    expect(output(bot)).not.toContain(BOT_TOKEN);
    expect(output(bot)).not.toContain(SIGNING_SECRET);
  });

  it('exits 1 at once when Slack refuses the bot token (Socket Mode)', async () => {
    const { dataDir, storeUrl } = await tempData();
    const bot = start({
      SLACK_BOT_TOKEN: 'xoxb-revoked-token',
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      STORE_URL: storeUrl,
    });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toContain('tinker: slack: auth.test refused the bot token (invalid_auth) — check SLACK_BOT_TOKEN (xoxb-…)\n');
    expect(output(bot)).not.toContain('xoxb-revoked-token');
  });

  it('Socket Mode: exits 1 with one line when the connection is lost for good (the app token revoked)', async () => {
    const revoking = await startFakeSlack();
    try {
      const { dataDir, storeUrl } = await tempData();
      const bot = start({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: revoking.apiUrl,
        DATA_DIR: dataDir,
        STORE_URL: storeUrl,
      });
      await until('ready', bot, async () => (output(bot).includes('slack: started') ? true : undefined));
      revoking.revokeAppToken();
      revoking.dropSockets();
      // Bolt waits 5 s before its first reconnect.
      expect(await bot.exited).toBe(1);
      expect(bot.stderr()).toContain(
        'tinker: slack: lost the Socket Mode connection and Slack refused to reconnect (invalid_auth) — check SLACK_APP_TOKEN (xapp-… with connections:write)\n',
      );
      expect(output(bot)).toContain('"signal":"fatal","msg":"tinker: stopping"');
      expect(output(bot)).not.toContain(APP_TOKEN);
    } finally {
      await revoking.close();
    }
  });

  it('refuses half a set of credentials, naming what is missing', async () => {
    const { dataDir, storeUrl } = await tempData();
    const bot = start({ SLACK_BOT_TOKEN: BOT_TOKEN, DATA_DIR: dataDir, STORE_URL: storeUrl });
    expect(await bot.exited).toBe(1);
    expect(output(bot)).toContain(
      'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: missing — set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or SLACK_SIGNING_SECRET for HTTP mode',
    );
  });
});
