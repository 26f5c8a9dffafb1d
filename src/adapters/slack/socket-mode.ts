/**
 * Socket Mode's connection, watched: the first connection within the start
 * budget (Slack's `hello`), and a reconnect that fails for good reported
 * instead of crashing the process.
 */
import { SocketModeReceiver, type App } from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { StartupError, within, type Logger } from '../../core/index.ts';
import { cannotReachMessage, isUnreachable, lostSocketMessage, reachCause, seconds, slackErrorCode } from './slack-connect.ts';

/** Bolt's Socket Mode client (from @slack/socket-mode, which tinker does not depend on directly). */
export type SocketClient = SocketModeReceiver['client'];

export interface SocketWatch {
  /** Starts the app and waits for Slack's `hello`, at most `leftMs`; on failure the client is stopped. */
  connect(app: App, leftMs: number, budgetMs: number): Promise<void>;
}

/**
 * NOTE: after a dropped connection Bolt's Socket Mode client calls its own start()
 * again from a timer and drops that call's rejection (an unhandled rejection, which
 * ends the process with a stack trace), and it has no option or event for it.
 * Wrapping start() on the instance catches such a failed reconnect (a revoked app
 * token; Slack unreachable once the client's retries are spent): during start-up
 * connect() reports it; after that it goes to `onLost`, as Discord's lost gateway
 * does. Transient drops are left to the client, which reconnects with a growing pause.
 */
export function watchSocket(
  client: SocketClient,
  config: SlackConfig,
  logger: Logger,
  state: { started(): boolean; stopping(): boolean; onLost(error: Error): void },
): SocketWatch {
  /** During connect(): where a failed reconnect goes. */
  let startupReconnectFailed: ((error: unknown) => void) | undefined;
  const connectOnce = client.start.bind(client);
  let calls = 0;
  client.start = async () => {
    const reconnect = calls++ > 0;
    try {
      return await connectOnce();
    } catch (error) {
      // The first connection's failure is connect()'s own to report.
      if (!reconnect) throw error;
      if (state.stopping()) {
        // stop() ended a reconnect under way (its disconnect rejects it): nothing to report.
      } else if (!state.started()) {
        startupReconnectFailed?.(error);
      } else {
        logger.error({ err: slackErrorCode(error) }, 'slack: Socket Mode could not reconnect');
        state.onLost(new StartupError(lostSocketMessage(error, config)));
      }
      return new Promise<never>(() => {});
    }
  };
  client.on('reconnecting', () => {
    if (state.started() && !state.stopping()) logger.warn('slack: Socket Mode connection lost, reconnecting');
  });
  client.on('connected', () => {
    if (state.started() && !state.stopping()) logger.info('slack: Socket Mode reconnected');
  });

  return {
    async connect(app, leftMs, budgetMs) {
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
      const connecting = Promise.race([app.start() as Promise<unknown>, reconnectFailed]);
      try {
        if ((await within(connecting.then(() => true), leftMs)) === undefined) {
          throw new StartupError(
            socketHost
              ? `slack: Socket Mode could not connect to ${socketHost} within ${seconds(budgetMs)} (${lastError ? reachCause(lastError) : 'no hello from Slack'}) — check the network: a proxy or firewall may block websockets`
              : cannotReachMessage(config, lastError ? reachCause(lastError) : 'apps.connections.open got no answer', budgetMs),
          );
        }
      } catch (error) {
        await app.stop().catch(() => {});
        if (error instanceof StartupError) throw error;
        if (isUnreachable(error)) throw new StartupError(cannotReachMessage(config, reachCause(error)));
        throw new StartupError(`slack: Socket Mode could not connect (${slackErrorCode(error)}) — check SLACK_APP_TOKEN (xapp-… with connections:write)`);
      } finally {
        startupReconnectFailed = undefined;
        client.off('authenticated', onOpened);
        client.off('error', onError);
      }
    },
  };
}

/** The host of a websocket URL; the rest (a ticket) stays out of messages. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
