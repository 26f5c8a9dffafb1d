/**
 * The 3-second rule with a store slower than the acknowledgement budget: the
 * acknowledgement still goes out in time, and "saved" is never said before
 * the store has confirmed. The budget is the adapter's option (2 s in
 * production); a shorter one here runs the same path in a fraction of the time.
 */
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack.ts';
import { KeyvNoteStore, silentLogger } from '../../../src/core/index.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, postSigned, slashCommandBody, startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.ts';

/** The adapter's acknowledgement budget here, and a store three times slower than it. */
const ACK_BUDGET_MS = 500;
const STORE_DELAY_MS = 1500;

/** A Map whose writes take `delayMs` to land, like a store under load. */
class SlowSetMap extends Map<string, unknown> {
  constructor(private readonly delayMs: number) {
    super();
  }

  // @ts-expect-error Keyv awaits set(); this one resolves only once the value is stored.
  override set(key: string, value: unknown): Promise<boolean> {
    return new Promise((resolve) => {
      setTimeout(() => {
        super.set(key, value);
        resolve(true);
      }, this.delayMs);
    });
  }
}

let fake: FakeSlack | undefined;
let ctx: TestContext | undefined;
let adapter: SlackAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await ctx?.close();
  await fake?.close();
  adapter = undefined;
  ctx = undefined;
  fake = undefined;
});

async function setup(
  storeTimeoutMs: number,
  mode: 'http' | 'socket' = 'http',
): Promise<{ map: SlowSetMap; url: string; fake: FakeSlack; ctx: TestContext }> {
  fake = await startFakeSlack();
  const map = new SlowSetMap(STORE_DELAY_MS);
  const logger = silentLogger();
  const store = new KeyvNoteStore(new Keyv<unknown>({ store: map, namespace: 'tinker', throwOnErrors: true }), 'slow://', {
    logger,
    timeoutMs: storeTimeoutMs,
  });
  // A writer, so no open-bot hint is remembered in the store under test.
  ctx = await createTestContext({ store, noteWriters: ['slack:U0OWNER'] });
  adapter = createSlackAdapter(
    mode === 'http'
      ? { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl }
      : { botToken: BOT_TOKEN, appToken: APP_TOKEN, port: 3000, apiUrl: fake.apiUrl },
    { dispatcher: ctx.dispatcher, status: () => ctx!.kb.counts(), logger },
    { host: '127.0.0.1', ackBudgetMs: ACK_BUDGET_MS },
  );
  await adapter.start();
  return { map, url: `http://127.0.0.1:${adapter.port}/slack/events`, fake, ctx };
}

describe('acknowledging within 3 s while the store takes longer than the acknowledgement budget', () => {
  it('acks at once and says "saved" via response_url only after the store confirmed', async () => {
    const { map, url, fake, ctx } = await setup(10_000);
    const started = Date.now();
    const body = slashCommandBody({ command: '/note', text: 'slow store #slow', response_url: fake.responseUrl('slow-ok') });
    const res = await postSigned(url, body);
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(3000);
    expect(await res.text()).toBe('');
    expect(map.size).toBe(0);
    expect(fake.responses('slow-ok')).toEqual([]);

    // Meanwhile, reading commands are not held up by the slow write.
    const find = await postSigned(url, slashCommandBody({ command: '/find', text: 'libgit2', response_url: fake.responseUrl() }));
    expect(((await find.json()) as { text: string }).text).toBe('2 results for "libgit2"');

    const answer = await fake.waitForResponse('slow-ok', { timeoutMs: 10_000 });
    const answeredMs = Date.now() - started;
    expect(answer.response_type).toBe('ephemeral');
    const id = /^Saved note ([0-9a-z]{10}) \(#slow\)\.$/.exec(answer.text ?? '')?.[1];
    expect(id, answer.text).toBeDefined();
    expect(answeredMs).toBeGreaterThanOrEqual(STORE_DELAY_MS - 100);
    // The store holds it by the time "saved" arrives.
    expect(map.size).toBe(1);
    expect((await ctx.store.get(id!))?.text).toBe('slow store #slow');
  });

  it('with a store timeout equal to the budget: acks in time and reports "not saved", never "saved"', async () => {
    const { url, fake } = await setup(ACK_BUDGET_MS);
    const started = Date.now();
    const body = slashCommandBody({ command: '/note', text: 'too slow #slow', response_url: fake.responseUrl('slow-fail') });
    const res = await postSigned(url, body);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(200);
    const raw = await res.text();
    // The store gives up at about the moment the ack is due: the refusal is in the ack or follows it.
    const text = raw ? (JSON.parse(raw) as { text: string }).text : (await fake.waitForResponse('slow-fail')).text;
    expect(text).toBe('note: not saved: the note store is unavailable — please try again in a moment.');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const posted of fake.responses('slow-fail')) expect(posted.text).not.toMatch(/Saved/);
  });

  it('in Socket Mode too: the envelope is acknowledged at once, "saved" follows via response_url', async () => {
    const { map, fake } = await setup(10_000, 'socket');
    await fake.socketConnected();
    const started = Date.now();
    const ack = await fake.sendEnvelope('slash_commands', {
      command: '/note',
      text: 'slow socket #slow',
      user_id: 'U0OWNER',
      user_name: 'owner',
      channel_id: 'C0SLOW',
      response_url: fake.responseUrl('slow-socket'),
      trigger_id: '7.7.slowsocket',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ack.payload ?? {}).toEqual({});
    expect(map.size).toBe(0);
    const answer = await fake.waitForResponse('slow-socket', { timeoutMs: 10_000 });
    expect(answer.text).toMatch(/^Saved note [0-9a-z]{10} \(#slow\)\.$/);
    expect(map.size).toBe(1);
  });
});
