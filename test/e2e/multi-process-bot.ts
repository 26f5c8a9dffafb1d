/**
 * A real tinker process for end-to-end tests: `npm start --silent` with no Slack
 * or Discord tokens runs the console adapter, which reads one command per line
 * on stdin and prints each reply on stdout, in order.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { REPO_ROOT } from '../helpers/context.ts';

export interface BotOptions {
  dataDir: string;
  storeUrl: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

let markers = 0;

export class BotProcess {
  private output = '';
  private errors = '';
  private readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;

  constructor(options: BotOptions) {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: options.dataDir, STORE_URL: options.storeUrl, INDEX_SNAPSHOT: 'off', ...options.env };
    // No platform tokens: the console adapter, whatever the developer's shell has set.
    for (const name of Object.keys(env)) if (/^(SLACK|DISCORD)_/.test(name)) delete env[name];
    this.child = spawn('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env,
      // Its own process group, so a kill reaches npm, tsx and node alike.
      detached: true,
    });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.errors += chunk));
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  }

  /** Everything printed on stdout so far. */
  get stdout(): string {
    return this.output;
  }

  get stderr(): string {
    return this.errors;
  }

  /** Writes lines to stdin without waiting for replies. */
  send(...lines: string[]): void {
    this.child.stdin.write(lines.map((line) => `${line}\n`).join(''));
  }

  /**
   * Runs one command and returns its reply: the text printed between the end of
   * the previous reply and a marker command sent right after it.
   */
  async command(line: string, timeoutMs = 15_000): Promise<string> {
    markers += 1;
    const marker = `/end-of-reply-${process.pid}-${markers}`;
    const start = this.output.length;
    this.send(line, marker);
    const endLine = `Unknown command "${marker}".`;
    const text = await this.waitFor((out) => out.indexOf(endLine, start) >= 0, timeoutMs, `the reply to ${line.slice(0, 60)}`);
    return text.slice(start, text.indexOf(endLine, start)).trim();
  }

  /** Resolves once the bot answers commands (startup done). */
  async ready(timeoutMs = 30_000): Promise<void> {
    await this.command('/help', timeoutMs);
  }

  /** Waits until stdout satisfies a check; returns stdout. */
  async waitFor(check: (stdout: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.output)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`bot exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}\nstderr: ${this.errors.slice(-2000)}`);
      }
      if (Date.now() > deadline) throw new Error(`bot: no ${what} within ${timeoutMs} ms\nstdout tail: ${this.output.slice(-500)}\nstderr: ${this.errors.slice(-1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.output;
  }

  /** Ids from every "Saved note <id>" reply so far. */
  savedIds(): string[] {
    return [...this.output.matchAll(/^Saved note ([0-9a-z]{10}) /gm)].map((m) => m[1]!);
  }

  /** `kill -9` the whole process group. */
  async kill9(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(-this.child.pid!, 'SIGKILL');
    await this.exited;
  }

  /** Ends stdin, as at the end of piped input: the bot finishes its queue and exits. */
  async stop(timeoutMs = 15_000): Promise<number | string> {
    this.child.stdin.end();
    const timer = setTimeout(() => void this.kill9(), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Polls a command until its reply satisfies a check; returns the elapsed ms and last reply. */
export async function pollCommand(
  bot: BotProcess,
  line: string,
  check: (reply: string) => boolean,
  timeoutMs: number,
): Promise<{ ms: number; reply: string }> {
  const started = Date.now();
  for (;;) {
    const reply = await bot.command(line);
    if (check(reply)) return { ms: Date.now() - started, reply };
    if (Date.now() - started > timeoutMs) throw new Error(`"${line}" did not give the expected reply within ${timeoutMs} ms; last reply:\n${reply}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
