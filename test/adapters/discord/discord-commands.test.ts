import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { SEARCH_QUERY_MAX_LENGTH } from '../../../commands/limits.ts';
import {
  SAVE_TO_NOTES,
  buildDiscordCommands,
  chatInputDefinition,
  describeDefinition,
} from '../../../src/adapters/discord/discord-commands.ts';
import { NOTE_MAX_LENGTH, defineCommand, reply, type Command } from '../../../src/core/index.ts';

const base = {
  usage: '/x',
  example: '/x',
  visibility: 'ephemeral',
  writes: false,
  run: async () => reply('x'),
} as const;

describe('buildDiscordCommands', () => {
  const definitions = buildDiscordCommands(commands);

  it('defines every command from commands/, in order, then the message command', () => {
    expect(definitions.map((d) => d.name)).toEqual([...commands.filter((c) => c.listed !== false).map((c) => c.name), SAVE_TO_NOTES]);
    // The home tab's command is not a slash command.
    expect(definitions.map((d) => d.name)).not.toContain('home');
    expect(definitions.at(-1)).toEqual({ type: 3, name: 'Save to notes' });
  });

  it('gives each its description and string option with length limits, autocomplete and choices', () => {
    const byName = new Map(definitions.map((d) => [d.name, d]));
    expect(byName.get('find')).toEqual({
      type: 1,
      name: 'find',
      description: 'Search your write-ups, notes and profile (typos are fine)',
      options: [
        {
          type: 3,
          name: 'query',
          description: 'Words to look for; #tag, kind:note|article|profile, after:2024-06, before:30d narrow it',
          required: true,
          max_length: SEARCH_QUERY_MAX_LENGTH,
          autocomplete: true,
        },
      ],
    });
    expect(byName.get('note')).toMatchObject({ options: [{ name: 'text', required: true, max_length: NOTE_MAX_LENGTH }] });
    // Free text, not choices: `/topics add Learn Zig` must get through; autocomplete offers sections and edits.
    expect(byName.get('topics')).toEqual({
      type: 1,
      name: 'topics',
      description: 'Share what the owner works on now (or plans, reads, likes); the owner edits them here',
      options: [
        {
          type: 3,
          name: 'what',
          description: 'A section (planned, reading) or add|plan|start|done and a topic',
          required: false,
          max_length: 400,
          autocomplete: true,
        },
      ],
    });
    expect(byName.get('help')).toEqual({ type: 1, name: 'help', description: 'List the commands, with an example of each' });
    for (const definition of definitions) {
      if ('description' in definition) expect(definition.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('fits Discord\'s limits: descriptions cut to 100 with "…", max_length ≤ 6000, choices win over autocomplete', () => {
    const wordy = defineCommand({
      ...base,
      name: 'wordy',
      description: 'd'.repeat(150),
      option: { name: 'q', description: 'o'.repeat(150), required: false, maxLength: 100_000, autocomplete: true, choices: ['a', 'b'] },
    }) satisfies Command;
    const definition = chatInputDefinition(wordy);
    expect(definition.description).toBe(`${'d'.repeat(99)}…`);
    expect(definition.options).toEqual([
      {
        type: 3,
        name: 'q',
        description: `${'o'.repeat(99)}…`,
        required: false,
        choices: [
          { name: 'a', value: 'a' },
          { name: 'b', value: 'b' },
        ],
      },
    ]);
  });

  it('refuses names Discord would reject, and duplicates', () => {
    const big = chatInputDefinition({ ...base, name: 'big', description: 'x', option: { name: 'q', description: 'q', required: true, maxLength: 100_000 } });
    expect(big.options).toEqual([{ type: 3, name: 'q', description: 'q', required: true, max_length: 6000 }]);
    expect(() => chatInputDefinition({ ...base, name: 'Bad Name', description: 'x' })).toThrow(
      'discord-commands: command name "Bad Name" must be 1-32 lower-case letters, digits, - or _',
    );
    const dup = { ...base, name: 'dup', description: 'x' };
    expect(() => buildDiscordCommands([dup, dup])).toThrow('discord-commands: command "/dup" is defined twice');
  });
});

describe('describeDefinition', () => {
  it('prints one readable line per definition', () => {
    const lines = buildDiscordCommands(commands).map(describeDefinition);
    expect(lines).toContain(
      `/find <query> (autocomplete, max ${SEARCH_QUERY_MAX_LENGTH}) — Search your write-ups, notes and profile (typos are fine)`,
    );
    expect(lines).toContain('/topics [what] (autocomplete, max 400) — Share what the owner works on now (or plans, reads, likes); the owner edits them here');
    expect(lines.at(-1)).toBe('Save to notes (message command)');
  });
});
