/**
 * The Slack adapter on @slack/bolt 5: slash commands and the "Save to notes"
 * message shortcut, in Socket Mode (SLACK_APP_TOKEN set) or over HTTP
 * (`POST /slack/events`, `GET /healthz`). Thin: parse, acknowledge within 3 s,
 * dispatch, render.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { App, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { StartupError, canWrite, commandName, reply, type Logger, type Reply, createInFlight, dispatchWithin, safeDispatch, within } from '../../core/index.ts';
import { renderSlackReply, type SlackMessage } from './slack-format.ts';
import {
  SAVE_TO_NOTES_CALLBACK,
  SLACK_PLATFORM,
  parseMessageShortcut,
  parseSlashCommand,
  saveToNotesInvocation,
  slashCommandInvocation,
} from './slack-payload.ts';
import type { Adapter, AdapterDeps } from '../adapter.ts';

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
  /** See START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  /**
   * Socket Mode: how long to wait for a pong, and the step of the reconnect
   * back-off after a lost connection (Bolt's default, 5000 ms).
   */
  socketPingTimeoutMs?: number;
}

/**
 * Longest time start() spends reaching Slack before it gives up with one clear
 * error: auth.test (retried on network errors with a growing pause), then in
 * Socket Mode the websocket's `hello` (which gets at least SOCKET_MIN_MS of it).
 * Long enough for a network that comes up with the bot; short enough that a
 * wrong SLACK_API_URL or no network at all ends in an exit, not a silent loop.
 */
export const START_TIMEOUT_MS = 30_000;

/** The Socket Mode connection's share of the start budget when auth.test took most of it. */
const SOCKET_MIN_MS = 5000;
const FIRST_RETRY_PAUSE_MS = 500;
const MAX_RETRY_PAUSE_MS = 5000;

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

/** Bolt's Socket Mode client (from @slack/socket-mode, which tinker does not depend on directly). */
type SocketClient = SocketModeReceiver['client'];

/** What auth.test says about the bot; given to Bolt so it does not ask again. */
interface BotIdentity {
  botId?: string;
  botUserId?: string;
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
  /** Set once start() has succeeded; a failure after that is reported through onFatal. */
  let started = false;
  let stopping = false;

  // A stand-in or proxy: fail fast instead of retrying for minutes. A fresh object for each
  // user, because Bolt's Socket Mode client writes its own retry policy into the one it gets.
  const clientOptions = (): webApi.WebClientOptions =>
    config.apiUrl ? { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 } } : {};

  /** Socket Mode's receiver, with the connection's lifecycle watched (see watchSocket). */
  const socketReceiver = (appToken: string): SocketModeReceiver => {
    const receiver = new SocketModeReceiver({
      appToken,
      logger: boltLogger(logger),
      installerOptions: { clientOptions: clientOptions() },
      ...(options.socketPingTimeoutMs !== undefined ? { clientPingTimeout: options.socketPingTimeoutMs } : {}),
    });
    watchSocket(receiver.client);
    return receiver;
  };

  /** During start(): where a failed reconnect goes (start() reports it). */
  let startupReconnectFailed: ((error: unknown) => void) | undefined;

  /**
   * Reports a Socket Mode connection that is gone for good.
   * NOTE: after a dropped connection Bolt's Socket Mode client calls its own start()
   * again from a timer and drops that call's rejection (an unhandled rejection, which
   * ends the process with a stack trace). Wrapping start() on the instance catches
   * such a failed reconnect (a revoked app token; Slack unreachable once the client's
   * retries are spent): during start-up start() reports it; after that it ends like
   * Discord's: onFatal, one line, the store closed, exit 1. Transient drops are left
   * to Bolt, which reconnects with a growing pause.
   */
  const watchSocket = (client: SocketClient): void => {
    const connect = client.start.bind(client);
    let calls = 0;
    client.start = async () => {
      const reconnect = calls++ > 0;
      try {
        return await connect();
      } catch (error) {
        // The first connection's failure is start()'s own to report.
        if (!reconnect) throw error;
        if (stopping) {
          // stop() ended a reconnect under way (its disconnect rejects it): nothing to report.
        } else if (!started) {
          startupReconnectFailed?.(error);
        } else {
          logger.error({ err: slackErrorCode(error) }, 'slack: Socket Mode could not reconnect');
          fail(new StartupError(lostSocketMessage(error, config)));
        }
        return new Promise<never>(() => {});
      }
    };
    client.on('reconnecting', () => {
      if (started && !stopping) logger.warn('slack: Socket Mode connection lost, reconnecting');
    });
    client.on('connected', () => {
      if (started && !stopping) logger.info('slack: Socket Mode reconnected');
    });
  };

  const fail = (fatal: Error): void => {
    if (deps.onFatal) {
      deps.onFatal(fatal);
    } else {
      // Nobody to tell: leave non-zero so a supervisor restarts the bot instead of it idling disconnected.
      process.stderr.write(`tinker: ${fatal.message}\n`);
      process.exit(1);
    }
  };

  const build = (identity: BotIdentity): { app: App; socket: SocketClient | undefined } => {
    const receiver = config.appToken ? socketReceiver(config.appToken) : undefined;
    const app = new App({
      token: config.botToken,
      // NOTE: start() has already run auth.test within its budget; Bolt need not run it again.
      ...identity,
      tokenVerificationEnabled: false,
      ...(config.appToken
        ? { socketMode: true, receiver }
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
      convoStore: false,
      clientOptions: clientOptions(),
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
    return { app, socket: receiver?.client };
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

  /**
   * Starts Socket Mode and waits for Slack's `hello`, at most `leftMs`. On a
   * refusal or the deadline the client is disconnected, so it does not go on
   * reconnecting behind a failed start.
   */
  const connectSocket = async (candidate: App, client: SocketClient, leftMs: number, budgetMs: number): Promise<void> => {
    let socketHost: string | undefined;
    let lastError: unknown;
    const onOpened = (response: { url?: unknown }) => {
      socketHost = typeof response.url === 'string' ? hostOf(response.url) : undefined;
    };
    const onError = (error: unknown) => {
      lastError = error;
    };
    client.on('authenticated', onOpened);
    client.on('error', onError);
    const reconnectFailed = new Promise<never>((_resolve, reject) => {
      startupReconnectFailed = reject;
    });
    const connecting = Promise.race([candidate.start() as Promise<unknown>, reconnectFailed]);
    // A start given up on may still settle later (a disconnect rejects it): nothing is waiting then.
    connecting.catch(() => {});
    try {
      if ((await within(connecting.then(() => true), leftMs)) === undefined) {
        throw new StartupError(
          socketHost
            ? `slack: Socket Mode could not connect to ${socketHost} within ${seconds(budgetMs)} (${lastError ? reachCause(lastError) : 'no hello from Slack'}) — check the network: a proxy or firewall may block websockets`
            : cannotReachMessage(config, lastError ? reachCause(lastError) : 'apps.connections.open got no answer', budgetMs),
        );
      }
    } catch (error) {
      await candidate.stop().catch(() => {});
      if (error instanceof StartupError) throw error;
      if (isUnreachable(error)) throw new StartupError(cannotReachMessage(config, reachCause(error)));
      throw new StartupError(`slack: Socket Mode could not connect (${slackErrorCode(error)}) — check SLACK_APP_TOKEN (xapp-… with connections:write)`);
    } finally {
      startupReconnectFailed = undefined;
      client.off('authenticated', onOpened);
      client.off('error', onError);
    }
  };

  return {
    name: 'slack',
    mode,
    get port() {
      return port;
    },
    async start() {
      const budgetMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
      const startedAt = Date.now();
      const identity = await verifyBotToken(config, budgetMs, logger);
      const { app: candidate, socket } = build(identity);
      if (socket) {
        const leftMs = Math.max(budgetMs - (Date.now() - startedAt), Math.min(SOCKET_MIN_MS, budgetMs));
        await connectSocket(candidate, socket, leftMs, budgetMs);
      } else {
        try {
          const listening = (await candidate.start(
            options.host ? { port: config.port, host: options.host } : config.port,
          )) as Server;
          port = (listening.address() as AddressInfo).port;
        } catch (error) {
          const code = slackErrorCode(error);
          if (code === 'EADDRINUSE') throw new StartupError(`slack: port ${config.port} is in use — set SLACK_PORT to a free port`);
          throw new StartupError(`slack: could not listen on port ${config.port} (${code})`);
        }
      }
      // Only a started app is stopped later: Bolt throws when stopping an HTTP app that never started.
      app = candidate;
      started = true;
      logger.info({ mode, port }, 'slack: ready');
    },
    async stop() {
      stopping = true;
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

/**
 * auth.test with the bot token, retried with a growing pause while Slack cannot be
 * reached, for at most `budgetMs`. A refused token fails at once: retrying cannot help.
 */
async function verifyBotToken(config: SlackConfig, budgetMs: number, logger: Logger): Promise<BotIdentity> {
  const deadline = Date.now() + budgetMs;
  let pauseMs = Math.min(FIRST_RETRY_PAUSE_MS, budgetMs / 10);
  for (;;) {
    // One request at a time, each with what is left of the budget as its timeout.
    const client = new webApi.WebClient(config.botToken, {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      retryConfig: { retries: 0 },
      timeout: Math.max(1, Math.ceil(deadline - Date.now())),
      // Its own "http request failed" line would repeat ours at every attempt.
      logger: boltLogger(logger, { quietWarnings: true }),
    });
    try {
      const result = await client.auth.test();
      return {
        ...(typeof result.bot_id === 'string' ? { botId: result.bot_id } : {}),
        ...(typeof result.user_id === 'string' ? { botUserId: result.user_id } : {}),
      };
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
        // Not Slack's API at that address (a wrong SLACK_API_URL or a proxy's refusal): waiting will not help.
        throw new StartupError(
          `slack: ${config.apiUrl ?? 'https://slack.com/api/'} answered auth.test with ${reachCause(error)} — check ${config.apiUrl ? 'SLACK_API_URL' : 'the network (a proxy?)'}`,
        );
      }
      if (!isUnreachable(error)) {
        throw new StartupError(`slack: auth.test refused the bot token (${slackErrorCode(error)}) — check SLACK_BOT_TOKEN (xoxb-…)`);
      }
      const leftMs = deadline - Date.now();
      if (leftMs <= pauseMs) throw new StartupError(cannotReachMessage(config, reachCause(error), budgetMs));
      logger.warn({ err: reachCause(error), retryInMs: pauseMs }, 'slack: cannot reach Slack yet, retrying');
      await delay(pauseMs);
      pauseMs = Math.min(pauseMs * 2, MAX_RETRY_PAUSE_MS);
    }
  }
}

/** A Web API error that says nothing about the tokens: no answer, or not Slack's JSON (a proxy, a wrong URL). */
function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === webApi.ErrorCode.RequestError || code === webApi.ErrorCode.HTTPError;
}

/** Why a request got no answer from Slack, in a few words: `ECONNREFUSED`, `HTTP 502 Bad Gateway`, `no answer within 30 s`. */
function reachCause(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { statusCode, statusMessage, original } = error as { statusCode?: unknown; statusMessage?: unknown; original?: unknown };
  if (typeof statusCode === 'number') return `HTTP ${statusCode}${typeof statusMessage === 'string' && statusMessage ? ` ${statusMessage}` : ''}`;
  // fetch's "fetch failed" hides the reason in its cause; Socket Mode's errors wrap the websocket's.
  let inner: unknown = original ?? error;
  for (let depth = 0; depth < 3; depth++) {
    const { code, cause } = inner as { code?: unknown; cause?: unknown };
    if ((typeof code === 'string' && !code.startsWith('slack_')) || cause === undefined || cause === null) break;
    inner = cause;
  }
  const { name, code, message } = inner as { name?: unknown; code?: unknown; message?: unknown };
  if (name === 'TimeoutError') return 'no answer in time';
  if (typeof code === 'string' && !code.startsWith('slack_')) return code;
  return typeof message === 'string' && message ? message : 'unknown error';
}

/** `withinMs`: how long start() tried, when it retried; left out for a failure on the first try. */
function cannotReachMessage(config: SlackConfig, cause: string, withinMs?: number): string {
  const url = config.apiUrl ?? 'https://slack.com/api/';
  const within = withinMs === undefined ? '' : ` within ${seconds(withinMs)}`;
  return `slack: cannot reach Slack at ${url}${within} (${cause}) — check the network${config.apiUrl ? ' or SLACK_API_URL' : ''}`;
}

/** Why a Socket Mode connection that was up could not be brought back. */
function lostSocketMessage(error: unknown, config: SlackConfig): string {
  if (isUnreachable(error)) {
    const url = config.apiUrl ?? 'https://slack.com/api/';
    return `slack: lost the Socket Mode connection and cannot reach Slack at ${url} to reconnect (${reachCause(error)}) — check the network${config.apiUrl ? ' or SLACK_API_URL' : ''}`;
  }
  return `slack: lost the Socket Mode connection and Slack refused to reconnect (${slackErrorCode(error)}) — check SLACK_APP_TOKEN (xapp-… with connections:write)`;
}

/** The host of a websocket URL; the rest (a ticket) stays out of messages. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** `30 s`, `1.5 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
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
function boltLogger(logger: Logger, { quietWarnings = false } = {}): BoltLogger {
  const verbose = logger.isLevelEnabled('trace');
  const line = (parts: unknown[]): string =>
    parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => {
      if (verbose) logger.trace(line(parts));
    },
    info: (...parts: unknown[]) => logger.info(line(parts)),
    warn: (...parts: unknown[]) => (quietWarnings ? logger.debug(line(parts)) : logger.warn(line(parts))),
    error: (...parts: unknown[]) => logger.error(line(parts)),
    setLevel: () => {},
    getLevel: () => (verbose ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => {},
  };
}
