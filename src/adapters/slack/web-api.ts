/**
 * The Web API calls tinker makes outside Bolt's listeners, each on a client of
 * its own with few retries and a short timeout, so that neither a save nor a
 * Home tab nor a digest waits on the Web API client's default retries (about 30 minutes).
 */
import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { within, type Logger } from '../../core/index.ts';
import { boltLogger } from './bolt-logger.ts';
import { slackErrorCode } from './slack-connect.ts';
import type { SlackHomeView, SlackMessage } from './slack-format.ts';

export interface SlackWebApi {
  /** Options for Bolt's own clients. */
  clientOptions(): webApi.WebClientOptions;
  /** A message's permalink, or undefined when Slack does not give it within `budgetMs`. */
  permalink(channel: string, messageTs: string): Promise<string | undefined>;
  /** Publishes a Home tab view for a user; rejects with Slack's error. */
  publishHome(userId: string, view: SlackHomeView): Promise<unknown>;
  /** Opens the app's direct-message channel with a user and posts `message` there; rejects with an error that says what to do. */
  postDirect(userId: string, message: SlackMessage): Promise<void>;
}

export function createSlackWebApi(config: SlackConfig, logger: Logger, budgetMs: number): SlackWebApi {
  // A stand-in or proxy fails fast instead of retrying for minutes. A fresh object for each
  // user, because Bolt's Socket Mode client writes its own retry policy into the one it gets.
  const clientOptions = (): webApi.WebClientOptions => (config.apiUrl ? { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 } } : {});
  const client = (timeout: number, retries: number) =>
    new webApi.WebClient(config.botToken, { ...clientOptions(), retryConfig: { retries }, timeout, logger: boltLogger(logger) });
  const permalinks = client(budgetMs, 0);
  const calls = client(10_000, config.apiUrl ? 0 : 2);
  return {
    clientOptions,
    permalink(channel, messageTs) {
      const call = permalinks.chat.getPermalink({ channel, message_ts: messageTs }).then(
        (result) => (typeof result.permalink === 'string' ? result.permalink : undefined),
        (error: unknown) => {
          // The note is still worth saving without its link (e.g. a channel the bot cannot see).
          logger.warn({ err: (error as Error).message, channel }, 'slack: chat.getPermalink failed');
          return undefined;
        },
      );
      return within(call, budgetMs);
    },
    publishHome: (userId, view) => calls.views.publish({ user_id: userId, view }),
    async postDirect(userId, message) {
      try {
        const opened = await calls.conversations.open({ users: userId });
        const channel = opened.channel?.id;
        if (!channel) throw new Error(`conversations.open gave no channel for ${userId}`);
        await calls.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
      } catch (error) {
        const code = slackErrorCode(error);
        throw new Error(
          code === 'missing_scope'
            ? 'slack: the app may not send direct messages (chat:write, im:write) — npm run slack:manifest -- --digest, then update the app and reinstall it'
            : `slack: could not send a direct message to ${userId} (${code})`,
          { cause: error },
        );
      }
    },
  };
}
