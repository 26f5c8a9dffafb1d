import { describe, expect, it, vi } from 'vitest';
import { SearchIndex, spansToText, type IndexedDoc } from '../../../src/core/index.ts';

function article(id: string, title: string, text: string, extra: Partial<IndexedDoc> = {}): IndexedDoc {
  return { id: `article:${id}`, kind: 'article', title, text, tags: [], source: { label: id, path: id }, ...extra };
}

/** Ids of the best documents for a query, as /find ranks them. */
const ids = (index: SearchIndex, text: string, limit = 10) => index.rank(text, { limit }).matches.map((m) => m.id);

describe('search policy', () => {
  it('ranks exact above prefix above fuzzy', () => {
    const index = new SearchIndex();
    index.addAll([
      article('a.md', 'Alpha', 'notes about kube clusters'),
      article('b.md', 'Beta', 'notes about kubelet clusters'),
      article('c.md', 'Gamma', 'notes about kuba clusters'),
    ]);
    expect(ids(index, 'kube', 10)).toEqual(['article:a.md', 'article:b.md']);
    // "kubx" is not in the index: it is read as a typo and matched within one edit.
    expect(ids(index, 'kubx', 10).sort()).toEqual(['article:a.md', 'article:c.md']);
  });

  it("reads an unknown short last word's completions as one more reading beside its typo corrections (finding 17)", () => {
    const filler = ['one', 'two', 'three', 'four'].map((n) => article(`${n}.md`, n, `unrelated words about ${n}`));
    const docs = [
      article('json.md', 'Reading', 'process the json output'),
      article('js.md', 'Writing', 'process the js output'),
      article('time.md', 'Clocks', 'inspect the time taken'),
      article('trim.md', 'Strings', 'inspect the trim result'),
      ...filler,
    ];
    const index = new SearchIndex();
    index.addAll(docs);
    // "jso" is one edit from "js" and one letter short of "json": the completion is as likely, and
    // the longer word the likelier reading. Before, "json" counted as a prefix match (0.3) below the
    // correction "js" (0.75).
    expect(ids(index, 'process jso')[0]).toBe('article:json.md');
    // "tim" is a fine prefix of "time" and one edit from "trim": a prefix is not outweighed by a typo.
    expect(ids(index, 'inspect tim')[0]).toBe('article:time.md');
    // Both readings still match.
    expect(ids(index, 'process jso')).toContain('article:js.md');
    expect(ids(index, 'inspect tim')).toContain('article:trim.md');
    // A word the index holds keeps its completions as prefixes, below the word as typed.
    expect(ids(index, 'process js')[0]).toBe('article:js.md');
    const before = new SearchIndex({ policy: { unknownCompletions: 'prefix' } });
    before.addAll(docs);
    expect(ids(before, 'process jso')[0]).toBe('article:js.md');
    expect(ids(before, 'inspect tim')[0]).toBe('article:trim.md');
  });

  it('does not fuzz a word the index holds', () => {
    const index = new SearchIndex();
    index.addAll([article('wing.md', 'Wing', 'flaps and slats'), article('wind.md', 'Wind', 'gusts and shear')]);
    expect(ids(index, 'wing', 10)).toEqual(['article:wing.md']);
    expect(ids(index, 'winng', 10)).toContain('article:wing.md');
  });

  it('finds a word wrapped in invisible bidi controls by the word as typed, and marks it', () => {
    const index = new SearchIndex();
    index.upsert({ id: 'note:b', kind: 'note', title: 'b', text: '\u202Eevil\u202C override', tags: [], source: { label: 'note b' } });
    const match = index.rank('evil', 5).matches[0]!;
    expect(match.id).toBe('note:b');
    expect(index.hit(index.get('note:b')!, new Set(match.terms), match.score).snippet.filter((s) => s.strong).map((s) => s.text)).toEqual(['\u202Eevil\u202C']);
  });

  it('corrects a typo as typed, then finds the correction in any of its forms', () => {
    const docs = [article('cfg.md', 'Settings', 'the configurations of the runner'), article('other.md', 'Other', 'config files')];
    const plain = new SearchIndex({ policy: { fuzzy: 'none' } });
    plain.addAll(docs);
    // "configuraton" stems to itself, four edits from "configur": only its correction as typed finds it.
    expect(ids(plain, 'configuraton', 10)).toEqual([]);
    const corrected = new SearchIndex();
    corrected.addAll(docs);
    expect(ids(corrected, 'configuraton', 10)).toEqual(['article:cfg.md']);
    // A document matching the word through a correction counts it once.
    expect(ids(corrected, 'configuraton runner', 10)[0]).toBe('article:cfg.md');
  });

  it('ranks the word as typed above its other forms', () => {
    const index = new SearchIndex();
    index.addAll([
      article('forms.md', 'Forms', 'successful deploys, successfully rolled back, successful again'),
      article('typed.md', 'Typed', 'themselves a success story'),
      article('other.md', 'Other', 'themselves only'),
    ]);
    // The example: "themselves success" must bring back the write-up holding both words first.
    const found = ids(index, 'themselves success', 3);
    expect(found[0]).toBe('article:typed.md');
    expect(found).toContain('article:forms.md');
    // The other forms still match, below.
    expect(index.rank('success', 3).matches.map((m) => m.id)).toEqual(['article:typed.md', 'article:forms.md']);
  });

  it('allows two typos in a long word only when nothing is one edit away', () => {
    const index = new SearchIndex();
    index.addAll([
      article('k.md', 'Clusters', 'running kubernetes at home'),
      article('p.md', 'Parsing', 'a parser for markdown'),
      article('q.md', 'Parsed', 'parsed output'),
    ]);
    // Two edits from "kubernet", nothing nearer: found at distance 2.
    expect(ids(index, 'kubernxtxs', 10)).toEqual(['article:k.md']);
    // One edit from "parser": "pars" (two edits away) is not brought in as well.
    expect(ids(index, 'parsxr', 10)).toEqual(['article:p.md']);
  });

  it('suggests words from the vocabulary for a query too far off to match', () => {
    const index = new SearchIndex();
    index.addAll([article('p.md', 'Parsing', 'a parser for markdown'), article('m.md', 'Markup', 'markdown everywhere')]);
    expect(ids(index, 'mrkdwnx', 10)).toEqual([]);
    expect(index.didYouMean('mrkdwnx')).toEqual(['markdown']);
    // Shown as written in the documents ("parsing"), not as the stem the index keeps ("pars").
    expect(index.didYouMean('parsnig')).toEqual(['parsing', 'parser']);
    expect(index.didYouMean('markdown')).toEqual([]);
  });

  it('finds a tag by its word, though the word stems differently, and finds a tag with accents by its folded form', () => {
    const index = new SearchIndex();
    index.addAll([
      article('tagged.md', 'Gems', 'bundler and rake tasks', { tags: ['ruby'] }),
      article('mention.md', 'Languages', 'Ruby came up once in passing, among many other words here'),
      article('cafe.md', 'Coffee', 'flat white', { tags: ['Café'] }),
    ]);
    // "ruby" stems to "rubi"; the tag is kept as written.
    expect(ids(index, 'ruby', 10)).toEqual(['article:tagged.md', 'article:mention.md']);
    // A tag with an accent is found by its folded form.
    expect(ids(index, 'cafe')).toEqual(['article:cafe.md']);
    // The tag counts once: "databases" (stem "databas") must not match the tag again as a prefix completion.
    const tagged = new SearchIndex();
    tagged.addAll([article('t.md', 'Notes', 'plain words', { tags: ['databases'] }), article('u.md', 'Other', 'more words')]);
    const [hit] = tagged.rank('databases', 5).matches;
    const exactOnly = new SearchIndex({ policy: { prefix: 'none' } });
    exactOnly.addAll([article('t.md', 'Notes', 'plain words', { tags: ['databases'] }), article('u.md', 'Other', 'more words')]);
    expect(hit!.score).toBeCloseTo(exactOnly.rank('databases', 5).matches[0]!.score, 10);
  });

  it('counts the documents of each kind that hold enough of a set of terms', () => {
    const index = new SearchIndex();
    index.addAll([
      article('a.md', 'Disaster recovery', 'restore git repositories'),
      article('b.md', 'Backups', 'git repositories backed up nightly'),
      { id: 'note:n1', kind: 'note', title: 'n', text: 'disaster drill for repositories', tags: [], source: { label: 'n' } },
    ]);
    const terms = ['disast', 'recoveri', 'git', 'repositori'];
    expect(index.countWithTerms(terms, 2)).toEqual({ note: 1, article: 2, profile: 0 });
    expect(index.countWithTerms(terms, 3)).toEqual({ note: 0, article: 1, profile: 0 });
    index.remove('article:a.md');
    expect(index.countWithTerms(terms, 3)).toEqual({ note: 0, article: 0, profile: 0 });
  });

  it('ranks a one-line profile item below a write-up on the same words', () => {
    const docs: IndexedDoc[] = [
      { id: 'profile:interests:0', kind: 'profile', title: 'Distributed systems', text: 'Interests', tags: [], source: { label: 'profile › Interests' } },
      article('w.md', 'Failure detectors', `how distributed systems notice a dead node: ${'heartbeats timeouts gossip '.repeat(10)}`),
      article('x.md', 'Cooking', 'unrelated text about bread'),
    ];
    const weighted = new SearchIndex();
    weighted.addAll(docs);
    expect(ids(weighted, 'distributed systems', 10)).toEqual(['article:w.md', 'profile:interests:0']);
    // Plain BM25 favours the short item: the weight is what puts the write-up first.
    const plain = new SearchIndex({ policy: { profileWeight: 1 } });
    plain.addAll(docs);
    expect(ids(plain, 'distributed systems', 10)[0]).toBe('profile:interests:0');
  });

  it('keeps the best results in order whatever the limit, and counts every match', () => {
    const index = new SearchIndex();
    index.addAll(Array.from({ length: 60 }, (_, i) => article(`d${i}.md`, `Doc ${i}`, `${'cache '.repeat(1 + (i % 7))}filler ${'word '.repeat(i % 11)}`)));
    const all = index.rank('cache', 100);
    expect(all.total).toBe(60);
    const scores = all.matches.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(index.rank('cache', 5).matches).toEqual(all.matches.slice(0, 5));
    expect(index.rank('cache', { limit: 3 }).total).toBe(60);
  });

  it('ranks documents that match more of the query words higher', () => {
    const index = new SearchIndex();
    index.addAll([
      article('one.md', 'One', `packfile ${'packfile '.repeat(5)}`),
      article('two.md', 'Two', 'packfile window tuning'),
    ]);
    expect(ids(index, 'packfile window', 2)[0]).toBe('article:two.md');
  });

  it('expands a long question with the words of its best documents (pseudo-relevance feedback), not a short query', () => {
    const docs = [
      article('a.md', 'Transition', 'boundary layer transition on a swept wing at supersonic speed with vortex shedding'),
      article('b.md', 'Swept wings', 'transition of the boundary layer on swept wings at supersonic speed, vortex shedding measured'),
      article('target.md', 'Bluff bodies', 'vortex shedding behind bluff bodies'),
      article('c.md', 'Cones', 'pressure distribution on cones'),
      article('d.md', 'Nozzles', 'heat transfer in rocket nozzles'),
      article('e.md', 'Panels', 'flutter of flat panels'),
    ];
    const question = 'boundary layer transition on a swept wing at supersonic speed';
    const plain = new SearchIndex({ policy: { feedback: false } });
    plain.addAll(docs);
    // The target shares no word with the question: without feedback it is not found.
    expect(ids(plain, question, 10)).not.toContain('article:target.md');
    const index = new SearchIndex();
    index.addAll(docs);
    const found = ids(index, question, 10);
    expect(found.slice(0, 2).sort()).toEqual(['article:a.md', 'article:b.md']);
    expect(found).toContain('article:target.md');
    // A short query is searched as typed.
    expect(ids(index, 'swept wing', 10)).not.toContain('article:target.md');
  });

  it('keeps article text out of memory when it can read it back, and snippets it from there', () => {
    const loadText = vi.fn((_doc: IndexedDoc) => 'The mmap window matters on NFS.');
    const index = new SearchIndex({ loadText });
    index.upsert(article('nfs.md', 'NFS', 'The mmap window matters on NFS.'));
    index.upsert({ id: 'note:n1', kind: 'note', title: 'a note', text: 'a note on mmap', tags: [], source: { label: 'note n1', noteId: 'n1' } });
    expect(index.get('article:nfs.md')!.text).toBe('');
    expect(index.get('note:n1')!.text).toBe('a note on mmap');
    const match = index.rank('mmap', { limit: 5, keep: (doc) => doc.kind === 'article' }).matches[0]!;
    const hit = index.hit(index.get(match.id)!, new Set(match.terms), match.score);
    expect(spansToText(hit.snippet)).toBe('The mmap window matters on NFS.');
    expect(hit.snippet.filter((s) => s.strong).map((s) => s.text)).toEqual(['mmap']);
    expect(loadText).toHaveBeenCalledTimes(1);
  });

  it('reports every change', () => {
    const onChange = vi.fn();
    const index = new SearchIndex({ onChange });
    index.upsert(article('a.md', 'A', 'x'));
    index.upsert(article('a.md', 'A', 'y'));
    index.remove('article:a.md');
    index.remove('article:a.md');
    expect(onChange).toHaveBeenCalledTimes(3);
  });
});

describe('forms weighted 0', () => {
  // With stems weighed 0 (the eval's "words as typed only"), a typo's other forms weigh 0. A
  // document holding only those forms was counted once per form among the group's holders: more
  // holders than documents made idf negative, the scores 0 or below were taken for "not yet", and
  // each query word listed the document again until the list of scored documents overflowed
  // (TypeError reading an id past its end: `npm run eval -- --variants --typos=any`, "rus team style").
  const docs = [
    article('rust.md', 'Rust', 'rust'),
    ...['one', 'two', 'three'].map((n) => article(`${n}.md`, n, 'rusts rusted rusting')),
  ];
  const index = new SearchIndex({ policy: { weights: { exact: 1, stem: 0, prefix: 0.3, fuzzy: 0.75 } } });
  index.addAll(docs);

  it('do not match: a document holding only forms weighted 0 is not found by the word', () => {
    // "rusk" is one typo from "rust", whose other forms (rusts, rusted, rusting) weigh 0 here.
    const ranked = index.rank('rusk', { limit: 10 });
    expect(ranked.matches.map((m) => m.id)).toEqual(['article:rust.md']);
    expect(ranked.total).toBe(1);
    expect(ranked.matches[0]!.score).toBeGreaterThan(0);
  });

  it('do not list a document once per query word', () => {
    // Four typos of "rust": each word found the documents again.
    const ranked = index.rank('rusk rusq rusz rusj', { limit: 10 });
    expect(ranked.matches.map((m) => m.id)).toEqual(['article:rust.md']);
    expect(ranked.total).toBe(1);
    // The shipped policy weighs the other forms: every document holds a reading of the word.
    const shipped = new SearchIndex();
    shipped.addAll(docs);
    expect(shipped.rank('rusk rusq rusz rusj', { limit: 10 }).matches.map((m) => m.id)[0]).toBe('article:rust.md');
    expect(shipped.rank('rusk rusq rusz rusj', { limit: 10 }).total).toBe(4);
  });
});

describe('what a reader may not see', () => {
  const docs: IndexedDoc[] = [
    article('public.md', 'Deploys', 'blue green deploys with a canary'),
    { id: 'note:secret', kind: 'note', title: 'private', text: 'zanzibar quarterly canary numbers', tags: [], source: { label: 'note secret' } },
  ];
  const visible = (doc: IndexedDoc) => doc.kind !== 'note';

  it('never surfaces through a ranking, a suggestion, a completion or a count', () => {
    const index = new SearchIndex();
    index.addAll(docs);
    expect(index.rank('zanzibar', { limit: 5 }).total).toBe(1);
    expect(index.rank('zanzibar', { limit: 5, keep: visible })).toEqual({ matches: [], total: 0 });
    expect(index.rank('canary', { limit: 5, keep: visible }).matches.map((m) => m.id)).toEqual(['article:public.md']);
    expect(index.didYouMean('zanzibat')).toEqual(['zanzibar']);
    expect(index.didYouMean('zanzibat', 3, visible)).toEqual([]);
    expect(index.complete('zanz', 5)).toEqual(['zanzibar']);
    expect(index.complete('zanz', 5, visible)).toEqual([]);
    expect(index.complete('canary qua', 5)).toEqual(['canary quarterly']);
    expect(index.complete('canary qua', 5, visible)).toEqual([]);
    expect(index.countWithTerms(['canari'], 1)).toEqual({ note: 1, article: 1, profile: 0 });
    expect(index.countWithTerms(['canari'], 1, visible)).toEqual({ note: 0, article: 1, profile: 0 });
  });

  it('suggests and completes nothing from a removed document', () => {
    const index = new SearchIndex();
    index.addAll(docs);
    index.remove('note:secret');
    expect(index.complete('zanz', 5)).toEqual([]);
    expect(index.didYouMean('zanzibat')).toEqual([]);
    expect(index.countWithTerms(['zanzibar'], 1)).toEqual({ note: 0, article: 0, profile: 0 });
  });

  it('completes the last word from the documents that hold the earlier ones, most held first', () => {
    const index = new SearchIndex();
    index.addAll([
      article('a.md', 'A', 'mirror mirrors mirroring'),
      article('b.md', 'B', 'git mirroring setup'),
      article('c.md', 'C', 'git mirror'),
      article('d.md', 'D', 'mirror'),
    ]);
    // Words as the documents write them, not stems.
    expect(index.complete('mirr', 3)).toEqual(['mirror', 'mirroring', 'mirrors']);
    expect(index.complete('git mirr', 3)).toEqual(['git mirror', 'git mirroring']);
    // An earlier word counts in any of its forms.
    expect(index.complete('mirrored setu', 3)).toEqual(['mirrored setup']);
    expect(index.complete('unknownword mirr', 3)).toEqual([]);
  });
});
