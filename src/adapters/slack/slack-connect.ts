/**
 * Reaching Slack at start-up: auth.test with the bot token, retried by the
 * Web API client's own retry policy while Slack cannot be reached, within one
 * budget; and the one-line errors that say why Slack could not be reached.
 */
import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { StartupError, withTimeout, type Logger } from '../../core/index.ts';
import { boltLogger } from './bolt-logger.ts';

/** What auth.test says about the bot; given to Bolt so it does not ask again. */
export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

const FIRST_RETRY_PAUSE_MS = 500;
const MAX_RETRY_PAUSE_MS = 5000;

/**
 * auth.test, retried with a growing pause while Slack cannot be reached, for at
 * most `budgetMs`. A refused token, or an address that answers but is not
 * Slack's API, fails at once: waiting cannot help.
 */
export async function verifyBotToken(config: SlackConfig, budgetMs: number, logger: Logger): Promise<BotIdentity> {
  let lastError: unknown;
  const retryConfig = {
    retries: 100,
    factor: 2,
    minTimeout: Math.min(FIRST_RETRY_PAUSE_MS, budgetMs / 10),
    maxTimeout: MAX_RETRY_PAUSE_MS,
    // No retry starts once the budget is spent.
    maxRetryTime: budgetMs,
    randomize: false,
    // NOTE: the Web API client hands retryConfig to p-retry as it is; p-retry calls this
    // after each failed attempt, and an error thrown here ends the retries at once.
    onFailedAttempt: (error: unknown) => {
      lastError = error;
      if (!isUnreachable(error) || isNotSlack(error)) throw error;
      logger.warn({ err: reachCause(error) }, 'slack: cannot reach Slack yet, retrying');
    },
  };
  const client = new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig,
    timeout: budgetMs,
    // Its own "http request failed" line would repeat ours at every attempt.
    logger: boltLogger(logger, { quietWarnings: true }),
  });
  try {
    const result = await withTimeout(
      client.auth.test(),
      budgetMs,
      () => new StartupError(cannotReachMessage(config, lastError ? reachCause(lastError) : 'no answer in time', budgetMs)),
    );
    return {
      ...(typeof result.bot_id === 'string' ? { botId: result.bot_id } : {}),
      ...(typeof result.user_id === 'string' ? { botUserId: result.user_id } : {}),
    };
  } catch (error) {
    if (error instanceof StartupError) throw error;
    if (isNotSlack(error)) {
      // Not Slack's API at that address (a wrong SLACK_API_URL or a proxy's refusal).
      throw new StartupError(
        `slack: ${config.apiUrl ?? 'https://slack.com/api/'} answered auth.test with ${reachCause(error)} — check ${config.apiUrl ? 'SLACK_API_URL' : 'the network (a proxy?)'}`,
      );
    }
    if (isUnreachable(error)) {
      const retried = (error as { attemptNumber?: unknown }).attemptNumber !== 1;
      throw new StartupError(cannotReachMessage(config, reachCause(error), retried ? budgetMs : undefined));
    }
    throw new StartupError(`slack: auth.test refused the bot token (${slackErrorCode(error)}) — check SLACK_BOT_TOKEN (xoxb-…)`);
  }
}

/** An HTTP answer that is not Slack's (4xx but a rate limit): a wrong URL or a proxy refusing. */
function isNotSlack(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
}

/** A Web API error that says nothing about the tokens: no answer, or not Slack's JSON (a proxy, a wrong URL). */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === webApi.ErrorCode.RequestError || code === webApi.ErrorCode.HTTPError;
}

/** Why a request got no answer from Slack, in a few words: `ECONNREFUSED`, `HTTP 502 Bad Gateway`, `no answer in time`. */
export function reachCause(error: unknown): string {
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
export function cannotReachMessage(config: SlackConfig, cause: string, withinMs?: number): string {
  const url = config.apiUrl ?? 'https://slack.com/api/';
  const within = withinMs === undefined ? '' : ` within ${seconds(withinMs)}`;
  return `slack: cannot reach Slack at ${url}${within} (${cause}) — check the network${config.apiUrl ? ' or SLACK_API_URL' : ''}`;
}

/** Why a Socket Mode connection that was up could not be brought back. */
export function lostSocketMessage(error: unknown, config: SlackConfig): string {
  if (isUnreachable(error)) {
    const url = config.apiUrl ?? 'https://slack.com/api/';
    return `slack: lost the Socket Mode connection and cannot reach Slack at ${url} to reconnect (${reachCause(error)}) — check the network${config.apiUrl ? ' or SLACK_API_URL' : ''}`;
  }
  return `slack: lost the Socket Mode connection and Slack refused to reconnect (${slackErrorCode(error)}) — check SLACK_APP_TOKEN (xapp-… with connections:write)`;
}

/** `30 s`, `1.5 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export function slackErrorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { data, code, message } = error as { data?: { error?: unknown }; code?: unknown; message?: unknown };
  if (typeof data?.error === 'string') return data.error;
  if (code === 'EADDRINUSE') return code;
  if (typeof message === 'string' && message) return message;
  return typeof code === 'string' ? code : 'unknown error';
}
