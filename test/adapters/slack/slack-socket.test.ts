/**
 * Socket Mode end to end: the real Bolt app opens apps.connections.open on the
 * stand-in, connects to the ws:// URL it returns, gets `hello`, and answers
 * envelopes with acknowledgements that carry the reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack.ts';
import { noteIdForKey, silentLogger } from '../../../src/core/index.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { APP_TOKEN, BOT_TOKEN, messageShortcutPayload, startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.ts';

let fake: FakeSlack;
let ctx: TestContext;
let adapter: SlackAdapter;

beforeAll(async () => {
  fake = await startFakeSlack();
  ctx = await createTestContext({ noteWriters: ['slack:U0OWNER'] });
  adapter = createSlackAdapter(
    { botToken: BOT_TOKEN, appToken: APP_TOKEN, port: 3000, apiUrl: fake.apiUrl },
    { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() },
  );
  await adapter.start();
  await fake.socketConnected();
});

afterAll(async () => {
  await adapter?.stop();
  await ctx?.close();
  await fake?.close();
});

function slashPayload(command: string, text: string, extra: Record<string, string> = {}): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: 'T0TEST',
    team_domain: 'tinker-test',
    channel_id: 'C0SOCKET',
    channel_name: 'socket',
    user_id: 'U0OWNER',
    user_name: 'owner',
    command,
    text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(),
    trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}`,
    ...extra,
  };
}

describe('Socket Mode', () => {
  it('connects with the app token and verifies the bot token, with no HTTP endpoint', async () => {
    expect(adapter.mode).toBe('socket');
    expect(adapter.port).toBeUndefined();
    expect(fake.calls.find((call) => call.method === 'apps.connections.open')?.token).toBe(APP_TOKEN);
    expect(fake.calls.find((call) => call.method === 'auth.test')?.token).toBe(BOT_TOKEN);
  });

  it('acknowledges /find with the reply in the envelope ack', async () => {
    const ack = await fake.sendEnvelope('slash_commands', slashPayload('/find', 'libgit2'));
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(ack.payload?.text).toBe('2 results for "libgit2"');
    expect(JSON.stringify(ack.payload?.blocks)).toContain('*libgit2*');
  });

  it('acknowledges /topics in_channel', async () => {
    const ack = await fake.sendEnvelope('slash_commands', slashPayload('/topics', 'planned'));
    expect(ack.payload).toMatchObject({ response_type: 'in_channel', text: 'Planned' });
  });

  it('saves a /note, unescaped, once even when the envelope is redelivered', async () => {
    const payload = slashPayload('/note', 'socket &amp; mode #socket', { trigger_id: '42.42.sockettrigger' });
    const id = noteIdForKey('slack:trigger:42.42.sockettrigger');
    const first = await fake.sendEnvelope('slash_commands', payload);
    expect(first.payload?.text).toBe(`Saved note ${id} (#socket).`);
    const retry = await fake.sendEnvelope('slash_commands', payload, { retryAttempt: 1 });
    expect(retry.payload?.text).toBe(`Already saved note ${id} (#socket).`);
    expect(ctx.kb.note(id)?.text).toBe('socket & mode #socket');
    expect(ctx.kb.allNotes().filter((note) => note.text === 'socket & mode #socket')).toHaveLength(1);
  });

  it('handles "Save to notes": empty ack, then the note id ephemerally via response_url', async () => {
    const responseId = 'socket-shortcut';
    const payload = messageShortcutPayload({
      response_url: fake.responseUrl(responseId),
      text: '<!here> socket shortcut #sm',
      channel_id: 'C0SOCKET',
      ts: '1716300000.000200',
    });
    const ack = await fake.sendEnvelope('interactive', payload);
    expect(ack.payload ?? {}).toEqual({});
    const answer = await fake.waitForResponse(responseId);
    const id = noteIdForKey('slack:msg:C0SOCKET:1716300000.000200');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: `Saved note ${id} (#sm).` });
    expect(ctx.kb.note(id)?.text).toBe('@here socket shortcut #sm');
    expect(ctx.kb.note(id)?.source.permalink).toBe('https://tinker-test.slack.com/archives/C0SOCKET/p1716300000000200');

    await fake.sendEnvelope('interactive', payload, { retryAttempt: 1 });
    expect((await fake.waitForResponse(responseId, { index: 1 })).text).toBe(`Already saved note ${id} (#sm).`);
    expect(ctx.kb.allNotes().filter((note) => note.source.channel === 'C0SOCKET' && note.text.includes('shortcut'))).toHaveLength(1);
  });

  it('refuses a stranger ephemerally in the ack', async () => {
    const ack = await fake.sendEnvelope('slash_commands', slashPayload('/note', 'nope #x', { user_id: 'U0STRANGER' }));
    expect(ack.payload).toMatchObject({
      response_type: 'ephemeral',
      text: 'note: only the owner can change notes or topics here — nothing was changed.',
    });
  });

  it('fails to start with a clear message when the app token is refused', async () => {
    const bad = createSlackAdapter(
      { botToken: BOT_TOKEN, appToken: 'xapp-wrong', port: 3000, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() },
    );
    await expect(bad.start()).rejects.toThrow(
      'slack: Socket Mode could not connect (invalid_auth) — check SLACK_APP_TOKEN (xapp-… with connections:write)',
    );
    await bad.stop();
  });
});
