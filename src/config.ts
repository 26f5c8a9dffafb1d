/**
 * Configuration: the only reader of `process.env`. Validates everything at once
 * and returns every problem in one list, each naming the variable and the
 * shape it should have.
 */
import path from 'node:path';
import dotenv from 'dotenv';

/** Slack credentials and transport; present only when Slack is configured. */
export interface SlackConfig {
  /** Bot token, `xoxb-…`. */
  botToken: string;
  /** App-level token, `xapp-…`: Socket Mode when set. */
  appToken?: string;
  /** Signing secret: required for HTTP mode. */
  signingSecret?: string;
  /** HTTP mode port. */
  port: number;
  /** Web API base URL override (tests, proxies), ending in `/`. */
  apiUrl?: string;
}

/** Discord credentials; present only when Discord is configured. */
export interface DiscordConfig {
  /** Bot token. */
  token: string;
  /** Application (client) id. */
  applicationId: string;
  /** REST base URL override (tests); the gateway URL then comes from its `/gateway/bot`. */
  apiUrl?: string;
  /** Guild to register commands in (instant); global when unset. */
  guildId?: string;
}

/** The validated configuration. */
export interface Config {
  /** Folder holding `profile.md` and `articles/`. Absolute. */
  dataDir: string;
  /** Where notes are kept: `sqlite://…`, `redis://…`, `postgresql://…`. */
  storeUrl: string;
  /** `platform:userId` entries allowed to write; empty means anyone. */
  noteWriters: string[];
  /** Most hits `/find` shows. */
  searchLimit: number;
  /** pino log level; unset means `info`, or `warn` for the console, whose terminal the logs share. */
  logLevel?: string;
  /** Where the search index snapshot is kept; `off` disables it. */
  indexSnapshot: string | 'off';
  slack?: SlackConfig;
  discord?: DiscordConfig;
}

export type ConfigResult =
  | { ok: true; config: Config }
  | { ok: false; errors: string[] };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const STORE_SCHEMES = ['sqlite:', 'redis:', 'rediss:', 'postgres:', 'postgresql:'];

/** Reads and validates configuration from an environment (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const errors: string[] = [];
  // NOTE: an empty value counts as unset, as in most .env files.
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const dataDir = path.resolve(get('DATA_DIR') ?? './data');

  const storeUrl = get('STORE_URL') ?? `sqlite://${path.join(dataDir, 'notes.sqlite')}`;
  if (!STORE_SCHEMES.some((scheme) => storeUrl.startsWith(scheme))) {
    errors.push(
      `STORE_URL: "${storeUrl}" is not a store URL — use sqlite://path/to/notes.sqlite, redis://host:6379 or postgresql://user:pass@host/db`,
    );
  }

  const noteWriters: string[] = [];
  for (const entry of (get('NOTE_WRITERS') ?? '').split(',')) {
    const writer = entry.trim();
    if (!writer) continue;
    if (/^[a-z]+:[^\s:,]+$/i.test(writer)) {
      const [platform, id] = writer.split(':') as [string, string];
      noteWriters.push(`${platform.toLowerCase()}:${id}`);
    } else {
      errors.push(
        `NOTE_WRITERS: "${writer}" is not platform:userId — e.g. slack:U024BE7LH,discord:80351110224678912`,
      );
    }
  }

  const searchLimit = positiveInt(get('SEARCH_LIMIT'), 5, 'SEARCH_LIMIT', 1, 50, errors);

  const logLevel = get('LOG_LEVEL')?.toLowerCase();
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) {
    errors.push(`LOG_LEVEL: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const snapshotSetting = get('INDEX_SNAPSHOT');
  const indexSnapshot =
    snapshotSetting === 'off'
      ? 'off'
      : path.resolve(snapshotSetting ?? path.join(dataDir, '.index-snapshot.json'));

  const slack = slackConfig(get, errors);
  const discord = discordConfig(get, errors);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: { dataDir, storeUrl, noteWriters, searchLimit, logLevel, indexSnapshot, slack, discord },
  };
}

function slackConfig(
  get: (name: string) => string | undefined,
  errors: string[],
): SlackConfig | undefined {
  const botToken = get('SLACK_BOT_TOKEN');
  const appToken = get('SLACK_APP_TOKEN');
  const signingSecret = get('SLACK_SIGNING_SECRET');
  const apiUrl = get('SLACK_API_URL');
  const port = positiveInt(get('SLACK_PORT'), 3000, 'SLACK_PORT', 1, 65535, errors);
  if (!botToken) {
    if (appToken || signingSecret) {
      errors.push(
        `SLACK_BOT_TOKEN: missing — ${appToken ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET'} is set, so Slack also needs its bot token (xoxb-…)`,
      );
    }
    return undefined;
  }
  if (!botToken.startsWith('xoxb-')) {
    errors.push('SLACK_BOT_TOKEN: should start with xoxb- (the Bot User OAuth Token)');
  }
  if (appToken && !appToken.startsWith('xapp-')) {
    errors.push('SLACK_APP_TOKEN: should start with xapp- (an app-level token with connections:write)');
  }
  if (!appToken && !signingSecret) {
    errors.push(
      'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: missing — set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or SLACK_SIGNING_SECRET for HTTP mode',
    );
  }
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) {
    errors.push(`SLACK_API_URL: "${apiUrl}" should be an http(s) URL such as https://slack.com/api/`);
  }
  return {
    botToken,
    appToken,
    signingSecret,
    port,
    apiUrl: apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : undefined,
  };
}

function discordConfig(
  get: (name: string) => string | undefined,
  errors: string[],
): DiscordConfig | undefined {
  const token = get('DISCORD_TOKEN');
  const applicationId = get('DISCORD_APPLICATION_ID');
  const apiUrl = get('DISCORD_API_URL');
  const guildId = get('DISCORD_GUILD_ID');
  if (!token && !applicationId) {
    if (guildId) errors.push('DISCORD_TOKEN, DISCORD_APPLICATION_ID: missing — DISCORD_GUILD_ID is set, so Discord also needs its token and application id');
    return undefined;
  }
  if (!token) {
    errors.push('DISCORD_TOKEN: missing — DISCORD_APPLICATION_ID is set, so Discord also needs the bot token');
  }
  if (!applicationId) {
    errors.push('DISCORD_APPLICATION_ID: missing — DISCORD_TOKEN is set, so Discord also needs the application id (a number)');
  } else if (!/^\d+$/.test(applicationId)) {
    errors.push(`DISCORD_APPLICATION_ID: "${applicationId}" should be a number, e.g. 80351110224678912`);
  }
  if (guildId && !/^\d+$/.test(guildId)) {
    errors.push(`DISCORD_GUILD_ID: "${guildId}" should be a number, e.g. 80351110224678912`);
  }
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) {
    errors.push(`DISCORD_API_URL: "${apiUrl}" should be an http(s) URL such as https://discord.com/api`);
  }
  if (!token || !applicationId) return undefined;
  return { token, applicationId, apiUrl: apiUrl?.replace(/\/+$/, ''), guildId };
}

function positiveInt(
  raw: string | undefined,
  fallback: number,
  name: string,
  min: number,
  max: number,
  errors: string[],
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    errors.push(`${name}: "${raw}" should be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

/** The message printed when configuration is invalid. */
export function formatConfigErrors(errors: readonly string[]): string {
  return [
    `tinker: configuration has ${errors.length} problem${errors.length === 1 ? '' : 's'}:`,
    ...errors.map((error) => `  - ${error}`),
    'See .env.example for every variable and its format.',
  ].join('\n');
}

/** Loads `.env` from the working directory into `process.env`, without printing. */
export function loadDotenv(): void {
  dotenv.config({ quiet: true });
}

/**
 * For entry points: loads `.env` and the configuration; when it is invalid, prints
 * every problem to standard error and returns undefined (the caller exits 1).
 */
export function loadConfigOrReport(): Config | undefined {
  loadDotenv();
  const result = loadConfig();
  if (result.ok) return result.config;
  process.stderr.write(`${formatConfigErrors(result.errors)}\n`);
  return undefined;
}
