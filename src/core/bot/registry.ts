/**
 * The command registry and dispatch: the one gate every adapter calls.
 */
import type { Command, CommandContext, Invocation, Reply } from './command.ts';
import { reply } from './command.ts';
import { StoreUnavailableError, UserError } from '../domain/errors.ts';
import type { Logger } from '../util/logger.ts';

/** Normalises a command name: lower case, no leading slash. */
export function commandName(raw: string): string {
  return raw.trim().replace(/^\/+/, '').toLowerCase();
}

/** Checks a command list once at boot: names well-formed and unique. */
export function createRegistry(commands: readonly Command[]): ReadonlyMap<string, Command> {
  const registry = new Map<string, Command>();
  for (const command of commands) {
    const name = commandName(command.name);
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(name)) {
      throw new Error(`registry: command name "${command.name}" must be 1-32 lower-case letters, digits, - or _`);
    }
    if (registry.has(name)) throw new Error(`registry: command "/${name}" is defined twice`);
    registry.set(name, command);
  }
  return registry;
}

export interface Dispatcher {
  readonly commands: readonly Command[];
  /** Runs an invocation; always resolves to a reply, never throws. */
  dispatch(invocation: Invocation): Promise<Reply>;
  /** The command an invocation names, if known. */
  find(name: string): Command | undefined;
}

export const GENERIC_FAILURE = 'Something went wrong on my side, sorry. Nothing you saved is lost; please try again.';

export function createDispatcher(
  commands: readonly Command[],
  context: Omit<CommandContext, 'commands'>,
  logger: Logger,
): Dispatcher {
  const registry = createRegistry(commands);
  const ctx: CommandContext = { ...context, commands: [...registry.values()] };
  return {
    commands: ctx.commands,
    find: (name) => registry.get(commandName(name)),
    async dispatch(invocation) {
      const name = commandName(invocation.command);
      const command = registry.get(name);
      if (!command) return unknownCommand(name, ctx.commands);
      try {
        return await command.run(ctx, invocation);
      } catch (error) {
        if (error instanceof UserError) return reply(error.message, { tone: 'error' });
        if (error instanceof StoreUnavailableError) {
          logger.warn({ err: error.message, command: name }, 'store unavailable');
          return reply(`${name}: the note store is unavailable right now — please try again in a moment`, { tone: 'error' });
        }
        logger.error({ err: error, command: name }, 'command failed');
        return reply(GENERIC_FAILURE, { tone: 'error' });
      }
    },
  };
}

function unknownCommand(name: string, commands: readonly Command[]): Reply {
  const known = commands.map((c) => `/${c.name}`).join(', ');
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return reply(`Unknown command "/${shown}". Known commands: ${known}.`, { tone: 'error' });
}
