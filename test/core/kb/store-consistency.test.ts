import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { KeyvNoteStore, StoreUnavailableError, parseQuery, silentLogger, type Note } from '../../../src/core/index.ts';
import { CONSOLE_USER, createTestContext } from '../../helpers/context.ts';

const logger = silentLogger();
const owner = { platform: 'console', id: 'local', name: 'owner' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Keyv over a Map whose writes (and optionally reads) take `ms` to be confirmed. */
function slowStore(options: { writeMs?: number; readMs?: number; timeoutMs: number }): KeyvNoteStore {
  const keyv = new Keyv<unknown>({ store: new Map(), throwOnErrors: true });
  const set = keyv.set.bind(keyv);
  const get = keyv.get.bind(keyv);
  keyv.set = (async (key: string, value: unknown) => {
    await sleep(options.writeMs ?? 0);
    return set(key, value);
  }) as typeof keyv.set;
  keyv.get = (async (key: string) => {
    await sleep(options.readMs ?? 0);
    return get(key);
  }) as typeof keyv.get;
  return new KeyvNoteStore(keyv, 'slow', { logger, timeoutMs: options.timeoutMs });
}

describe('index and store stay consistent', () => {
  it('a write that times out is reported not saved; if it lands later, the note is indexed, not lost', async () => {
    const store = slowStore({ writeMs: 150, timeoutMs: 30 });
    const ctx = await createTestContext({ store });
    try {
      const error = await ctx.kb
        .saveNote({ text: 'late landing #slow', author: owner, source: { platform: 'console' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(ctx.kb.search(parseQuery('#slow'), { viewer: CONSOLE_USER, limit: 5 }).hits).toHaveLength(0);
      await sleep(250);
      const stored = await store.loadAll();
      expect(stored).toHaveLength(1);
      expect(ctx.kb.search(parseQuery('#slow'), { viewer: CONSOLE_USER, limit: 5 }).hits.map((h) => h.source.noteId)).toEqual([stored[0]!.id]);
    } finally {
      await ctx.close();
    }
  });

  it('/note says "not saved" when the store does not confirm in time', async () => {
    const ctx = await createTestContext({ store: slowStore({ writeMs: 150, timeoutMs: 30 }) });
    try {
      expect((await ctx.run('/note too slow')).text).toBe('note: not saved: the note store is unavailable — please try again in a moment.');
    } finally {
      await ctx.close();
    }
  });

  it('a delete that overtakes the fetch of a change from another process wins', async () => {
    const store = slowStore({ readMs: 100, timeoutMs: 1000 });
    const ctx = await createTestContext({ store });
    try {
      const note: Note = {
        id: 'abcdefghjk',
        text: 'saved then forgotten elsewhere',
        tags: [],
        author: owner,
        source: { platform: 'console' },
        createdAt: new Date().toISOString(),
      };
      await store.put(note);
      const fetching = ctx.kb.applyChange({ type: 'put', id: note.id });
      await ctx.kb.applyChange({ type: 'delete', id: note.id });
      await fetching;
      expect(ctx.kb.note(note.id)).toBeUndefined();
      expect(ctx.kb.search(parseQuery('forgotten'), { viewer: CONSOLE_USER, limit: 5 }).hits).toHaveLength(0);
    } finally {
      await ctx.close();
    }
  });
});
