/**
 * Turns Slack payloads (slash commands, message shortcuts) into Invocations.
 * Payloads are `unknown` until checked here. Pure.
 */
import type { Invocation, Person } from '../../core/index.ts';
import { channelLinkNames, messageToPlainText, unescapeSlack } from './slack-text.ts';

export const SLACK_PLATFORM = 'slack';

/** callback_id of the "Save to notes" message shortcut (also in the manifest). */
export const SAVE_TO_NOTES_CALLBACK = 'save_to_notes';

/** The fields of a slash-command payload tinker uses. */
export interface SlashCommandPayload {
  /** `/find`, as typed (the manifest's command name). */
  command: string;
  /** Everything after the command, with `&`, `<`, `>` as entities. */
  text: string;
  /** Who typed the command (checked against NOTE_WRITERS). */
  userId: string;
  /** Their Slack username. */
  userName: string;
  /** Where it was typed. */
  channelId: string;
  /** Unique per invocation; the same on a retried delivery. */
  triggerId?: string;
}

/** The fields of a message-shortcut payload tinker uses. */
export interface MessageShortcutPayload {
  /** The shortcut's callback_id (SAVE_TO_NOTES_CALLBACK). */
  callbackId: string;
  /** Who clicked "Save to notes" (checked against NOTE_WRITERS). */
  userId: string;
  /** Their Slack username. */
  userName: string;
  /** The channel of the message. */
  channelId: string;
  /** The message's timestamp: with the channel, it identifies the message. */
  messageTs: string;
  /** The message text, with Slack markup. */
  messageText: string;
  /** Who wrote the message. */
  author: Person;
}

/** The fields of a block action (a pressed button) tinker uses. */
export interface BlockActionPayload {
  /** The button's action_id. */
  actionId: string;
  /** The button's value: what it runs, as the adapter encoded it. */
  value: string;
  /** Who pressed it: the command runs as them. */
  userId: string;
  userName: string;
  /** The channel of the message, when it is in one (not the Home tab). */
  channelId?: string;
  /** Whether the message with the button was seen by the presser only. */
  ephemeral: boolean;
  /** Unique per press; the same on a redelivery. */
  triggerId?: string;
}

/** Problems with a payload, named for the log. */
export class SlackPayloadError extends Error {
  override readonly name = 'SlackPayloadError';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function required(source: Record<string, unknown>, key: string, what: string): string {
  const value = str(source[key]);
  if (value === undefined) throw new SlackPayloadError(`slack: ${what} has no ${key}`);
  return value;
}

export function parseSlashCommand(body: unknown): SlashCommandPayload {
  const data = record(body);
  const userId = required(data, 'user_id', 'slash command');
  return {
    command: required(data, 'command', 'slash command'),
    text: typeof data.text === 'string' ? data.text : '',
    userId,
    userName: str(data.user_name) ?? userId,
    channelId: required(data, 'channel_id', 'slash command'),
    ...(str(data.trigger_id) ? { triggerId: str(data.trigger_id) } : {}),
  };
}

export function parseMessageShortcut(body: unknown): MessageShortcutPayload {
  const data = record(body);
  const user = record(data.user);
  const channel = record(data.channel);
  const message = record(data.message);
  const profile = record(message.user_profile);
  const userId = required(user, 'id', 'shortcut user');
  const authorId = str(message.user) ?? str(message.bot_id) ?? 'unknown';
  return {
    callbackId: required(data, 'callback_id', 'shortcut'),
    userId,
    userName: str(user.username) ?? str(user.name) ?? userId,
    channelId: required(channel, 'id', 'shortcut channel'),
    messageTs: str(message.ts) ?? required(data, 'message_ts', 'shortcut'),
    messageText: messageText(message),
    author: {
      platform: SLACK_PLATFORM,
      id: authorId,
      name: str(profile.display_name) ?? str(profile.real_name) ?? str(message.username) ?? str(profile.name) ?? authorId,
    },
  };
}

/**
 * A message's text; for a message whose text is empty (typical of bots and
 * integrations) the text of its legacy attachments.
 */
function messageText(message: Record<string, unknown>): string {
  if (typeof message.text === 'string' && message.text.trim()) return message.text;
  const attachments = Array.isArray(message.attachments) ? message.attachments.map(record) : [];
  return attachments
    .map((attachment) => [str(attachment.pretext), str(attachment.title), str(attachment.text) ?? str(attachment.fallback)].filter(Boolean).join('\n'))
    .filter(Boolean)
    .join('\n\n');
}

/** The invocation a slash command stands for. */
export function slashCommandInvocation(payload: SlashCommandPayload, commandName: string): Invocation {
  return {
    command: commandName,
    text: unescapeSlack(payload.text),
    user: { platform: SLACK_PLATFORM, id: payload.userId, name: payload.userName },
    origin: { platform: SLACK_PLATFORM, channel: payload.channelId },
    // NOTE: a retried delivery carries the same trigger_id, so it maps to the same note.
    ...(payload.triggerId ? { idempotencyKey: `slack:trigger:${payload.triggerId}` } : {}),
  };
}

/** The `/note` invocation "Save to notes" stands for: the invoker writes, the message's author is credited. */
export function saveToNotesInvocation(payload: MessageShortcutPayload, permalink?: string): Invocation {
  return {
    command: 'note',
    text: messageToPlainText(payload.messageText),
    user: { platform: SLACK_PLATFORM, id: payload.userId, name: payload.userName },
    author: payload.author,
    origin: { platform: SLACK_PLATFORM, channel: payload.channelId, ...(permalink ? { permalink } : {}) },
    idempotencyKey: `slack:msg:${payload.channelId}:${payload.messageTs}`,
    ...notTags(channelLinkNames(payload.messageText)),
  };
}

/** A channel link reads as `#name` in the note, but is no tag of it (acceptance 42). */
function notTags(names: string[]): { notTags?: string[] } {
  return names.length > 0 ? { notTags: names } : {};
}

export function parseBlockAction(body: unknown): BlockActionPayload {
  const data = record(body);
  const user = record(data.user);
  const container = record(data.container);
  const [action] = Array.isArray(data.actions) ? data.actions.map(record) : [];
  if (!action) throw new SlackPayloadError('slack: block action has no actions');
  const userId = required(user, 'id', 'block action user');
  const channelId = str(record(data.channel).id) ?? str(container.channel_id);
  const triggerId = str(data.trigger_id);
  return {
    actionId: required(action, 'action_id', 'block action'),
    value: typeof action.value === 'string' ? action.value : '',
    userId,
    userName: str(user.username) ?? str(user.name) ?? userId,
    ...(channelId ? { channelId } : {}),
    ephemeral: container.is_ephemeral === true,
    ...(triggerId ? { triggerId } : {}),
  };
}

/** The user an `app_home_opened` event is for, when it is for the Home tab (not the Messages tab). */
export function homeOpenedUser(event: unknown): string | undefined {
  const data = record(event);
  if (data.type !== 'app_home_opened' || (data.tab !== undefined && data.tab !== 'home')) return undefined;
  return str(data.user);
}

/** The invocation a pressed button stands for: its command and text, as the person who pressed it. */
export function blockActionInvocation(payload: BlockActionPayload, request: { command: string; text: string; offset?: number }): Invocation {
  return {
    command: request.command,
    text: request.text,
    ...(request.offset !== undefined ? { offset: request.offset } : {}),
    user: { platform: SLACK_PLATFORM, id: payload.userId, name: payload.userName },
    origin: { platform: SLACK_PLATFORM, ...(payload.channelId ? { channel: payload.channelId } : {}) },
    ...(payload.triggerId ? { idempotencyKey: `slack:trigger:${payload.triggerId}` } : {}),
  };
}
