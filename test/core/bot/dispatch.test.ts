/**
 * Dispatch, the one gate: permission from `Command.writes`, "did you mean",
 * completions that never throw, unlisted commands, the open-bot hint.
 */
import { describe, expect, it } from 'vitest';
import {
  OPEN_BOT_HINT,
  StoreReadOnlyError,
  StoreUnavailableError,
  closestName,
  createDispatcher,
  defineCommand,
  editDistance,
  reply,
  silentLogger,
  type Command,
  type Invocation,
  type Memory,
} from '../../../src/core/index.ts';

const ran: string[] = [];
const say = (name: string, writes: Command['writes'], extra: Partial<Command> = {}): Command =>
  defineCommand({
    name,
    description: `${name} things`,
    usage: `/${name}`,
    example: `/${name}`,
    visibility: 'ephemeral',
    writes,
    async run(_ctx, invocation) {
      ran.push(`${name} ${invocation.text}`);
      return reply(`${name} ran`);
    },
    ...extra,
  });

const COMMANDS = [
  say('note', true),
  say('find', false, {
    async complete(_ctx, text, user) {
      if (text === 'boom') throw new Error('index gone');
      return [`${text} for ${user.id}`];
    },
  }),
  say('topics', (text) => /^\s*add\b/.test(text)),
  say('help', false),
  say('home', false, { listed: false }),
];

const OWNER = { platform: 'slack', id: 'U0OWNER', name: 'owner' };
const STRANGER = { platform: 'slack', id: 'U0STRANGER', name: 'mallory' };

function dispatcher(noteWriters: string[], memory?: Memory) {
  return createDispatcher(COMMANDS, { kb: undefined as never, searchLimit: 5, noteWriters }, silentLogger(), memory ? { memory } : {});
}

const call = (command: string, text: string, user = STRANGER): Invocation => ({ command, text, user, origin: { platform: user.platform } });

describe('permission, from Command.writes', () => {
  it('refuses a writing command to someone outside NOTE_WRITERS before it runs, and lets the owner and the console run it', async () => {
    const gate = dispatcher(['slack:U0OWNER']);
    ran.length = 0;
    expect(await gate.dispatch(call('note', 'hello #x'))).toEqual(
      reply('note: only the owner can change notes or topics here — nothing was changed.', { tone: 'error' }),
    );
    expect(ran).toEqual([]);
    expect((await gate.dispatch(call('note', 'mine', OWNER))).text).toBe('note ran');
    expect((await gate.dispatch(call('note', 'local', { platform: 'console', id: 'local', name: 'me' }))).text).toBe('note ran');
    expect(ran).toEqual(['note mine', 'note local']);
  });

  it('asks a command whose writes is a function about this call only', async () => {
    const gate = dispatcher(['slack:U0OWNER']);
    expect((await gate.dispatch(call('topics', ''))).text).toBe('topics ran');
    expect((await gate.dispatch(call('topics', ' add herons'))).text).toBe(
      'topics: only the owner can change notes or topics here — nothing was changed.',
    );
    expect(gate.permits(call('topics', 'add herons'))).toBe(false);
    expect(gate.permits(call('topics', 'add herons', OWNER))).toBe(true);
    expect(gate.permits(call('find', 'anything'))).toBe(true);
  });

  it('lets anyone write when NOTE_WRITERS is empty', async () => {
    expect((await dispatcher([]).dispatch(call('note', 'open'))).text).toBe('note ran');
  });
});

describe('unknown commands', () => {
  const gate = dispatcher(['slack:U0OWNER']);

  it('suggests the listed command within two edits', async () => {
    expect((await gate.dispatch(call('fnd', 'libgit2'))).text).toBe('Unknown command "/fnd" — did you mean /find?');
    expect((await gate.dispatch(call('fidn', ''))).text).toBe('Unknown command "/fidn" — did you mean /find?');
    expect((await gate.dispatch(call('/Topcs', ''))).text).toBe('Unknown command "/topcs" — did you mean /topics?');
    expect((await gate.dispatch(call('hlep', ''))).tone).toBe('error');
  });

  it('lists the listed commands when nothing is close, never an unlisted one', async () => {
    expect((await gate.dispatch(call('weather', ''))).text).toBe('Unknown command "/weather". Known commands: /note, /find, /topics, /help.');
    // `hom` is one edit from the unlisted `home`: not suggested.
    expect((await gate.dispatch(call('hom', ''))).text).toBe('Unknown command "/hom". Known commands: /note, /find, /topics, /help.');
  });

  it('runs an unlisted command by its name', async () => {
    expect((await gate.dispatch(call('home', ''))).text).toBe('home ran');
  });

  it('measures edits with a swap of neighbours as one', () => {
    expect(editDistance('find', 'find')).toBe(0);
    expect(editDistance('fidn', 'find')).toBe(1);
    expect(editDistance('fnd', 'find')).toBe(1);
    expect(editDistance('fn', 'find')).toBe(2);
    expect(editDistance('forgte', 'forget')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('weather', 'note', 2)).toBe(3);
    expect(closestName('nte', ['note', 'find'])).toBe('note');
    expect(closestName('xyzzy', ['note', 'find'])).toBeUndefined();
  });
});

describe('completions', () => {
  it('come from the command’s own complete(), as the person typing', async () => {
    expect(await dispatcher([]).complete('find', 'git', STRANGER)).toEqual([{ value: 'git for U0STRANGER' }]);
  });

  it('are none for a command without complete(), an unknown command, or a failing one', async () => {
    const gate = dispatcher([]);
    expect(await gate.complete('help', 'x', STRANGER)).toEqual([]);
    expect(await gate.complete('nope', 'x', STRANGER)).toEqual([]);
    expect(await gate.complete('find', 'boom', STRANGER)).toEqual([]);
  });
});

describe('the open-bot hint', () => {
  function memory(): Memory & { facts: Map<string, unknown> } {
    const facts = new Map<string, unknown>();
    return {
      facts,
      remember: async (key, value) => void facts.set(key, value),
      recall: async (key) => facts.get(key),
    };
  }

  it('comes once per person, on their first ephemeral reply, while NOTE_WRITERS is empty', async () => {
    const store = memory();
    const gate = dispatcher([], store);
    const first = await gate.dispatch(call('help', ''));
    expect(first.sections).toEqual([{ type: 'text', text: OPEN_BOT_HINT }]);
    expect(OPEN_BOT_HINT).toBe("This bot is open: anyone here can save notes and edit the owner's topics. Its owner can limit that with NOTE_WRITERS.");
    expect((await gate.dispatch(call('help', ''))).sections).toEqual([]);
    // Another person gets it too; the console user never does.
    expect((await gate.dispatch(call('help', '', OWNER))).sections).toEqual([{ type: 'text', text: OPEN_BOT_HINT }]);
    expect((await gate.dispatch(call('help', '', { platform: 'console', id: 'local', name: 'me' }))).sections).toEqual([]);
    expect([...store.facts.keys()]).toEqual(['hint:open:slack:U0STRANGER', 'hint:open:slack:U0OWNER']);
  });

  it('is not shown again after a restart: the store remembers it', async () => {
    const store = memory();
    await dispatcher([], store).dispatch(call('help', ''));
    expect((await dispatcher([], store).dispatch(call('help', ''))).sections).toEqual([]);
  });

  it('is not added to a public reply, and never when NOTE_WRITERS is set', async () => {
    const store = memory();
    const shout = say('shout', false, { visibility: 'public', run: async () => reply('loud', { visibility: 'public' }) });
    const gate = createDispatcher([shout, ...COMMANDS], { kb: undefined as never, searchLimit: 5, noteWriters: [] }, silentLogger(), { memory: store });
    expect((await gate.dispatch(call('shout', ''))).sections).toEqual([]);
    expect((await gate.dispatch(call('help', ''))).sections).toEqual([{ type: 'text', text: OPEN_BOT_HINT }]);
    expect((await dispatcher(['slack:U0OWNER'], memory()).dispatch(call('help', ''))).sections).toEqual([]);
  });

  it('still answers when the store cannot remember', async () => {
    const broken: Memory = { remember: async () => Promise.reject(new Error('down')), recall: async () => undefined };
    expect((await dispatcher([], broken).dispatch(call('help', ''))).text).toBe('help ran');
  });
});

describe('store refusals, answered once for every command', () => {
  const failing = (name: string, error: Error) => say(name, true, { run: async () => Promise.reject(error) });
  const readOnly = new StoreReadOnlyError('notes: put refused: the store is read-only (sqlite:///srv/n.sqlite: attempt to write a readonly database)', {
    detail: 'sqlite:///srv/n.sqlite: attempt to write a readonly database',
    hint: 'make the file writable',
  });

  it('a store that refuses writes: nothing changed, what refused, and what would fix it', async () => {
    const gate = createDispatcher([failing('stash', readOnly)], { kb: undefined as never, searchLimit: 5, noteWriters: [] }, silentLogger());
    expect(await gate.dispatch(call('stash', 'x', OWNER))).toMatchObject({
      tone: 'error',
      text: 'stash: nothing was changed — the note store refuses writes (sqlite:///srv/n.sqlite: attempt to write a readonly database); make the file writable.',
    });
  });

  it('a store that refuses writes: the command says in its own words what did not happen', async () => {
    const note = { ...failing('stash', readOnly), refused: 'not saved' };
    const gate = createDispatcher([note], { kb: undefined as never, searchLimit: 5, noteWriters: [] }, silentLogger());
    expect((await gate.dispatch(call('stash', 'x', OWNER))).text).toBe(
      'stash: not saved — the note store refuses writes (sqlite:///srv/n.sqlite: attempt to write a readonly database); make the file writable.',
    );
  });

  it('a store that is down for now: try again in a moment', async () => {
    const gate = createDispatcher([failing('stash', new StoreUnavailableError('timed out'))], { kb: undefined as never, searchLimit: 5, noteWriters: [] }, silentLogger());
    expect((await gate.dispatch(call('stash', 'x', OWNER))).text).toBe('stash: the note store is unavailable right now — please try again in a moment');
  });
});
