import { defineCommand, reply } from '../src/core/index.ts';

export const help = defineCommand({
  name: 'help',
  description: 'List the commands, with an example of each',
  usage: '/help',
  example: '/help',
  visibility: 'ephemeral',
  writes: false,
  async run(ctx) {
    return reply('tinker: capture notes, share your topics, find old write-ups.', {
      sections: [
        {
          type: 'list',
          title: 'Commands',
          items: ctx.commands.map((command) => ({
            text: `${command.usage} — ${command.description}`,
            detail: `e.g. ${command.example}`,
          })),
        },
      ],
    });
  },
});
