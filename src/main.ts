/**
 * The composition root: configuration, core services, commands and the enabled adapters.
 */
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { commands } from '../commands/index.ts';
import { loadConfigOrReport, type Config } from './config.ts';
import {
  KnowledgeBase,
  StartupError,
  StoreUnavailableError,
  createDispatcher,
  createProgressReporter,
  createLogger,
  openNoteStore,
  watchDataDir,
  within,
  startResurfaceDigest,
  type Dispatcher,
  type Logger,
  type NoteStore,
} from './core/index.ts';
import { createConsoleAdapter } from './adapters/console/console.ts';
import type { Adapter } from './adapters/adapter.ts';
import type { SlackAdapter } from './adapters/slack/slack.ts';
import { PARSING_WORKER_SCRIPT, parsingWorkerStarter } from './parsing-worker.ts';

/** Longest start-up wait for the index before the platform adapters start anyway. */
const INDEX_WAIT_MS = 2000;

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (!config) return 1;
  const consoleOnly = !config.slack && !config.discord;
  const logger = createLogger(config.logLevel ?? (consoleOnly ? 'warn' : 'info'));

  const store = await openNoteStore(config.storeUrl, { logger });
  // The shutdown handlers come first, so that a SIGTERM or SIGINT during start-up (a supervisor, npm's
  // shell gone: scripts/start.mjs) also stops what has started so far and closes the store, rather than
  // the signal's default ending the process while the index or its snapshot is being built.
  const running: Adapter[] = [];
  let kb: KnowledgeBase | undefined;
  let watcher: { close(): Promise<void> } | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      logger.info({ signal }, 'tinker: stopping');
      for (const adapter of running.reverse()) await adapter.stop().catch((error: unknown) => logger.warn({ err: error }, `${adapter.name}: stop failed`));
      await watcher?.close();
      // The knowledge base closes the store (after its load settles: a cold build stops at its next batch).
      await (kb ? kb.close() : store.close());
    })();
    return stopping;
  };
  process.once('SIGINT', () => void stop('SIGINT').then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));

  const startParsingWorker = parsingWorkerStarter();
  if (!startParsingWorker) {
    logger.warn(`articles: the parsing worker script is missing (${fileURLToPath(PARSING_WORKER_SCRIPT)}); a first index parses the write-ups on the main thread`);
  }
  kb = KnowledgeBase.start({
    dataDir: config.dataDir,
    store,
    logger,
    readRule: { owners: config.noteWriters, notesVisibleTo: config.notesVisibleTo },
    ...(config.articlesUrl ? { linkTemplate: config.articlesUrl } : {}),
    // A first index of a large archive shows how far it is: a line on the terminal, and the logs now and then.
    onProgress: createProgressReporter({
      logger,
      ...(process.stderr.isTTY ? { show: (text: string, final: boolean) => process.stderr.write(`\r\x1b[2K${text}${final ? '\n' : ''}`) } : {}),
    }).onProgress,
    ...(config.indexSnapshot !== 'off' ? { snapshot: config.indexSnapshot } : {}),
    ...(startParsingWorker ? { startParsingWorker } : {}),
  });
  try {
    // A small archive (or a valid snapshot) is ready before the adapters start; a cold build of a
    // large one goes on in the background while the bot answers (/find says "still indexing").
    // The console has no platform deadline: it waits, also for the write-ups changed since a snapshot
    // was saved (re-indexed a moment after the index answers), so piped commands see them.
    await (consoleOnly ? kb.ready.then(() => kb.checked) : within(kb.ready, INDEX_WAIT_MS));
  } catch (error) {
    if (!stopping) await store.close();
    throw error;
  }
  // Stopped while the index was loading: the handler above closes everything and exits.
  if (stopping) return stopping.then(() => 0);
  kb.ready.then(
    // Logged once the files are checked too, so the load report counts the write-ups re-indexed.
    () => kb.checked.then(() => logger.info({ ...kb.counts(), store: store.label, load: kb.loadReport }, 'tinker: knowledge base loaded')),
    (error: unknown) => {
      reportFatal(error, logger);
      void store.close().finally(() => process.exit(1));
    },
  );
  watcher = watchDataDir(kb, logger);
  const dispatcher = createDispatcher(
    commands,
    { kb, searchLimit: config.searchLimit, noteWriters: config.noteWriters },
    logger,
    { memory: store, onChange: (listener) => kb.onChange(listener) },
  );
  if (!consoleOnly && config.noteWriters.length === 0) {
    logger.warn(
      'tinker: NOTE_WRITERS is empty, so anyone who can use the bot in Slack or Discord may save notes and edit your topics — set NOTE_WRITERS=slack:<your member id> (or discord:<your user id>) to keep that to you',
    );
  }


  if (consoleOnly) {
    // Says that RESURFACE_SCHEDULE does nothing here (the digest is a Slack direct message).
    startDigest(config, dispatcher, store, undefined, logger);
    const terminal = createConsoleAdapter(
      { input: process.stdin, output: process.stdout, userName: safeUserName() },
      { dispatcher, logger },
    );
    running.push({ name: 'console', start: () => terminal.start(), stop: () => terminal.stop() });
    await terminal.start();
    await stop('end of input');
    return 0;
  }
  const deps = {
    dispatcher,
    logger,
    // NOTE: /healthz is unauthenticated and often public (README, Slack over HTTP): it shows what anyone
    // may read, the profile and the write-ups, and no count of notes (most are private to their savers).
    status: () => {
      const { profileItems, articles } = kb.counts();
      return { profileItems, articles };
    },
    // A platform connection lost for good: close the store cleanly and exit non-zero so a supervisor restarts us.
    onFatal: (error: Error) => {
      process.stderr.write(`tinker: ${error.message}\n`);
      void stop('fatal').then(() => process.exit(1));
    },
  };
  // Loaded only when configured: Bolt and discord.js take about 0.25 s and 0.35 s to load.
  let slack: SlackAdapter | undefined;
  if (config.slack) {
    const { createSlackAdapter } = await import('./adapters/slack/slack.ts');
    slack = createSlackAdapter(config.slack, deps, { startTimeoutMs: config.connectTimeoutMs });
    running.push(slack);
  }
  if (config.discord) {
    const { createDiscordAdapter } = await import('./adapters/discord/discord.ts');
    running.push(createDiscordAdapter(config.discord, deps, { startTimeoutMs: config.connectTimeoutMs }));
  }
  for (const adapter of running) {
    // A platform that cannot start (unreachable, refused token): close the store before the error is reported.
    await adapter.start().catch(async (error: unknown) => {
      await stop('start failed');
      throw error;
    });
    logger.info(`${adapter.name}: started`);
  }
  const digest = startDigest(config, dispatcher, store, slack, logger);
  if (digest) running.push({ name: 'resurface digest', start: async () => {}, stop: async () => digest.stop() });
  // Runs until SIGINT or SIGTERM.
  await new Promise<never>(() => {});
  return 0;
}

/**
 * The scheduled /resurface digest (RESURFACE_SCHEDULE): /resurface run as the
 * owner (the first slack: entry of NOTE_WRITERS), sent to them as a Slack
 * direct message when it found something, once per occurrence across processes.
 */
function startDigest(config: Config, dispatcher: Dispatcher, store: NoteStore, slack: SlackAdapter | undefined, logger: Logger): { stop(): void } | undefined {
  const schedule = config.resurfaceSchedule;
  if (!schedule) return undefined;
  const ownerId = config.noteWriters.find((writer) => writer.startsWith('slack:'))?.slice('slack:'.length);
  if (!slack || !ownerId) {
    logger.warn(
      `resurface: RESURFACE_SCHEDULE is set, but the digest is a Slack direct message to the owner — configure Slack and put slack:<your member id> in NOTE_WRITERS; no digest will be sent`,
    );
    return undefined;
  }
  const owner = { platform: 'slack', id: ownerId, name: ownerId };
  const timer = startResurfaceDigest({
    schedule,
    memory: store,
    logger,
    compose: async () => {
      const answer = await dispatcher.dispatch({ command: 'resurface', text: '', user: owner, origin: { platform: 'slack' } });
      return answer.sections.some((section) => section.type === 'hits') ? answer : undefined;
    },
    deliver: (answer) => slack.sendDirect(owner.id, answer),
  });
  logger.info({ schedule: schedule.text, next: timer.next().toISOString(), to: `slack:${ownerId}` }, 'resurface: digest scheduled');
  return timer;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'owner';
  }
}

function reportFatal(error: unknown, logger?: Logger): void {
  if (error instanceof StartupError || error instanceof StoreUnavailableError) {
    process.stderr.write(`tinker: ${error.message}\n`);
  } else {
    (logger ?? console).error(error);
    process.stderr.write('tinker: failed to start (see the error above)\n');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    reportFatal(error);
    process.exit(1);
  },
);
