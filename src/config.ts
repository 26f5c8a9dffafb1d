/**
 * Configuration: the only reader of `process.env`. Validates everything at once
 * and returns every problem in one list, each naming the variable and the
 * shape it should have. It looks at the disk only where a wrong value would do
 * harm or be blamed on another variable: DATA_DIR must be a folder, and
 * INDEX_SNAPSHOT must not name any file but a snapshot.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { DEFAULT_SNAPSHOT_NAME, isOwnedSnapshotPath, snapshotTargetProblem } from './core/snapshot/snapshot-file.ts';
import { parseStoreUrl, sqliteFolderProblem } from './core/store/store-url.ts';
import { LOCAL_PLATFORM } from './core/bot/writers.ts';
import { linkTemplateProblem } from './core/sources/article-links.ts';
import { NOTES_VISIBLE_TO_VALUES, type NotesVisibleTo } from './core/kb/read-rule.ts';
import { parseResurfaceSchedule, type ResurfaceSchedule } from './core/kb/resurface-schedule.ts';

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
  /**
   * Who reads notes: `owner` (default) — a note is read by the person who saved it and
   * NOTE_WRITERS (and the console) unless shared; `everyone` — by anyone who can run /find.
   */
  notesVisibleTo: NotesVisibleTo;
  /** pino log level; unset means `info`, or `warn` for the console, whose terminal the logs share. */
  logLevel?: string;
  /** Where the search index snapshot is kept (absolute); `off` disables it. */
  indexSnapshot: string | 'off';
  /** ARTICLES_URL: the template write-ups' links are made from (`https://github.com/me/notes/blob/main/{path}`); unset: none. */
  articlesUrl?: string;
  /** How long start-up keeps trying to reach Slack or Discord before it gives up (CONNECT_TIMEOUT, in seconds). */
  connectTimeoutMs: number;
  /** When the /resurface digest goes to the owner as a Slack direct message (RESURFACE_SCHEDULE); absent: never. */
  resurfaceSchedule?: ResurfaceSchedule;
  slack?: SlackConfig;
  discord?: DiscordConfig;
}

export type ConfigResult =
  | { ok: true; config: Config }
  | { ok: false; errors: string[] };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** Platforms whose users NOTE_WRITERS can name (the console user always may write). */
const WRITER_PLATFORMS = ['slack', 'discord'];
const WRITERS_EXAMPLE = 'e.g. slack:U024BE7LH,discord:80351110224678912';

/** Reads and validates configuration from an environment (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const errors: string[] = [];
  // NOTE: an empty value counts as unset, as in most .env files.
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  // NOTE: relative paths (DATA_DIR, INDEX_SNAPSHOT, sqlite://) are taken from the working
  // directory; `npm start` runs in the project folder wherever it is typed.
  const dataDir = path.resolve(get('DATA_DIR') ?? './data');
  const dataDirProblem = folderProblem(dataDir);
  if (dataDirProblem) {
    errors.push(`DATA_DIR: ${dataDir} ${dataDirProblem} — set DATA_DIR to the folder that holds profile.md and articles/`);
  }

  const storeSetting = get('STORE_URL');
  const storeUrl = storeSetting ?? `sqlite://${path.join(dataDir, 'notes.sqlite')}`;
  const store = parseStoreUrl(storeUrl);
  const storeFile = store.ok && store.target.kind === 'sqlite' ? store.target.file : undefined;
  if (!store.ok) {
    errors.push(store.problem);
  } else if (storeFile && storeSetting !== undefined) {
    // No folder is created for the store: an empty store in a new folder would look like lost notes.
    const problem = sqliteFolderProblem(storeFile);
    if (problem) errors.push(`STORE_URL: ${problem}`);
  } else if (storeFile && !dataDirProblem && !statSync(dataDir, { throwIfNoEntry: false })) {
    // The default store lives in DATA_DIR, which may hold it (the file is created there) but must exist.
    errors.push(`DATA_DIR: ${dataDir} does not exist — create it with your profile.md (the notes file notes.sqlite is made there), or set DATA_DIR to the folder that holds profile.md and articles/`);
  } else if (storeFile && !dataDirProblem && sqliteFolderProblem(storeFile)?.startsWith('cannot create')) {
    // STORE_URL is unset: the person chose DATA_DIR, so the message names it and the way out.
    errors.push(
      `DATA_DIR: ${dataDir} is not writable for this user, so the notes file notes.sqlite cannot be made there — make it writable, or set STORE_URL to a file in a writable folder (STORE_URL=sqlite:///var/lib/tinker/notes.sqlite)`,
    );
  }

  const noteWriters: string[] = [];
  for (const entry of (get('NOTE_WRITERS') ?? '').split(',')) {
    const writer = entry.trim();
    if (!writer) continue;
    if (/^[a-z]+:[^\s:,]+$/i.test(writer)) {
      const [platform, id] = writer.split(':') as [string, string];
      const problem = writerProblem(platform, id);
      if (problem) errors.push(`NOTE_WRITERS: "${writer}" ${problem}`);
      else noteWriters.push(`${platform.toLowerCase()}:${id}`);
    } else {
      errors.push(`NOTE_WRITERS: "${writer}" is not platform:userId — ${WRITERS_EXAMPLE}`);
    }
  }

  const searchLimit = positiveInt(get('SEARCH_LIMIT'), 5, 'SEARCH_LIMIT', 1, 50, errors);

  const visibleSetting = get('NOTES_VISIBLE_TO')?.toLowerCase() ?? 'owner';
  const notesVisibleTo: NotesVisibleTo = NOTES_VISIBLE_TO_VALUES.includes(visibleSetting as NotesVisibleTo)
    ? (visibleSetting as NotesVisibleTo)
    : 'owner';
  if (notesVisibleTo !== visibleSetting) {
    errors.push(
      `NOTES_VISIBLE_TO: "${get('NOTES_VISIBLE_TO')}" should be owner (the default: a note is read by whoever saved it and NOTE_WRITERS, unless shared) or everyone (every note is read by anyone who can run /find)`,
    );
  }

  const logLevel = get('LOG_LEVEL')?.toLowerCase();
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) {
    errors.push(`LOG_LEVEL: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const snapshotSetting = get('INDEX_SNAPSHOT');
  let indexSnapshot: string | 'off' = 'off';
  if (snapshotSetting?.toLowerCase() !== 'off') {
    indexSnapshot = path.resolve(snapshotSetting ?? path.join(dataDir, DEFAULT_SNAPSHOT_NAME));
    // The default lives in DATA_DIR: when that is wrong, DATA_DIR's own error says enough.
    if (snapshotSetting !== undefined || !dataDirProblem) {
      const problem = snapshotPathProblem(indexSnapshot, dataDir, storeFile, snapshotSetting !== undefined);
      if (problem) errors.push(`INDEX_SNAPSHOT: ${indexSnapshot} ${problem}`);
    }
  }

  const articlesUrl = get('ARTICLES_URL');
  const articlesUrlProblem = articlesUrl === undefined ? undefined : linkTemplateProblem(articlesUrl);
  if (articlesUrlProblem) errors.push(`ARTICLES_URL: ${articlesUrlProblem}`);

  const connectTimeoutMs = positiveInt(get('CONNECT_TIMEOUT'), 30, 'CONNECT_TIMEOUT', 1, 600, errors) * 1000;

  const scheduleSetting = get('RESURFACE_SCHEDULE');
  const schedule = scheduleSetting === undefined ? undefined : parseResurfaceSchedule(scheduleSetting);
  if (schedule && 'error' in schedule) errors.push(`RESURFACE_SCHEDULE: ${schedule.error}`);
  const resurfaceSchedule = schedule && 'schedule' in schedule ? schedule.schedule : undefined;

  const slack = slackConfig(get, errors);
  const discord = discordConfig(get, errors);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      dataDir,
      storeUrl,
      noteWriters,
      searchLimit,
      notesVisibleTo,
      logLevel,
      indexSnapshot,
      ...(articlesUrl ? { articlesUrl } : {}),
      connectTimeoutMs,
      ...(resurfaceSchedule ? { resurfaceSchedule } : {}),
      slack,
      discord,
    },
  };
}

/** Why a NOTE_WRITERS entry can never match anyone, or undefined when it can. */
function writerProblem(given: string, id: string): string | undefined {
  const platform = given.toLowerCase();
  if (platform === LOCAL_PLATFORM) {
    return `is not needed — the console may always write; list Slack and Discord users, ${WRITERS_EXAMPLE}`;
  }
  if (!WRITER_PLATFORMS.includes(platform)) {
    return `names an unknown platform "${given}" — use slack:<user id> or discord:<user id>, ${WRITERS_EXAMPLE}`;
  }
  if (platform === 'discord' && !/^\d+$/.test(id)) {
    return 'is not a Discord user id — those are numbers, e.g. discord:80351110224678912';
  }
  if (platform === 'slack' && !/^[A-Z0-9]+$/.test(id)) {
    return 'is not a Slack user id — those are capital letters and digits, e.g. slack:U024BE7LH';
  }
  return undefined;
}

/** Why `dir` cannot be the data folder (it is a file, or cannot be looked at); a missing one is the profile's to report. */
function folderProblem(dir: string): string | undefined {
  try {
    const info = statSync(dir, { throwIfNoEntry: false });
    return info && !info.isDirectory() ? 'is not a folder' : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOTDIR' ? 'is not a folder (a part of its path is a file)' : `cannot be read (${code ?? String(error)})`;
  }
}

/**
 * Why a snapshot must not be written at `file` (resolved), or undefined: it must
 * not be the notes store, the profile or anything under articles/, and whatever
 * is there already must be a snapshot. `explicit`: INDEX_SNAPSHOT was set (a
 * missing folder is then its fault, not DATA_DIR's).
 */
function snapshotPathProblem(file: string, dataDir: string, storeFile: string | undefined, explicit: boolean): string | undefined {
  const elsewhere = 'point INDEX_SNAPSHOT at a new file, or set it to off';
  if (storeFile) {
    const store = storeFile;
    if (sameFile(file, store)) return `is the notes store (STORE_URL) — ${elsewhere}`;
    // SQLite's companions: replacing one corrupts or loses the last writes.
    if (['-wal', '-shm', '-journal'].some((suffix) => sameFile(file, store + suffix))) {
      return `belongs to the notes store (STORE_URL) — ${elsewhere}`;
    }
  }
  if (sameFile(file, path.join(dataDir, 'profile.md'))) return `is the profile — ${elsewhere}`;
  const articles = path.join(dataDir, 'articles');
  // Not among the write-ups (a synced vault, a blog's repository), folder or file: the way out is the default.
  const outside = `leave INDEX_SNAPSHOT unset (the snapshot then goes to ${path.join(dataDir, DEFAULT_SNAPSHOT_NAME)}), name a file outside articles/, or set it to off`;
  if (sameFile(file, articles)) return `is the articles folder — ${outside}`;
  if (isInside(file, articles)) return `is inside ${articles}, among the write-ups — ${outside}`;
  const problem = snapshotTargetProblem(file);
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'not-snapshot':
      // The default file is tinker's own: a damaged one is rebuilt at start, with a warning.
      return isOwnedSnapshotPath(file) ? undefined : `is not an index snapshot — ${elsewhere}`;
    case 'folder':
      return `is a folder — name a file in it, e.g. ${path.join(file, 'index-snapshot.bin')}, or set INDEX_SNAPSHOT to off`;
    case 'no-folder':
      return explicit ? `is in a folder that does not exist (${path.dirname(file)}) — create it, or set INDEX_SNAPSHOT to off` : undefined;
    case 'unreadable':
      return `cannot be checked (${problem.reason}) — ${elsewhere}`;
  }
}

/** The path with symbolic links resolved as far as it exists, so two spellings of one file compare equal. */
function canonical(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    try {
      return path.join(realpathSync.native(path.dirname(file)), path.basename(file));
    } catch {
      return file;
    }
  }
}

function sameFile(a: string, b: string): boolean {
  return a === b || canonical(a) === canonical(b);
}

function isInside(file: string, dir: string): boolean {
  const under = (f: string, d: string) => {
    const relative = path.relative(d, f);
    return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  };
  return under(file, dir) || under(canonical(file), canonical(dir));
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
