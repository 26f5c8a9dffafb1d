/**
 * "Did you mean /find?": the listed command closest to an unknown name.
 */
import { editDistance } from '../text/edit-distance.ts';

/** Most edits (insert, delete, replace, swap two neighbours) between a typo and the command it suggests. */
export const MAX_SUGGESTION_EDITS = 2;

/** The name closest to `typed` within MAX_SUGGESTION_EDITS (the first listed on a tie), or undefined. */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed, name, MAX_SUGGESTION_EDITS);
    if (distance <= MAX_SUGGESTION_EDITS && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
