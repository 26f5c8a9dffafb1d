/**
 * The Slack adapter on @slack/bolt 5: slash commands, the "Save to notes"
 * message shortcut, buttons (block actions) and the Home tab, in Socket Mode
 * (SLACK_APP_TOKEN set) or over HTTP (`POST /slack/events`, `GET /healthz`).
 * Thin: parse, acknowledge within 3 s, dispatch, render.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, SocketModeReceiver } from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { StartupError, commandName, createInFlight, dispatchWithin, reply, safeDispatch, type Reply, type ReplyAction } from '../../core/index.ts';
import { createActionIds, expiredButton } from '../action-ids.ts';
import { reportFatal, type Adapter, type AdapterDeps } from '../adapter.ts';
import { boltLogger } from './bolt-logger.ts';
import { slackErrorCode, verifyBotToken, type BotIdentity } from './slack-connect.ts';
import { SLACK_ACTION_PREFIX, renderSlackReply, type SlackMessage } from './slack-format.ts';
import { createHomeTab, type HomeTab } from './slack-home.ts';
import * as payloads from './slack-payload.ts';
import { createSlackWebApi } from './web-api.ts';
import { watchSocket, type SocketWatch } from './socket-mode.ts';

/** Extras for tests and embedding; the defaults suit a real deployment. */
export interface SlackAdapterOptions {
  /** How long a command may run before the acknowledgement goes out empty and the reply follows via `respond()` (ms). */
  ackBudgetMs?: number;
  /** HTTP mode: interface to listen on; default all (Slack must reach it). */
  host?: string;
  /** Longest wait for chat.getPermalink before "Save to notes" saves without the link (ms). */
  permalinkBudgetMs?: number;
  /** How long stop() waits for work in progress (default STOP_GRACE_MS). */
  stopGraceMs?: number;
  /** Longest time start() spends reaching Slack before it gives up with one clear error (ms). */
  startTimeoutMs?: number;
  /** Socket Mode: how long to wait for a pong, and the step of the reconnect back-off (Bolt's default, 5000 ms). */
  socketPingTimeoutMs?: number;
  /** The shortest pause between two Home tab refreshes after changes (ms). */
  homeRefreshMs?: number;
}

export const ACK_BUDGET_MS = 2000;
/** Long enough for a network that comes up with the bot; short enough that a wrong SLACK_API_URL ends in an exit, not a silent loop. */
export const START_TIMEOUT_MS = 30_000;
/** The Socket Mode connection's share of the start budget when auth.test took most of it. */
const SOCKET_MIN_MS = 5000;
/** chat.getPermalink must not hold up a save (the Web API's default retries span ~30 min). */
export const PERMALINK_BUDGET_MS = 2000;

export interface SlackAdapter extends Adapter {
  /** `socket` or `http`, from the configuration. */
  readonly mode: 'socket' | 'http';
  /** HTTP mode: the port actually listened on, once started. */
  readonly port: number | undefined;
  /**
   * Sends a reply to a person as a direct message from the app (the scheduled
   * /resurface digest). Needs the chat:write and im:write scopes (`npm run slack:manifest -- --digest`).
   */
  sendDirect(userId: string, reply: Reply): Promise<void>;
}

const BAD_PAYLOAD = 'slack: could not read that request — please try again; if it keeps happening, the app manifest may be out of date.';

type Respond = (message: SlackMessage & { replace_original?: boolean }) => Promise<unknown>;

export function createSlackAdapter(config: SlackConfig, deps: AdapterDeps, options: SlackAdapterOptions = {}): SlackAdapter {
  const { dispatcher } = deps;
  const logger = deps.logger.child({ adapter: 'slack' });
  const mode = config.appToken ? 'socket' : 'http';
  const ackBudgetMs = options.ackBudgetMs ?? ACK_BUDGET_MS;
  const permalinkBudgetMs = options.permalinkBudgetMs ?? PERMALINK_BUDGET_MS;
  const inFlight = createInFlight();
  const actionIds = createActionIds('t', 2000);
  const encode = (action: ReplyAction) => actionIds.encode(action);
  const web = createSlackWebApi(config, logger, permalinkBudgetMs);
  let app: App | undefined;
  let home: HomeTab | undefined;
  let port: number | undefined;
  let started = false;
  let stopping = false;

  const render = (answer: Reply): SlackMessage => renderSlackReply(answer, encode);

  const deliver = async (respond: Respond | undefined, answer: Reply, command: string, replace = false): Promise<void> => {
    if (!respond) return void logger.warn({ command }, 'slack: no response_url to answer with');
    try {
      await respond({ ...render(answer), ...(replace ? { replace_original: true } : {}) });
    } catch (error) {
      logger.warn({ err: (error as Error).message, command }, 'slack: respond() failed');
    }
  };

  type Args<Ack = () => Promise<void>> = { body: unknown; ack: Ack; respond?: Respond; context?: { retryNum?: number } };

  const onCommand = async ({ body, ack, respond, context }: Args<(message?: SlackMessage) => Promise<void>>): Promise<void> => {
    let invocation;
    try {
      const payload = payloads.parseSlashCommand(body);
      invocation = payloads.slashCommandInvocation(payload, commandName(payload.command));
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'slack: unreadable slash command');
      return ack(render(reply(BAD_PAYLOAD, { tone: 'error' })));
    }
    if (context?.retryNum) logger.info({ command: invocation.command, retryNum: context.retryNum }, 'slack: retried delivery');
    const { early, result } = await dispatchWithin(dispatcher, invocation, ackBudgetMs, logger);
    if (early) return ack(render(early));
    // Too slow for the acknowledgement: acknowledge now, answer via response_url when ready.
    await ack();
    await deliver(respond, await result, invocation.command);
  };

  const onShortcut = async ({ body, ack, respond }: Args): Promise<void> => {
    // NOTE: a shortcut's acknowledgement carries no message; the answer always goes via response_url.
    await ack();
    let payload;
    try {
      payload = payloads.parseMessageShortcut(body);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'slack: unreadable shortcut');
      return deliver(respond, reply(BAD_PAYLOAD, { tone: 'error' }), 'note');
    }
    // The link is only worth fetching for a save that can happen: /note itself answers a refusal and an empty message.
    const bare = payloads.saveToNotesInvocation(payload);
    const fetchLink = dispatcher.permits(bare) && payload.messageText.trim() !== '';
    const permalink = fetchLink ? await web.permalink(payload.channelId, payload.messageTs) : undefined;
    const answer = await safeDispatch(dispatcher, payloads.saveToNotesInvocation(payload, permalink), logger);
    await deliver(respond, { ...answer, visibility: 'ephemeral' }, 'note');
  };

  const onAction = async ({ body, ack, respond }: Args): Promise<void> => {
    await ack();
    let payload;
    try {
      payload = payloads.parseBlockAction(body);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'slack: unreadable block action');
      return deliver(respond, reply(BAD_PAYLOAD, { tone: 'error' }), 'action');
    }
    const request = actionIds.decode(payload.value);
    if (!request || 'expired' in request) return deliver(respond, reply(expiredButton('slack'), { tone: 'error' }), 'action');
    const answer = await safeDispatch(dispatcher, payloads.blockActionInvocation(payload, request), logger);
    // Only the presser sees the answer: it replaces a message only they saw, else it comes as a new one.
    await deliver(respond, { ...answer, visibility: 'ephemeral' }, request.command, payload.ephemeral);
  };

  const build = (identity: BotIdentity): { app: App; socket: SocketWatch | undefined } => {
    let socket: SocketWatch | undefined;
    let receiver: SocketModeReceiver | undefined;
    if (config.appToken) {
      receiver = new SocketModeReceiver({
        appToken: config.appToken,
        logger: boltLogger(logger),
        installerOptions: { clientOptions: web.clientOptions() },
        ...(options.socketPingTimeoutMs !== undefined ? { clientPingTimeout: options.socketPingTimeoutMs } : {}),
      });
      socket = watchSocket(receiver.client, config, logger, {
        started: () => started,
        stopping: () => stopping,
        onLost: (error) => reportFatal(deps, logger, error),
      });
    }
    const built = new App({
      token: config.botToken,
      // NOTE: start() has already run auth.test within its budget; Bolt need not run it again.
      ...identity,
      tokenVerificationEnabled: false,
      ...(receiver
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
                  res.end(JSON.stringify({ status: 'ok', mode, ...deps.status?.() }));
                },
              },
            ],
          }),
      logger: boltLogger(logger),
      convoStore: false,
      clientOptions: web.clientOptions(),
    });
    // One listener for every slash command: a command the manifest has but the registry
    // does not (renamed, stale manifest) gets the dispatcher's "unknown command" answer.
    built.command(/^\/.+/, (args) => inFlight.track(onCommand(args)));
    built.shortcut({ type: 'message_action', callback_id: payloads.SAVE_TO_NOTES_CALLBACK }, (args) => inFlight.track(onShortcut(args)));
    built.action({ type: 'block_actions', action_id: new RegExp(`^${SLACK_ACTION_PREFIX}`) }, (args) => inFlight.track(onAction(args)));
    home = createHomeTab(dispatcher, web.publishHome, logger, options.homeRefreshMs);
    built.event('app_home_opened', async ({ event }) => {
      const user = payloads.homeOpenedUser(event);
      if (user && home) await inFlight.track(home.opened(user));
    });
    built.error(async (error) => {
      logger.error({ err: error }, 'slack: unhandled error in Bolt');
    });
    return { app: built, socket };
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
        await socket.connect(candidate, leftMs, budgetMs);
      } else {
        try {
          const listening = (await candidate.start(options.host ? { port: config.port, host: options.host } : config.port)) as Server;
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
    sendDirect: (userId, answer) => web.postDirect(userId, renderSlackReply(answer)),
    async stop() {
      stopping = true;
      home?.stop();
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
