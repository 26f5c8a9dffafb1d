/**
 * `npm run discord:register`: registers tinker's Discord commands (one per
 * command in commands/, plus the "Save to notes" message command) by bulk
 * overwrite: in DISCORD_GUILD_ID when set (instant), globally otherwise.
 * Idempotent; run it again whenever the command definitions change.
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { commands } from '../commands/index.ts';
import { buildDiscordCommands, describeDefinition } from '../src/adapters/discord/discord-commands.ts';
import { formatConfigErrors, loadConfig, loadDotenv } from '../src/config.ts';

const PREFIX = 'discord:register';

/** Where the script writes (standard output and error, or a test's buffers). */
export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Registers the commands as configured by `env`; returns the exit code. */
export async function registerCommands(env: NodeJS.ProcessEnv, { stdout, stderr }: Output = process): Promise<number> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    stderr.write(`${formatConfigErrors(loaded.errors)}\n`);
    return 1;
  }
  const discord = loaded.config.discord;
  if (!discord) {
    stderr.write(
      `${PREFIX}: DISCORD_TOKEN and DISCORD_APPLICATION_ID are not set — put them in .env (see the README's Discord section)\n`,
    );
    return 1;
  }
  let definitions: ReturnType<typeof buildDiscordCommands>;
  try {
    definitions = buildDiscordCommands(commands);
  } catch (error) {
    // A command Discord would refuse (e.g. an invalid name): say which, without a stack.
    stderr.write(`${PREFIX}: the command definitions are invalid: ${(error as Error).message} — fix commands/ and run it again\n`);
    return 1;
  }
  const route = discord.guildId
    ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId)
    : Routes.applicationCommands(discord.applicationId);
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  let registered: unknown;
  try {
    registered = await rest.put(route, { body: definitions });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const hint =
      status === 401
        ? ' — Discord refused DISCORD_TOKEN; copy the bot token again from the Developer Portal (Bot → Reset Token)'
        : status === 403 || status === 404
          ? ' — check DISCORD_APPLICATION_ID and, if set, DISCORD_GUILD_ID (the bot must be invited to that server with applications.commands)'
          : '';
    stderr.write(`${PREFIX}: registration failed: ${(error as Error).message}${hint}\n`);
    return 1;
  }
  const count = Array.isArray(registered) ? registered.length : definitions.length;
  const where = discord.guildId
    ? `in guild ${discord.guildId} (available now)`
    : 'globally (new global commands can take a while to show up; set DISCORD_GUILD_ID for instant guild commands)';
  stdout.write(
    [`${PREFIX}: registered ${count} commands ${where}:`, ...definitions.map((d) => `  ${describeDefinition(d)}`)].join('\n') +
      '\n',
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotenv();
  registerCommands(process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // A short line, no stack: this is a user-facing tool.
      process.stderr.write(`${PREFIX}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
