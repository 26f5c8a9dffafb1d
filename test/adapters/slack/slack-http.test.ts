/**
 * End to end over loopback: Slack's signed HTTP requests into the real Bolt app
 * (HTTP mode), the real core and commands, and a stand-in for Slack's Web API
 * and response_url.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/slack.ts';
import { noteIdForKey, parseQuery, silentLogger, type Person } from '../../../src/core/index.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import {
  BOT_TOKEN,
  HIDDEN_CHANNEL_PREFIX,
  SIGNING_SECRET,
  blockActionsPayload,
  homeOpenedEvent,
  interactiveBody,
  postEvent,
  messageShortcutPayload,
  postSigned,
  slackMessageProblems,
  slashCommandBody,
  startFakeSlack,
  type FakeSlack,
  type SlashCommandFields,
} from '../../helpers/fake-slack.ts';

interface AckBody {
  response_type?: string;
  text?: string;
  blocks?: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ text: string }> }>;
}

let fake: FakeSlack;
let ctx: TestContext;
let adapter: SlackAdapter;
let eventsUrl: string;

const OWNER = 'U0OWNER';
const OWNER_PERSON: Person = { platform: 'slack', id: OWNER, name: 'owner' };
const STRANGER = 'U0STRANGER';

beforeAll(async () => {
  fake = await startFakeSlack();
  ctx = await createTestContext({ noteWriters: [`slack:${OWNER}`] });
  adapter = createSlackAdapter(
    { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
    { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() },
    { host: '127.0.0.1', permalinkBudgetMs: 1000 },
  );
  await adapter.start();
  eventsUrl = `http://127.0.0.1:${adapter.port}/slack/events`;
});

afterAll(async () => {
  await adapter?.stop();
  await ctx?.close();
  await fake?.close();
});

/** Sends a slash command as Slack does; returns the status and the acknowledgement's body. */
async function slash(
  command: string,
  text: string,
  fields: Partial<SlashCommandFields> = {},
  options: { retryNum?: number } = {},
): Promise<{ status: number; ack: AckBody | undefined; responseId: string; body: string }> {
  const responseId = `${command.slice(1)}-${Math.random().toString(36).slice(2)}`;
  const body = slashCommandBody({ command, text, response_url: fake.responseUrl(responseId), ...fields });
  const res = await postSigned(eventsUrl, body, options);
  const raw = await res.text();
  const ack = raw ? (JSON.parse(raw) as AckBody) : undefined;
  // Slack refuses an acknowledgement it cannot show (empty section, over 50 blocks or 3,000 characters).
  if (ack) expect(slackMessageProblems(ack)).toEqual([]);
  return { status: res.status, ack, responseId, body };
}

function allText(message: AckBody | undefined): string {
  return JSON.stringify(message?.blocks ?? []);
}

describe('slash commands over HTTP', () => {
  it('answers /help in the acknowledgement, ephemerally, with every command', async () => {
    const { status, ack } = await slash('/help', '');
    expect(status).toBe(200);
    expect(ack?.response_type).toBe('ephemeral');
    expect(ack?.text).toBe('tinker: capture notes, share your topics, find old write-ups.');
    for (const name of ['note', 'find', 'topics', 'forget', 'help']) expect(allText(ack)).toContain(`/${name}`);
    // Usage strings carry <…>: they must arrive escaped.
    expect(allText(ack)).toContain('/note [--share] &lt;text with #tags&gt;');
  });

  it('posts /topics in the channel, with & escaped', async () => {
    const { status, ack } = await slash('/topics', '');
    expect(status).toBe(200);
    expect(ack?.response_type).toBe('in_channel');
    expect(ack?.text).toBe('Current topics');
    expect(allText(ack)).toContain('consistency &amp; RPO guarantee');
    expect(allText(ack)).toContain('<https://libgit2.org/|Performance tuning of libgit2 over NFS by contributing patches to upstream>');
  });

  it('finds write-ups: linked title, kind, date, bold matched words, source', async () => {
    const { ack } = await slash('/find', 'libgit2');
    expect(ack?.response_type).toBe('ephemeral');
    expect(ack?.text).toBe('2 results for "libgit2"');
    const first = ack?.blocks?.[1];
    expect(first?.text?.text).toContain('1. *<https://libgit2.org/|Tuning libgit2 over NFS>*');
    expect(first?.text?.text).toContain('*libgit2*');
    expect(ack?.blocks?.[2]?.elements?.[0]?.text).toBe(
      'article · 2024-09-17 · #git #libgit2 #nfs #performance · articles/git/tuning-libgit2-over-nfs.md',
    );
  });

  it('saves a /note with the text unescaped, the Slack user and channel, then forgets it', async () => {
    const { ack } = await slash('/note', 'mmap windows &amp; NFS &lt;3 #perf', { channel_id: 'C0PERF' });
    const match = /^Saved note ([0-9a-z]{10}) \(#perf\)\.$/.exec(ack?.text ?? '');
    expect(match, ack?.text).not.toBeNull();
    const id = match![1]!;
    const note = ctx.kb.note(id);
    expect(note?.text).toBe('mmap windows & NFS <3 #perf');
    expect(note?.author).toEqual({ platform: 'slack', id: OWNER, name: 'owner' });
    expect(note?.source).toEqual({ platform: 'slack', channel: 'C0PERF' });
    expect((await ctx.store.get(id))?.text).toBe('mmap windows & NFS <3 #perf');

    const forgot = await slash('/forget', id);
    expect(forgot.ack?.text).toBe(`Forgot note ${id}.`);
    expect(ctx.kb.note(id)).toBeUndefined();
    expect(await ctx.store.get(id)).toBeUndefined();
  });

  it('refuses /note and /forget from someone not in NOTE_WRITERS, saving nothing', async () => {
    const before = ctx.kb.counts().notes;
    const { ack } = await slash('/note', 'not mine #x', { user_id: STRANGER, user_name: 'mallory' });
    expect(ack?.text).toBe('note: only the owner can change notes or topics here — nothing was changed.');
    expect(ack?.blocks?.[0]?.text?.text).toBe(':warning: note: only the owner can change notes or topics here — nothing was changed.');
    expect(ctx.kb.counts().notes).toBe(before);

    const saved = await slash('/note', 'keep me #keep');
    const id = /note ([0-9a-z]{10})/.exec(saved.ack?.text ?? '')![1]!;
    const refused = await slash('/forget', id, { user_id: STRANGER });
    expect(refused.ack?.text).toBe('forget: only the owner can change notes or topics here — nothing was changed.');
    expect(ctx.kb.note(id)).toBeDefined();
  });

  it('answers bad input with the command’s own message', async () => {
    expect((await slash('/find', '   ')).ack?.text).toBe('find: query is empty — try /find libgit2');
    expect((await slash('/note', '')).ack?.text).toBe(
      'note: the note is empty — try /note libgit2 mmap window size matters on NFS #git',
    );
    expect((await slash('/forget', '')).ack?.text).toBe(
      'forget: which note? — try /forget k3v9x2ma7q (the id /note replied with)',
    );
    expect((await slash('/forget', 'nope')).ack?.text).toBe(
      'forget: "nope" is not a note id — ids are 10 letters and digits, like k3v9x2ma7q',
    );
    expect((await slash('/forget', 'k3v9x2ma7q')).ack?.text).toBe(
      'forget: there is no note k3v9x2ma7q — /find kind:note lists your notes',
    );
    const topics = await slash('/topics', 'gossip');
    expect(topics.ack?.text).toMatch(/^topics: no "gossip" section in the profile — try \/topics current, /);
    expect(topics.ack?.response_type).toBe('ephemeral');
    const tooLong = await slash('/note', 'x'.repeat(4001));
    expect(tooLong.ack?.text).toBe(
      'note: that is 4,001 characters; a note can hold at most 4,000 — nothing was saved. Put long write-ups under articles/.',
    );
  });

  it('answers a slash command the registry does not know', async () => {
    const { status, ack } = await slash('/tinker', 'hello');
    expect(status).toBe(200);
    expect(ack?.text).toBe('Unknown command "/tinker". Known commands: /note, /find, /tags, /topics, /resurface, /forget, /help.');
  });

  it('never lets saved text notify anyone: <!channel>, <!here>, <@U…> come back escaped', async () => {
    const saved = await slash('/note', '&lt;!channel&gt; &lt;!here&gt; &lt;@U0BOSS&gt; deploy freezeword today');
    const id = /note ([0-9a-z]{10})/.exec(saved.ack?.text ?? '')![1]!;
    expect(ctx.kb.note(id)?.text).toBe('<!channel> <!here> <@U0BOSS> deploy freezeword today');

    const { ack } = await slash('/find', 'freezeword');
    const wire = JSON.stringify(ack);
    expect(wire).toContain('&lt;!channel&gt;');
    expect(wire).toContain('&lt;!here&gt;');
    expect(wire).toContain('&lt;@U0BOSS&gt;');
    expect(wire).not.toMatch(/<!channel>|<!here>|<@U0BOSS>/);
  });

  it('keeps one note when Slack retries a delivery (X-Slack-Retry-Num)', async () => {
    const body = slashCommandBody({
      command: '/note',
      text: 'retried delivery #retry',
      response_url: fake.responseUrl(),
      trigger_id: '1111.2222.retrytrigger',
    });
    const first = await postSigned(eventsUrl, body);
    const second = await postSigned(eventsUrl, body, { retryNum: 1 });
    const firstText = ((await first.json()) as AckBody).text;
    const secondText = ((await second.json()) as AckBody).text;
    const id = noteIdForKey('slack:trigger:1111.2222.retrytrigger');
    expect(firstText).toBe(`Saved note ${id} (#retry).`);
    expect(secondText).toBe(`Already saved note ${id} (#retry).`);
    expect(ctx.kb.allNotes().filter((n) => n.text === 'retried delivery #retry')).toHaveLength(1);
  });
});

describe('request verification', () => {
  it('refuses a forged signature with 401 and saves nothing', async () => {
    const before = ctx.kb.counts().notes;
    const id = 'forged';
    const body = slashCommandBody({ command: '/note', text: 'forged #x', response_url: fake.responseUrl(id) });
    const res = await postSigned(eventsUrl, body, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const tampered = await postSigned(eventsUrl, body, { signature: 'v0=' + '0'.repeat(64) });
    expect(tampered.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ctx.kb.counts().notes).toBe(before);
    expect(fake.responses(id)).toEqual([]);
  });

  it('refuses a correctly signed request older than 5 minutes with 401 and saves nothing', async () => {
    const before = ctx.kb.counts().notes;
    const body = slashCommandBody({ command: '/note', text: 'replayed #x', response_url: fake.responseUrl() });
    const res = await postSigned(eventsUrl, body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(res.status).toBe(401);
    expect(ctx.kb.counts().notes).toBe(before);
  });
});

describe('"Save to notes" message shortcut over HTTP', () => {
  it('saves the message once with its author, channel and permalink, answering ephemerally via response_url', async () => {
    const responseId = 'shortcut-save';
    const payload = messageShortcutPayload({
      response_url: fake.responseUrl(responseId),
      text: 'Use <https://git-scm.com/docs/git-gc|git gc> before &lt;mirroring&gt; &amp; ping <@U0BOB> #git',
      channel_id: 'C0SHORT',
      ts: '1716200000.000100',
    });
    const first = await postSigned(eventsUrl, interactiveBody(payload));
    expect(first.status).toBe(200);
    const answer = await fake.waitForResponse(responseId);
    const id = noteIdForKey('slack:msg:C0SHORT:1716200000.000100');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(`Saved note ${id} (#git).`);

    const note = ctx.kb.note(id);
    expect(note?.text).toBe('Use git gc (https://git-scm.com/docs/git-gc) before <mirroring> & ping @U0BOB #git');
    expect(note?.author).toEqual({ platform: 'slack', id: 'U0AUTHOR', name: 'ada' });
    expect(note?.source).toEqual({
      platform: 'slack',
      channel: 'C0SHORT',
      permalink: 'https://tinker-test.slack.com/archives/C0SHORT/p1716200000000100',
    });
    const permalinkCall = fake.calls.find((call) => call.method === 'chat.getPermalink' && call.params.channel === 'C0SHORT');
    expect(permalinkCall).toMatchObject({ token: BOT_TOKEN, params: { message_ts: '1716200000.000100' } });

    // The same message again, then a redelivery Slack marks as a retry: still one note.
    await postSigned(eventsUrl, interactiveBody(payload));
    expect((await fake.waitForResponse(responseId, { index: 1 })).text).toBe(`Already saved note ${id} (#git).`);
    await postSigned(eventsUrl, interactiveBody(payload), { retryNum: 1 });
    expect((await fake.waitForResponse(responseId, { index: 2 })).text).toBe(`Already saved note ${id} (#git).`);
    expect(ctx.kb.allNotes().filter((n) => n.source.channel === 'C0SHORT')).toHaveLength(1);
    expect(await ctx.store.get(id)).toMatchObject({ id, idempotencyKey: 'slack:msg:C0SHORT:1716200000.000100' });
  });

  it('reads a channel link as #name in the note, but not as a tag of it (acceptance 42)', async () => {
    const responseId = 'shortcut-channel';
    const payload = messageShortcutPayload({
      response_url: fake.responseUrl(responseId),
      text: 'ask <@U024BE7LH> in <#C123|general> and <#C0OPS|ops> about the runbook #ops-runbook #standup',
      channel_id: 'C0CHAN',
      ts: '1716200001.000100',
    });
    await postSigned(eventsUrl, interactiveBody(payload));
    const id = noteIdForKey('slack:msg:C0CHAN:1716200001.000100');
    expect((await fake.waitForResponse(responseId)).text).toBe(`Saved note ${id} (#ops-runbook #standup).`);
    expect(ctx.kb.note(id)).toMatchObject({ text: 'ask @U024BE7LH in #general and #ops about the runbook #ops-runbook #standup', tags: ['ops-runbook', 'standup'] });
    expect(ctx.kb.tags(OWNER_PERSON).map((entry) => entry.tag)).not.toContain('general');
    // Still found by its words.
    expect(ctx.kb.search(parseQuery('general runbook'), { viewer: OWNER_PERSON, limit: 5 }).hits.map((hit) => hit.id)).toContain(`note:${id}`);
  });

  it('still saves the message when chat.getPermalink fails, just without the link', async () => {
    const responseId = 'shortcut-hidden';
    const channel = `${HIDDEN_CHANNEL_PREFIX}1`;
    const payload = messageShortcutPayload({ response_url: fake.responseUrl(responseId), text: 'private thought #p', channel_id: channel, ts: '9.1' });
    await postSigned(eventsUrl, interactiveBody(payload));
    const id = noteIdForKey(`slack:msg:${channel}:9.1`);
    expect((await fake.waitForResponse(responseId)).text).toBe(`Saved note ${id} (#p).`);
    expect(ctx.kb.note(id)?.source).toEqual({ platform: 'slack', channel });
  });

  it('lets /note answer a message with no text (a file or image only), as on Discord', async () => {
    const responseId = 'shortcut-empty';
    const before = ctx.kb.counts().notes;
    const payload = messageShortcutPayload({ response_url: fake.responseUrl(responseId), text: '', channel_id: 'C0FILES', ts: '5.5' });
    await postSigned(eventsUrl, interactiveBody(payload));
    const answer = await fake.waitForResponse(responseId);
    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      text: 'note: the note is empty — try /note libgit2 mmap window size matters on NFS #git',
    });
    expect(ctx.kb.counts().notes).toBe(before);
    // Nothing to save, so no link was asked for.
    expect(fake.calls.filter((call) => call.params.channel === 'C0FILES')).toEqual([]);
    // A non-writer's empty message gets the writer refusal first, as /note checks the writer first.
    const strangerId = 'shortcut-empty-stranger';
    await postSigned(eventsUrl, interactiveBody(messageShortcutPayload({ response_url: fake.responseUrl(strangerId), text: '', user_id: STRANGER })));
    expect((await fake.waitForResponse(strangerId)).text).toBe('note: only the owner can change notes or topics here — nothing was changed.');
  });

  it('saves without the link when chat.getPermalink hangs, within the budget', async () => {
    const responseId = 'shortcut-hung';
    const channel = 'C0HUNG';
    fake.hungChannels.add(channel);
    const started = Date.now();
    await postSigned(eventsUrl, interactiveBody(messageShortcutPayload({ response_url: fake.responseUrl(responseId), text: 'slow api #hung', channel_id: channel, ts: '7.7' })));
    const id = noteIdForKey(`slack:msg:${channel}:7.7`);
    expect((await fake.waitForResponse(responseId, { timeoutMs: 8000 })).text).toBe(`Saved note ${id} (#hung).`);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ctx.kb.note(id)?.source).toEqual({ platform: 'slack', channel });
  });

  it('checks the invoker, not the author, against NOTE_WRITERS', async () => {
    const responseId = 'shortcut-stranger';
    const payload = messageShortcutPayload({
      response_url: fake.responseUrl(responseId),
      text: 'written by the owner #x',
      channel_id: 'C0STRANGE',
      user_id: STRANGER,
      author_id: OWNER,
    });
    await postSigned(eventsUrl, interactiveBody(payload));
    const answer = await fake.waitForResponse(responseId);
    expect(answer.text).toBe('note: only the owner can change notes or topics here — nothing was changed.');
    expect(answer.response_type).toBe('ephemeral');
    expect(ctx.kb.allNotes().filter((n) => n.source.channel === 'C0STRANGE')).toHaveLength(0);
    // Refused before any Web API call: a non-writer cannot make the bot call Slack.
    expect(fake.calls.filter((call) => call.params.channel === 'C0STRANGE')).toEqual([]);
  });
});

describe('the real commands’ buttons and Home tab', () => {
  it('/find with more hits than fit offers More results; pressing it replaces the reply with the next page', async () => {
    const { ack } = await slash('/find', 'kind:article');
    expect(ack?.text).toBe('10 results for "kind:article" (1-5 of 10)');
    const actions = ack?.blocks?.at(-1) as unknown as { type: string; elements: Array<{ text: { text: string }; value: string }> };
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((e) => e.text.text)).toEqual(['More results']);
    const responseId = 'find-more';
    await postSigned(eventsUrl, interactiveBody(blockActionsPayload({ response_url: fake.responseUrl(responseId), value: actions.elements[0]!.value })));
    const next = await fake.waitForResponse(responseId);
    expect(next).toMatchObject({ text: '10 results for "kind:article" (6-10 of 10)', replace_original: true, response_type: 'ephemeral' });
    expect(JSON.stringify(next.blocks)).toContain('6. *');
    expect(next.blocks?.some((block) => block.type === 'actions')).toBe(false);
  });

  it('publishes the home command’s reply when the owner opens the Home tab', async () => {
    await postEvent(eventsUrl, homeOpenedEvent(OWNER));
    const view = await fake.waitForView(OWNER);
    expect(view.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'tinker: what the owner works on, the latest notes, and the commands' } });
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*Current topics*');
    expect(text).toContain('/find &lt;words&gt;');
  });
});

describe('health', () => {
  it('serves GET /healthz with the knowledge base counts', async () => {
    const res = await fetch(`http://127.0.0.1:${adapter.port}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ status: 'ok', mode: 'http', ...ctx.kb.counts() });
    expect(body.profileItems).toBe(21);
    expect(body.articles).toBe(10);
  });
});

describe('startup', () => {
  it('fails with a clear message when auth.test refuses the bot token', async () => {
    const bad = createSlackAdapter(
      { botToken: 'xoxb-wrong', signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() },
      { host: '127.0.0.1' },
    );
    await expect(bad.start()).rejects.toThrow(
      'slack: auth.test refused the bot token (invalid_auth) — check SLACK_BOT_TOKEN (xoxb-…)',
    );
    await bad.stop();
  });

  it('fails with a clear message when the port is taken', async () => {
    const taken = adapter.port!;
    const second = createSlackAdapter(
      { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: taken, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() },
      { host: '127.0.0.1' },
    );
    await expect(second.start()).rejects.toThrow(`slack: port ${taken} is in use — set SLACK_PORT to a free port`);
    await second.stop();
  });
});
