/** The one timeout helper: what settles in time, what does not, and a late failure nobody hears of. */
import { describe, expect, it } from 'vitest';
import { within, withTimeout } from '../../../src/core/index.ts';

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(resolve, ms, value));
const failLater = (ms: number, message: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms));

describe('within', () => {
  it('gives the result when it is ready in time, undefined when not, and the failure when it fails in time', async () => {
    expect(await within(later(5, 'quick'), 200)).toBe('quick');
    expect(await within(later(200, 'slow'), 10)).toBeUndefined();
    await expect(within(failLater(5, 'broken'), 200)).rejects.toThrow('broken');
  });
});

describe('withTimeout', () => {
  it('rejects with the error it is given when the work is late, and passes the work’s own result or failure otherwise', async () => {
    expect(await withTimeout(later(5, 42), 200, () => new Error('late'))).toBe(42);
    await expect(withTimeout(later(200, 42), 10, () => new Error('store: no answer within 10 ms'))).rejects.toThrow('store: no answer within 10 ms');
    await expect(withTimeout(failLater(5, 'refused'), 200, () => new Error('late'))).rejects.toThrow('refused');
  });

  it('lets work that fails after the wait fail quietly (no unhandled rejection)', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      await expect(withTimeout(failLater(30, 'too late to matter'), 5, () => new Error('late'))).rejects.toThrow('late');
      expect(await within(failLater(30, 'also too late'), 5)).toBeUndefined();
      await later(80, undefined);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
