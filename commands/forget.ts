import { StoreReadOnlyError, StoreUnavailableError, UserError, defineCommand, isNoteId, reply } from '../src/core/index.ts';

export const forget = defineCommand({
  name: 'forget',
  description: 'Delete one of your notes by its id',
  usage: '/forget <note id>',
  example: '/forget k3v9x2ma7q',
  option: { name: 'id', description: 'The note id shown when it was saved', required: true, maxLength: 40 },
  visibility: 'ephemeral',
  writes: true,
  refused: 'not deleted',
  async run(ctx, invocation) {
    const id = invocation.text.trim().replace(/^note[:\s]+/i, '').toLowerCase();
    if (!id) throw new UserError('usage', 'forget: which note? — try /forget k3v9x2ma7q (the id /note replied with)');
    if (!isNoteId(id)) {
      const shown = id.length > 24 ? `${id.slice(0, 24)}…` : id;
      throw new UserError('not-found', `forget: "${shown}" is not a note id — ids are 10 letters and digits, like k3v9x2ma7q`);
    }
    let forgotten;
    try {
      // A note the person may not read is answered as missing: nothing hidden is confirmed to exist.
      forgotten = await ctx.kb.forgetNote(id, invocation.user);
    } catch (error) {
      // Refused for good: dispatch says so, with what would fix it.
      if (error instanceof StoreReadOnlyError) throw error;
      if (error instanceof StoreUnavailableError) {
        throw new UserError('store-unavailable', 'forget: not deleted: the note store is unavailable — please try again in a moment.');
      }
      throw error;
    }
    if (!forgotten) throw new UserError('not-found', `forget: there is no note ${id} — /find kind:note lists your notes`);
    return reply(`Forgot note ${id}.`);
  },
});
