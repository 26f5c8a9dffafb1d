/**
 * Writes slack/manifest.json (Socket Mode) from the command list, or prints an
 * HTTP-mode manifest. Paste either into "Create app → From a manifest".
 *
 *   npm run slack:manifest                                  # writes slack/manifest.json
 *   npm run slack:manifest -- --http https://bot.example.com   # prints an HTTP-mode manifest
 *   npm run slack:manifest -- --name "tinker (ada)"         # another app name (printed)
 *   npm run slack:manifest -- --check                       # fails when slack/manifest.json is stale
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.ts';
import { buildSlackManifest } from '../src/adapters/slack-manifest.ts';

const MANIFEST_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../slack/manifest.json');

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { http: { type: 'string' }, name: { type: 'string' }, check: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`slack:manifest: ${(error as Error).message} — use --http <https://public.url>, --name <app name> or --check\n`);
    return 2;
  }
  if (values.http !== undefined && !/^https:\/\/[^\s/]+/.test(values.http)) {
    process.stderr.write(`slack:manifest: --http "${values.http}" should be the bot's public https:// base URL, e.g. https://tinker.example.com\n`);
    return 2;
  }
  if (values.name !== undefined && (values.name.trim() === '' || values.name.length > 35)) {
    process.stderr.write(`slack:manifest: --name "${values.name}" should be 1 to 35 characters (Slack's limit for an app name)\n`);
    return 2;
  }
  const manifest = buildSlackManifest(commands, {
    ...(values.name ? { name: values.name } : {}),
    ...(values.http ? { httpBaseUrl: values.http } : {}),
  });
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (values.check) {
    const current = await readFile(MANIFEST_PATH, 'utf8').catch(() => '');
    if (current === json) return 0;
    process.stderr.write('slack:manifest: slack/manifest.json is out of date with commands/ — run npm run slack:manifest\n');
    return 1;
  }
  if (values.http || values.name) {
    process.stdout.write(json);
    return 0;
  }
  await writeFile(MANIFEST_PATH, json);
  process.stdout.write(`slack:manifest: wrote ${path.relative(process.cwd(), MANIFEST_PATH)} (${manifest.features.slash_commands.length} slash commands, Socket Mode)\n`);
  return 0;
}

main().then((code) => process.exit(code));
