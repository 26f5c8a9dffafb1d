import { describe, expect, it } from 'vitest';
import { SearchIndex, type IndexedDoc } from '../../../src/core/search/search-index.ts';

const doc = (id: string, title: string, text: string): IndexedDoc => ({ id, kind: 'article', title, text, tags: [], source: { label: id } });

function indexOf(docs: IndexedDoc[]): SearchIndex {
  const index = new SearchIndex();
  index.addAll(docs);
  return index;
}

const ids = (index: SearchIndex, query: string) => index.rank(query, 10).matches.map((match) => match.id);
const strong = (index: SearchIndex, query: string, id: string) => {
  const match = index.rank(query, 10).matches.find((m) => m.id === id)!;
  return index.hit(index.get(id)!, new Set(match.terms), match.score).snippet.filter((span) => span.strong).map((span) => span.text);
};

describe('words written joined by a dot or a hyphen', () => {
  const index = indexOf([
    doc('server', 'Running a server', 'An API on Node.js behind ASP.NET, with a real-time feed and an e-mail digest; UTF-8 throughout.'),
    // Typo readings of the joined words: what "nodejs", "realtime" and "email" found before.
    doc('noise', 'Notes', 'Nodes and jobs, a realtor at a reel, emacs and gmail; modes of real life and time.'),
    doc('numbers', 'Versions', 'Release 1.2.3 of example.com at www.example.org: state-of-the-art, 10-15 ms, v0.10, self.iter(), 74.6ms.'),
  ]);

  it('finds a text writing node.js by the word typed run together, first', () => {
    for (const query of ['nodejs', 'NodeJS', 'aspnet', 'realtime', 'email', 'utf8']) expect(ids(index, query)[0], query).toBe('server');
  });

  it('counts the joined form as the word typed: no typo reading of it ranks beside it', () => {
    expect(ids(index, 'realtime')).toEqual(['server']);
    expect(ids(index, 'email')).toEqual(['server']);
  });

  it('keeps the parts as words: node.js, node js and real time still find it', () => {
    for (const query of ['node.js', 'node js', 'node', 'js', 'real time', 'e-mail']) expect(ids(index, query)[0], query).toBe('server');
  });

  it('joins a pair standing alone, not numbers, versions, host names, code calls or phrases', () => {
    for (const query of ['123', '12', 'wwwexample', 'exampleorg', 'stateof', 'theart', '1015', 'v010', 'selfiter', '746ms']) {
      // Typo readings may find the document; the word itself is not in the index.
      expect(index.rank(query, 10).matches.flatMap((match) => match.terms), query).not.toContain(query);
    }
    // A name and its short ending standing alone are a pair: example.com is one.
    expect(ids(index, 'examplecom')).toEqual(['numbers']);
  });

  it('marks the pair as written in the snippet when the joined word matched', () => {
    expect(strong(index, 'nodejs', 'server')).toEqual(['Node.js']);
    expect(strong(index, 'realtime email', 'server')).toEqual(['real-time', 'e-mail']);
  });

  it('finds a text writing the word run together by the parts typed apart or joined', () => {
    const written = indexOf([
      doc('joined', 'Scripts', 'Small NodeJS scripts, realtime dashboards.'),
      doc('apart', 'Trees', 'A node in a tree; a real plan in time.'),
      // The words apart are commoner than the word they make (as in any archive).
      doc('clock', 'Clocks', 'What time is it? Real clocks.'),
    ]);
    expect(ids(written, 'node.js')[0]).toBe('joined');
    expect(ids(written, 'node js')[0]).toBe('joined');
    expect(ids(written, 'real-time')[0]).toBe('joined');
    expect(ids(written, 'real time')[0]).toBe('joined');
    expect(ids(written, 'real time')).toContain('apart');
    // A word alone is not read as half of a joined one (only as its start, the last word typed).
    expect(ids(written, 'node')[0]).toBe('apart');
  });

  it('joins words in any script, and does not make a document longer', () => {
    const accented = indexOf([doc('cafe', 'Menu', 'Café-crème served daily.'), doc('other', 'Menu', 'Café served daily.')]);
    expect(ids(accented, 'cafecreme')).toEqual(['cafe']);
    // Same words, one written joined: "cafe" weighs the same in both (BM25's length counts words, not forms).
    const lengths = indexOf([doc('a', 'x', 'alpha beta gamma delta'), doc('b', 'x', 'alpha beta-gamma delta'), doc('c', 'x', 'zeta')]);
    const scores = lengths.rank('alpha', 10).matches.map((match) => match.score);
    expect(scores[0]).toBeCloseTo(scores[1]!, 10);
  });
});
