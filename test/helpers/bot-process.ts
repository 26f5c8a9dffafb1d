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
}

/** The environment for a bot with no platform credentials: only what the test gives, plus PATH/HOME. */
export function botEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', ...extra };
}

/**
 * `via: 'npm'` runs `npm start --silent` as a user does; `via: 'node'` runs the same
 * entry point without npm in between, for tests that need the bot's own exit code after a signal.
 */
export function startBot(env: NodeJS.ProcessEnv, options: { cwd?: string; via?: 'npm' | 'node' } = {}): BotProcess {
  const [command, args] =
    options.via === 'node'
      ? [process.execPath, ['--import', 'tsx', 'src/main.ts']]
      : ['npm', ['start', '--silent']];
  const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    send: (line) => child.stdin.write(`${line}\n`),
    exited,
    async waitFor(pattern, ms = 15_000, from = 0) {
      const start = Date.now();
      for (;;) {
        const match = pattern.exec(out.slice(from));
        if (match) return match;
        if (Date.now() - start > ms || child.exitCode !== null) {
          throw new Error(`bot: ${pattern} not seen within ${ms} ms.\nstdout:\n${out}\nstderr:\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Runs the bot with piped input to the end and returns its output and exit code. */
export async function runBot(env: NodeJS.ProcessEnv, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bot = startBot(env);
  bot.child.stdin.end(input);
  const code = await bot.exited;
  return { code, stdout: bot.stdout(), stderr: bot.stderr() };
}
