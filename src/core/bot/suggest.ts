/**
 * "Did you mean /find?": the listed command closest to an unknown name.
 */
import { SUGGEST_TYPO_LENGTHS, editDistance, typoBudget } from '../text/edit-distance.ts';

/**
 * The name closest to `typed` within the suggestion typo budget (one edit from 3 letters, two
 * from 4, three from 7: edits insert, delete, replace or swap two neighbours), the first listed
 * on a tie, or undefined.
 */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  const allowed = typoBudget(typed, SUGGEST_TYPO_LENGTHS);
  let best: { name: string; distance: number } | undefined;
  if (allowed === 0) return undefined;
  for (const name of names) {
    const distance = editDistance(typed, name, allowed);
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
