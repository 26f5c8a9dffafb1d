/**
 * Hostile input, one table, through every front end. Each case must get a clear
 * reply; none may crash the process, ping anyone, or damage the store.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../src/adapters/console/console.ts';
import { createDiscordAdapter } from '../../src/adapters/discord/discord.ts';
import type { Adapter } from '../../src/adapters/adapter.ts';
import { silentLogger } from '../../src/core/index.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';
import { discordMessageProblems, startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import { slackMessageProblems, startSlackDriver, type SlackDriver } from '../helpers/fake-slack.ts';

/** What a front end must answer for one input. */
export interface HostileCase {
  name: string;
  command: string;
  text: string;
  /** The reply's text (rendered, as the user sees it) must match. */
  expect: RegExp;
  /** Whether the input should end up as a stored note. */
  saves?: boolean;
}

const THOUSAND_WORDS = Array.from({ length: 1000 }, (_, i) => `word${i}`).join(' ');

export const HOSTILE_CASES: HostileCase[] = [
  { name: 'empty note', command: 'note', text: '', expect: /^note: the note is empty — try \/note/ },
  { name: 'whitespace-only note', command: 'note', text: ' \t  ', expect: /^note: the note is empty/ },
  { name: '100 KB note', command: 'note', text: 'x'.repeat(100_000), expect: /^note: that is 100,000 characters; a note can hold at most 4,000 — nothing was saved/ },
  { name: '100 KB query', command: 'find', text: 'y'.repeat(100_000), expect: /^Nothing found for "y+…"\./ },
  { name: 'NUL and control characters', command: 'note', text: 'nul\u0000 bell\u0007 esc\u001b[31m red #ctl', expect: /^Saved note [0-9a-z]{10} \(#ctl\)\./, saves: true },
  { name: 'lone UTF-16 surrogates', command: 'note', text: 'lone \uD800 high and \uDC00 low #surrogate', expect: /^Saved note [0-9a-z]{10} \(#surrogate\)\./, saves: true },
  { name: 'right-to-left text and combining marks', command: 'note', text: 'שלום עולם \u202Eevil\u202C Z\u0351\u0352\u0353algo #rtl', expect: /^Saved note [0-9a-z]{10} \(#rtl\)\./, saves: true },
  { name: 'finding the right-to-left note back: no bidirectional control is shown', command: 'find', text: '#rtl', expect: /^1 result for "#rtl"/ },
  { name: 'bidirectional controls in a query', command: 'find', text: 'txt\u202E\u2066exe\u200F\u2069', expect: /^Nothing found for "txtexe"\./ },
  { name: 'emoji', command: 'note', text: '🚀 launch checklist 👩‍💻🏳️‍🌈 #emoji', expect: /^Saved note [0-9a-z]{10} \(#emoji\)\./, saves: true },
  { name: 'mentions', command: 'note', text: 'pingtest <!channel> <!here> @everyone @here <@&123456> <@U024BE7LH> <@80351110224678912>', expect: /^Saved note [0-9a-z]{10} \(no tags\)\./, saves: true },
  { name: 'finding the mentions back', command: 'find', text: 'pingtest', expect: /^1 result for "pingtest"/ },
  { name: 'markdown, code fences, Block Kit JSON', command: 'note', text: '**bold** _it_ ```js alert(1)``` [{"type":"section","text":{"type":"mrkdwn","text":"<!channel>"}}] #markup', expect: /^Saved note [0-9a-z]{10} \(#markup\)\./, saves: true },
  { name: 'regular-expression metacharacters', command: 'find', text: '.*+?^${}()|[]\\ (a|b)* \\d+', expect: /^(Nothing found for|\d+ results? for)/ },
  { name: '1,000-word query', command: 'find', text: THOUSAND_WORDS, expect: /^(Nothing found for|\d+ results? for) "word0 word1/ },
  { name: 'kind: with nothing after it', command: 'find', text: 'kind:', expect: /^find: kind: needs a value — use kind:note, kind:article or kind:profile/ },
  { name: '# with nothing after it', command: 'find', text: 'libgit2 #', expect: /^find: # needs a tag name after it — e.g. \/find #git/ },
  { name: 'unknown command', command: 'frobnicate', text: 'now', expect: /^Unknown command "\/frobnicate"\. Known commands: \/note, \/find, \/tags, \/topics, \/resurface, \/forget, \/help(, \/more)?\./ },
  { name: 'a typo of a command', command: 'fnd', text: 'libgit2', expect: /^Unknown command "\/fnd" — did you mean \/find\?/ },
  { name: 'unknown option', command: 'topics', text: '--verbose', expect: /^topics: no "--verbose" section in the profile — try \/topics current/ },
  { name: 'forget with a path', command: 'forget', text: '../../etc/passwd', expect: /^forget: "..\/..\/etc\/passwd" is not a note id/ },
];

/** Markers that a stack trace or an internal error leaked into a reply. */
export const LEAK = /(\bat .+:\d+:\d+|Error:|TypeError|undefined|\[object Object\])/;

/** Bidirectional controls, which can make what is shown read otherwise than what is there: never shown. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Slack mention and broadcast syntax that would notify someone if sent unescaped. */
const SLACK_PING = /<(!channel|!here|!everyone|@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+)(\|[^>]*)?>/;

/**
 * One front end under test: sends `/<command> <text>` as its platform would and
 * returns the reply text as the user reads it, after checking the platform's own
 * no-ping rule on the raw output.
 */
interface FrontEnd {
  name: string;
  start(ctx: TestContext): Promise<void>;
  send(command: string, text: string): Promise<string>;
  stop(): Promise<void>;
}

function consoleFrontEnd(): FrontEnd {
  let ctx: TestContext;
  return {
    name: 'console',
    async start(c) {
      ctx = c;
    },
    async send(command, text) {
      const printed = await viaConsole(ctx, `/${command} ${text}`.trimEnd());
      // Control characters never reach the terminal.
      expect(printed).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
      expect(printed).not.toMatch(BIDI);
      return printed;
    },
    async stop() {},
  };
}

function slackFrontEnd(): FrontEnd {
  let driver: SlackDriver;
  return {
    name: 'Slack',
    async start(ctx) {
      driver = await startSlackDriver({ dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() });
    },
    async send(command, text) {
      const { status, message } = await driver.command(command, text);
      expect(status).toBe(200);
      expect(message?.text).toBeTruthy();
      // Well-formed as Slack requires (at most 50 blocks, sections of 1–3,000 characters), or Slack shows nothing.
      expect(slackMessageProblems(message)).toEqual([]);
      const raw = JSON.stringify(message);
      expect(raw).not.toMatch(SLACK_PING);
      expect(raw).not.toMatch(BIDI);
      // As Slack shows it: entities decoded.
      return message!.text!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    },
    async stop() {
      await driver.stop();
    },
  };
}

function discordFrontEnd(): FrontEnd {
  let fake: FakeDiscord;
  let adapter: Adapter;
  let ctx: TestContext;
  return {
    name: 'Discord',
    async start(c) {
      ctx = c;
      fake = await startFakeDiscord({ guilds: [{ id: '3300000000000000001', name: 'home', channels: [{ id: '2200000000000000009', name: 'general' }] }] });
      adapter = createDiscordAdapter(
        { token: 'test-bot-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl },
        { dispatcher: ctx.dispatcher, status: () => ctx.kb.counts(), logger: silentLogger() },
      );
      await adapter.start();
    },
    async send(command, text) {
      const optionName = ctx.dispatcher.find(command)?.option?.name ?? 'text';
      const result = await fake.interact(
        fake.chatInput(command, text ? { [optionName]: text } : {}, { guildId: '3300000000000000001', channelId: '2200000000000000009' }),
      );
      const body = (result.edit ?? result.callback.data ?? {}) as { embeds?: Array<{ title?: string }>; content?: string; allowed_mentions?: unknown };
      // Answered in time and within every Discord limit (the stand-in also answers 400 to a body over them).
      expect(result.callbackMs).toBeLessThan(3000);
      expect([4, 5]).toContain(result.callback.type);
      expect(discordMessageProblems(body, { edit: result.edit !== undefined })).toEqual([]);
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(JSON.stringify(body)).not.toMatch(BIDI);
      // No mention syntax survives unescaped anywhere in the message.
      expect(JSON.stringify(body.embeds ?? [])).not.toMatch(/@(everyone|here)|(?<!\\\\)<[@#]/i);
      const title = body.embeds?.[0]?.title ?? body.content ?? '';
      // As Discord shows it: markdown escapes removed.
      return title.replace(/\\([\\*_~`|>#\-.:<@])/g, '$1');
    },
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** Runs one line through the real console adapter and returns what it printed. */
async function viaConsole(ctx: TestContext, line: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const adapter = createConsoleAdapter({ input, output, userName: 'owner' }, { dispatcher: ctx.dispatcher, logger: silentLogger() });
  const done = adapter.start();
  input.end(`${line}\n`);
  await done;
  return printed;
}

for (const frontEnd of [consoleFrontEnd(), slackFrontEnd(), discordFrontEnd()]) {
  describe(`hostile input through ${frontEnd.name}`, () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext();
      await frontEnd.start(ctx);
    });
    afterAll(async () => {
      await frontEnd.stop();
      await ctx.close();
    });

    let saved = 0;
    for (const c of HOSTILE_CASES) {
      it(c.name, async () => {
        const before = ctx.kb.counts().notes;
        const shown = await frontEnd.send(c.command, c.text);
        expect(shown).toMatch(c.expect);
        expect(shown).not.toMatch(LEAK);
        expect(ctx.kb.counts().notes).toBe(before + (c.saves ? 1 : 0));
        if (c.saves) saved += 1;
      });
    }

    it('leaves the store intact: every saved note reads back as saved', async () => {
      const stored = await ctx.store.loadAll();
      expect(stored).toHaveLength(saved);
      for (const note of stored) {
        expect(note.text).not.toMatch(/\u0000/);
        expect(ctx.kb.note(note.id)).toEqual(note);
      }
    });
  });
}
