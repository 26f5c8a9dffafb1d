import { describe, expect, it } from 'vitest';
import { SEARCH_POLICY, SearchIndex, type IndexedDoc } from '../../../src/core/index.ts';

function article(id: string, title: string, text: string): IndexedDoc {
  return { id: `article:${id}`, kind: 'article', title, text, tags: [], source: { label: id, path: id } };
}

const docs = [
  // Holds both words as typed, once each, in a longer text.
  article('typed.md', 'Nozzle design', 'the analytical design of an axially symmetric nozzle whose spherical throat is formed by a parallel and uniform jet, with the wall contour computed from the characteristics'),
  // Holds "spherical" and other forms of "formed" (form, forms), in its title too, but not "formed".
  article('forms.md', 'Spherical shells of any form', 'stresses of spherical shells: the form of the shell and the forms of its loads'),
  ...['wing', 'flutter', 'boundary', 'heat', 'shock', 'panel'].map((word) => article(`${word}.md`, word, `notes on ${word} flow and ${word} tests`)),
];

const first = (policy: Partial<typeof SEARCH_POLICY>, query: string) => {
  const index = new SearchIndex({ policy });
  index.addAll(docs);
  return index.rank(query, { limit: 3 }).matches.map((match) => match.id);
};

describe('a word as typed against its other forms (issue #15)', () => {
  it('ranks the document holding every word as typed above one holding another form of one, in its title too', () => {
    // Cranfield's "spherical formed": with stems weighed half a word as typed, the document with
    // "form" and "forms" (title and text) ranked first; MiniSearch, words as typed only, had the other.
    expect(first({}, 'spherical formed')).toEqual(['article:typed.md', 'article:forms.md']);
  });

  it('still finds a document by another form of the word only', () => {
    expect(first({}, 'spherical forming')).toContain('article:forms.md');
    expect(first({}, 'forming')).toEqual(['article:forms.md', 'article:typed.md']);
  });

  it('is what the stem weight decides: at the old 0.5 the forms win', () => {
    expect(first({ weights: { ...SEARCH_POLICY.weights, stem: 0.5 } }, 'spherical formed')[0]).toBe('article:forms.md');
  });
});
