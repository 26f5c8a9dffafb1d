import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { buildSlackManifest } from '../../../src/adapters/slack/slack-manifest.ts';
import { SAVE_TO_NOTES_CALLBACK } from '../../../src/adapters/slack/slack-payload.ts';
import { botEnv } from '../../helpers/bot-process.ts';
import { REPO_ROOT } from '../../helpers/context.ts';

/** Runs scripts/slack-manifest.ts with `args`, as `npm run slack:manifest -- …` does. */
function manifestScript(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/slack-manifest.ts', ...args],
      { cwd: REPO_ROOT, env: botEnv({}) },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('Slack app manifest', () => {
  it('slack/manifest.json is what npm run slack:manifest writes from commands/', async () => {
    const committed = JSON.parse(await readFile(path.join(REPO_ROOT, 'slack/manifest.json'), 'utf8')) as unknown;
    expect(committed).toEqual(buildSlackManifest(commands));
  });

  it('declares every command, the shortcut, the bot scope and Socket Mode', () => {
    const manifest = buildSlackManifest(commands);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(commands.filter((c) => c.listed !== false).map((c) => `/${c.name}`));
    expect(manifest.features.slash_commands.map((c) => c.command)).not.toContain('/home');
    const find = manifest.features.slash_commands.find((c) => c.command === '/find');
    expect(find).toEqual({
      command: '/find',
      description: 'Search your write-ups, notes and profile (typos are fine)',
      usage_hint: '<words> [#tag] [kind:note|article|profile] [after:2024-06] [before:30d]',
      should_escape: false,
    });
    expect(manifest.features.slash_commands.find((c) => c.command === '/help')?.usage_hint).toBeUndefined();
    expect(manifest.features.shortcuts).toEqual([
      { name: 'Save to notes', type: 'message', callback_id: SAVE_TO_NOTES_CALLBACK, description: 'Save this message as a tinker note' },
    ]);
    expect(manifest.oauth_config.scopes.bot).toContain('commands');
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true } });
    expect(JSON.stringify(manifest)).not.toContain('"url"');
  });

  it('for HTTP mode, points every command and interactivity at /slack/events', () => {
    const manifest = buildSlackManifest(commands, { httpBaseUrl: 'https://bot.example.com/', name: 'tinker (ada)' });
    for (const command of manifest.features.slash_commands) expect(command.url).toBe('https://bot.example.com/slack/events');
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://bot.example.com/slack/events' });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.display_information.name).toBe('tinker (ada)');
    expect(manifest.features.bot_user.display_name).toBe('tinker (ada)');
  });

  it('stays within the limits of Slack’s manifest schema (v1)', () => {
    const manifest = buildSlackManifest(commands, { httpBaseUrl: 'https://bot.example.com' });
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.background_color).toMatch(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/);
    expect(manifest.features.slash_commands.length).toBeLessThanOrEqual(50);
    for (const command of manifest.features.slash_commands) {
      expect(command.command).toMatch(/^\/.{1,31}$/);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(2000);
      expect((command.usage_hint ?? 'x').length).toBeLessThanOrEqual(1000);
    }
    for (const shortcut of manifest.features.shortcuts) {
      expect(shortcut.name.length).toBeLessThanOrEqual(24);
      expect(shortcut.description.length).toBeLessThanOrEqual(150);
    }
  });

  it('the script writes --out files and says plainly, without a stack, when it cannot', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tinker-manifest-'));
    try {
      const out = path.join(dir, 'http.json');
      const written = await manifestScript(['--http', 'https://bot.example.com', '--out', out]);
      expect(written.code, written.stderr).toBe(0);
      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(buildSlackManifest(commands, { httpBaseUrl: 'https://bot.example.com' }));
      expect(written.stdout).toMatch(/^slack:manifest: wrote .*http\.json \(7 slash commands, HTTP mode\)\n$/);

      const missing = path.join(dir, 'no-such-folder', 'manifest.json');
      const failed = await manifestScript(['--out', missing]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(
        `slack:manifest: could not write ${path.relative(REPO_ROOT, missing)} (ENOENT) — check that its folder exists and is writable\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
