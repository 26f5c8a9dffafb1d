/**
 * The local console: an interactive prompt on a terminal; with piped input,
 * one command per line, each reply printed, exit at the end of input.
 */
import { createInterface } from 'node:readline';
import { LOCAL_PLATFORM, defineCommand, reply, type Command, type Dispatcher, type Invocation, type Logger, type Reply, type ReplyAction } from '../../core/index.ts';
import { ANSI_STYLE, PLAIN_STYLE, renderConsoleReply } from './console-format.ts';

export interface ConsoleAdapterConfig {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Name shown for the local user in saved notes. */
  userName: string;
}

export interface ConsoleAdapter {
  /** Resolves when input ends (or `stop` is called). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Parses one console line into a command name and its text; undefined for a blank line. */
export function parseConsoleLine(line: string): { command: string; text: string } | undefined {
  const trimmed = line.trim();
  if (!trimmed) return undefined;
  if (!trimmed.startsWith('/')) return { command: '', text: trimmed };
  const match = /^\/(\S*)\s?([\s\S]*)$/.exec(trimmed);
  return { command: match?.[1] ?? '', text: match?.[2] ?? '' };
}

/** The console's own command: runs an action of the last reply (`/more`, `/more 2`). */
export const MORE_COMMAND = 'more';

export const NOTHING_MORE = 'more: nothing more to show — /more continues a /find that has more results';

/** The action `/more [n]` picks from the last reply's actions, or a reason there is none. */
export function pickAction(actions: readonly ReplyAction[], text: string): ReplyAction | string {
  if (actions.length === 0) return NOTHING_MORE;
  const wanted = text.trim();
  if (!wanted) return actions[0]!;
  const index = /^\d+$/.test(wanted) ? Number(wanted) : NaN;
  const which = actions.length === 1 ? 'the only one is 1' : `there are 1–${actions.length}`;
  return actions[index - 1] ?? `more: ${wanted.slice(0, 20)} is not one of the buttons (${which}) — try /more`;
}

/**
 * `/more` as a command of the console's own, so that /help lists it and a typo of it is
 * suggested like any other: it runs an action of the last reply as the person who typed it.
 */
function moreCommand(lastActions: () => readonly ReplyAction[], run: (invocation: Invocation) => Promise<Reply>): Command {
  return defineCommand({
    name: MORE_COMMAND,
    description: 'Run a button of the last reply: the next results of a /find',
    usage: '/more [n]',
    example: '/more',
    visibility: 'ephemeral',
    // The action it runs is checked as itself (a /topics button that writes, say).
    writes: false,
    async run(_ctx, invocation) {
      const actions = lastActions();
      const action = pickAction(actions, invocation.text);
      // A wrong number keeps the buttons, so the next /more still has them.
      if (typeof action === 'string') return reply(action, { tone: 'error', actions: [...actions] });
      return run({ ...invocation, command: action.command, text: action.text, ...(action.offset !== undefined ? { offset: action.offset } : {}) });
    },
  });
}

export function createConsoleAdapter(
  config: ConsoleAdapterConfig,
  deps: { dispatcher: Dispatcher; logger: Logger },
): ConsoleAdapter {
  const interactive = Boolean(config.input.isTTY && config.output.isTTY);
  const style = interactive ? ANSI_STYLE : PLAIN_STYLE;
  const rl = createInterface({
    input: config.input,
    output: interactive ? config.output : undefined,
    terminal: interactive,
    prompt: 'tinker> ',
  });
  const write = (text: string) => void config.output.write(`${text}\n`);
  /** The buttons of the last reply, for /more. */
  let lastActions: readonly ReplyAction[] = [];
  // NOTE: /more is the console's button, unless a command already claims the name.
  const dispatcher = deps.dispatcher.find(MORE_COMMAND)
    ? deps.dispatcher
    : deps.dispatcher.withCommands([moreCommand(() => lastActions, (invocation) => deps.dispatcher.dispatch(invocation))]);

  const handle = async (line: string): Promise<void> => {
    const parsed = parseConsoleLine(line);
    if (!parsed) return;
    if (!parsed.command) {
      write(parsed.text.startsWith('/') ? 'Type a command after the slash — try /help' : 'Commands start with "/" — try /help or /find <words>');
      return;
    }
    const invocation: Invocation = {
      command: parsed.command,
      text: parsed.text,
      user: { platform: LOCAL_PLATFORM, id: 'local', name: config.userName },
      origin: { platform: LOCAL_PLATFORM },
    };
    const answer = await dispatcher.dispatch(invocation);
    lastActions = answer.actions ?? [];
    write(renderConsoleReply(answer, style));
    if (interactive) write('');
  };

  let closed = false;
  return {
    start() {
      return new Promise<void>((resolve) => {
        // Lines are handled one at a time, in order, even when piped input arrives all at once.
        let queue = Promise.resolve();
        if (interactive) {
          write('tinker console — /help lists the commands, Ctrl-C quits.');
          rl.prompt();
        }
        rl.on('line', (line) => {
          queue = queue
            .then(() => handle(line))
            .catch((error: unknown) => deps.logger.error({ err: error }, 'console: command failed'))
            .then(() => {
              if (interactive && !closed) rl.prompt();
            });
        });
        // NOTE: on a terminal, readline takes Ctrl-C itself and would only pause without this.
        rl.on('SIGINT', () => rl.close());
        rl.on('close', () => {
          closed = true;
          void queue.then(() => resolve());
        });
      });
    },
    async stop() {
      closed = true;
      rl.close();
    },
  };
}
