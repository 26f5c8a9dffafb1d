/**
 * `/note` under a burst: 1,000 notes sent at once to two processes sharing one
 * SQLite file, each saved through the knowledge base as a platform request
 * would be (idempotency key, store write, index), timed from the moment the
 * burst starts to each note's acknowledgement (when the reply would go out).
 *
 *   node --import tsx bench/note-burst.ts [--notes=1000] [--modes=before,full,after]
 *
 * Modes, all in one run so the figures compare on this noisy machine:
 * - `before`: synchronous=NORMAL, one commit per note (tinker until group commit);
 * - `full`: synchronous=FULL, one commit (one fsync) per note;
 * - `after`: synchronous=FULL with group commit (what tinker runs).
 * `npm run bench` calls `noteBurst()`; run alone, this prints the same rows.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Keyv from 'keyv';
import { KeyvNoteStore, KnowledgeBase, silentLogger } from '../src/core/index.ts';
import { createSqliteAdapter, type SqliteOptions } from '../src/core/store/backends/sqlite.ts';
import { fmt, summarize, table, type Summary } from './stats.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORK_DIR = path.join(HERE, '.work');

export type BurstMode = 'before' | 'full' | 'after';

const MODES: Record<BurstMode, SqliteOptions & { label: string }> = {
  before: { synchronous: 'NORMAL', groupCommit: false, label: 'NORMAL, a commit per note (before)' },
  full: { synchronous: 'FULL', groupCommit: false, label: 'FULL, a commit per note' },
  after: { synchronous: 'FULL', groupCommit: true, label: 'FULL + group commit (now)' },
};

export interface BurstResult {
  mode: BurstMode;
  label: string;
  notes: number;
  /** Burst start → acknowledgement, per note, both processes together. */
  latency: Summary;
  /** Notes acknowledged per second: all of them over the slower process's time. */
  perSecond: number;
  /** Slower process: burst start → its last acknowledgement. */
  totalMs: number;
  failed: number;
}

interface ChildReport {
  times: number[];
  totalMs: number;
  failed: number;
}

/** Runs the burst once per mode; each mode on a fresh file, its two processes started together. */
export async function noteBurst(options: { notes?: number; modes?: BurstMode[] } = {}): Promise<BurstResult[]> {
  const notes = options.notes ?? 1000;
  const results: BurstResult[] = [];
  await mkdir(WORK_DIR, { recursive: true });
  for (const mode of options.modes ?? (['before', 'full', 'after'] as BurstMode[])) {
    const dir = await mkdtemp(path.join(WORK_DIR, 'burst-'));
    try {
      await writeFile(path.join(dir, 'profile.md'), '# Owner\n');
      const file = path.join(dir, 'notes.sqlite');
      const children = [0, 1].map((p) => startChild(dir, file, mode, Math.ceil(notes / 2), p));
      await Promise.all(children.map((child) => child.ready));
      for (const child of children) child.go();
      const reports = await Promise.all(children.map((child) => child.report));
      const times = reports.flatMap((r) => r.times);
      const totalMs = Math.max(...reports.map((r) => r.totalMs));
      results.push({
        mode,
        label: MODES[mode].label,
        notes: times.length,
        latency: summarize(times),
        perSecond: (times.length / totalMs) * 1000,
        totalMs,
        failed: reports.reduce((sum, r) => sum + r.failed, 0),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}

function startChild(dataDir: string, file: string, mode: BurstMode, count: number, process_: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dataDir, file, mode, String(count), String(process_)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => (out.includes('ready\n') ? resolve() : undefined);
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`note-burst: child exited with ${code} before it was ready`)));
  });
  const report = new Promise<ChildReport>((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`note-burst: child exited with ${code}`));
      else resolve(JSON.parse(line) as ChildReport);
    });
  });
  return { ready, report, go: () => child.stdin.end('go\n') };
}

/** One process of the burst: opens the store as the bot does (but in the given mode), waits for "go", saves. */
async function child(args: string[]): Promise<void> {
  const [dataDir, file, mode, countText, processText] = args as [string, string, BurstMode, string, string];
  const logger = silentLogger();
  const adapter = await createSqliteAdapter(file, logger, MODES[mode]);
  const keyv = new Keyv<unknown>({ store: adapter as never, namespace: 'tinker', throwOnErrors: true });
  const store = new KeyvNoteStore(keyv, `sqlite://${file}`, { logger, timeoutMs: 30_000 });
  const kb = await KnowledgeBase.open({ dataDir, store, logger });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const started = performance.now();
  let failed = 0;
  const times = await Promise.all(
    Array.from({ length: Number(countText) }, async (_, i) => {
      try {
        await kb.saveNote({
          text: `burst note ${processText}-${i} about #load`,
          author: { platform: 'slack', id: 'U1', name: 'owner' },
          source: { platform: 'slack', channel: 'C1' },
          idempotencyKey: `slack:trigger:${processText}.${i}.${started}`,
        });
      } catch {
        failed += 1;
      }
      return performance.now() - started;
    }),
  );
  const totalMs = performance.now() - started;
  await kb.close();
  process.stdout.write(`${JSON.stringify({ times, totalMs, failed })}\n`);
}

/** The rows `npm run bench` prints. */
export function burstTable(results: BurstResult[]): string {
  return table(
    ['/note burst, 2 processes, one SQLite file', 'notes', 'p50', 'p99', 'max', 'notes/s', 'failed'],
    results.map((r) => [r.label, String(r.notes), `${fmt(r.latency.p50)} ms`, `${fmt(r.latency.p99)} ms`, `${fmt(r.latency.max)} ms`, fmt(r.perSecond), String(r.failed)]),
  );
}

const argv = process.argv.slice(2);
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (argv[0] === '--child') {
    await child(argv.slice(1));
  } else {
    const notes = Number(argv.find((a) => a.startsWith('--notes='))?.slice(8) ?? 1000);
    const modes = argv.find((a) => a.startsWith('--modes='))?.slice(8).split(',') as BurstMode[] | undefined;
    const results = await noteBurst({ notes, ...(modes ? { modes } : {}) });
    process.stdout.write(`${burstTable(results)}\n`);
  }
}
