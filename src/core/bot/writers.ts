/**
 * Who may write notes: `NOTE_WRITERS` entries `platform:userId`; empty means anyone.
 */
import type { Person } from '../domain/types.ts';

/** The local console user runs the process, so it always may write. */
export const LOCAL_PLATFORM = 'console';

export function canWrite(writers: readonly string[], user: Person): boolean {
  if (user.platform === LOCAL_PLATFORM) return true;
  if (writers.length === 0) return true;
  return writers.includes(`${user.platform.toLowerCase()}:${user.id}`);
}
