/**
 * The change feed's wire format, and reading a Redis stream reply. Pure.
 */
import { describe, expect, it } from 'vitest';
import { decodeChange, encodeChange } from '../../../src/core/store/feed.ts';
import { streamEntries } from '../../../src/core/store/backends/redis.ts';

describe('change feed messages', () => {
  it('round-trip between two senders and are skipped by their own', () => {
    const message = encodeChange({ type: 'put', id: 'k3v9x2ma7q' }, 'sender-a');
    expect(JSON.parse(message)).toEqual({ type: 'put', id: 'k3v9x2ma7q', from: 'sender-a' });
    expect(decodeChange(message, 'sender-b')).toEqual({ type: 'put', id: 'k3v9x2ma7q' });
    expect(decodeChange(message, 'sender-a')).toBeUndefined();
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '"put"'],
    ['an unknown type', '{"type":"clear","id":"k3v9x2ma7q","from":"x"}'],
    ['an id that is not a note id', '{"type":"delete","id":"../../etc","from":"x"}'],
    ['no id', '{"type":"put","from":"x"}'],
  ])('ignore %s', (_, message) => {
    expect(decodeChange(message, 'me')).toBeUndefined();
  });
});

describe('streamEntries', () => {
  it('reads [id, change] pairs from an XREAD reply and skips entries without a change field', () => {
    const reply = [
      [
        'tinker:changes',
        [
          ['1-0', ['change', '{"type":"put"}']],
          ['2-0', ['other', 'x']],
          ['3-0', ['change', '{"type":"delete"}']],
        ],
      ],
    ];
    expect(streamEntries(reply)).toEqual([
      ['1-0', '{"type":"put"}'],
      ['3-0', '{"type":"delete"}'],
    ]);
  });

  it('gives nothing for a timed-out read (null) or a malformed reply', () => {
    expect(streamEntries(null)).toEqual([]);
    expect(streamEntries([['k', 'oops']])).toEqual([]);
  });
});
