/**
 * The bot started the way a user starts it (`npm start` with the environment),
 * talking to the Discord stand-in; notes land in the SQLite store on disk.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAVE_TO_NOTES } from '../../../src/adapters/discord/discord-commands.ts';
import { openNoteStore, silentLogger } from '../../../src/core/index.ts';
import { botTracker } from '../../helpers/bot-process.ts';
import { makeDataDir } from '../../helpers/context.ts';
import { FAKE_USER, snowflake, startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.ts';
import { BOT_TOKEN, SIGNING_SECRET, postSigned, slashCommandBody, startFakeSlack } from '../../helpers/fake-slack.ts';
import { freePort } from '../../helpers/servers.ts';

const GUILD = '3300000000000000001';
const CHANNEL = '2200000000000000009';
const bots = botTracker();
const { npmStart, start } = bots;
let fake: FakeDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord({
    guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }] }],
    rejectTokens: ['revoked-token'],
  });
});

afterAll(async () => {
  await bots.cleanup();
  await fake?.close();
});

describe('npm start with Discord credentials', () => {
  it('connects, answers /note, "Save to notes", /find and autocomplete, and keeps the notes on disk', async () => {
    const dataDir = await makeDataDir();
    bots.keep(dataDir);
    const storeUrl = `sqlite://${path.join(dataDir, 'notes.sqlite')}`;
    const bot = npmStart({
      DISCORD_TOKEN: 'start-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      STORE_URL: storeUrl,
      // The owner on both platforms: a note saved on one is theirs to find on the other (the read rule).
      NOTE_WRITERS: `discord:${FAKE_USER.id},slack:U0OWNER`,
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog(/discord: started/);
    expect(fake.identifies.at(-1)).toMatchObject({ token: 'start-token', intents: 1 });

    const where = { guildId: GUILD, channelId: CHANNEL };
    const note = await fake.interact(fake.chatInput('note', { text: 'quorum reads need read repair #consistency' }, where));
    expect(note.callback.type).toBe(4);
    expect(note.callback.data).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    const title = (note.callback.data as { embeds: { title: string }[] }).embeds[0]!.title;
    expect(title).toMatch(/^Saved note [a-z0-9]{10} \(#consistency\)\.$/);

    const messageId = snowflake();
    const target = { id: messageId, content: 'hinted handoff covers short outages #consistency', author: { id: '90000000000000001', username: 'bob' } };
    const saved = await fake.interact(fake.messageCommand(SAVE_TO_NOTES, target, where));
    expect((saved.callback.data as { embeds: { title: string }[] }).embeds[0]!.title).toMatch(/^Saved note /);
    const again = await fake.interact(fake.messageCommand(SAVE_TO_NOTES, target, where));
    expect((again.callback.data as { embeds: { title: string }[] }).embeds[0]!.title).toMatch(/^Already saved note /);

    const found = await fake.interact(fake.chatInput('find', { query: '#consistency' }, where));
    const fields = (found.callback.data as { embeds: { fields: { name: string; value: string }[] }[] }).embeds[0]!.fields;
    expect(fields.map((f) => f.name).join('\n')).toMatch(/quorum reads need read repair/);
    expect(fields.map((f) => f.value).join('\n')).toContain(`https://discord.com/channels/${GUILD}/${CHANNEL}/${messageId}`);

    const topics = await fake.interact(fake.chatInput('topics', {}, where));
    expect(topics.callback.data).not.toHaveProperty('flags', 64);

    const suggestions = await fake.interact(fake.autocomplete('find', 'query', 'hint', where));
    expect(suggestions.callback.type).toBe(8);
    expect((suggestions.callback.data as { choices: { value: string }[] }).choices.map((c) => c.value)).toContain('hinted');

    const someoneElse = await fake.interact(fake.chatInput('note', { text: 'sneaky' }, { ...where, user: { id: '42', username: 'mallory' } }));
    expect((someoneElse.callback.data as { embeds: { title: string }[] }).embeds[0]!.title).toBe(
      'note: only the owner can change notes or topics here — nothing was changed.',
    );

    bot.signal('SIGTERM');
    await bot.exited;
    const store = await openNoteStore(storeUrl, { logger: silentLogger() });
    try {
      const notes = await store.loadAll();
      expect(notes.map((n) => n.text).sort()).toEqual([
        'hinted handoff covers short outages #consistency',
        'quorum reads need read repair #consistency',
      ]);
      const fromMessage = notes.find((n) => n.text.startsWith('hinted'))!;
      expect(fromMessage.author).toEqual({ platform: 'discord', id: '90000000000000001', name: 'bob' });
      expect(fromMessage.source.permalink).toBe(`https://discord.com/channels/${GUILD}/${CHANNEL}/${messageId}`);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('exits 1, so a supervisor restarts it, when the gateway closes the connection for good', async () => {
    const dataDir = await makeDataDir();
    bots.keep(dataDir);
    const bot = start({
      DISCORD_TOKEN: 'later-revoked-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      STORE_URL: `sqlite://${path.join(dataDir, 'notes.sqlite')}`,
    });
    await bot.waitForLog(/discord: started/);
    fake.closeGateway(4004);
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toContain("tinker: discord: the gateway closed the connection for good (code 4004) — check DISCORD_TOKEN and the bot's intents");
  }, 60_000);

  it('exits 1 with a short message when Discord refuses the token', async () => {
    const dataDir = await makeDataDir();
    bots.keep(dataDir);
    const bot = start({
      DISCORD_TOKEN: 'revoked-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      STORE_URL: `sqlite://${path.join(dataDir, 'notes.sqlite')}`,
    });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toContain('tinker: discord: could not log in: An invalid token was provided.');
  }, 60_000);
});

describe('npm start with Discord and Slack configured', () => {
  it('runs both in one process over one index and one store', async () => {
    const slack = await startFakeSlack();
    try {
      const dataDir = await makeDataDir();
      bots.keep(dataDir);
      const port = await freePort();
      const bot = start({
        DISCORD_TOKEN: 'both-token',
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_PORT: String(port),
        SLACK_API_URL: slack.apiUrl,
        DATA_DIR: dataDir,
        STORE_URL: `sqlite://${path.join(dataDir, 'notes.sqlite')}`,
        // One owner on both platforms: their note saved on Discord is theirs to find on Slack.
        NOTE_WRITERS: `discord:${FAKE_USER.id},slack:U0OWNER`,
      });
      await bot.waitForLog(/discord: started/);
      await bot.waitForLog(/slack: started/);
      const where = { guildId: GUILD, channelId: CHANNEL };
      const note = await fake.interact(fake.chatInput('note', { text: 'saved on discord, found on slack #bothways' }, where));
      expect((note.callback.data as { embeds: { title: string }[] }).embeds[0]!.title).toMatch(/^Saved note /);
      const find = await postSigned(
        `http://127.0.0.1:${port}/slack/events`,
        slashCommandBody({ command: '/find', text: '#bothways', response_url: slack.responseUrl() }),
      );
      expect(find.status).toBe(200);
      expect(JSON.stringify(await find.json())).toContain('saved on discord, found on slack');
      bot.signal('SIGTERM');
      await bot.exited;
    } finally {
      await slack.close();
    }
  }, 60_000);
});
