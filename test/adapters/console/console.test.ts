/**
 * The console's buttons: a reply's actions are listed, and /more runs them
 * (the next page of a /find), through the real console adapter and dispatcher.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTHING_MORE, createConsoleAdapter, pickAction } from '../../../src/adapters/console/console.ts';
import { renderConsoleReply } from '../../../src/adapters/console/console-format.ts';
import { reply, silentLogger, type Dispatcher } from '../../../src/core/index.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { dispatcherWith, pager } from '../../helpers/test-commands.ts';

let ctx: TestContext;
let dispatcher: Dispatcher;

beforeAll(async () => {
  ctx = await createTestContext({ profile: '# Ada\n\n## Current topics\n\n- herons\n', articles: {} });
  dispatcher = dispatcherWith(ctx, [pager]);
});

afterAll(async () => {
  await ctx?.close();
});

/** Pipes `lines` into the real console adapter and returns what it printed. */
async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const adapter = createConsoleAdapter({ input, output, userName: 'owner' }, { dispatcher, logger: silentLogger() });
  const done = adapter.start();
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

describe('/more in the console', () => {
  it('runs the last reply’s action: the next page, then the one after, then says there is no more', async () => {
    const printed = await session(['/pager', '/more', '/more', '/more']);
    expect(printed).toBe(
      [
        'page 1, for local',
        'results 1-5 of 15',
        '→ More results: /more',
        'page 2, for local',
        'results 6-10 of 15',
        '→ More results: /more',
        'page 3, for local',
        'results 11-15 of 15',
        NOTHING_MORE,
        '',
      ].join('\n'),
    );
    expect(NOTHING_MORE).toBe('more: nothing more to show — /more continues a /find that has more results');
  });

  it('says so before any command, and after a reply without actions', async () => {
    expect(await session(['/more'])).toBe(`${NOTHING_MORE}\n`);
    expect((await session(['/pager', '/help', '/more'])).trimEnd().split('\n').at(-1)).toBe(NOTHING_MORE);
  });

  it('suggests a command for a typo', async () => {
    expect(await session(['/fnd herons'])).toBe('Unknown command "/fnd" — did you mean /find?\n');
  });

  it('is one of the console’s commands: suggested for a typo, in the list of known commands and in /help', async () => {
    expect(await session(['/mor', '/mroe'])).toBe('Unknown command "/mor" — did you mean /more?\nUnknown command "/mroe" — did you mean /more?\n');
    expect(await session(['/frobnicate'])).toMatch(/^Unknown command "\/frobnicate"\. Known commands: \/note, .*, \/help, .*\/more\.\n$/);
    expect((await session(['/help'])).split('\n')).toContain('  - /more [n] — Run a button of the last reply: the next results of a /find (e.g. /more)');
  });

  it('keeps the buttons after a wrong number, so the next /more still runs one', async () => {
    const printed = await session(['/pager', '/more 7', '/more']);
    expect(printed).toBe(
      [
        'page 1, for local',
        'results 1-5 of 15',
        '→ More results: /more',
        'more: 7 is not one of the buttons (the only one is 1) — try /more',
        '→ More results: /more',
        'page 2, for local',
        'results 6-10 of 15',
        '→ More results: /more',
        '',
      ].join('\n'),
    );
  });
});

describe('actions in console replies', () => {
  const two = reply('two buttons', {
    actions: [
      { id: 'a', label: 'More results', command: 'pager', text: 'page:2' },
      { id: 'b', label: 'Older \u202Eones', command: 'pager', text: 'page:3' },
    ],
  });

  it('lists each with the /more that runs it, bidirectional controls dropped', () => {
    expect(renderConsoleReply(two)).toBe('two buttons\n→ More results: /more\n→ Older ones: /more 2');
  });

  it('picks the action /more N names, or says which numbers there are', () => {
    const actions = two.actions!;
    expect(pickAction(actions, '')).toBe(actions[0]);
    expect(pickAction(actions, ' 2 ')).toBe(actions[1]);
    expect(pickAction(actions, '3')).toBe('more: 3 is not one of the buttons (there are 1–2) — try /more');
    expect(pickAction(actions, 'lots')).toBe('more: lots is not one of the buttons (there are 1–2) — try /more');
    expect(pickAction([], '')).toBe(NOTHING_MORE);
  });
});

describe('console replies of real commands', () => {
  let tagged: TestContext;
  beforeAll(async () => {
    tagged = await createTestContext({
      profile: '# Ada\n\n## Current topics\n\n- herons\n',
      articles: {
        'fm.md': '---\ntitle: "Quarterly \u202Ereport"\ntags: ["\u202Ebidi-tag", "zoo"]\n---\nthe tapir report\n',
        'plain.md': '---\ntitle: Plain\ntags: [bidi-tag]\n---\nno controls here\n',
      },
    });
    await tagged.run('/note feeding times #zoo');
  });
  afterAll(() => tagged?.close());

  it('/tags prints its heading once, then the list', async () => {
    expect(renderConsoleReply(await tagged.run('/tags'))).toBe(
      ['2 tags in use, most used first', '  - /find #bidi-tag (2 articles)', '  - /find #zoo (1 article, 1 note)'].join('\n'),
    );
    expect(renderConsoleReply(await tagged.run('/tags zo'))).toBe(['1 tag matching "zo", most used first', '  - /find #zoo (1 article, 1 note)'].join('\n'));
  });

  it('a hit’s header shows no bidirectional control, from its title or its front-matter tags', async () => {
    const shown = renderConsoleReply(await tagged.run('/find tapir'));
    expect(shown.split('\n').slice(0, 2)).toEqual([
      '1 result for "tapir"',
      '1. Quarterly report  [article · modified ' + shown.match(/modified (\d{4}-\d\d-\d\d)/)?.[1] + ' · #bidi-tag #zoo]',
    ]);
    expect(shown).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    // The tag is one tag, found as typed: a bidi control is no part of a tag's name.
    expect(renderConsoleReply(await tagged.run('/find #bidi-tag')).split('\n')[0]).toBe('2 results for "#bidi-tag"');
  });
});
