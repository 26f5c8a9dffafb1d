/**
 * Discord application command definitions, built from tinker's commands plus
 * the "Save to notes" message command. Pure: the registration script sends
 * the result, the adapter reads the same constants.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { isListed, type Command } from '../../core/index.ts';
import { cut } from './discord-format.ts';

/** Name of the message context-menu command (right-click a message → Apps). */
export const SAVE_TO_NOTES = 'Save to notes';

/** Discord's limits for command definitions. */
export const COMMAND_LIMITS = {
  description: 100,
  optionMaxLength: 6000,
  choices: 25,
  choiceText: 100,
} as const;

/** One definition as sent to `PUT /applications/{id}/commands`. */
export type DiscordCommandDefinition =
  | RESTPostAPIChatInputApplicationCommandsJSONBody
  | RESTPostAPIContextMenuApplicationCommandsJSONBody;

// NOTE: chat-input names are 1–32 lower-case letters, digits, - or _ (Discord also allows
// other scripts; tinker's registry is stricter already).
const CHAT_INPUT_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

/** The chat-input definition of one command; throws when the name cannot be registered. */
export function chatInputDefinition(command: Command): RESTPostAPIChatInputApplicationCommandsJSONBody {
  if (!CHAT_INPUT_NAME.test(command.name)) {
    throw new Error(`discord-commands: command name "${command.name}" must be 1-32 lower-case letters, digits, - or _`);
  }
  const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: cut(command.description, COMMAND_LIMITS.description),
  };
  const option = command.option;
  if (option) {
    if (!CHAT_INPUT_NAME.test(option.name)) {
      throw new Error(`discord-commands: option name "${option.name}" of /${command.name} must be 1-32 lower-case letters, digits, - or _`);
    }
    const choices = option.choices?.slice(0, COMMAND_LIMITS.choices).map((choice) => ({
      name: cut(choice, COMMAND_LIMITS.choiceText),
      value: choice.slice(0, COMMAND_LIMITS.choiceText),
    }));
    definition.options = [
      {
        type: ApplicationCommandOptionType.String,
        name: option.name,
        description: cut(option.description, COMMAND_LIMITS.description),
        required: option.required,
        // NOTE: Discord refuses an option with both choices and autocomplete; a closed
        // list needs no length limit.
        ...(choices && choices.length > 0
          ? { choices }
          : {
              ...(option.maxLength !== undefined
                ? { max_length: Math.max(1, Math.min(option.maxLength, COMMAND_LIMITS.optionMaxLength)) }
                : {}),
              ...(option.autocomplete ? { autocomplete: true } : {}),
            }),
      },
    ];
  }
  return definition;
}

/** The message command that saves someone's message as a note. */
export function saveToNotesDefinition(): RESTPostAPIContextMenuApplicationCommandsJSONBody {
  return { type: ApplicationCommandType.Message, name: SAVE_TO_NOTES };
}

/** Every definition tinker registers: one chat-input command per listed command, then "Save to notes". */
export function buildDiscordCommands(commands: readonly Command[]): DiscordCommandDefinition[] {
  const seen = new Set<string>();
  const definitions: DiscordCommandDefinition[] = [];
  for (const command of commands.filter(isListed)) {
    if (seen.has(command.name)) throw new Error(`discord-commands: command "/${command.name}" is defined twice`);
    seen.add(command.name);
    definitions.push(chatInputDefinition(command));
  }
  definitions.push(saveToNotesDefinition());
  return definitions;
}

/** One line per definition: `/find <query> (autocomplete, max 500)` or `Save to notes (message command)`. */
export function describeDefinition(definition: DiscordCommandDefinition): string {
  if (!('description' in definition)) {
    return `${definition.name} (${definition.type === ApplicationCommandType.User ? 'user' : 'message'} command)`;
  }
  const options = (definition.options ?? []).map((option) => {
    const extras = [
      'autocomplete' in option && option.autocomplete ? 'autocomplete' : undefined,
      'choices' in option && option.choices ? `choices: ${option.choices.map((c) => c.value).join('|')}` : undefined,
      'max_length' in option && option.max_length !== undefined ? `max ${option.max_length}` : undefined,
    ].filter(Boolean);
    const shown = option.required ? `<${option.name}>` : `[${option.name}]`;
    return extras.length > 0 ? `${shown} (${extras.join(', ')})` : shown;
  });
  return [`/${definition.name}`, ...options].join(' ') + ` — ${definition.description}`;
}
