/**
 * How a tag is written down: one rule for note #hashtags, front-matter tags and imports.
 */

/** Lower-case tag without a leading `#`; spaces inside become dashes, so `machine learning` can be typed as #machine-learning. */
export function normalizeTag(tag: string): string {
  return tag.trim().replace(/^#+/, '').toLowerCase().replace(/\s+/g, '-');
}
