import {
  NOTE_MAX_LENGTH,
  characterCount,
  StoreReadOnlyError,
  StoreUnavailableError,
  UserError,
  cleanNoteText,
  defineCommand,
  reply,
} from '../src/core/index.ts';

export const note = defineCommand({
  name: 'note',
  description: 'Save a note; #tags in the text make it easy to find again',
  usage: '/note <text with #tags>',
  example: '/note libgit2 mmap window size matters on NFS #git #perf',
  option: { name: 'text', description: 'The note, with #tags', required: true, maxLength: NOTE_MAX_LENGTH },
  visibility: 'ephemeral',
  writes: true,
  async run(ctx, invocation) {
    const text = cleanNoteText(invocation.text);
    if (!text) {
      throw new UserError('usage', 'note: the note is empty — try /note libgit2 mmap window size matters on NFS #git');
    }
    const length = characterCount(text);
    if (length > NOTE_MAX_LENGTH) {
      throw new UserError(
        'too-long',
        `note: that is ${length.toLocaleString('en')} characters; a note can hold at most ${NOTE_MAX_LENGTH.toLocaleString('en')} — nothing was saved. Put long write-ups under articles/.`,
      );
    }
    let result;
    try {
      result = await ctx.kb.saveNote({
        text,
        author: invocation.author ?? invocation.user,
        source: invocation.origin,
        ...(invocation.idempotencyKey ? { idempotencyKey: invocation.idempotencyKey } : {}),
      });
    } catch (error) {
      if (error instanceof StoreReadOnlyError) {
        throw new UserError('store-read-only', `note: not saved: the note store is read-only (${error.detail}) — ${error.hint}.`);
      }
      if (error instanceof StoreUnavailableError) {
        throw new UserError('store-unavailable', 'note: not saved: the note store is unavailable — please try again in a moment.');
      }
      throw error;
    }
    const { note: saved, created } = result;
    const tags = saved.tags.length > 0 ? saved.tags.map((tag) => `#${tag}`).join(' ') : 'no tags';
    const verb = created ? 'Saved' : 'Already saved';
    return reply(`${verb} note ${saved.id} (${tags}).`, {
      sections: [{ type: 'text', text: `Find it with /find ${saved.tags[0] ? `#${saved.tags[0]}` : firstWords(saved.text)} — forget it with /forget ${saved.id}` }],
    });
  },
});

function firstWords(text: string): string {
  return text.split(/\s+/).filter((w) => !w.startsWith('#')).slice(0, 3).join(' ');
}
