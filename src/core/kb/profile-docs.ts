/**
 * The search documents made from the owner's profile, and the stamp a snapshot
 * keeps of them.
 */
import type { IndexedDoc } from '../search/search-index.ts';
import { hashProfile } from '../snapshot/snapshot.ts';
import type { Profile, ProfileItem, ProfileSection } from '../sources/profile.ts';

/**
 * What the documents made of a profile look like: a snapshot stamped under
 * another (its profile stamp differs) re-indexes its profile items, so old
 * documents do not keep old labels. 2: an item under a sub-heading is labelled
 * and found by it too (`profile › Now › Personal`).
 */
export const PROFILE_DOCS_VERSION = 2;

/** The stamp of a profile for `SnapshotSources.profile`: its fingerprint under `PROFILE_DOCS_VERSION`. */
export function profileStamp(profile: Profile): string {
  return hashProfile({ docs: PROFILE_DOCS_VERSION, profile });
}

/**
 * One document per list item, titled by it, found also by its heading's words
 * and labelled with where it stands (`profile › Now`, or `profile › Now › Personal`
 * under a sub-heading); a section of text alone is one document.
 */
export function profileDocs(profile: Profile): IndexedDoc[] {
  const docs: IndexedDoc[] = [];
  for (const section of profile.sections) {
    itemsByHeading(section).forEach(({ item, heading }, i) => {
      docs.push({
        id: `profile:${section.slug}:${i}`,
        kind: 'profile',
        title: item.text,
        text: heading.join(' '),
        tags: [],
        source: { label: ['profile', ...heading].join(' › '), ...(item.url ? { url: item.url } : {}) },
      });
    });
    if (section.items.length === 0 && section.paragraphs.length > 0) {
      docs.push({
        id: `profile:${section.slug}`,
        kind: 'profile',
        title: section.title,
        text: section.paragraphs.join('\n'),
        tags: [],
        source: { label: `profile › ${section.title}` },
      });
    }
  }
  return docs;
}

/**
 * A section's items in order (so ids stay `profile:<slug>:<i>`), each with the
 * headings it stands under: the section's, then its group's. `items` holds the
 * section's own items first, then each group's (see `parseProfile`).
 */
function itemsByHeading(section: ProfileSection): { item: ProfileItem; heading: string[] }[] {
  const groups = section.groups ?? [];
  const own = section.items.length - groups.reduce((sum, group) => sum + group.items.length, 0);
  return [
    ...section.items.slice(0, own).map((item) => ({ item, heading: [section.title] })),
    ...groups.flatMap((group) => group.items.map((item) => ({ item, heading: [section.title, group.title] }))),
  ];
}
