import path from 'node:path';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { KeyvNoteStore, StoreUnavailableError, openNoteStore, silentLogger, type Note } from '../../../src/core/index.ts';
import { extractTags, isNoteId, newNoteId, noteIdForKey } from '../../../src/core/domain/notes.ts';
import { makeTempDir } from '../../helpers/context.ts';

const logger = silentLogger();

function sampleNote(id: string, text = 'mmap window on NFS #git'): Note {
  return {
    id,
    text,
    tags: extractTags(text),
    author: { platform: 'console', id: 'local', name: 'owner' },
    source: { platform: 'console' },
    createdAt: '2026-01-02T03:04:05.000Z',
  };
}

describe('notes', () => {
  it('extracts #hashtags, lower-cased, without numbers-only issue refs', () => {
    expect(extractTags('Fix #Git and #nfs-perf, see #42 and a#b (#wrap)')).toEqual(['git', 'nfs-perf', 'wrap']);
  });

  it('takes a colour for a colour, not a tag: #ff0000 and #1e1e1e are not tags, #e2e and #deadbeef are (acceptance 47)', () => {
    expect(extractTags('color #ff0000 and #1e1e1e and #C0FFEE80, tests #e2e #b2b #deadbeef #f00')).toEqual(['e2e', 'b2b', 'deadbeef', 'f00']);
  });

  it('makes readable ids; the same idempotency key always gives the same id', () => {
    expect(isNoteId(newNoteId())).toBe(true);
    expect(noteIdForKey('slack:msg:C1:123.4')).toBe(noteIdForKey('slack:msg:C1:123.4'));
    expect(noteIdForKey('slack:msg:C1:123.4')).not.toBe(noteIdForKey('slack:msg:C1:123.5'));
  });
});

describe('the notes store on a real SQLite file', () => {
  it('keeps notes across a close and reopen, and deletes them', async () => {
    const file = path.join(await makeTempDir(), 'notes.sqlite');
    const first = await openNoteStore(`sqlite://${file}`, { logger });
    await first.put(sampleNote('aaaaaaaaaa'));
    await first.put(sampleNote('bbbbbbbbbb', 'second note #rust'));
    await first.close();

    const second = await openNoteStore(`sqlite://${file}`, { logger });
    const loaded = await second.loadAll();
    expect(loaded.map((n) => n.id).sort()).toEqual(['aaaaaaaaaa', 'bbbbbbbbbb']);
    expect(await second.get('bbbbbbbbbb')).toEqual(sampleNote('bbbbbbbbbb', 'second note #rust'));
    expect(await second.delete('aaaaaaaaaa')).toBe(true);
    expect(await second.delete('aaaaaaaaaa')).toBe(false);
    await second.close();

    const third = await openNoteStore(`sqlite://${file}`, { logger });
    expect((await third.loadAll()).map((n) => n.id)).toEqual(['bbbbbbbbbb']);
    await third.close();
  });

  it('reports a store that does not answer in time as unavailable, not as saved', async () => {
    const slow = new Map<string, unknown>();
    const keyv = new Keyv<unknown>({ store: slow, throwOnErrors: true });
    keyv.set = () => new Promise<boolean>(() => {});
    const store = new KeyvNoteStore(keyv, 'slow', { logger, timeoutMs: 50 });
    await expect(store.put(sampleNote('cccccccccc'))).rejects.toThrow(StoreUnavailableError);
    await expect(store.put(sampleNote('cccccccccc'))).rejects.toThrow('notes: the store did not confirm the write within 50 ms');
  });
});
