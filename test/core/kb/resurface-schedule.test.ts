import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import {
  nextOccurrence,
  parseResurfaceSchedule,
  sendDigestOnce,
  startDigestTimer,
  startResurfaceDigest,
  type DigestMemory,
  type ResurfaceSchedule,
} from '../../../src/core/kb/resurface-schedule.ts';
import { StoreReadOnlyError, StoreUnavailableError, openNoteStore, silentLogger } from '../../../src/core/index.ts';

function schedule(text: string): ResurfaceSchedule {
  const parsed = parseResurfaceSchedule(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.schedule;
}

describe('parseResurfaceSchedule', () => {
  it('reads days, day lists and groups, a time, and a time zone', () => {
    expect(schedule('mon 09:00')).toEqual({ days: [1], hour: 9, minute: 0, text: 'mon 09:00' });
    expect(schedule('Monday,thu 8:30 Europe/Berlin')).toMatchObject({ days: [1, 4], hour: 8, minute: 30, timeZone: 'Europe/Berlin' });
    expect(schedule('weekdays 07:15 UTC').days).toEqual([1, 2, 3, 4, 5]);
    expect(schedule('daily 23:59').days).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(schedule('mondays,Fridays 18:00').days).toEqual([1, 5]);
  });

  it('names what is wrong, with examples', () => {
    const example = 'e.g. mon 09:00, mon,thu 08:30 or weekdays 09:00, optionally with a time zone: mon 09:00 Europe/Berlin';
    expect(parseResurfaceSchedule('monday')).toEqual({ error: `"monday" is not a day and a time — ${example}` });
    expect(parseResurfaceSchedule('mo 09:00')).toEqual({ error: `"mo" is not a day — ${example}` });
    expect(parseResurfaceSchedule('mon 9am')).toEqual({ error: `"9am" is not a time of day (HH:MM, 00:00-23:59) — ${example}` });
    expect(parseResurfaceSchedule('mon 24:00')).toEqual({ error: `"24:00" is not a time of day (HH:MM, 00:00-23:59) — ${example}` });
    expect(parseResurfaceSchedule('mon 09:00 Mars/Olympus')).toEqual({
      error: `"Mars/Olympus" is not a time zone (an IANA name such as Europe/Berlin or UTC) — ${example}`,
    });
  });
});

describe('nextOccurrence', () => {
  it('is the next matching day and time in the schedule\'s time zone, strictly after now', () => {
    // 2025-06-02 is a Monday.
    expect(nextOccurrence(schedule('mon 09:00 UTC'), new Date('2025-06-02T08:59:00Z')).toISOString()).toBe('2025-06-02T09:00:00.000Z');
    expect(nextOccurrence(schedule('mon 09:00 UTC'), new Date('2025-06-02T09:00:00Z')).toISOString()).toBe('2025-06-09T09:00:00.000Z');
    expect(nextOccurrence(schedule('mon 09:00 Europe/Berlin'), new Date('2025-06-01T12:00:00Z')).toISOString()).toBe('2025-06-02T07:00:00.000Z');
    expect(nextOccurrence(schedule('mon 09:00 America/New_York'), new Date('2025-01-01T00:00:00Z')).toISOString()).toBe('2025-01-06T14:00:00.000Z');
    // Sunday 23:30 in Tokyo is still Saturday in UTC.
    expect(nextOccurrence(schedule('sun 23:30 Asia/Tokyo'), new Date('2025-06-07T00:00:00Z')).toISOString()).toBe('2025-06-08T14:30:00.000Z');
  });

  it('keeps the wall-clock time across daylight-saving changes', () => {
    // Berlin goes to summer time on 2025-03-30: 09:00 is 08:00 UTC before, 07:00 UTC after.
    const weekly = schedule('sun 09:00 Europe/Berlin');
    expect(nextOccurrence(weekly, new Date('2025-03-23T12:00:00Z')).toISOString()).toBe('2025-03-30T07:00:00.000Z');
    expect(nextOccurrence(weekly, new Date('2025-03-22T12:00:00Z')).toISOString()).toBe('2025-03-23T08:00:00.000Z');
    // 02:30 does not exist that night: an hour later.
    expect(nextOccurrence(schedule('sun 02:30 Europe/Berlin'), new Date('2025-03-29T12:00:00Z')).toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });
});

describe('startDigestTimer (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at each occurrence, and not before', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-06-02T08:00:00Z'));
    const runs: string[] = [];
    const timer = startDigestTimer({ schedule: schedule('mon,wed 09:00 UTC'), logger: silentLogger(), run: async (at) => void runs.push(at.toISOString()) });
    try {
      expect(timer.next().toISOString()).toBe('2025-06-02T09:00:00.000Z');
      await vi.advanceTimersByTimeAsync(59 * 60_000);
      expect(runs).toEqual([]);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(runs).toEqual(['2025-06-02T09:00:00.000Z']);
      await vi.advanceTimersByTimeAsync(7 * 86_400_000);
      expect(runs).toEqual(['2025-06-02T09:00:00.000Z', '2025-06-04T09:00:00.000Z', '2025-06-09T09:00:00.000Z']);
    } finally {
      timer.stop();
    }
    await vi.advanceTimersByTimeAsync(7 * 86_400_000);
    expect(runs).toHaveLength(3);
  });

  it('keeps going when one digest fails', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-06-02T08:00:00Z'));
    let calls = 0;
    const timer = startDigestTimer({
      schedule: schedule('daily 09:00 UTC'),
      logger: silentLogger(),
      run: async () => {
        calls += 1;
        throw new Error('slack down');
      },
    });
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    timer.stop();
    expect(calls).toBe(2);
  });
});

describe('sendDigestOnce', () => {
  it('sends an occurrence once across processes sharing the store', async () => {
    const store = await openNoteStore('memory://', { logger: silentLogger() });
    const at = new Date('2025-06-02T09:00:00Z');
    let sent = 0;
    const send = async () => {
      sent += 1;
      return true;
    };
    expect(await sendDigestOnce(store, at, send, { jitterMs: 0 })).toBe('sent');
    expect(await sendDigestOnce(store, at, send, { jitterMs: 0 })).toBe('sent elsewhere');
    expect(await sendDigestOnce(store, new Date('2025-06-09T09:00:00Z'), async () => false, { jitterMs: 0 })).toBe('nothing to send');
    expect(sent).toBe(1);
    await store.close();
  });

  it('sends an occurrence the store refuses to record (read-only), unclaimed; other failures to claim send nothing', async () => {
    const store = await openNoteStore('memory://', { logger: silentLogger() });
    const refusing = (error: Error): DigestMemory => ({ recall: (key) => store.recall(key), remember: async () => Promise.reject(error) });
    const readOnly = new StoreReadOnlyError('notes: write refused: the store is read-only (sqlite:///srv/notes.sqlite: attempt to write a readonly database)', {
      detail: 'sqlite:///srv/notes.sqlite: attempt to write a readonly database',
      hint: 'make the file writable',
    });
    const at = new Date('2025-06-02T09:00:00Z');
    let sent = 0;
    const send = async () => {
      sent += 1;
      return true;
    };
    const heard: string[] = [];
    expect(await sendDigestOnce(refusing(readOnly), at, send, { jitterMs: 0, onUnclaimed: (error) => void heard.push(error.detail) })).toBe('sent unclaimed');
    expect(heard).toEqual(['sqlite:///srv/notes.sqlite: attempt to write a readonly database']);
    // Nothing recorded it, so the same occurrence is sent again by whoever asks (another process sharing the store).
    expect(await sendDigestOnce(refusing(readOnly), at, send, { jitterMs: 0 })).toBe('sent unclaimed');
    expect(sent).toBe(2);
    expect(await sendDigestOnce(refusing(readOnly), at, async () => false, { jitterMs: 0 })).toBe('nothing to send');
    // A store that is down (it may have recorded it elsewhere) or a bug: not sent, the error goes to the timer's log.
    await expect(sendDigestOnce(refusing(new StoreUnavailableError('notes: write timed out')), at, send, { jitterMs: 0 })).rejects.toThrow('notes: write timed out');
    await expect(sendDigestOnce(refusing(new TypeError('bug')), at, send, { jitterMs: 0 })).rejects.toThrow('bug');
    expect(sent).toBe(2);
    await store.close();
  });
});

describe('startResurfaceDigest over a store that refuses writes (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers each occurrence and warns that it could not be marked sent', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-06-02T08:00:00Z'));
    const store = await openNoteStore('memory://', { logger: silentLogger() });
    const memory: DigestMemory = {
      recall: (key) => store.recall(key),
      remember: async () => {
        throw new StoreReadOnlyError('notes: write refused: the store is read-only (test)', { detail: 'test', hint: 'none' });
      },
    };
    const warnings: Array<{ msg: string; occurrence: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as { msg: string; occurrence: string }) });
    const delivered: string[] = [];
    const digest = startResurfaceDigest({
      schedule: schedule('daily 09:00 UTC'),
      memory,
      logger,
      jitterMs: 0,
      compose: async () => `digest of ${new Date().toISOString().slice(0, 10)}`,
      deliver: async (message) => void delivered.push(message),
    });
    try {
      await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    } finally {
      digest.stop();
    }
    expect(delivered).toEqual(['digest of 2025-06-02', 'digest of 2025-06-03']);
    expect(warnings.map((w) => [w.msg, w.occurrence])).toEqual([
      ['resurface: the store refuses writes, so the digest is sent without being marked sent; another process sharing the store may send it too', '2025-06-02T09:00:00.000Z'],
      ['resurface: the store refuses writes, so the digest is sent without being marked sent; another process sharing the store may send it too', '2025-06-03T09:00:00.000Z'],
    ]);
    await store.close();
  });
});
