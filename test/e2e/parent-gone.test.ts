/**
 * Under `npm start` the bot stops when npm's shell goes away: `kill <pid of npm start>`
 * reaches npm's `sh -c` but not `node scripts/start.mjs` (acceptance 32). Started any
 * other way (`nohup … &`, `setsid`) a launcher that exits is no reason to stop (review 41).
 * Real process trees: a shell starts the bot, the test kills only the shell, by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNoteStore, silentLogger } from '../../src/core/index.ts';
import { botEnv } from '../helpers/bot-process.ts';
import { REPO_ROOT, makeDataDir } from '../helpers/context.ts';
import { BOT_TOKEN, SIGNING_SECRET, postSigned, slashCommandBody, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { freePort } from '../helpers/servers.ts';

let fake: FakeSlack;
const shells: ChildProcess[] = [];
const bots: number[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
});

afterAll(async () => {
  // Only the processes this file started, by their ids.
  for (const pid of bots) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const shell of shells) if (shell.exitCode === null && shell.signalCode === null) shell.kill('SIGKILL');
  await fake?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Whether a process runs (a zombie nobody has reaped yet has stopped). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A process's parent pid (field 4 of /proc/<pid>/stat, after the command name in parentheses). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

async function poll<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, log: () => string, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms\n${log()}`);
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** What npm (7 and later) puts in the environment of its `start` script (@npmcli/run-script). */
const NPM_START = { npm_lifecycle_event: 'start', npm_lifecycle_script: 'node scripts/start.mjs' };

/**
 * A shell running `script` (which starts the bot), the bot in Slack HTTP mode on a free port with its own
 * SQLite store; `npm` adds what npm sets for its start script. The shell's standard input is a pipe.
 */
async function startUnderShell(script: string, npm: Record<string, string> = {}) {
  const port = await freePort();
  const dataDir = await makeDataDir();
  dirs.push(dataDir);
  const storeUrl = `sqlite://${path.join(dataDir, 'notes.sqlite')}`;
  const env = botEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_PORT: String(port),
    SLACK_API_URL: fake.apiUrl,
    DATA_DIR: dataDir,
    STORE_URL: storeUrl,
    NOTE_WRITERS: 'slack:U0OWNER',
    // Split by the shell as words: node's path has no spaces here (checked below).
    BOT: `${process.execPath} scripts/start.mjs`,
    ...npm,
  });
  expect(process.execPath).not.toMatch(/\s/);
  const shell = spawn('sh', ['-c', script], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  shells.push(shell);
  let out = '';
  shell.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  shell.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const log = () => out;
  const base = `http://127.0.0.1:${port}`;
  await poll('healthz', async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), log);
  return { shell, port, base, storeUrl, log };
}

/** Waits several parent checks (one a second), then asserts the bot still serves and said nothing about its parent. */
async function stillServing(base: string, log: () => string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 3_500));
  expect((await fetch(`${base}/healthz`)).ok).toBe(true);
  expect(log()).not.toMatch(/is gone/);
}

describe('the bot and the process that started it', () => {
  it('under npm start, stops as on SIGTERM when its parent shell is killed, releasing its port and its store, nothing lost', async () => {
    // As npm runs it: a shell that waits for the bot (and has more to do after, so it does not exec it).
    const { shell, port, base, storeUrl, log } = await startUnderShell('$BOT; echo "bot exited $?"', NPM_START);
    const pid = await poll('the bot under the shell', () => {
      const children = readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return children.length === 1 ? Number(children[0]) : undefined;
    }, log);
    bots.push(pid);
    const saved = await postSigned(`${base}/slack/events`, slashCommandBody({ command: '/note', text: 'saved before the shell went #parent', response_url: fake.responseUrl() }));
    const id = /^Saved note ([0-9a-z]{10})/.exec(((await saved.json()) as { text: string }).text)?.[1];
    expect(id).toBeDefined();

    // Only the shell, by its pid: the bot gets no signal.
    process.kill(shell.pid!, 'SIGTERM');
    await poll('the shell to exit', () => (shell.exitCode !== null || shell.signalCode !== null ? true : undefined), log);
    await poll('the bot to exit', () => (alive(pid) ? undefined : true), log, 10_000);
    expect(log()).toMatch(/is gone — stopping as on SIGTERM/);
    expect(log()).toContain('tinker: stopping');
    expect(await portIsFree(port)).toBe(true);
    const store = await openNoteStore(storeUrl, { logger: silentLogger() });
    try {
      expect((await store.get(id!))?.text).toBe('saved before the shell went #parent');
    } finally {
      await store.close();
    }
  });

  it('under npm start, keeps running when its parent at start is already init (pid 1 in a container): only a change counts', async () => {
    // The shell starts the bot's own shell and exits; that one waits until the first is gone (reaped), then
    // becomes the bot: it starts an orphan, its parent pid 1 or a subreaper, whatever the timing.
    const { shell, base, log } = await startUnderShell(`sh -c 'while kill -0 $0 2>/dev/null; do sleep 0.05; done; exec $BOT' $$ & echo "bot pid $!"`, NPM_START);
    const pid = Number(await poll('the bot pid', () => /bot pid (\d+)/.exec(log())?.[1], log));
    bots.push(pid);
    await poll('the shell to exit', () => (shell.exitCode !== null ? true : undefined), log);
    await stillServing(base, log);
    process.kill(pid, 'SIGTERM');
    await poll('the bot to exit', () => (alive(pid) ? undefined : true), log, 10_000);
  });

  it.each([
    ['nohup', 'nohup $BOT &'],
    ['setsid', 'setsid $BOT &'],
  ])('started detached (%s) from a shell that exits once the bot serves, keeps running', async (_name, launch) => {
    // A deploy script or an ssh session: starts the bot in the background, checks it is up, then exits.
    // The bot has seen that shell as its parent, and is handed to another when it exits.
    const { shell, base, log } = await startUnderShell(`${launch} echo "bot pid $!"; read done`);
    const pid = Number(await poll('the bot pid', () => /bot pid (\d+)/.exec(log())?.[1], log));
    bots.push(pid);
    expect(parentOf(pid)).toBe(shell.pid);
    shell.stdin!.end('done\n');
    await poll('the shell to exit', () => (shell.exitCode !== null ? true : undefined), log);
    await stillServing(base, log);
    process.kill(pid, 'SIGTERM');
    await poll('the bot to exit', () => (alive(pid) ? undefined : true), log, 10_000);
  });
});
