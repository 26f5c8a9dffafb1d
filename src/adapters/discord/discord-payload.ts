/**
 * Discord interactions as Invocations, and errors as log fields. Pure.
 */
import { Message, messageLink, type APIMessage, type APIUser, type User } from 'discord.js';
import type { Invocation, Person } from '../../core/index.ts';
import { messageToPlainText, type MentionNames } from './discord-text.ts';

export const DISCORD_PLATFORM = 'discord';

/** The fields of a discord.js `User` or a raw API user that a `Person` needs. */
export type AnyUser = Pick<User, 'id' | 'username' | 'globalName'> | Pick<APIUser, 'id' | 'username' | 'global_name'>;

/** A Discord user as a `Person`: the display name when set, the username otherwise. */
export function discordPerson(user: AnyUser): Person {
  const display = 'globalName' in user ? user.globalName : 'global_name' in user ? user.global_name : undefined;
  return { platform: DISCORD_PLATFORM, id: user.id, name: display || user.username };
}

/** What a chat-input interaction carries that an invocation needs. */
export interface ChatInputFacts {
  interactionId: string;
  commandName: string;
  /** The value of the command's string option ('' when absent). */
  text: string;
  user: AnyUser;
  channelId: string | null;
  /** A pressed button's continuation point (see `Invocation.offset`). */
  offset?: number;
}

/** Builds the invocation for a slash command, or for a pressed button (its command, text and offset). */
export function chatInputInvocation(facts: ChatInputFacts): Invocation {
  return {
    command: facts.commandName,
    text: facts.text,
    ...(facts.offset !== undefined ? { offset: facts.offset } : {}),
    user: discordPerson(facts.user),
    origin: { platform: DISCORD_PLATFORM, ...(facts.channelId ? { channel: facts.channelId } : {}) },
    idempotencyKey: `discord:interaction:${facts.interactionId}`,
  };
}

/** What "Save to notes" needs from the target message. */
export interface SavedMessageFacts {
  invoker: AnyUser;
  message: {
    id: string;
    channelId: string;
    /** As Discord sends it: `<#123>`, `<@123>` and the like in it (see `messageToPlainText`). */
    content: string;
    author: AnyUser;
    /** The users the message mentions, as Discord sends them with it. */
    mentions?: readonly AnyUser[];
  };
  guildId: string | null;
  /** Names of the channels and roles (and users) it mentions, where the client knows them. */
  names?: MentionNames;
}

/**
 * Builds the `note` invocation for "Save to notes" on a message. The text is
 * the message as a reader sees it (`#general`, `@Bob B`, `:party:`, a timestamp
 * as an ISO instant); the channel names it shows are no tags (acceptance 42,
 * as for Slack): `Invocation.notTags`.
 */
export function savedMessageInvocation(facts: SavedMessageFacts): Invocation {
  const { message } = facts;
  const mentioned = new Map((message.mentions ?? []).map((user) => [user.id, discordPerson(user).name]));
  const { text, channels } = messageToPlainText(message.content, {
    ...facts.names,
    user: (id) => mentioned.get(id) ?? facts.names?.user?.(id),
  });
  return {
    command: 'note',
    text,
    user: discordPerson(facts.invoker),
    author: discordPerson(message.author),
    origin: {
      platform: DISCORD_PLATFORM,
      channel: message.channelId,
      permalink: facts.guildId
        ? messageLink(message.channelId, message.id, facts.guildId)
        : messageLink(message.channelId, message.id),
    },
    idempotencyKey: `discord:message:${message.id}`,
    ...(channels.length > 0 ? { notTags: channels } : {}),
  };
}

/** The target of a message command: a cached `Message`, or the raw API object when its channel is not cached. */
export function targetFacts(target: Message | APIMessage): SavedMessageFacts['message'] {
  if (target instanceof Message) {
    return { id: target.id, channelId: target.channelId, content: target.content, author: target.author, mentions: [...target.mentions.users.values()] };
  }
  return { id: target.id, channelId: target.channel_id, content: target.content, author: target.author, mentions: target.mentions };
}

/**
 * An error as log fields. discord.js API errors carry the request URL, and an
 * interaction's URL holds its token (a credential for 15 minutes): keep it out.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { err: String(error) };
  const { code, status, method, url } = error as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown };
  return {
    err: error.message,
    errName: error.name,
    ...(code !== undefined ? { code } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(typeof method === 'string' ? { method } : {}),
    // A stack has no token in it; an API error's stack says nothing useful anyway.
    ...(url === undefined && error.stack ? { stack: error.stack } : {}),
  };
}
