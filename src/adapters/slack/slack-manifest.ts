/**
 * The Slack app manifest, built from the command list so the two never drift:
 * one slash command per command, the "Save to notes" shortcut, the scopes the
 * bot needs, Socket Mode on (or, for HTTP mode, request URLs). Pure.
 */
import { isListed, type Command } from '../../core/index.ts';
import { HOME_COMMAND } from './slack-home.ts';
import { SAVE_TO_NOTES_CALLBACK } from './slack-payload.ts';

export interface SlackManifestOptions {
  /** App and bot name shown in Slack. */
  name?: string;
  /**
   * HTTP mode: the public base URL of the bot (e.g. `https://tinker.example.com`);
   * every request then goes to `<base>/slack/events`. Unset: Socket Mode.
   */
  httpBaseUrl?: string;
  /**
   * The scheduled /resurface digest (RESURFACE_SCHEDULE) is sent as a direct
   * message: adds the chat:write and im:write scopes and the Messages tab (read-only).
   */
  directMessages?: boolean;
}

/** Slack's manifest, as much of it as tinker sets. */
export interface SlackManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; background_color: string };
  features: {
    app_home?: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; description: string; usage_hint?: string; should_escape: boolean; url?: string }>;
    shortcuts: Array<{ name: string; type: 'message'; callback_id: string; description: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/**
 * Everything the bot calls: slash commands and shortcuts need `commands`;
 * response_url, auth.test, chat.getPermalink, views.publish and the
 * app_home_opened event need no scope.
 */
export const SLACK_BOT_SCOPES = ['commands'] as const;
/** What sending a direct message (conversations.open, chat.postMessage) needs besides. */
export const SLACK_DIRECT_MESSAGE_SCOPES = ['chat:write', 'im:write'] as const;

export function buildSlackManifest(commands: readonly Command[], options: SlackManifestOptions = {}): SlackManifest {
  const name = options.name ?? 'tinker';
  const requestUrl = options.httpBaseUrl ? `${options.httpBaseUrl.replace(/\/+$/, '')}/slack/events` : undefined;
  // The Home tab is the unlisted `home` command's reply: declared only when there is one.
  const homeTab = commands.some((command) => command.name === HOME_COMMAND);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Capture notes, share your topics and find old write-ups without leaving Slack.',
      background_color: '#2c2d30',
    },
    features: {
      ...(homeTab || options.directMessages
        ? {
            app_home: {
              home_tab_enabled: homeTab,
              // The digest arrives in the Messages tab; people answer with slash commands, not there.
              messages_tab_enabled: options.directMessages === true,
              messages_tab_read_only_enabled: options.directMessages === true,
            },
          }
        : {}),
      bot_user: { display_name: name, always_online: false },
      slash_commands: commands.filter(isListed).map((command) => {
        const hint = command.usage.replace(new RegExp(`^/${command.name}\\s*`), '');
        return {
          command: `/${command.name}`,
          description: command.description,
          ...(hint ? { usage_hint: hint } : {}),
          // Plain text, not <@U…> markup: tinker stores what the person typed.
          should_escape: false,
          ...(requestUrl ? { url: requestUrl } : {}),
        };
      }),
      shortcuts: [
        {
          name: 'Save to notes',
          type: 'message',
          callback_id: SAVE_TO_NOTES_CALLBACK,
          description: `Save this message as a ${name} note`,
        },
      ],
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES, ...(options.directMessages ? SLACK_DIRECT_MESSAGE_SCOPES : [])] } },
    settings: {
      ...(homeTab ? { event_subscriptions: { bot_events: ['app_home_opened'], ...(requestUrl ? { request_url: requestUrl } : {}) } } : {}),
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !requestUrl,
      token_rotation_enabled: false,
    },
  };
}
