import {
  NOTE_MAX_LENGTH,
  characterCount,
  StoreReadOnlyError,
  StoreUnavailableError,
  UserError,
  cleanNoteText,
  defineCommand,
  hasContent,
  reply,
} from '../src/core/index.ts';

export const note = defineCommand({
  name: 'note',
  description: 'Save a note; #tags in the text make it easy to find again',
  usage: '/note [--share] <text with #tags>',
  example: '/note libgit2 mmap window size matters on NFS #git #perf',
  option: {
    name: 'text',
    description: 'The note, with #tags; start with --share to let everyone find it',
    required: true,
    maxLength: NOTE_MAX_LENGTH,
  },
  visibility: 'ephemeral',
  writes: true,
  refused: 'not saved',
  async run(ctx, invocation) {
    const { text, shared } = readShareFlag(cleanNoteText(invocation.text));
    if (!text) {
      throw new UserError('usage', 'note: the note is empty — try /note libgit2 mmap window size matters on NFS #git');
    }
    if (!hasContent(text)) {
      throw new UserError(
        'usage',
        'note: the note is empty — it has only tags or punctuation; add some words, e.g. /note libgit2 mmap window size matters on NFS #git',
      );
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
        // "Save to notes" on someone else's message: the note is the clicker's to read, not the message author's.
        ...(invocation.author ? { savedBy: invocation.user } : {}),
        ...(shared ? { shared: true } : {}),
        source: invocation.origin,
        ...(invocation.idempotencyKey ? { idempotencyKey: invocation.idempotencyKey } : {}),
        ...(invocation.notTags?.length ? { notTags: invocation.notTags } : {}),
      });
    } catch (error) {
      // Refused for good: dispatch says so, with what would fix it.
      if (error instanceof StoreReadOnlyError) throw error;
      if (error instanceof StoreUnavailableError) {
        throw new UserError('store-unavailable', 'note: not saved: the note store is unavailable — please try again in a moment.');
      }
      throw error;
    }
    const { note: saved, created } = result;
    const tags = saved.tags.length > 0 ? saved.tags.map((tag) => `#${tag}`).join(' ') : 'no tags';
    const verb = created ? 'Saved' : 'Already saved';
    const sharing = saved.shared ? ', shared: everyone who can use /find can read it' : '';
    return reply(`${verb} note ${saved.id} (${tags})${sharing}.`, {
      sections: [{ type: 'text', text: `Find it with /find ${saved.tags[0] ? `#${saved.tags[0]}` : firstWords(saved.text)} — forget it with /forget ${saved.id}` }],
    });
  },
});

/** The note's text without a leading `--share`, and whether it was there. */
function readShareFlag(text: string): { text: string; shared: boolean } {
  const match = /^--share(?:\s+|$)/i.exec(text);
  return match ? { text: text.slice(match[0].length).trim(), shared: true } : { text, shared: false };
}

function firstWords(text: string): string {
  return text.split(/\s+/).filter((w) => !w.startsWith('#')).slice(0, 3).join(' ');
}
