/**
 * The Slack adapter on @slack/bolt 5: slash commands and the "Save to notes"
 * message shortcut, in Socket Mode (SLACK_APP_TOKEN set) or over HTTP
 * (`POST /slack/events`, `GET /healthz`). Thin: parse, acknowledge within 3 s,
 * dispatch, render.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackConfig } from '../config.ts';
import { StartupError, canWrite, commandName, reply, type Logger, type Reply } from '../core/index.ts';
import { createInFlight, dispatchWithin, safeDispatch, within } from './dispatch-deadline.ts';
import { renderSlackReply, type SlackMessage } from './slack-format.ts';
import {
  SAVE_TO_NOTES_CALLBACK,
  SLACK_PLATFORM,
  parseMessageShortcut,
  parseSlashCommand,
  saveToNotesInvocation,
  slashCommandInvocation,
} from './slack-payload.ts';
import type { Adapter, AdapterDeps } from './types.ts';

/** How long a command may run before the acknowledgement goes out empty and the reply follows via `respond()`. */
export const ACK_BUDGET_MS = 2000;

/** Extras for tests and embedding; the defaults suit a real deployment. */
export interface SlackAdapterOptions {
  /** See ACK_BUDGET_MS. */
  ackBudgetMs?: number;
  /** HTTP mode: interface to listen on; default all (Slack must reach it). */
  host?: string;
  /** See PERMALINK_BUDGET_MS. */
  permalinkBudgetMs?: number;
  /** How long stop() waits for work in progress (default STOP_GRACE_MS). */
  stopGraceMs?: number;
}

/**
 * Longest wait for chat.getPermalink before "Save to notes" saves without the
 * link: the save must not hang on Slack's Web API (whose default retries span ~30 min).
 */
export const PERMALINK_BUDGET_MS = 2000;

export interface SlackAdapter extends Adapter {
  /** `socket` or `http`, from the configuration. */
  readonly mode: 'socket' | 'http';
  /** HTTP mode: the port actually listened on, once started. */
  readonly port: number | undefined;
}

const BAD_PAYLOAD = 'slack: could not read that request — please try again; if it keeps happening, the app manifest may be out of date.';

export function createSlackAdapter(
  config: SlackConfig,
  deps: AdapterDeps,
  options: SlackAdapterOptions = {},
): SlackAdapter {
  const { dispatcher, kb } = deps;
  const logger = deps.logger.child({ adapter: 'slack' });
  const mode = config.appToken ? 'socket' : 'http';
  const ackBudgetMs = options.ackBudgetMs ?? ACK_BUDGET_MS;
  const permalinkBudgetMs = options.permalinkBudgetMs ?? PERMALINK_BUDGET_MS;
  const inFlight = createInFlight();
  // NOTE: its own client for chat.getPermalink: no retries and a short timeout, whatever Bolt's client does.
  const permalinks = new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: permalinkBudgetMs,
    logger: boltLogger(logger),
  });
  let app: App | undefined;
  let port: number | undefined;

  const build = (): App => {
    const app = new App({
      token: config.botToken,
      ...(config.appToken
        ? { socketMode: true, appToken: config.appToken }
        : {
            signingSecret: config.signingSecret,
            port: config.port,
            customRoutes: [
              {
                path: '/healthz',
                method: ['GET'],
                handler: (_req, res) => {
                  res.writeHead(200, { 'content-type': 'application/json' });
                  res.end(JSON.stringify({ status: 'ok', mode, ...kb.counts() }));
                },
              },
            ],
          }),
      logger: boltLogger(logger),
      // NOTE: auth.test runs in init() (start), where its failure can be reported, not in the constructor.
      deferInitialization: true,
      convoStore: false,
      clientOptions: config.apiUrl
        ? // A stand-in or proxy: fail fast instead of retrying for minutes.
          { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 } }
        : {},
    });

    const handleCommand = async ({
      body,
      ack,
      respond,
      context,
    }: {
      body: unknown;
      ack: (message?: SlackMessage) => Promise<void>;
      respond: (message: SlackMessage) => Promise<unknown>;
      context: { retryNum?: number };
    }): Promise<void> => {
      let invocation;
      try {
        const payload = parseSlashCommand(body);
        invocation = slashCommandInvocation(payload, commandName(payload.command));
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'slack: unreadable slash command');
        await ack(renderSlackReply(reply(BAD_PAYLOAD, { tone: 'error' })));
        return;
      }
      if (context.retryNum) logger.info({ command: invocation.command, retryNum: context.retryNum }, 'slack: retried delivery');
      const { early, result } = await dispatchWithin(dispatcher, invocation, ackBudgetMs, logger);
      if (early) {
        await ack(renderSlackReply(early));
        return;
      }
      // Too slow for the acknowledgement: acknowledge now, answer via response_url when ready.
      await ack();
      await deliver(respond, await result, invocation.command);
    };

    // One listener for every slash command: a command the manifest has but the registry
    // does not (renamed, stale manifest) gets the dispatcher's "unknown command" answer.
    app.command(/^\/.+/, (args) => inFlight.track(handleCommand(args)));

    const handleShortcut = async ({
      body,
      ack,
      respond,
    }: {
      body: unknown;
      ack: () => Promise<void>;
      respond: (message: SlackMessage) => Promise<unknown>;
    }): Promise<void> => {
      // NOTE: a shortcut's acknowledgement carries no message; the answer always goes via response_url.
      await ack();
      let payload;
      try {
        payload = parseMessageShortcut(body);
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'slack: unreadable shortcut');
        await deliver(respond, reply(BAD_PAYLOAD, { tone: 'error' }), 'note');
        return;
      }
      // The link is only worth fetching for a save that can happen: /note itself answers
      // a refused writer and an empty message.
      const invoker = { platform: SLACK_PLATFORM, id: payload.userId, name: payload.userName };
      const fetchLink = canWrite(deps.noteWriters ?? [], invoker) && payload.messageText.trim() !== '';
      const permalink = fetchLink ? await fetchPermalink(payload.channelId, payload.messageTs) : undefined;
      const answer = await safeDispatch(dispatcher, saveToNotesInvocation(payload, permalink), logger);
      await deliver(respond, { ...answer, visibility: 'ephemeral' }, 'note');
    };
    app.shortcut({ type: 'message_action', callback_id: SAVE_TO_NOTES_CALLBACK }, (args) => inFlight.track(handleShortcut(args)));

    app.error(async (error) => {
      logger.error({ err: error }, 'slack: unhandled error in Bolt');
    });
    return app;
  };

  /** The message's permalink, or undefined when Slack does not give it within the budget. */
  const fetchPermalink = async (channel: string, messageTs: string): Promise<string | undefined> => {
    const call = permalinks.chat.getPermalink({ channel, message_ts: messageTs }).then(
      (result) => (typeof result.permalink === 'string' ? result.permalink : undefined),
      (error: unknown) => {
        // The note is still worth saving without its link (e.g. a channel the bot cannot see).
        logger.warn({ err: (error as Error).message, channel }, 'slack: chat.getPermalink failed');
        return undefined;
      },
    );
    return within(call, permalinkBudgetMs);
  };

  const deliver = async (
    respond: ((message: SlackMessage) => Promise<unknown>) | undefined,
    answer: Reply,
    command: string,
  ): Promise<void> => {
    if (!respond) {
      logger.warn({ command }, 'slack: no response_url to answer with');
      return;
    }
    try {
      await respond(renderSlackReply(answer));
    } catch (error) {
      logger.warn({ err: (error as Error).message, command }, 'slack: respond() failed');
    }
  };

  return {
    name: 'slack',
    mode,
    get port() {
      return port;
    },
    async start() {
      const candidate = build();
      try {
        await candidate.init();
      } catch (error) {
        throw new StartupError(`slack: auth.test refused the bot token (${slackErrorCode(error)}) — check SLACK_BOT_TOKEN (xoxb-…)`);
      }
      try {
        if (mode === 'socket') {
          await candidate.start();
        } else {
          const listening = (await candidate.start(
            options.host ? { port: config.port, host: options.host } : config.port,
          )) as Server;
          port = (listening.address() as AddressInfo).port;
        }
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'EADDRINUSE') throw new StartupError(`slack: port ${config.port} is in use — set SLACK_PORT to a free port`);
        if (mode === 'socket') {
          throw new StartupError(`slack: Socket Mode could not connect (${code}) — check SLACK_APP_TOKEN (xapp-… with connections:write)`);
        }
        throw new StartupError(`slack: could not listen on port ${config.port} (${code})`);
      }
      // Only a started app is stopped later: Bolt throws when stopping one that never started.
      app = candidate;
      logger.info({ mode, port }, 'slack: ready');
    },
    async stop() {
      const running = app;
      app = undefined;
      // Replies in progress finish before the store closes under them (bounded).
      if (!(await inFlight.drain(options.stopGraceMs))) {
        logger.warn({ inFlight: inFlight.size }, 'slack: stopping with work still in progress');
      }
      if (running) await running.stop();
    },
  };
}

function slackErrorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { data, code, message } = error as { data?: { error?: unknown }; code?: unknown; message?: unknown };
  if (typeof data?.error === 'string') return data.error;
  if (code === 'EADDRINUSE') return code;
  if (typeof message === 'string' && message) return message;
  return typeof code === 'string' ? code : 'unknown error';
}

/**
 * Bolt's log lines through pino. Bolt's debug lines carry raw payloads
 * (response_url, tokens) as strings that redaction cannot reach: only at `trace`.
 */
function boltLogger(logger: Logger): BoltLogger {
  const verbose = logger.isLevelEnabled('trace');
  const line = (parts: unknown[]): string =>
    parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => {
      if (verbose) logger.trace(line(parts));
    },
    info: (...parts: unknown[]) => logger.info(line(parts)),
    warn: (...parts: unknown[]) => logger.warn(line(parts)),
    error: (...parts: unknown[]) => logger.error(line(parts)),
    setLevel: () => {},
    getLevel: () => (verbose ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => {},
  };
}
