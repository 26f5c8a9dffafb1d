/**
 * "Did you mean /find?": the listed command closest to an unknown name.
 */

/** Most edits (insert, delete, replace, swap two neighbours) between a typo and the command it suggests. */
export const MAX_SUGGESTION_EDITS = 2;

/**
 * Edits between two words, counting a swap of two neighbouring letters as one
 * (`/fidn` is one edit from `/find`): the optimal-string-alignment distance.
 * Stops early and answers `limit + 1` once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The name closest to `typed` within MAX_SUGGESTION_EDITS (the first listed on a tie), or undefined. */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed, name, MAX_SUGGESTION_EDITS);
    if (distance <= MAX_SUGGESTION_EDITS && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
