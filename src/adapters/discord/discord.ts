/**
 * Discord adapter: discord.js over the gateway (intent `Guilds` only). Turns
 * interactions (slash commands, autocomplete, "Save to notes", buttons) into
 * invocations, answers within Discord's 3 seconds (deferring when the work runs
 * long), and renders replies as embeds.
 */
import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import { StartupError, createInFlight, dispatchWithin, reply as makeReply, withTimeout, type Invocation, type Reply } from '../../core/index.ts';
import { createActionIds, expiredButton } from '../action-ids.ts';
import { reportFatal, type Adapter, type AdapterDeps } from '../adapter.ts';
import { discordChoices } from './discord-autocomplete.ts';
import { cannotReachMessage, loginFailure, retryPauseMs } from './discord-connect.ts';
import { SAVE_TO_NOTES } from './discord-commands.ts';
import type { MentionNames } from './discord-text.ts';
import { DISCORD_LIMITS, renderDiscordReply, type DiscordMessage } from './discord-format.ts';
import { DISCORD_PLATFORM, chatInputInvocation, discordPerson, errorFields, savedMessageInvocation, targetFacts } from './discord-payload.ts';

export { DISCORD_PLATFORM, chatInputInvocation, discordPerson, errorFields, savedMessageInvocation } from './discord-payload.ts';

/** Tuning, mostly for tests. */
export interface DiscordAdapterOptions {
  /** How long a command may run before the reply is deferred (ms): Discord allows 3 s for the first response. */
  deferAfterMs?: number;
  /** How long stop() waits for work in progress (default STOP_GRACE_MS). */
  stopGraceMs?: number;
  /** Longest time start() spends logging in and reaching the gateway before it gives up (ms). */
  startTimeoutMs?: number;
}

const DEFAULT_DEFER_AFTER_MS = 2000;
export const START_TIMEOUT_MS = 30_000;

type Answerable = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction;

export function createDiscordAdapter(config: DiscordConfig, deps: AdapterDeps, options: DiscordAdapterOptions = {}): Adapter {
  const { dispatcher } = deps;
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const log = deps.logger.child({ adapter: DISCORD_PLATFORM });
  const inFlight = createInFlight();
  const actionIds = createActionIds('t', DISCORD_LIMITS.customId);
  const render = (answer: Reply): DiscordMessage => renderDiscordReply(answer, (action) => actionIds.encode(action));
  let started = false;
  let stopped = false;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // NOTE: no reply may ping: stored text can hold @everyone, <@id> or <@&role>.
    allowedMentions: { parse: [] },
    // @discordjs/rest retries 5xx answers and network errors itself (3 times, each within 15 s).
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
    reportFatal(deps, log, new StartupError(`discord: the gateway closed the connection for good (code ${event.code}) — check DISCORD_TOKEN and the bot's intents`));
  });
  client.on(Events.InteractionCreate, (interaction) => {
    void inFlight.track(handle(interaction)).catch((error: unknown) => log.error(errorFields(error), 'discord: interaction failed'));
  });

  async function handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return autocomplete(interaction);
    if (interaction.isChatInputCommand()) return chatInput(interaction);
    if (interaction.isMessageContextMenuCommand()) return messageCommand(interaction);
    if (interaction.isButton()) return button(interaction);
    log.debug({ type: interaction.type }, 'discord: ignored an interaction');
  }

  async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const typed = typeof focused.value === 'string' ? focused.value : String(focused.value);
    const choices = discordChoices(await dispatcher.complete(interaction.commandName, typed, discordPerson(interaction.user)));
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
    const invocation = chatInputInvocation({
      interactionId: interaction.id,
      commandName: interaction.commandName,
      text: value === undefined || value === null ? '' : String(value),
      user: interaction.user,
      channelId: interaction.channelId,
    });
    await answer(interaction, invocation, command?.visibility ?? 'ephemeral');
  }

  async function messageCommand(interaction: MessageContextMenuCommandInteraction): Promise<void> {
    if (interaction.commandName !== SAVE_TO_NOTES) {
      await interaction.reply({ ...render(makeReply(`Unknown command "${interaction.commandName}".`, { tone: 'error' })), flags: MessageFlags.Ephemeral });
      return;
    }
    const invocation = savedMessageInvocation({
      invoker: interaction.user,
      message: targetFacts(interaction.targetMessage),
      guildId: interaction.guildId,
      names: mentionNames(interaction),
    });
    // The confirmation is for the person who saved it only.
    await answer(interaction, invocation, 'ephemeral', true);
  }

  async function button(interaction: ButtonInteraction): Promise<void> {
    const request = actionIds.decode(interaction.customId);
    if (!request || 'expired' in request) {
      await interaction.reply({ ...render(makeReply(expiredButton(DISCORD_PLATFORM), { tone: 'error' })), flags: MessageFlags.Ephemeral });
      return;
    }
    const invocation = chatInputInvocation({ ...request, commandName: request.command, interactionId: interaction.id, user: interaction.user, channelId: interaction.channelId });
    // Only the presser sees the answer: it replaces a message only they saw, else it comes as a new one.
    await answer(interaction, invocation, 'ephemeral', true);
  }

  /** Dispatches and replies: directly when the reply is quick, otherwise defer first, then edit. */
  async function answer(interaction: Answerable, invocation: Invocation, visibility: Reply['visibility'], forceEphemeral = false): Promise<void> {
    const began = Date.now();
    const { early, result: work } = await dispatchWithin(dispatcher, invocation, deferAfterMs, log, errorFields);
    const replaces = interaction.isButton() && interaction.message.flags.has(MessageFlags.Ephemeral);
    let result: Reply;
    if (early) {
      result = early;
      const ephemeral = forceEphemeral || result.visibility === 'ephemeral';
      if (replaces) await (interaction as ButtonInteraction).update(render(result));
      else await interaction.reply({ ...render(result), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
    } else {
      // NOTE: a deferred reply's visibility is fixed here; the command's usual visibility decides it.
      const ephemeral = forceEphemeral || visibility === 'ephemeral';
      if (replaces) await (interaction as ButtonInteraction).deferUpdate();
      else await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      result = await work;
      // NOTE: an error after a public deferral (a slow /topics that failed) shows in the channel:
      // only its one-line text goes out (a UserError's short message or the generic failure), no sections.
      const shown = !ephemeral && result.tone === 'error' ? makeReply(result.text, { tone: 'error' }) : result;
      await interaction.editReply(render(shown));
    }
    log.info({ command: invocation.command, user: invocation.user.id, tone: result.tone, deferred: !early, ms: Date.now() - began }, 'discord: answered');
  }

  return {
    name: DISCORD_PLATFORM,
    async start() {
      const budgetMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
      // NOTE: attach before login: with no guilds, clientReady can fire before login() resolves.
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      let lastCause: string | undefined;
      let gaveUp = false;
      let wake: (() => void) | undefined;
      // A network that comes up with the bot: login is tried again while Discord cannot be reached
      // (no answer, a 5xx), until the budget is spent; a refused token ends start-up at once.
      const connecting = (async () => {
        for (let attempt = 1; !gaveUp; attempt += 1) {
          try {
            await client.login(config.token);
            return await ready;
          } catch (error) {
            const failure = loginFailure(error, config.apiUrl);
            if (!failure.retry) throw new StartupError(failure.message, { cause: error });
            lastCause = failure.cause;
            if (attempt === 1) log.warn({ err: failure.cause }, 'discord: cannot reach Discord yet, retrying');
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, retryPauseMs(attempt));
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
        }
      })();
      try {
        await withTimeout(connecting, budgetMs, () => new StartupError(cannotReachMessage(config.apiUrl, budgetMs, lastCause)));
      } catch (error) {
        gaveUp = true;
        wake?.();
        await client.destroy().catch(() => {});
        throw error;
      }
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

/**
 * The names of channels, roles and users a saved message may mention, from the
 * client's cache (the Guilds intent keeps a guild's channels and roles; users
 * seen so far). Mentions of what it does not hold read as `#channel`, `@role`, `@user`.
 */
function mentionNames(interaction: MessageContextMenuCommandInteraction): MentionNames {
  const { client } = interaction;
  return {
    channel: (id) => {
      const channel = client.channels.cache.get(id);
      return channel && 'name' in channel && typeof channel.name === 'string' ? channel.name : undefined;
    },
    role: (id) => interaction.guild?.roles.cache.get(id)?.name,
    user: (id) => {
      const user = client.users.cache.get(id);
      return user ? discordPerson(user).name : undefined;
    },
  };
}
