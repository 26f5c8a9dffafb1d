/**
 * The local console: an interactive prompt on a terminal; with piped input,
 * one command per line, each reply printed, exit at the end of input.
 */
import { createInterface } from 'node:readline';
import { LOCAL_PLATFORM, type Dispatcher, type Invocation, type Logger, type ReplyAction } from '../../core/index.ts';
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
  return actions[index - 1] ?? `more: ${wanted.slice(0, 20)} is not one of 1–${actions.length} — try /more`;
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

  const handle = async (line: string): Promise<void> => {
    const parsed = parseConsoleLine(line);
    if (!parsed) return;
    if (!parsed.command) {
      write(parsed.text.startsWith('/') ? 'Type a command after the slash — try /help' : 'Commands start with "/" — try /help or /find <words>');
      return;
    }
    let { command, text } = parsed;
    // NOTE: /more is the console's button: it runs an action of the last reply, unless a command claims the name.
    if (command.toLowerCase() === MORE_COMMAND && !deps.dispatcher.find(MORE_COMMAND)) {
      const action = pickAction(lastActions, text);
      if (typeof action === 'string') return write(action);
      ({ command, text } = action);
    }
    const invocation: Invocation = {
      command,
      text,
      user: { platform: LOCAL_PLATFORM, id: 'local', name: config.userName },
      origin: { platform: LOCAL_PLATFORM },
    };
    const reply = await deps.dispatcher.dispatch(invocation);
    lastActions = reply.actions ?? [];
    write(renderConsoleReply(reply, style));
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
