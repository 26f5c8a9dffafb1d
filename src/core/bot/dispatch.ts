/**
 * Dispatch: the one gate every adapter calls. It finds the command (or
 * suggests one), checks permission once, runs it, turns errors into replies a
 * person can read, and adds the open-bot hint.
 */
import { StoreReadOnlyError, StoreUnavailableError, UserError } from '../domain/errors.ts';
import type { Person } from '../domain/types.ts';
import type { Logger } from '../util/logger.ts';
import { reply, type Command, type CommandContext, type Completion, type Invocation, type Reply } from './command.ts';
import { createOpenHint, type Memory } from './open-hint.ts';
import { commandName, createRegistry, isListed } from './registry.ts';
import { closestName } from './suggest.ts';
import { canWrite, writeRefusal, writesWith } from './writers.ts';

export interface Dispatcher {
  /** Every command, listed or not. */
  readonly commands: readonly Command[];
  /** Runs an invocation; always resolves to a reply, never throws. */
  dispatch(invocation: Invocation): Promise<Reply>;
  /** The command a name names, if known. */
  find(name: string): Command | undefined;
  /** Whether `invocation.user` may run it (false only for a write outside NOTE_WRITERS). Adapters use it to skip platform work for a refusal. */
  permits(invocation: Pick<Invocation, 'command' | 'text' | 'user'>): boolean;
  /** The command's completions for a partly typed `text`; [] when it has none or they fail. Never throws. */
  complete(command: string, text: string, user: Person): Promise<Completion[]>;
  /**
   * Calls `listener` after what replies show has changed (a note saved or
   * forgotten here or in another process, the profile edited); returns the unsubscribe.
   */
  onChange(listener: () => void): () => void;
  /**
   * This dispatcher with a front end's own commands added (the console's `/more`): they are
   * run, listed in /help and suggested like the others. Throws on a name already taken.
   */
  withCommands(extra: readonly Command[]): Dispatcher;
}

export interface DispatcherOptions {
  /** Where the open-bot hint is remembered per person (the notes store); default: this process only. */
  memory?: Memory;
  /** The knowledge base's change signal, passed through as `onChange`. */
  onChange?: (listener: () => void) => () => void;
}

export const GENERIC_FAILURE = 'Something went wrong on my side, sorry. Nothing you saved is lost; please try again.';

export function createDispatcher(
  commands: readonly Command[],
  context: Omit<CommandContext, 'commands'>,
  logger: Logger,
  options: DispatcherOptions = {},
): Dispatcher {
  return buildDispatcher(commands, context, logger, options, createOpenHint(context.noteWriters, options.memory, logger));
}

function buildDispatcher(
  commands: readonly Command[],
  context: Omit<CommandContext, 'commands'>,
  logger: Logger,
  options: DispatcherOptions,
  withOpenHint: ReturnType<typeof createOpenHint>,
): Dispatcher {
  const registry = createRegistry(commands);
  const all = [...registry.values()];
  const ctx: CommandContext = { ...context, commands: all.filter(isListed) };
  const permits: Dispatcher['permits'] = (invocation) => {
    const command = registry.get(commandName(invocation.command));
    return !command || !writesWith(command, invocation.text) || canWrite(context.noteWriters, invocation.user);
  };

  const run = async (name: string, command: Command, invocation: Invocation): Promise<Reply> => {
    try {
      if (!permits(invocation)) throw new UserError('not-allowed', writeRefusal(name));
      return await command.run(ctx, invocation);
    } catch (error) {
      if (error instanceof UserError) return reply(error.message, { tone: 'error' });
      if (error instanceof StoreReadOnlyError) {
        logger.warn({ err: error.message, command: name }, 'store refuses writes');
        return reply(readOnlyRefusal(name, error, command.refused), { tone: 'error' });
      }
      if (error instanceof StoreUnavailableError) {
        logger.warn({ err: error.message, command: name }, 'store unavailable');
        return reply(`${name}: the note store is unavailable right now — please try again in a moment`, { tone: 'error' });
      }
      logger.error({ err: error, command: name }, 'command failed');
      return reply(GENERIC_FAILURE, { tone: 'error' });
    }
  };

  return {
    commands: all,
    find: (name) => registry.get(commandName(name)),
    permits,
    async dispatch(invocation) {
      const name = commandName(invocation.command);
      const command = registry.get(name);
      const answer = command ? await run(name, command, invocation) : unknownCommand(name, ctx.commands);
      return withOpenHint(invocation.user, answer);
    },
    async complete(name, text, user) {
      const command = registry.get(commandName(name));
      if (!command?.complete) return [];
      try {
        const completions = await command.complete(ctx, text, user);
        return completions.map((completion) => (typeof completion === 'string' ? { value: completion } : completion));
      } catch (error) {
        logger.warn({ err: (error as Error).message, command: command.name }, 'completion failed');
        return [];
      }
    },
    onChange: (listener) => options.onChange?.(listener) ?? (() => {}),
    // The open-bot hint's memory is shared: a person is told once, whichever view answered.
    withCommands: (extra) => buildDispatcher([...commands, ...extra], context, logger, options, withOpenHint),
  };
}

/**
 * What a write refused by a read-only store is answered with, whichever command it was:
 * what did not happen (the command's own words, e.g. `not saved`), what refused, and
 * what would make it writable.
 */
export function readOnlyRefusal(name: string, error: StoreReadOnlyError, refused = 'nothing was changed'): string {
  return `${name}: ${refused} — the note store refuses writes (${error.detail}); ${error.hint}.`;
}

function unknownCommand(name: string, listed: readonly Command[]): Reply {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  const closest = closestName(name, listed.map((command) => command.name));
  if (closest) return reply(`Unknown command "/${shown}" — did you mean /${closest}?`, { tone: 'error' });
  const known = listed.map((c) => `/${c.name}`).join(', ');
  return reply(`Unknown command "/${shown}". Known commands: ${known}.`, { tone: 'error' });
}
