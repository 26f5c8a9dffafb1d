/**
 * A reply's actions as Discord buttons, through the real discord.js client
 * against the Discord stand-in (which refuses what Discord would refuse): the
 * button component, a press answered as the presser (updating an ephemeral
 * message in place, or a new ephemeral reply), long actions kept in a bounded
 * map, an expired one, a slow one deferred.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionIds } from '../../../src/adapters/action-ids.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/discord.ts';
import type { Adapter } from '../../../src/adapters/adapter.ts';
import { silentLogger } from '../../../src/core/index.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { discordComponentsProblems, startFakeDiscord, type FakeDiscord, type FakeUser, type InteractionResult } from '../../helpers/fake-discord.ts';
import { dispatcherWith, pager } from '../../helpers/test-commands.ts';

const GUILD = '3300000000000000001';
const CHANNEL = '2200000000000000009';
const WHERE = { guildId: GUILD, channelId: CHANNEL };
const BOB: FakeUser = { id: '90000000000000001', username: 'bob' };
const EPHEMERAL = 64;

let fake: FakeDiscord;
let ctx: TestContext;
let adapter: Adapter;

beforeAll(async () => {
  fake = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }] }] });
  ctx = await createTestContext({ profile: '# Ada\n\n## Current topics\n\n- herons\n', articles: {} });
  adapter = createDiscordAdapter(
    { token: 'test-bot-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    { dispatcher: dispatcherWith(ctx, [pager], ['discord:80351110224678912']), logger: silentLogger() },
    { deferAfterMs: 200 },
  );
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
  await ctx?.close();
});

interface Shown {
  embeds: Array<{ title?: string }>;
  flags?: number;
  components?: Array<{ type: number; components: Array<{ type: number; style: number; label: string; custom_id: string }> }>;
}
const shown = (result: InteractionResult): Shown => (result.edit ?? result.callback.data ?? {}) as unknown as Shown;
const title = (result: InteractionResult) => shown(result).embeds[0]?.title;
const customId = (result: InteractionResult) => shown(result).components?.[0]?.components[0]?.custom_id;

describe('buttons on Discord', () => {
  it('render a reply’s action as a button Discord accepts', async () => {
    const first = await fake.interact(fake.chatInput('pager', {}, WHERE));
    expect(first.callback.type).toBe(4);
    expect(title(first)).toBe('page 1, for 80351110224678912');
    expect(shown(first).components).toEqual([
      { type: 1, components: [{ type: 2, style: 2, label: 'More results', custom_id: customId(first) }] },
    ]);
    expect(discordComponentsProblems(shown(first).components)).toEqual([]);
    expect(customId(first)!.length).toBeLessThanOrEqual(100);
  });

  it('update an ephemeral message in place when pressed, as the presser', async () => {
    const first = await fake.interact(fake.chatInput('pager', {}, WHERE));
    const pressed = await fake.interact(fake.button(customId(first)!, { flags: EPHEMERAL }, WHERE));
    // 7: UPDATE_MESSAGE, the message with the button becomes page 2.
    expect(pressed.callback.type).toBe(7);
    expect(title(pressed)).toBe('page 2, for 80351110224678912');
    const last = await fake.interact(fake.button(customId(pressed)!, { flags: EPHEMERAL }, WHERE));
    expect(title(last)).toBe('page 3, for 80351110224678912');
    expect(shown(last).components).toBeUndefined();
  });

  it('answer a press on a public message with a new ephemeral reply, run as the presser', async () => {
    const first = await fake.interact(fake.chatInput('pager', {}, WHERE));
    const pressed = await fake.interact(fake.button(customId(first)!, { flags: 0 }, { ...WHERE, user: BOB }));
    expect(pressed.callback.type).toBe(4);
    expect(shown(pressed).flags).toBe(EPHEMERAL);
    expect(title(pressed)).toBe(`page 2, for ${BOB.id}`);
  });

  it('keep a long action in a bounded map under a short custom_id, and say plainly when one has expired', async () => {
    const long = 'y'.repeat(300);
    const first = await fake.interact(fake.chatInput('pager', { text: long }, WHERE));
    expect(customId(first)).toMatch(/^tm:/);
    expect(discordComponentsProblems(shown(first).components)).toEqual([]);
    const pressed = await fake.interact(fake.button(customId(first)!, { flags: EPHEMERAL }, WHERE));
    expect(title(pressed)).toBe('page 2, for 80351110224678912 (300 characters more)');
    // A key the map no longer holds (the bot restarted), or an id that is not one we wrote.
    for (const stale of ['tm:gone.0', 'ti:["pager"']) {
      const press = await fake.interact(fake.button(stale, { flags: EPHEMERAL }, WHERE));
      expect(press.callback.type).toBe(4);
      expect(shown(press).flags).toBe(EPHEMERAL);
      expect(title(press)).toBe('discord: this button has expired — please run the command again.');
    }
  });

  it('defer a slow press (6: DEFERRED_UPDATE_MESSAGE), then edit the message', async () => {
    const first = await fake.interact(fake.chatInput('pager', {}, WHERE));
    const ids = createActionIds('t', 100);
    const slow = ids.encode({ command: 'pager', text: 'slow page:2' });
    expect(slow).toBe('ti:["pager","slow page:2"]');
    expect(customId(first)).toBe('ti:["pager","page:2"]');
    const pressed = await fake.interact(fake.button(slow, { flags: EPHEMERAL }, WHERE));
    expect(pressed.callback.type).toBe(6);
    expect((pressed.edit as { embeds: Array<{ title: string }> }).embeds[0]!.title).toBe('page 2, for 80351110224678912 (4 characters more)');
  });
});

describe('action ids', () => {
  it('write short actions into the id, keep long ones in a map of the latest, and know an expired one', () => {
    const ids = createActionIds('t', 100, 2);
    expect(ids.decode(ids.encode({ command: 'find', text: 'libgit2 page:2' }))).toEqual({ command: 'find', text: 'libgit2 page:2' });
    const long = (n: number) => ({ command: 'find', text: `${'z'.repeat(120)} page:${n}` });
    const [a, b] = [ids.encode(long(1)), ids.encode(long(2))];
    expect(a.length).toBeLessThanOrEqual(100);
    expect(ids.encode(long(1))).toBe(a);
    expect(ids.decode(a)).toEqual(long(1));
    // A third long one pushes out the oldest (b, since a was used again).
    const c = ids.encode(long(3));
    expect(ids.decode(b)).toEqual({ expired: true });
    expect(ids.decode(a)).toEqual(long(1));
    expect(ids.decode(c)).toEqual(long(3));
    expect(ids.decode('someone else')).toBeUndefined();
    expect(ids.decode('ti:not json')).toBeUndefined();
  });

  it('carry where a continued list starts, and take only a plain position back', () => {
    const ids = createActionIds('t', 100, 2);
    const short = ids.encode({ command: 'find', text: 'libgit2', offset: 23 });
    expect(short).toBe('ti:["find","libgit2",23]');
    expect(ids.decode(short)).toEqual({ command: 'find', text: 'libgit2', offset: 23 });
    const long = { command: 'find', text: 'z'.repeat(120), offset: 7 };
    expect(ids.decode(ids.encode(long))).toEqual(long);
    // Not the same button as the one for another offset.
    expect(ids.encode({ ...long, offset: 8 })).not.toBe(ids.encode(long));
    for (const bad of ['-1', '1.5', '"3"', 'null', '1e400']) expect(ids.decode(`ti:["find","x",${bad}]`), bad).toBeUndefined();
  });
});
