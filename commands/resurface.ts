import { UserError, defineCommand, findSection, reply, type SearchHit } from '../src/core/index.ts';

/** Longest `/resurface` words taken (the first words carry the intent). */
const WORDS_MAX_LENGTH = 200;

export const resurface = defineCommand({
  name: 'resurface',
  description: 'Old notes and write-ups (over 30 days) on your current topics, or on the words given',
  usage: '/resurface [words]',
  example: '/resurface · /resurface libgit2 nfs',
  option: {
    name: 'words',
    description: 'What the old notes should be about (default: your current topics)',
    required: false,
    maxLength: WORDS_MAX_LENGTH,
  },
  visibility: 'ephemeral',
  writes: false,
  async run(ctx, invocation) {
    const words = invocation.text.replace(/\s+/g, ' ').trim().slice(0, WORDS_MAX_LENGTH);
    const topics = words ? [] : (findSection(ctx.kb.profile, 'current')?.items ?? []).map((item) => item.topic ?? item.text);
    if (!words && topics.length === 0) {
      throw new UserError('usage', 'resurface: the profile lists no current topics — try /resurface <words>, e.g. /resurface libgit2');
    }
    const subject = words ? `"${words.length > 60 ? `${words.slice(0, 59)}…` : words}"` : 'your current topics';
    const { hits, related, quiet, notRemembered } = await ctx.kb.resurface(invocation.user, words ? [words] : topics);
    if (hits.length === 0 && related === 0) {
      return reply(`Nothing older than 30 days is about ${subject}.`, {
        sections: [{ type: 'text', text: 'Notes and write-ups come back here once they are 30 days old; /find shows newer ones.' }],
      });
    }
    if (hits.length === 0) {
      const them = quiet === 1 ? 'the one older note or write-up on it was' : `the ${quiet} older notes and write-ups on it were`;
      return reply(`Nothing new to resurface on ${subject}: ${them} shown to you in the last 30 days.`);
    }
    return reply(`${describeKinds(hits)} from over 30 days ago on ${subject}`, {
      sections: [
        { type: 'hits', hits },
        {
          type: 'text',
          text:
            notRemembered === 'read-only'
              ? 'The note store refuses writes, so these may come back in your next /resurface.'
              : notRemembered === 'unavailable'
                ? 'The note store is unavailable right now, so these may come back in your next /resurface.'
                : 'Each is left out of your /resurface for the next 30 days.',
        },
      ],
    });
  },
});

/** `2 notes and 1 write-up`. */
function describeKinds(hits: readonly SearchHit[]): string {
  const notes = hits.filter((hit) => hit.kind === 'note').length;
  const writeUps = hits.length - notes;
  const parts = [notes > 0 ? `${notes} note${notes === 1 ? '' : 's'}` : '', writeUps > 0 ? `${writeUps} write-up${writeUps === 1 ? '' : 's'}` : ''];
  const text = parts.filter(Boolean).join(' and ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
