import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase, createDispatcher, loadArticles, openNoteStore, silentLogger, streamArticles, type Invocation } from '../../../src/core/index.ts';
import { commands } from '../../../commands/index.ts';
import { parsingWorkerStarter } from '../../../src/parsing-worker.ts';
import type { BatchReply, BatchRequest } from '../../../src/core/sources/article-loader.ts';
import { makeTempDir } from '../../helpers/context.ts';
import type { Logger } from '../../../src/core/util/logger.ts';

const run = promisify(execFile);
/** How the bot starts a parsing worker (from the sources here: through tsx). */
const startWorker = parsingWorkerStarter()!;

/** A DATA_DIR with `count` articles in a few folders (every 7th with front matter), plus broken ones. */
async function archive(count: number): Promise<string> {
  const dir = await makeTempDir();
  for (let i = 0; i < count; i += 1) {
    const folder = path.join(dir, 'articles', `topic-${i % 5}`, i % 3 === 0 ? 'deep' : '');
    await mkdir(folder, { recursive: true });
    const body =
      i % 7 === 0
        ? `---\ntitle: Front ${i}\ndate: 2024-05-0${1 + (i % 9)}\ntags: [t${i % 4}, "#x"]\nurl: https://example.com/${i}\n---\nBody ${i} with www.example.com and a@b.org\n`
        : `# Heading ${i}\n\nText ${i} about zebra${i} with **bold**, ~~gone~~ and a table:\n\n| a | b |\n| - | - |\n| ${i} | cell |\n\n- [x] done\n`;
    await writeFile(path.join(folder, `Note-${i}.md`), body);
  }
  await writeFile(path.join(dir, 'articles', 'topic-0', 'broken.md'), '---\ntags: [x\n---\n');
  await writeFile(path.join(dir, 'articles', 'topic-1', 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0x01]));
  return dir;
}

describe('loadArticles on worker threads', () => {
  it('gives the same articles and problems as reading on this thread, in localeCompare order', async () => {
    const dir = await archive(150);
    const here = await loadArticles(dir, { workers: 0 });
    const threads: string[] = [];
    const viaWorkers = { articles: [] as typeof here.articles, problems: [] as typeof here.problems, warnings: [] as typeof here.warnings };
    for await (const batch of streamArticles(dir, { startWorker, workers: 2, minFilesForWorkers: 0 })) {
      threads.push(batch.thread);
      viaWorkers.articles.push(...batch.articles);
      viaWorkers.problems.push(...batch.problems);
      viaWorkers.warnings.push(...batch.warnings);
    }
    // Every batch really went through a worker (a failing worker would fall back to this thread silently).
    expect(new Set(threads)).toEqual(new Set(['worker']));
    expect(threads.length).toBe(3);
    expect(viaWorkers).toStrictEqual(here);
    expect(here.articles).toHaveLength(150);
    const paths = here.articles.map((a) => a.path);
    expect(paths).toEqual([...paths].sort((a, b) => a.localeCompare(b)));
    expect(here.problems.map((p) => [p.path, p.reason.split(':')[0]])).toEqual([
      ['articles/topic-0/broken.md', 'invalid YAML front matter'],
      ['articles/topic-1/binary.md', 'not a text file'],
    ]);
    expect(here.articles.find((a) => a.path === 'articles/topic-0/deep/Note-0.md')).toMatchObject({
      title: 'Front 0',
      tags: ['t0', 'x'],
      url: 'https://example.com/0',
      text: 'Body 0 with www.example.com and a@b.org',
    });
  });

  it('keeps the next batches queued on a worker before it answers the first: it never waits for this thread to ask', async () => {
    const dir = await archive(64 * 6);
    const events: string[] = [];
    const recording = (options: Parameters<typeof startWorker>[0]) => {
      const worker = startWorker(options);
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (request: BatchRequest) => {
        events.push(`sent ${request.batch}`);
        post(request);
      };
      // Registered before the loader's own listener: a reply is logged before the loader answers it.
      worker.on('message', (reply: BatchReply) => events.push(`reply ${reply.batch}`));
      return worker;
    };
    const batches: number[] = [];
    for await (const batch of streamArticles(dir, { startWorker: recording, workers: 1, minFilesForWorkers: 0 })) batches.push(batch.articles.length);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(64 * 6);
    // With one batch at a time the worker idled while this thread indexed (sent 0, reply 0, sent 1, …).
    const firstReply = events.indexOf('reply 0');
    expect(events.slice(0, firstReply)).toEqual(['sent 0', 'sent 1', 'sent 2']);
  });

  it('reads every batch a failed worker held on this thread, in order, and says so', async () => {
    const dir = await archive(64 * 5);
    const here = await loadArticles(dir, { workers: 0 });
    // Takes three batches without answering, and exits on the second.
    const failing = (options: WorkerOptions) =>
      new Worker("const { parentPort } = require('node:worker_threads'); let n = 0; parentPort.on('message', () => { if (++n === 2) process.exit(3); });", { ...options, eval: true });
    const warnings: string[] = [];
    const logger = { ...silentLogger(), warn: (_: unknown, message?: string) => void warnings.push(String(message)) } as unknown as Logger;
    const loaded = { articles: [] as typeof here.articles, problems: [] as typeof here.problems, warnings: [] as typeof here.warnings };
    for await (const batch of streamArticles(dir, { startWorker: failing, workers: 1, minFilesForWorkers: 0, logger })) {
      loaded.articles.push(...batch.articles);
      loaded.problems.push(...batch.problems);
      loaded.warnings.push(...batch.warnings);
    }
    expect(loaded).toStrictEqual(here);
    expect(warnings).toEqual(['articles: a parsing worker failed; reading its articles on the main thread']);
  });

  it('reads small folders on this thread', async () => {
    const dir = await archive(20);
    const batches = [];
    for await (const batch of streamArticles(dir, { startWorker })) batches.push(batch);
    expect(batches.map((b) => b.thread)).toEqual(['main']);
  });

  it('reads on this thread when it is given no way to start a worker', async () => {
    const dir = await archive(150);
    const threads = [];
    for await (const batch of streamArticles(dir, { workers: 2, minFilesForWorkers: 0 })) threads.push(batch.thread);
    expect(new Set(threads)).toEqual(new Set(['main']));
  });

  it('stops its workers when the consumer stops early, even before the first batch: the process can exit', async () => {
    const dir = await archive(200);
    const loader = pathToFileURL(path.resolve('src/core/sources/article-loader.ts')).href;
    const starter = pathToFileURL(path.resolve('src/parsing-worker.ts')).href;
    // A worker left running would keep this process alive until the timeout.
    const script = `
      import { streamArticles } from ${JSON.stringify(loader)};
      import { parsingWorkerStarter } from ${JSON.stringify(starter)};
      const options = { startWorker: parsingWorkerStarter(), workers: 1, minFilesForWorkers: 0 };
      await streamArticles(${JSON.stringify(dir)}, options)[Symbol.asyncIterator]().return();
      for await (const batch of streamArticles(${JSON.stringify(dir)}, options)) {
        console.log(batch.thread, batch.articles.length);
        break;
      }`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 });
    expect(stdout.trim()).toMatch(/^worker [1-9]\d*$/);
  });
});

describe('the parsing worker of this build (src/parsing-worker.ts)', () => {
  it('has no starter when its script is not there', () => {
    expect(parsingWorkerStarter(new URL('./no-such-worker.ts', pathToFileURL(path.resolve('src') + '/')))).toBeUndefined();
    expect(parsingWorkerStarter(new URL('./no-such-worker.js', pathToFileURL(path.resolve('src') + '/')))).toBeUndefined();
  });
});

describe('KnowledgeBase cold build from worker threads', () => {
  it('answers "still indexing" meanwhile, then finds articles from every batch', async () => {
    const dir = await archive(320);
    await writeFile(path.join(dir, 'profile.md'), '# Me\n\n## Skills\n\n- Git\n');
    const store = await openNoteStore('memory://', { logger: silentLogger() });
    const kb = KnowledgeBase.start({ dataDir: dir, store, logger: silentLogger(), startParsingWorker: startWorker });
    const dispatcher = createDispatcher(commands, { kb, searchLimit: 5, noteWriters: [] }, silentLogger());
    const find = (text: string) =>
      dispatcher.dispatch({
        command: 'find',
        text,
        user: { platform: 'console', id: 'u', name: 'u' },
        origin: { platform: 'console' },
      } satisfies Invocation);
    expect(await find('zebra1')).toMatchObject({ text: 'find: still indexing — try again in a few seconds' });
    await kb.ready;
    expect(kb.counts().articles).toBe(320);
    // Every write-up (and the two that cannot be read) was parsed; the first three batches always on the worker
    // (this thread takes the next ones when it would otherwise wait for the worker).
    expect(kb.loadReport).toMatchObject({ from: 'cold' });
    expect(kb.loadReport!.parsedOnWorkers! + kb.loadReport!.parsedHere!).toBe(322);
    expect(kb.loadReport!.parsedOnWorkers).toBeGreaterThanOrEqual(3 * 64);
    for (const n of [1, 200, 319]) {
      const reply = JSON.stringify(await find(`zebra${n}`));
      expect(reply).toContain(`Note-${n}.md`);
    }
    await kb.close();
  });
});
