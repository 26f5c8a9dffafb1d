/**
 * The local console: an interactive prompt on a terminal; with piped input,
 * one command per line, each reply printed, exit at the end of input.
 */
import { createInterface } from 'node:readline';
import type { Dispatcher, Invocation, Logger } from '../../core/index.ts';
import { LOCAL_PLATFORM } from '../../core/index.ts';
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
  const write = (text: string) => config.output.write(`${text}\n`);

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
    const reply = await deps.dispatcher.dispatch(invocation);
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
