/**
 * `npm run discord:register` as a user runs it, against the Discord stand-in;
 * the other cases through the script's own function, in this process (each
 * `npm run` costs seconds of CPU on a shared machine).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { buildDiscordCommands } from '../../../src/adapters/discord/discord-commands.ts';
import { registerCommands } from '../../../scripts/discord-register.ts';
import { botEnv } from '../../helpers/bot-process.ts';
import { REPO_ROOT } from '../../helpers/context.ts';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.ts';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord({ rejectTokens: ['revoked-token'] });
});
afterAll(async () => {
  await fake?.close();
});

function register(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['run', '--silent', 'discord:register'], {
    cwd: REPO_ROOT,
    // Every tinker variable blank unless given: a developer's .env must not fill them in.
    env: botEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The script's own function with `env` (every tinker variable blank unless given), output captured. */
async function registerHere(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await registerCommands(botEnv(env), {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const commandPuts = () => fake.requests.filter((r) => r.method === 'PUT');

describe('npm run discord:register', () => {
  const expected = buildDiscordCommands(commands);

  it('bulk-overwrites the guild commands when DISCORD_GUILD_ID is set, and prints them', async () => {
    const before = commandPuts().length;
    const { code, stdout, stderr } = await register({
      DISCORD_TOKEN: 'good-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: '3300000000000000001',
      DISCORD_API_URL: fake.apiUrl,
    });
    expect(code, stderr).toBe(0);
    const puts = commandPuts().slice(before);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.path).toBe(`/api/v10/applications/${fake.applicationId}/guilds/3300000000000000001/commands`);
    expect(puts[0]!.authorization).toBe('Bot good-token');
    expect(puts[0]!.body).toEqual(expected);
    expect(stdout).toContain(`discord:register: registered ${expected.length} commands in guild 3300000000000000001 (available now):`);
    expect(stdout).toContain('  /find <query> (autocomplete, max 500) — Search your write-ups, notes and profile (typos are fine)');
    expect(stdout).toContain('  Save to notes (message command)');
  }, 60_000);

  it('registers globally without DISCORD_GUILD_ID; running it again sends the same definitions', async () => {
    const before = commandPuts().length;
    const env = { DISCORD_TOKEN: 'good-token', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl };
    const [first, second] = [await registerHere(env), await registerHere(env)];
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const puts = commandPuts().slice(before);
    expect(puts.map((p) => p.path)).toEqual([
      `/api/v10/applications/${fake.applicationId}/commands`,
      `/api/v10/applications/${fake.applicationId}/commands`,
    ]);
    expect(puts[0]!.body).toEqual(expected);
    expect(puts[1]!.body).toEqual(puts[0]!.body);
    expect(first.stdout).toMatch(/^discord:register: registered 8 commands globally/);
  }, 60_000);

  it('exits 1 with a message on a config error, missing credentials or a refused token', async () => {
    // As a user runs it: the exit code is the process's.
    const half = await register({ DISCORD_TOKEN: 'good-token', DISCORD_API_URL: fake.apiUrl });
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('DISCORD_APPLICATION_ID: missing — DISCORD_TOKEN is set, so Discord also needs the application id (a number)');
    const none = await registerHere({});
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("discord:register: DISCORD_TOKEN and DISCORD_APPLICATION_ID are not set — put them in .env (see the README's Discord section)");
    const before = commandPuts().length;
    const refused = await registerHere({ DISCORD_TOKEN: 'revoked-token', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^discord:register: registration failed: .*401.* — Discord refused DISCORD_TOKEN/m);
    expect(commandPuts().length).toBe(before + 1);
  }, 90_000);
});
