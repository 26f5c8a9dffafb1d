/**
 * "More results" reaches every hit on every platform (finding 15), through the
 * real adapters: Slack (signed HTTP into Bolt, presses answered on the
 * response_url) and Discord (discord.js against the stand-in), with a
 * SEARCH_LIMIT larger than a Slack message (50 blocks) or a Discord embed
 * (25 fields, 6,000 characters) can hold and write-ups whose titles are long.
 * The renderers show what fits; pressing More results again and again must
 * then visit every hit once, in ranking order, each reply's range saying
 * which hits it shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/slack.ts';
import { silentLogger } from '../../src/core/index.ts';
import type { Adapter } from '../../src/adapters/adapter.ts';
import { CONSOLE_USER, createTestContext, type TestContext } from '../helpers/context.ts';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  blockActionsPayload,
  interactiveBody,
  postSigned,
  slackMessageProblems,
  slashCommandBody,
  startFakeSlack,
  type FakeSlack,
} from '../helpers/fake-slack.ts';

const GUILD = '3300000000000000001';
const CHANNEL = '2200000000000000009';
const EPHEMERAL = 64;
const ARTICLES = 61;

/** Long titles (the Discord embed's total runs out) and a ranking by how often "heron" occurs. */
const articles = Object.fromEntries(
  Array.from({ length: ARTICLES }, (_, i) => {
    const n = String(i).padStart(2, '0');
    const title = `Heron study ${n} ${'of wading birds along the estuary at low tide '.repeat(5).trim()}`;
    return [`birds/h${n}.md`, `---\ntitle: ${title}\n---\n${'heron '.repeat(1 + (i % 9))}colony ${n} ${'nesting in reed beds and alder carr '.repeat(3)}\n`];
  }),
);

/** The study number a shown title starts with. */
const studyOf = (title: string): string => /Heron study (\d\d)/.exec(title)?.[1] ?? `? ${title.slice(0, 40)}`;

interface Page {
  /** The reply's summary. */
  text: string;
  /** Each shown hit as [the number it is shown with, its study number]. */
  hits: Array<[number, string]>;
  /** The More results button's value, when there is one. */
  next?: string;
}

function checkRange(page: Page, total: number): void {
  // The header tells the truth: "(25-48 of 61)" (or "(61 of 61)") is exactly the hits shown.
  const range = /\((\d+)(?:-(\d+))? of (\d+)\)$/.exec(page.text);
  expect(range, page.text).not.toBeNull();
  expect(Number(range![3])).toBe(total);
  const from = Number(range![1]);
  const to = range![2] === undefined ? from : Number(range![2]);
  if (range![2] !== undefined) expect(to, page.text).toBeGreaterThan(from);
  expect(page.hits.map(([position]) => position)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

/** Presses More results until there is none; returns the study numbers in the order shown. */
async function pressThrough(first: Page, press: (next: string) => Promise<Page>, total: number): Promise<{ seen: string[]; pages: number }> {
  const seen: string[] = [];
  let page = first;
  let pages = 1;
  for (;;) {
    checkRange(page, total);
    expect(page.hits.length).toBeGreaterThan(0);
    seen.push(...page.hits.map(([, study]) => study));
    if (!page.next) break;
    expect(pages, 'too many presses').toBeLessThan(total);
    page = await press(page.next);
    pages += 1;
  }
  return { seen, pages };
}

describe.each([50, 20])('with SEARCH_LIMIT=%i', (searchLimit) => {
  let ctx: TestContext;
  let slackFake: FakeSlack;
  let slack: SlackAdapter;
  let discordFake: FakeDiscord;
  let discord: Adapter;
  let eventsUrl: string;
  let ranking: string[];

  beforeAll(async () => {
    slackFake = await startFakeSlack();
    discordFake = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'home', channels: [{ id: CHANNEL, name: 'general' }] }] });
    ctx = await createTestContext({ profile: '# Current topics\n- Birds\n', articles, searchLimit });
    const deps = { dispatcher: ctx.dispatcher, logger: silentLogger() };
    slack = createSlackAdapter({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: slackFake.apiUrl }, deps, { host: '127.0.0.1' });
    await slack.start();
    eventsUrl = `http://127.0.0.1:${slack.port}/slack/events`;
    discord = createDiscordAdapter({ token: 'test-bot-token', applicationId: discordFake.applicationId, apiUrl: discordFake.apiUrl }, deps);
    await discord.start();
    ranking = ctx.kb.search({ text: 'heron', kinds: [], tags: [] }, { viewer: CONSOLE_USER, limit: ARTICLES }).hits.map((hit) => studyOf(hit.title));
    expect(new Set(ranking).size).toBe(ARTICLES);
  });

  afterAll(async () => {
    await discord?.stop();
    await slack?.stop();
    await discordFake?.close();
    await slackFake?.close();
    await ctx?.close();
  });

  type SlackBody = { text: string; blocks?: Array<{ type: string; text?: { text: string }; elements?: Array<{ value?: string }> }> };
  const slackPage = (body: SlackBody): Page => {
    expect(slackMessageProblems(body)).toEqual([]);
    const hits = (body.blocks ?? []).flatMap((block): Array<[number, string]> => {
      const match = block.type === 'section' ? /^(\d+)\. \*/.exec(block.text?.text ?? '') : null;
      return match ? [[Number(match[1]), studyOf(block.text!.text)]] : [];
    });
    const next = (body.blocks ?? []).find((block) => block.type === 'actions')?.elements?.[0]?.value;
    return { text: body.text, hits, ...(next ? { next } : {}) };
  };

  it('Slack: pressing More results visits every hit once, in ranking order', async () => {
    const res = await postSigned(eventsUrl, slashCommandBody({ command: '/find', text: 'heron', response_url: slackFake.responseUrl('find-first') }));
    expect(res.status).toBe(200);
    const first = slackPage((await res.json()) as SlackBody);
    // A message holds 50 blocks, two a hit: 20 hits fit, 50 do not, and fewer are shown.
    if (searchLimit > 24) expect(first.hits.length).toBeLessThan(searchLimit);
    else expect(first.hits.length).toBe(searchLimit);
    let presses = 0;
    const { seen } = await pressThrough(
      first,
      async (value) => {
        const id = `find-more-${(presses += 1)}`;
        const pressed = await postSigned(eventsUrl, interactiveBody(blockActionsPayload({ response_url: slackFake.responseUrl(id), value })));
        expect(pressed.status).toBe(200);
        return slackPage((await slackFake.waitForResponse(id)) as SlackBody);
      },
      ARTICLES,
    );
    expect(seen).toEqual(ranking);
  });

  type DiscordBody = { embeds: Array<{ title?: string; fields?: Array<{ name: string }> }>; components?: Array<{ components: Array<{ custom_id: string }> }> };
  const discordPage = (body: DiscordBody): Page => {
    const [embed] = body.embeds;
    const hits = (embed?.fields ?? []).map((field): [number, string] => [Number(/^(\d+)\./.exec(field.name)?.[1]), studyOf(field.name)]);
    const next = body.components?.[0]?.components[0]?.custom_id;
    return { text: embed?.title ?? '', hits, ...(next ? { next } : {}) };
  };

  it('Discord: pressing More results visits every hit once, in ranking order', async () => {
    const result = await discordFake.interact(discordFake.chatInput('find', { query: 'heron' }, { guildId: GUILD, channelId: CHANNEL }));
    const first = discordPage((result.edit ?? result.callback.data) as DiscordBody);
    // An embed holds 6,000 characters: far fewer hits than the limit, with titles this long.
    expect(first.hits.length).toBeLessThan(Math.min(searchLimit, ARTICLES));
    const { seen } = await pressThrough(
      first,
      async (customId) => {
        const pressed = await discordFake.interact(discordFake.button(customId, { flags: EPHEMERAL }, { guildId: GUILD, channelId: CHANNEL }));
        return discordPage((pressed.edit ?? pressed.callback.data) as DiscordBody);
      },
      ARTICLES,
    );
    expect(seen).toEqual(ranking);
  });
});
