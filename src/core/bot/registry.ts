/**
 * The command registry: the list of commands checked once at boot.
 */
import type { Command } from './command.ts';

/** Normalises a command name: lower case, no leading slash. */
export function commandName(raw: string): string {
  return raw.trim().replace(/^\/+/, '').toLowerCase();
}

/** Whether a command shows in /help, the Slack manifest and Discord's command list. */
export function isListed(command: Pick<Command, 'listed'>): boolean {
  return command.listed !== false;
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
