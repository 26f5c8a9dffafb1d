/**
 * Writes slack/manifest.json (Socket Mode) from the command list, or prints an
 * HTTP-mode manifest. Paste either into "Create app → From a manifest".
 *
 *   npm run slack:manifest                                  # writes slack/manifest.json
 *   npm run slack:manifest -- --http https://bot.example.com   # prints an HTTP-mode manifest
 *   npm run slack:manifest -- --name "tinker (ada)"         # another app name (printed)
 *   npm run slack:manifest -- --digest                      # with the scopes the RESURFACE_SCHEDULE digest needs (printed)
 *   npm run slack:manifest -- --check                       # fails when slack/manifest.json is stale
 *   npm run slack:manifest -- --out my-manifest.json        # writes another file
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.ts';
import { buildSlackManifest } from '../src/adapters/slack/slack-manifest.ts';

const MANIFEST_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../slack/manifest.json');

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { http: { type: 'string' }, name: { type: 'string' }, digest: { type: 'boolean' }, check: { type: 'boolean' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`slack:manifest: ${(error as Error).message} — use --http <https://public.url>, --name <app name>, --digest, --out <file> or --check\n`);
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
    ...(values.digest ? { directMessages: true } : {}),
  });
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (values.check) {
    const current = await readFile(MANIFEST_PATH, 'utf8').catch(() => '');
    if (current === json) return 0;
    process.stderr.write('slack:manifest: slack/manifest.json is out of date with commands/ — run npm run slack:manifest\n');
    return 1;
  }
  if ((values.http || values.name || values.digest) && values.out === undefined) {
    process.stdout.write(json);
    return 0;
  }
  const target = values.out !== undefined ? path.resolve(values.out) : MANIFEST_PATH;
  const shown = path.relative(process.cwd(), target) || target;
  try {
    await writeFile(target, json);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    process.stderr.write(`slack:manifest: could not write ${shown} (${code}) — check that its folder exists and is writable\n`);
    return 1;
  }
  const mode = values.http ? 'HTTP mode' : 'Socket Mode';
  process.stdout.write(`slack:manifest: wrote ${shown} (${manifest.features.slash_commands.length} slash commands, ${mode})\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A short line, no stack: this is a user-facing tool.
    process.stderr.write(`slack:manifest: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
