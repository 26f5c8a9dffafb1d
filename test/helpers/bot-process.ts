/**
 * Starts the real bot the way a user does (`npm start`) and talks to its console.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { REPO_ROOT } from './context.ts';

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Writes a line to the console's standard input. */
  send(line: string): void;
  /** Waits until stdout matches (after `from`), or fails after `ms`. */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /**
   * Sends `signal` to the bot: to its whole process group when started with
   * `detached: true` (npm runs sh runs node), else to the child; no-op once it has exited.
   */
  signal(signal: NodeJS.Signals): void;
  /** Waits until stderr (where the bot logs) matches, or fails after `ms` or when the bot exits. */
  waitForLog(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
}

/** How to start the bot. */
export interface StartBotOptions {
  cwd?: string;
  /** `npm` (default) as a user does, or `node` for the bot's own exit code after a signal. */
  via?: 'npm' | 'node';
  /** Start it in its own process group, so signal() reaches npm's children too. */
  detached?: boolean;
}

/** Every variable tinker reads. */
export const TINKER_VARIABLES = [
  'DATA_DIR', 'STORE_URL', 'NOTE_WRITERS', 'NOTES_VISIBLE_TO', 'SEARCH_LIMIT', 'LOG_LEVEL', 'INDEX_SNAPSHOT', 'ARTICLES_URL', 'CONNECT_TIMEOUT', 'RESURFACE_SCHEDULE',
  'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_PORT', 'SLACK_API_URL',
  'DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL',
] as const;

/**
 * The environment for a bot process: only what the test gives, plus PATH/HOME.
 * NOTE: every tinker variable is set (to "" when not given), because dotenv fills
 * in unset ones from a developer's .env, which would start Slack in a console test.
 */
export function botEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const blank = Object.fromEntries(TINKER_VARIABLES.map((name) => [name, '']));
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', ...blank, ...extra };
}

/**
 * `via: 'npm'` runs `npm start --silent` as a user does; `via: 'node'` runs the same
 * entry point without npm in between, for tests that need the bot's own exit code after a signal.
 */
export function startBot(env: NodeJS.ProcessEnv, options: StartBotOptions = {}): BotProcess {
  const [command, args] =
    options.via === 'node'
      ? [process.execPath, ['scripts/start.mjs']]
      : ['npm', ['start', '--silent']];
  const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env, stdio: 'pipe', detached: options.detached ?? false });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = async (stream: () => string, pattern: RegExp, ms: number, from = 0): Promise<RegExpExecArray> => {
    const start = Date.now();
    for (;;) {
      const match = pattern.exec(stream().slice(from));
      if (match) return match;
      if (Date.now() - start > ms || child.exitCode !== null) {
        throw new Error(`bot: ${pattern} not seen within ${ms} ms (exit code ${child.exitCode}).\nstdout:\n${out}\nstderr:\n${err}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    send: (line) => child.stdin.write(`${line}\n`),
    exited,
    waitFor: (pattern, ms = 15_000, from = 0) => until(() => out, pattern, ms, from),
    waitForLog: (pattern, ms = 30_000) => until(() => err, pattern, ms),
    signal(signal) {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      try {
        // The group this test started, by its id; never a broad match.
        if (options.detached) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    },
  };
}

/**
 * Runs the bot with piped input to the end and returns its output and exit code.
 * NOTE: by default through `node scripts/start.mjs`, which is exactly what
 * `npm start` runs (package.json), without npm's own start-up (about 0.4 s of CPU
 * per bot on a shared machine); a test of `npm start` itself passes `via: 'npm'`.
 */
export async function runBot(
  env: NodeJS.ProcessEnv,
  input: string,
  options: Pick<StartBotOptions, 'via'> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bot = startBot(env, { via: options.via ?? 'node' });
  bot.child.stdin.end(input);
  const code = await bot.exited;
  return { code, stdout: bot.stdout(), stderr: bot.stderr() };
}

/**
 * Bots and data folders a test file starts, cleaned up together in `afterAll`:
 * `npmStart` runs `npm start --silent` with exactly the given tinker variables
 * (none inherited), in its own process group; `start` runs what `npm start`
 * runs (`node scripts/start.mjs`) without npm in between, for the other tests.
 */
export function botTracker(): {
  npmStart(vars: Record<string, string>): BotProcess;
  start(vars: Record<string, string>): BotProcess;
  keep(dir: string): string;
  cleanup(): Promise<void>;
} {
  const started: BotProcess[] = [];
  const dirs: string[] = [];
  return {
    npmStart(vars) {
      const bot = startBot(botEnv(vars), { detached: true });
      started.push(bot);
      return bot;
    },
    start(vars) {
      const bot = startBot(botEnv(vars), { via: 'node', detached: true });
      started.push(bot);
      return bot;
    },
    keep(dir) {
      dirs.push(dir);
      return dir;
    },
    async cleanup() {
      for (const bot of started) {
        if (bot.child.exitCode === null && bot.child.signalCode === null) {
          bot.signal('SIGKILL');
          await bot.exited;
        }
      }
      const { rm } = await import('node:fs/promises');
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
}
