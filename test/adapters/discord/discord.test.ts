/**
 * End to end through the real discord.js client, over loopback, against the
 * local Discord stand-in: gateway login, every command, bad input,
 * autocomplete, "Save to notes", writers, mentions, deferral.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, errorFields } from '../../../src/adapters/discord/discord.ts';
import { DISCORD_LIMITS, escapeDiscord } from '../../../src/adapters/discord/discord-format.ts';
import { SAVE_TO_NOTES } from '../../../src/adapters/discord/discord-commands.ts';
import { pino } from 'pino';
import { NOTE_MAX_LENGTH, StartupError, silentLogger, type Dispatcher, type Logger } from '../../../src/core/index.ts';
import type { Adapter } from '../../../src/adapters/adapter.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { FAKE_USER, discordChoicesProblems, snowflake, startFakeDiscord, type FakeDiscord, type FakeUser, type InteractionResult } from '../../helpers/fake-discord.ts';

const GUILD = '3300000000000000001';
const CHANNEL = '2200000000000000009';
const RUNBOOK_CHANNEL = '2200000000000000010';
const ONCALL_ROLE = '4400000000000000001';
const IN_GUILD = { guildId: GUILD, channelId: CHANNEL };
const EPHEMERAL = 64;
const BOB: FakeUser = { id: '90000000000000001', username: 'bob', global_name: 'Bob B' };

interface Bot {
  fake: FakeDiscord;
  ctx: TestContext;
  adapter: Adapter;
}

async function startBot(
  options: { noteWriters?: string[]; deferAfterMs?: number; slowMs?: number; logger?: Logger; heartbeatIntervalMs?: number } = {},
): Promise<Bot> {
  const fake = await startFakeDiscord({
    guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }, { id: RUNBOOK_CHANNEL, name: 'ops-runbook' }], roles: [{ id: ONCALL_ROLE, name: 'oncall' }] }],
    ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
  });
  const ctx = await createTestContext({ noteWriters: options.noteWriters ?? [] });
  const slowMs = options.slowMs ?? 0;
  const dispatcher: Dispatcher = slowMs
    ? {
        ...ctx.dispatcher,
        dispatch: async (invocation) => {
          if (invocation.command === 'find') await new Promise((resolve) => setTimeout(resolve, slowMs));
          return ctx.dispatcher.dispatch(invocation);
        },
      }
    : ctx.dispatcher;
  const adapter = createDiscordAdapter(
    { token: 'test-bot-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    { dispatcher, logger: options.logger ?? silentLogger() },
    options.deferAfterMs !== undefined ? { deferAfterMs: options.deferAfterMs } : {},
  );
  await adapter.start();
  return { fake, ctx, adapter };
}

async function stopBot(bot: Bot | undefined): Promise<void> {
  if (!bot) return;
  await bot.adapter.stop();
  await bot.fake.close();
  await bot.ctx.close();
}

interface Embed {
  title?: string;
  description?: string;
  color?: number;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}

/** The message a result shows: the reply itself, or the edit after a deferral. */
function shown(result: InteractionResult): { embeds: Embed[]; flags?: number; allowed_mentions?: unknown; content?: string } {
  const body = result.edit ?? result.callback.data ?? {};
  return body as { embeds: Embed[]; flags?: number; allowed_mentions?: unknown; content?: string };
}

function embed(result: InteractionResult): Embed {
  const embeds = shown(result).embeds;
  expect(embeds).toHaveLength(1);
  return embeds[0]!;
}

/** Everything a person would read in a result. */
function allText(result: InteractionResult): string {
  const message = shown(result);
  return [
    message.content ?? '',
    ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
  ].join('\n');
}

/** Checks Discord's limits and the no-ping rule on every message the bot sent. */
function expectWellFormed(result: InteractionResult): void {
  expect(result.callbackMs).toBeLessThan(3000);
  if (result.callback.type === 5) {
    expect(result.edit).toBeDefined();
  } else {
    expect(result.callback.type).toBe(4);
  }
  const message = shown(result);
  expect(message.allowed_mentions).toEqual({ parse: [] });
  let total = 0;
  for (const e of message.embeds) {
    expect((e.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect((e.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const field of e.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    total += (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text.length ?? 0);
    total += (e.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  expect((message.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  // No mention syntax survives: not @everyone/@here, not <@id>, <@&role>, <#channel>.
  const text = allText(result);
  expect(text).not.toMatch(/@(everyone|here)/i);
  expect(text).not.toMatch(/(?<!\\)<[@#]/);
}

async function run(bot: Bot, name: string, options: Record<string, string> = {}, where = IN_GUILD as object): Promise<InteractionResult> {
  const result = await bot.fake.interact(bot.fake.chatInput(name, options, where));
  expectWellFormed(result);
  return result;
}

describe('discord adapter, end to end through discord.js', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ heartbeatIntervalMs: 300 });
  });
  afterAll(async () => {
    await stopBot(bot);
  });

  it('logs in over the gateway with the Guilds intent only', () => {
    expect(bot.fake.requests.some((r) => r.method === 'GET' && r.path === '/api/v10/gateway/bot')).toBe(true);
    expect(bot.fake.identifies).toHaveLength(1);
    expect(bot.fake.identifies[0]).toMatchObject({ token: 'test-bot-token', intents: 1 });
  });

  it('keeps the session alive: heartbeats are ACKed, no reconnect', async () => {
    const start = Date.now();
    while (bot.fake.heartbeats < 3 && Date.now() - start < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bot.fake.heartbeats).toBeGreaterThanOrEqual(3);
    expect(bot.fake.connections).toBe(1);
    expect(bot.fake.identifies).toHaveLength(1);
  });

  it('/find answers with hits as embed fields, matched words in bold, ephemeral', async () => {
    const result = await run(bot, 'find', { query: 'libgit2 nfs' });
    expect(result.callback.type).toBe(4);
    expect(shown(result).flags).toBe(EPHEMERAL);
    const e = embed(result);
    expect(e.title).toMatch(/^\d+ results? for "libgit2 nfs"/);
    expect(e.fields![0]!.name).toBe('1. Tuning libgit2 over NFS');
    expect(e.fields![0]!.value).toContain('**libgit2**');
    expect(e.fields![0]!.value).toContain('articles/git/tuning-libgit2-over-nfs.md');
  });

  it('/find with a typo still finds, and a bad filter gets the exact error', async () => {
    const typo = await run(bot, 'find', { query: 'libgti2' });
    expect(embed(typo).fields?.[0]?.name).toMatch(/libgit2/i);
    const bad = await run(bot, 'find', { query: 'kind:song nfs' });
    expect(shown(bad).flags).toBe(EPHEMERAL);
    expect(embed(bad).title).toBe(escapeDiscord('find: unknown kind "song" — use kind:note, kind:article or kind:profile'));
    expect(embed(bad).color).toBe(0xed4245);
    const blank = await run(bot, 'find', { query: '   ' });
    expect(embed(blank).title).toBe('find: query is empty — try /find libgit2');
    const none = await run(bot, 'find', { query: 'zzqqxxnothing' });
    expect(embed(none).title).toBe('Nothing found for "zzqqxxnothing".');
  });

  it('/topics is public; an unknown section is an ephemeral error', async () => {
    const result = await run(bot, 'topics');
    expect(result.callback.type).toBe(4);
    expect(shown(result).flags ?? 0).toBe(0);
    expect(embed(result).title).toBe('Current topics');
    expect(embed(result).description).toContain('libgit2');
    const planned = await run(bot, 'topics', { what: 'planned' });
    expect(embed(planned).description).toContain('[Learn Extended Berkeley Packet Filtering (eBPF)](https://ebpf.io)');
    const bad = await run(bot, 'topics', { what: 'gossip' });
    expect(shown(bad).flags).toBe(EPHEMERAL);
    expect(embed(bad).title).toMatch(/^topics: no "gossip" section in the profile — try \/topics current/);
  });

  it('/find with more hits than fit offers More results; pressing it shows the next page in place', async () => {
    const first = await run(bot, 'find', { query: 'kind:article' });
    expect(embed(first).title).toBe('10 results for "kind:article" (1-5 of 10)');
    const rows = (shown(first) as { components?: Array<{ components: Array<{ label: string; custom_id: string }> }> }).components;
    expect(rows?.[0]?.components.map((button) => button.label)).toEqual(['More results']);
    const pressed = await bot.fake.interact(bot.fake.button(rows![0]!.components[0]!.custom_id, { flags: EPHEMERAL }, IN_GUILD));
    expect(pressed.callback.type).toBe(7);
    expect(embed(pressed).title).toBe('10 results for "kind:article" (6-10 of 10)');
    expect(embed(pressed).fields?.[0]?.name).toMatch(/^6\. /);
  });

  it('/help lists every command, ephemeral', async () => {
    const result = await run(bot, 'help');
    expect(shown(result).flags).toBe(EPHEMERAL);
    const text = embed(result).description ?? '';
    for (const name of ['note', 'find', 'topics', 'forget', 'help']) expect(text).toContain(`/${name}`);
  });

  it('/note saves with the invoker as author and the channel as origin; /forget deletes it', async () => {
    const result = await run(bot, 'note', { text: 'mmap window size matters on NFS #git #perf' });
    expect(shown(result).flags).toBe(EPHEMERAL);
    const title = embed(result).title ?? '';
    const id = /^Saved note ([a-z0-9]{10}) \(#git #perf\)\.$/.exec(title)?.[1];
    expect(id, title).toBeDefined();
    const note = bot.ctx.kb.note(id!)!;
    expect(note.text).toBe('mmap window size matters on NFS #git #perf');
    expect(note.author).toEqual({ platform: 'discord', id: FAKE_USER.id, name: 'The Owner' });
    expect(note.source).toEqual({ platform: 'discord', channel: CHANNEL });

    const found = await run(bot, 'find', { query: '#perf mmap' });
    expect(allText(found)).toContain(`note ${id}`);

    const forgotten = await run(bot, 'forget', { id: id! });
    expect(embed(forgotten).title).toBe(`Forgot note ${id}.`);
    expect(bot.ctx.kb.note(id!)).toBeUndefined();
    const again = await run(bot, 'forget', { id: id! });
    expect(embed(again).title).toBe(`forget: there is no note ${id} — /find kind:note lists your notes`);
  });

  it('/note and /forget bad input get the exact errors and save nothing', async () => {
    const before = bot.ctx.kb.allNotes().length;
    const empty = await run(bot, 'note', { text: '  ' });
    expect(embed(empty).title).toBe('note: the note is empty — try /note libgit2 mmap window size matters on NFS #git');
    const long = await run(bot, 'note', { text: 'x'.repeat(NOTE_MAX_LENGTH + 1) });
    expect(embed(long).title).toBe(
      `note: that is ${(NOTE_MAX_LENGTH + 1).toLocaleString('en')} characters; a note can hold at most ${NOTE_MAX_LENGTH.toLocaleString('en')} — nothing was saved. Put long write-ups under articles/.`,
    );
    const notId = await run(bot, 'forget', { id: 'nope!' });
    expect(embed(notId).title).toBe('forget: "nope!" is not a note id — ids are 10 letters and digits, like k3v9x2ma7q');
    expect(bot.ctx.kb.allNotes()).toHaveLength(before);
  });

  it('an unknown (stale) command gets an ephemeral error naming the known ones', async () => {
    const result = await run(bot, 'bogus');
    expect(shown(result).flags).toBe(EPHEMERAL);
    expect(embed(result).title).toBe('Unknown command "/bogus". Known commands: /note, /find, /tags, /topics, /resurface, /forget, /help.');
    // An option registered with another type (an old registration) is read as text, not dropped.
    const payload = bot.fake.chatInput('forget', {}, IN_GUILD);
    (payload.data as { options: unknown[] }).options = [{ name: 'id', type: 4, value: 5 }];
    const stale = await bot.fake.interact(payload);
    expectWellFormed(stale);
    expect(embed(stale).title).toBe('forget: "5" is not a note id — ids are 10 letters and digits, like k3v9x2ma7q');
  });

  it('a saved @everyone, user, role or channel mention never pings when found', async () => {
    await run(bot, 'note', { text: 'pingtest @everyone @here <@90000000000000001> <@&777000000000000001> <#2200000000000000009> **bold** #ping' });
    const result = await run(bot, 'find', { query: 'pingtest' });
    const value = embed(result).fields?.[0]?.value ?? '';
    expect(value).toContain('@\u200beveryone');
    expect(value).toContain('\\<@90000000000000001>');
    expect(value).toContain('\\<@&777000000000000001>');
    expect(value).toContain('\\*\\*bold\\*\\*');
  });

  describe('autocomplete for /find', () => {
    async function suggest(value: string): Promise<{ name: string; value: string }[]> {
      const result = await bot.fake.interact(bot.fake.autocomplete('find', 'query', value));
      expect(result.callback.type).toBe(8);
      expect(result.callbackMs).toBeLessThan(2000);
      expect(discordChoicesProblems(result.callback.data)).toEqual([]);
      return (result.callback.data as { choices: { name: string; value: string }[] }).choices;
    }

    it('completes the word typed and offers titles of the best hits', async () => {
      const choices = await suggest('libg');
      expect(choices[0]).toEqual({ name: 'libgit2', value: 'libgit2' });
      expect(choices.map((c) => c.value)).toContain('Tuning libgit2 over NFS');
    });

    it('keeps filters, answers [] for nothing typed, and never fails on bad input', async () => {
      const filtered = await suggest('#git mirr');
      expect(filtered.some((c) => c.value.startsWith('mirror') && c.value.includes('#git'))).toBe(true);
      expect(await suggest('')).toEqual([]);
      // An unknown kind is kept for /find to explain; the word still completes.
      const badKind = await suggest('kind:song lib');
      expect(badKind.length).toBeGreaterThan(0);
      for (const choice of badKind) expect(choice.value).toMatch(/^lib\S* kind:song$/);
      expect(await suggest('#')).toEqual([]);
    });

    it('offers a long note by its (cut) title and stays within 25 choices', async () => {
      const long = `autocompletelong ${'verylongword '.repeat(20)}end`;
      await run(bot, 'note', { text: long });
      const choices = await suggest('autocompletelong');
      const title = choices.find((c) => c.name.endsWith('(note)'));
      expect(title?.value.startsWith('autocompletelong verylongword')).toBe(true);
      const many = await suggest('e');
      expect(many.length).toBeGreaterThan(0);
      expect(many.length).toBeLessThanOrEqual(25);
    });
  });

  describe('"Save to notes" message command', () => {
    it('saves the message with its author, channel and jump link, once, however often it is used', async () => {
      const messageId = snowflake();
      const target = { id: messageId, content: 'Retry budgets beat retry counts #resilience', author: BOB };
      const first = await bot.fake.interact(bot.fake.messageCommand(SAVE_TO_NOTES, target, IN_GUILD));
      expectWellFormed(first);
      expect(shown(first).flags).toBe(EPHEMERAL);
      const id = /^Saved note ([a-z0-9]{10})/.exec(embed(first).title ?? '')?.[1];
      expect(id).toBeDefined();
      const second = await bot.fake.interact(bot.fake.messageCommand(SAVE_TO_NOTES, target, IN_GUILD));
      expectWellFormed(second);
      expect(embed(second).title).toMatch(new RegExp(`^Already saved note ${id}`));
      const saved = bot.ctx.kb.allNotes().filter((n) => n.text === target.content);
      expect(saved).toHaveLength(1);
      expect(saved[0]!.author).toEqual({ platform: 'discord', id: BOB.id, name: 'Bob B' });
      expect(saved[0]!.source).toEqual({
        platform: 'discord',
        channel: CHANNEL,
        permalink: `https://discord.com/channels/${GUILD}/${CHANNEL}/${messageId}`,
      });
      const found = await run(bot, 'find', { query: 'retry budgets' });
      expect(embed(found).fields?.[0]?.value).toContain(`(https://discord.com/channels/${GUILD}/${CHANNEL}/${messageId})`);
    });

    it('works in a DM (message not cached) with an @me jump link', async () => {
      const messageId = snowflake();
      const dm = { channelId: '2200000000000000077' };
      const result = await bot.fake.interact(
        bot.fake.messageCommand(SAVE_TO_NOTES, { id: messageId, content: 'dm thought #dm', author: BOB }, dm),
      );
      expectWellFormed(result);
      const note = bot.ctx.kb.allNotes().find((n) => n.text === 'dm thought #dm');
      expect(note?.source.permalink).toBe(`https://discord.com/channels/@me/${dm.channelId}/${messageId}`);
      // The raw message names the users it mentions; a channel the client does not hold reads #channel, no tag.
      const mentions = { id: snowflake(), content: 'dm to <@' + BOB.id + '> about <#2200000000000000555> #dm', author: BOB, mentions: [BOB] };
      expectWellFormed(await bot.fake.interact(bot.fake.messageCommand(SAVE_TO_NOTES, mentions, dm)));
      const read = bot.ctx.kb.allNotes().find((n) => n.text.startsWith('dm to '));
      expect([read?.text, read?.tags]).toEqual(['dm to @Bob B about #channel #dm', ['dm']]);
    });

    it('reads mentions, custom emoji and timestamps as a reader sees them, and makes no tag of a channel', async () => {
      const content = [
        'Moved <#' + RUNBOOK_CHANNEL + '> to <#' + CHANNEL + '> and <#2200000000000009999>,',
        'ask <@' + BOB.id + '> or <@!90000000000000777> in <@&' + ONCALL_ROLE + '> or <@&4400000000000000999>',
        '<:party:5500000000000000001> <a:spin:5500000000000000002> by <t:1700000000:R> (<t:1700000000:D>) via </deploy:6600000000000000001> #standup',
      ].join('\n');
      const result = await bot.fake.interact(bot.fake.messageCommand(SAVE_TO_NOTES, { id: snowflake(), content, author: BOB, mentions: [BOB], mentionRoles: [ONCALL_ROLE] }, IN_GUILD));
      expectWellFormed(result);
      expect(embed(result).title).toMatch(/^Saved note /);
      const note = bot.ctx.kb.allNotes().find((n) => n.text.startsWith('Moved '));
      expect(note?.text).toBe(
        [
          'Moved #ops-runbook to #general and #channel,',
          'ask @Bob B or @user in @oncall or @role',
          ':party: :spin: by 2023-11-14T22:13:20Z (2023-11-14T22:13:20Z) via /deploy #standup',
        ].join('\n'),
      );
      // The author's own #standup is a tag; the channels it names are not.
      expect(note?.tags).toEqual(['standup']);
      const tags = await run(bot, 'tags', {});
      expect(JSON.stringify(tags)).not.toMatch(/ops-runbook|#general|2200000000000000010/);
      const found = await run(bot, 'find', { query: 'runbook oncall' });
      expect(embed(found).fields?.[0]?.value).toContain('Moved #ops-**runbook** to #general');
    });

    it('an empty message (embeds only) is refused with the note error', async () => {
      const result = await bot.fake.interact(bot.fake.messageCommand(SAVE_TO_NOTES, { id: snowflake(), content: '', author: BOB }, IN_GUILD));
      expectWellFormed(result);
      expect(embed(result).title).toBe('note: the note is empty — try /note libgit2 mmap window size matters on NFS #git');
    });
  });
});

describe('discord adapter: NOTE_WRITERS', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ noteWriters: ['discord:12345'] });
  });
  afterAll(async () => {
    await stopBot(bot);
  });

  it('refuses /note and "Save to notes" from anyone else and saves nothing', async () => {
    const before = bot.ctx.kb.allNotes().length;
    const note = await run(bot, 'note', { text: 'not mine to write #x' });
    expect(shown(note).flags).toBe(EPHEMERAL);
    expect(embed(note).title).toBe('note: only the owner can change notes or topics here — nothing was changed.');
    const save = await bot.fake.interact(bot.fake.messageCommand(SAVE_TO_NOTES, { id: snowflake(), content: 'also not mine', author: BOB }, IN_GUILD));
    expectWellFormed(save);
    expect(embed(save).title).toBe('note: only the owner can change notes or topics here — nothing was changed.');
    const forget = await run(bot, 'forget', { id: 'k3v9x2ma7q' });
    expect(embed(forget).title).toBe('forget: only the owner can change notes or topics here — nothing was changed.');
    expect(bot.ctx.kb.allNotes()).toHaveLength(before);
    expect(await bot.ctx.store.loadAll()).toHaveLength(before);
  });

  it('lets the listed writer save, even on someone else\'s message', async () => {
    const writer = { user: { id: '12345', username: 'writer' }, ...IN_GUILD };
    const result = await bot.fake.interact(bot.fake.messageCommand(SAVE_TO_NOTES, { id: snowflake(), content: 'writer keeps this', author: BOB }, writer));
    expectWellFormed(result);
    expect(embed(result).title).toMatch(/^Saved note /);
    const note = bot.ctx.kb.allNotes().find((n) => n.text === 'writer keeps this');
    expect(note?.author.id).toBe(BOB.id);
  });
});

describe('discord adapter: deferring slow work', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ deferAfterMs: 100, slowMs: 400 });
  });
  afterAll(async () => {
    await stopBot(bot);
  });

  it('defers a slow /find ephemerally, then edits the original with the result', async () => {
    const result = await run(bot, 'find', { query: 'libgit2' });
    // Deferred before the 400 ms of work were done: the callback is a type-5 acknowledgement.
    expect(result.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(embed(result).fields?.[0]?.name).toBe('1. Tuning libgit2 over NFS');
  });

  it('answers quick commands directly', async () => {
    const result = await run(bot, 'help');
    expect(result.callback.type).toBe(4);
  });
});

describe('discord adapter: failures', () => {
  it('start() fails with a StartupError when the gateway refuses the token', async () => {
    const fake = await startFakeDiscord({ closeOnIdentify: 4004 });
    const ctx = await createTestContext();
    const adapter = createDiscordAdapter(
      { token: 'bad-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl },
      { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() },
    );
    try {
      const failure = adapter.start();
      await expect(failure).rejects.toThrow(StartupError);
      await expect(failure).rejects.toThrow('discord: could not log in: Authentication failed');
    } finally {
      await adapter.stop();
      await fake.close();
      await ctx.close();
    }
  });

  it('logs a reply Discord no longer accepts, without the interaction token', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const bot = await startBot({ logger });
    try {
      const payload = bot.fake.chatInput('help', {}, IN_GUILD);
      bot.fake.expiredTokens.add(payload.token);
      await bot.fake.interact(payload);
      const start = Date.now();
      while (!lines.some((line) => line.includes('Unknown interaction')) && Date.now() - start < 5000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const logged = lines.join('');
      expect(logged).toContain('Unknown interaction');
      expect(logged).not.toContain(payload.token);
      expect(logged).not.toContain('test-bot-token');
    } finally {
      await stopBot(bot);
    }
  });

  it('errorFields keeps the message and status of an API error, not its URL', () => {
    const error = Object.assign(new Error('Unknown interaction'), {
      code: 10062,
      status: 404,
      method: 'POST',
      url: 'https://discord.com/api/v10/interactions/1/secret-token/callback',
    });
    const fields = errorFields(error);
    expect(fields).toEqual({ err: 'Unknown interaction', errName: 'Error', code: 10062, status: 404, method: 'POST' });
    expect(errorFields('plain')).toEqual({ err: 'plain' });
    expect(errorFields(new TypeError('boom'))).toMatchObject({ err: 'boom', errName: 'TypeError', stack: expect.stringContaining('boom') });
  });
});
