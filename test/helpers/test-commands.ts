/**
 * Small commands for the adapters' own tests, whose replies a test controls
 * where the real /find and home do not (a fixed number of pages, a slow press,
 * an action too long for a button, a Home view over Slack's 100 blocks), each
 * saying who ran it, so a test sees that a button runs as its presser.
 */
import { commands } from '../../commands/index.ts';
import {
  createDispatcher,
  defineCommand,
  reply,
  silentLogger,
  type Command,
  type Dispatcher,
  type ReplyListItem,
} from '../../src/core/index.ts';
import type { TestContext } from './context.ts';

/** `/pager [page:N] [long]`: "page N, for <user id>" with a "More results" button to page N+1 (up to 3). */
export const pager = defineCommand({
  name: 'pager',
  description: 'Pages through nothing, for tests',
  usage: '/pager [page:N]',
  example: '/pager page:2',
  option: { name: 'text', description: 'Anything; page:N picks the page', required: false },
  visibility: 'ephemeral',
  writes: false,
  async run(_ctx, invocation) {
    const page = Number(/page:(\d+)/.exec(invocation.text)?.[1] ?? '1');
    const rest = invocation.text.replace(/page:\d+/, '').trim();
    const slow = /\bslow\b/.test(rest);
    if (slow) await new Promise((resolve) => setTimeout(resolve, 400));
    return reply(`page ${page}, for ${invocation.user.id}${rest ? ` (${rest.length} characters more)` : ''}`, {
      sections: [{ type: 'text', text: `results ${page * 5 - 4}-${page * 5} of 15` }],
      ...(page < 3
        ? { actions: [{ id: 'pager:more', label: 'More results', command: 'pager', text: `${rest ? `${rest} ` : ''}page:${page + 1}` }] }
        : {}),
    });
  },
});

/** `home`, unlisted: the Home tab as commands/home.ts will shape it, from the real knowledge base. */
export function homeCommand(options: { items?: number } = {}): Command {
  return defineCommand({
    name: 'home',
    description: 'The Slack Home tab',
    usage: '/home',
    example: '/home',
    visibility: 'ephemeral',
    writes: false,
    listed: false,
    async run(ctx, invocation) {
      const notes: ReplyListItem[] = ctx.kb.allNotes().slice(0, 10).map((note) => ({ text: note.text }));
      const filler: ReplyListItem[] = Array.from({ length: options.items ?? 0 }, (_, i) => ({ text: `${'filler '.repeat(400)}${i}` }));
      return reply(`tinker for ${invocation.user.id}`, {
        sections: [
          { type: 'list', title: 'Latest notes', items: notes.length > 0 ? notes : [{ text: 'no notes yet' }] },
          ...(filler.length > 0 ? [{ type: 'list' as const, title: 'Filler', items: filler }] : []),
          { type: 'list', title: 'Commands', items: ctx.commands.map((command) => ({ text: command.usage })) },
        ],
        actions: [{ id: 'home:find', label: 'Find my notes', command: 'find', text: 'kind:note' }],
      });
    },
  });
}

/** The real commands plus `extra` (in place of a real one of the same name), over a test context's knowledge base and store. */
export function dispatcherWith(ctx: TestContext, extra: readonly Command[], noteWriters: string[] = []): Dispatcher {
  const kept = commands.filter((command) => !extra.some((other) => other.name === command.name));
  return createDispatcher([...kept, ...extra], { kb: ctx.kb, searchLimit: 5, noteWriters }, silentLogger(), {
    memory: ctx.store,
    onChange: (listener) => ctx.kb.onChange(listener),
  });
}
