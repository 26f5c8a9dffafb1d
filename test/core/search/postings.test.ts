import { describe, expect, it } from 'vitest';
import { FIELD_ID, Postings } from '../../../src/core/search/postings.ts';

const fields = (title: Record<string, number>, text: Record<string, number> = {}, tags: Record<string, number> = {}) =>
  [title, text, tags].map((terms) => new Map(Object.entries(terms)));

/** A term's live postings in a field as [id, tf] pairs. */
function listOf(postings: Postings, term: string, field: number): Array<[string, number]> {
  const termId = postings.termId(term);
  if (termId === undefined) return [];
  const out: Array<[string, number]> = [];
  const start = postings.start(termId, field);
  for (let i = start; i < start + postings.count(termId, field); i += 1) {
    const slot = postings.docs[i]!;
    if (postings.alive[slot] === 1) out.push([postings.ids[slot]!, postings.tfs[i]!]);
  }
  return out;
}

describe('postings', () => {
  it('keeps each term’s documents per field, in the order they were added, with their frequencies', () => {
    const postings = new Postings();
    postings.add('a', fields({ git: 1 }, { git: 3, nfs: 1 }), [1, 4, 0]);
    postings.add('b', fields({}, { nfs: 2 }, { git: 1 }), [0, 2, 1]);
    expect(listOf(postings, 'git', FIELD_ID.title)).toEqual([['a', 1]]);
    expect(listOf(postings, 'git', FIELD_ID.text)).toEqual([['a', 3]]);
    expect(listOf(postings, 'git', FIELD_ID.tags)).toEqual([['b', 1]]);
    expect(listOf(postings, 'nfs', FIELD_ID.text)).toEqual([['a', 1], ['b', 2]]);
    expect(postings.documentFrequency(postings.termId('nfs')!)).toBe(2);
    expect(postings.averageLength(FIELD_ID.text)).toBe(3);
    expect(postings.holds(postings.termId('git')!, postings.slotOf('b')!)).toBe(true);
    expect(postings.holds(postings.termId('git')!, postings.slotOf('b')!, 1 << FIELD_ID.text)).toBe(false);
    expect(() => postings.add('a', fields({}), [0, 0, 0])).toThrow('search: document a is already indexed');
  });

  it('vacuums in slices, and replaces nothing when a document is added or removed between them', () => {
    const postings = new Postings();
    const words = (i: number) => Object.fromEntries(Array.from({ length: 100 }, (_, w) => [`w${(i * 7 + w) % 400}`, 1 + (w % 3)]));
    for (let i = 0; i < 3000; i += 1) postings.add(`d${i}`, fields({}, words(i)), [0, 150, 0]);
    postings.remove('d5');
    const before = listOf(postings, 'w3', FIELD_ID.text);
    const vacuum = postings.vacuumSlices();
    // 300,000 postings: more than one slice.
    expect(vacuum.next().done).toBe(false);
    postings.remove('d7');
    let step = vacuum.next();
    while (!step.done) step = vacuum.next();
    expect(step.value).toBe(false);
    expect(postings.hasDead).toBe(true);
    expect(listOf(postings, 'w3', FIELD_ID.text)).toEqual(before.filter(([id]) => id !== 'd7'));
    const again = postings.vacuumSlices();
    step = again.next();
    while (!step.done) step = again.next();
    expect(step.value).toBe(true);
    expect(postings.hasDead).toBe(false);
    expect(postings.slotOf('d8')).toBe(6);
    expect(listOf(postings, 'w3', FIELD_ID.text)).toEqual(before.filter(([id]) => id !== 'd7'));
  });

  it('grows lists past their room and compacts the arenas without losing a posting', () => {
    const postings = new Postings();
    for (let i = 0; i < 3000; i += 1) postings.add(`d${i}`, fields({}, { common: 1 + (i % 5), [`rare${i % 300}`]: 1 }), [0, 2, 0]);
    const common = listOf(postings, 'common', FIELD_ID.text);
    expect(common).toHaveLength(3000);
    expect(common.every(([id, tf], i) => id === `d${i}` && tf === 1 + (i % 5))).toBe(true);
    expect(listOf(postings, 'rare7', FIELD_ID.text).map(([id]) => id)).toEqual(Array.from({ length: 10 }, (_, k) => `d${7 + 300 * k}`));
  });

  it('skips removed documents, and a vacuum drops them, renumbers slots and forgets terms no one holds', () => {
    const postings = new Postings();
    let renumbered: Int32Array | undefined;
    postings.onRenumberTerms = (map) => (renumbered = map);
    postings.add('a', fields({}, { only: 1, shared: 1 }), [0, 2, 0]);
    postings.add('b', fields({}, { shared: 2 }), [0, 2, 0]);
    postings.remove('a');
    expect(postings.documentCount).toBe(1);
    expect(listOf(postings, 'shared', FIELD_ID.text)).toEqual([['b', 2]]);
    // Until a vacuum, the removed document still counts in document frequencies.
    expect(postings.documentFrequency(postings.termId('shared')!)).toBe(2);
    postings.vacuum();
    expect(postings.hasTerm('only')).toBe(false);
    expect(postings.documentFrequency(postings.termId('shared')!)).toBe(1);
    expect(postings.slotOf('b')).toBe(0);
    expect([...renumbered!]).toEqual([-1, 0]);
    postings.add('c', fields({ shared: 1 }), [1, 0, 0]);
    expect(listOf(postings, 'shared', FIELD_ID.title)).toEqual([['c', 1]]);
  });

  it('vacuums by itself once a tenth of the postings belong to removed documents', () => {
    const postings = new Postings();
    for (let i = 0; i < 2000; i += 1) postings.add(`d${i}`, fields({}, { a: 1, b: 1, c: 1, d: 1, e: 1, [`w${i}`]: 1 }), [0, 6, 0]);
    for (let i = 0; i < 199; i += 1) postings.remove(`d${i}`);
    expect(postings.slotCount).toBe(2000);
    postings.remove('d199');
    expect(postings.slotCount).toBe(1800);
    expect(postings.hasTerm('w0')).toBe(false);
    expect(listOf(postings, 'a', FIELD_ID.text)).toHaveLength(1800);
  });
});
