/**
 * A real tinker process for end-to-end tests, started by test/helpers/bot-process.ts
 * with no Slack or Discord tokens, so it runs the console adapter: one command per
 * line on stdin, each reply printed on stdout, in order. This adds what the
 * multi-process tests need on top: a command's reply, the saved ids, kill -9.
 */
import { botEnv, startBot, type BotProcess as RawBot } from '../helpers/bot-process.ts';

export interface BotOptions {
  dataDir: string;
  storeUrl: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

let markers = 0;

export class BotProcess {
  private readonly bot: RawBot;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;

  constructor(options: BotOptions) {
    // NOTE: `node scripts/start.mjs` (the bot in the same process), not npm: a kill -9 reaches the bot itself,
    // with no npm parent left behind.
    this.bot = startBot(botEnv({ DATA_DIR: options.dataDir, STORE_URL: options.storeUrl, INDEX_SNAPSHOT: 'off', ...options.env }), { via: 'node' });
    const child = this.bot.child;
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode ?? -1);
      else child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
    });
  }

  /** Everything printed on stdout so far. */
  get stdout(): string {
    return this.bot.stdout();
  }

  get stderr(): string {
    return this.bot.stderr();
  }

  /** Writes lines to stdin without waiting for replies. */
  send(...lines: string[]): void {
    this.bot.child.stdin.write(lines.map((line) => `${line}\n`).join(''));
  }

  /**
   * Runs one command and returns its reply: the text printed between the end of
   * the previous reply and a marker command sent right after it.
   */
  async command(line: string, timeoutMs = 15_000): Promise<string> {
    markers += 1;
    const marker = `/end-of-reply-${process.pid}-${markers}`;
    const start = this.stdout.length;
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
    const child = this.bot.child;
    while (!check(this.stdout)) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`bot exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}\nstderr: ${this.stderr.slice(-2000)}`);
      }
      if (Date.now() > deadline) throw new Error(`bot: no ${what} within ${timeoutMs} ms\nstdout tail: ${this.stdout.slice(-500)}\nstderr: ${this.stderr.slice(-1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.stdout;
  }

  /** Ids from every "Saved note <id>" reply so far. */
  savedIds(): string[] {
    return [...this.stdout.matchAll(/^Saved note ([0-9a-z]{10}) /gm)].map((m) => m[1]!);
  }

  /** `kill -9` the bot. */
  async kill9(): Promise<void> {
    const child = this.bot.child;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.exited;
  }

  /** Ends stdin, as at the end of piped input: the bot finishes its queue and exits. */
  async stop(timeoutMs = 15_000): Promise<number | string> {
    this.bot.child.stdin.end();
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
