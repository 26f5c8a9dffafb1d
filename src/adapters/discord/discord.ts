/**
 * Discord adapter: discord.js over the gateway (intent `Guilds` only). Turns
 * interactions into invocations, answers within Discord's 3 seconds (deferring
 * when the work runs long), and renders replies as embeds.
 */
import {
  Client,
  Events,
  GatewayIntentBits,
  Message,
  MessageFlags,
  messageLink,
  type APIMessage,
  type APIUser,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type User,
} from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import { StartupError, reply as makeReply, type Invocation, type Person, type Reply, createInFlight, dispatchWithin } from '../../core/index.ts';
import { findSuggestions } from './discord-autocomplete.ts';
import { SAVE_TO_NOTES } from './discord-commands.ts';
import { renderDiscordReply } from './discord-format.ts';
import type { Adapter, AdapterDeps } from '../adapter.ts';

export const DISCORD_PLATFORM = 'discord';

/** Tuning, mostly for tests. */
export interface DiscordAdapterOptions {
  /**
   * How long a command may run before the reply is deferred (ms). Discord
   * allows 3 s for the first response; the rest is left for the round trip.
   */
  deferAfterMs?: number;
  /** How long stop() waits for work in progress (default STOP_GRACE_MS). */
  stopGraceMs?: number;
}

const DEFAULT_DEFER_AFTER_MS = 2000;

/** The fields of a discord.js `User` or a raw API user that a `Person` needs. */
type AnyUser = Pick<User, 'id' | 'username' | 'globalName'> | Pick<APIUser, 'id' | 'username' | 'global_name'>;

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
}

/** Builds the invocation for a slash command. Pure. */
export function chatInputInvocation(facts: ChatInputFacts): Invocation {
  return {
    command: facts.commandName,
    text: facts.text,
    user: discordPerson(facts.user),
    origin: { platform: DISCORD_PLATFORM, ...(facts.channelId ? { channel: facts.channelId } : {}) },
    idempotencyKey: `discord:interaction:${facts.interactionId}`,
  };
}

/** What "Save to notes" needs from the target message. */
export interface SavedMessageFacts {
  invoker: AnyUser;
  message: { id: string; channelId: string; content: string; author: AnyUser };
  guildId: string | null;
}

/** Builds the `note` invocation for "Save to notes" on a message. Pure. */
export function savedMessageInvocation(facts: SavedMessageFacts): Invocation {
  const { message } = facts;
  return {
    command: 'note',
    text: message.content,
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
  };
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

/** The target of a message command: a cached `Message`, or the raw API object when its channel is not cached. */
function targetFacts(target: Message | APIMessage): SavedMessageFacts['message'] {
  if (target instanceof Message) {
    return { id: target.id, channelId: target.channelId, content: target.content, author: target.author };
  }
  return { id: target.id, channelId: target.channel_id, content: target.content, author: target.author };
}

export function createDiscordAdapter(config: DiscordConfig, deps: AdapterDeps, options: DiscordAdapterOptions = {}): Adapter {
  const { dispatcher, kb, logger } = deps;
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const log = logger.child({ adapter: DISCORD_PLATFORM });
  const inFlight = createInFlight();
  let started = false;
  let stopped = false;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // NOTE: no reply may ping: stored text can hold @everyone, <@id> or <@&role>.
    allowedMentions: { parse: [] },
    rest: config.apiUrl ? { api: config.apiUrl } : {},
  });

  // NOTE: an async listener that throws becomes an `error` event; unheard, it ends the process.
  client.on(Events.Error, (error) => log.error(errorFields(error), 'discord: client error'));
  client.on(Events.Warn, (message) => log.warn(`discord: ${message}`));
  client.on(Events.ShardError, (error) => log.warn(errorFields(error), 'discord: gateway connection error'));
  client.on(Events.ShardDisconnect, (event) => {
    log.error({ code: event.code }, 'discord: the gateway closed the connection for good');
    // During start() the failed login is reported by start() itself; after stop() it is expected.
    if (!started || stopped) return;
    const fatal = new StartupError(`discord: the gateway closed the connection for good (code ${event.code}) — check DISCORD_TOKEN and the bot's intents`);
    if (deps.onFatal) {
      deps.onFatal(fatal);
    } else {
      // Nobody to tell: leave non-zero so a supervisor restarts the bot instead of it idling disconnected.
      process.stderr.write(`tinker: ${fatal.message}\n`);
      process.exit(1);
    }
  });
  client.on(Events.InteractionCreate, (interaction) => {
    void inFlight.track(handle(interaction)).catch((error: unknown) => log.error(errorFields(error), 'discord: interaction failed'));
  });

  async function handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return autocomplete(interaction);
    if (interaction.isChatInputCommand()) return chatInput(interaction);
    if (interaction.isMessageContextMenuCommand()) return messageCommand(interaction);
    log.debug({ type: interaction.type }, 'discord: ignored an interaction');
  }

  async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    let choices: ReturnType<typeof findSuggestions> = [];
    try {
      const focused = interaction.options.getFocused(true);
      if (interaction.commandName === 'find' && typeof focused.value === 'string') {
        choices = findSuggestions(kb, focused.value);
      }
    } catch (error) {
      log.warn(errorFields(error), 'discord: autocomplete failed');
    }
    try {
      await interaction.respond(choices);
    } catch (error) {
      // Too late or already answered: nothing else can be sent for an autocomplete.
      log.warn(errorFields(error), 'discord: autocomplete answer not delivered');
    }
  }

  async function chatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = dispatcher.find(interaction.commandName);
    const optionName = command?.option?.name;
    // NOTE: read the raw value: getString() throws when a stale registration typed the option differently.
    const value = optionName ? interaction.options.get(optionName)?.value : undefined;
    const text = value === undefined || value === null ? '' : String(value);
    const invocation = chatInputInvocation({
      interactionId: interaction.id,
      commandName: interaction.commandName,
      text,
      user: interaction.user,
      channelId: interaction.channelId,
    });
    await answer(interaction, invocation, command?.visibility ?? 'ephemeral');
  }

  async function messageCommand(interaction: MessageContextMenuCommandInteraction): Promise<void> {
    if (interaction.commandName !== SAVE_TO_NOTES) {
      await interaction.reply({ ...renderDiscordReply(makeReply(`Unknown command "${interaction.commandName}".`, { tone: 'error' })), flags: MessageFlags.Ephemeral });
      return;
    }
    const invocation = savedMessageInvocation({
      invoker: interaction.user,
      message: targetFacts(interaction.targetMessage),
      guildId: interaction.guildId,
    });
    // The confirmation is for the person who saved it only.
    await answer(interaction, invocation, 'ephemeral', true);
  }

  /** Dispatches and replies: directly when the reply is quick, otherwise defer first, then edit. */
  async function answer(
    interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
    invocation: Invocation,
    visibility: Reply['visibility'],
    forceEphemeral = false,
  ): Promise<void> {
    const began = Date.now();
    const { early, result: work } = await dispatchWithin(dispatcher, invocation, deferAfterMs, log, errorFields);
    let result: Reply;
    if (early) {
      result = early;
      const ephemeral = forceEphemeral || result.visibility === 'ephemeral';
      await interaction.reply({ ...renderDiscordReply(result), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
    } else {
      // NOTE: a deferred reply's visibility is fixed here; the command's usual visibility decides it.
      const ephemeral = forceEphemeral || visibility === 'ephemeral';
      await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      result = await work;
      // NOTE: an error after a public deferral (a slow /topics that failed) shows in the channel:
      // only its one-line text goes out (a UserError's short message or the generic failure), no sections.
      const shown = !ephemeral && result.tone === 'error' ? makeReply(result.text, { tone: 'error' }) : result;
      await interaction.editReply(renderDiscordReply(shown));
    }
    log.info(
      { command: invocation.command, user: invocation.user.id, tone: result.tone, deferred: !early, ms: Date.now() - began },
      'discord: answered',
    );
  }

  return {
    name: DISCORD_PLATFORM,
    async start() {
      // NOTE: attach before login: with no guilds, clientReady can fire before login() resolves.
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      try {
        await client.login(config.token);
      } catch (error) {
        await client.destroy().catch(() => {});
        throw new StartupError(`discord: could not log in: ${(error as Error).message}`, { cause: error });
      }
      await ready;
      started = true;
      log.info({ user: client.user?.tag, application: config.applicationId }, 'discord: connected');
    },
    async stop() {
      stopped = true;
      // Replies in progress finish before the store closes under them (bounded).
      if (!(await inFlight.drain(options.stopGraceMs))) {
        log.warn({ inFlight: inFlight.size }, 'discord: stopping with work still in progress');
      }
      await client.destroy();
    },
  };
}
