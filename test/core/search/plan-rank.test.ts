import { describe, expect, it } from 'vitest';
import { DocumentReader } from '../../../src/core/search/document-terms.ts';
import { planQuery, type Lexicon, type WordPlan } from '../../../src/core/search/plan.ts';
import { SEARCH_POLICY, type SearchPolicy } from '../../../src/core/search/policy.ts';
import { Postings } from '../../../src/core/search/postings.ts';
import { Scorer } from '../../../src/core/search/rank.ts';
import type { IndexedDoc } from '../../../src/core/search/types.ts';
import { Vocabulary } from '../../../src/core/search/vocabulary.ts';
import { stemOf } from '../../../src/core/text/words.ts';

function lexiconOf(texts: Record<string, string>): Lexicon {
  const postings = new Postings<IndexedDoc>();
  const vocabulary = new Vocabulary(stemOf);
  const reader = new DocumentReader(postings, (term, termId) => vocabulary.add(term, termId));
  for (const [id, text] of Object.entries(texts)) {
    const doc: IndexedDoc = { id, kind: 'article', title: '', text, tags: [], source: { label: id } };
    const { fields, lengths } = reader.read(doc);
    postings.addTermIds(id, fields, lengths, doc);
  }
  return { postings, vocabulary };
}

/** A plan as words: each group's kind and members (weights rounded). */
function shape(lexicon: Lexicon, plans: WordPlan[]) {
  return plans.map((plan) => ({
    word: plan.word,
    groups: plan.groups.map((group) => ({
      kind: group.kind + (group.alsoStem ? '+stem' : ''),
      members: group.members.map((m) => `${lexicon.vocabulary.word(m.termId)}:${m.weight.toFixed(2)}`).sort(),
    })),
  }));
}

const policy = (changes: Partial<SearchPolicy> = {}): SearchPolicy => ({ ...SEARCH_POLICY, ...changes });

describe('query plans', () => {
  const lexicon = lexiconOf({
    a: 'configure the configuration, configured configurations',
    b: 'deploy deploys deployment kubernetes',
    c: 'term tern trim git',
  });

  it('matches a word as typed, its other forms together, and completes the last word only', () => {
    expect(shape(lexicon, planQuery('configuration deploy', policy(), lexicon))).toEqual([
      {
        word: 'configuration',
        groups: [
          { kind: 'exact', members: ['configuration:1.00'] },
          { kind: 'stem', members: ['configuration:1.00', 'configurations:1.00', 'configure:1.00', 'configured:1.00'] },
        ],
      },
      {
        word: 'deploy',
        groups: [
          { kind: 'exact', members: ['deploy:1.00'] },
          { kind: 'stem', members: ['deploy:1.00', 'deploys:1.00'] },
          // "deployment" stems apart from "deploy": a completion of the word being typed.
          { kind: 'prefix', members: ['deployment:0.89'] },
        ],
      },
    ]);
  });

  it('scores a word with no other form once, as both itself and its stem', () => {
    expect(shape(lexicon, planQuery('git', policy(), lexicon))).toEqual([{ word: 'git', groups: [{ kind: 'exact+stem', members: ['git:1.00'] }] }]);
  });

  it('reads an unknown word as a typo: a group per correction, its other forms at the stem share', () => {
    expect(shape(lexicon, planQuery('kubernetis trm', policy(), lexicon))).toEqual([
      { word: 'kubernetis', groups: [{ kind: 'fuzzy', members: ['kubernetes:0.91'] }] },
      { word: 'trm', groups: [{ kind: 'fuzzy', members: ['term:0.80'] }, { kind: 'fuzzy', members: ['trim:0.80'] }] },
    ]);
    // A correction's other forms count at a quarter of its weight (stem 0.25 / exact 1).
    const forms = shape(lexicon, planQuery('configuraton', policy({ prefix: 'none' }), lexicon))[0]!.groups;
    expect(forms).toEqual([{ kind: 'fuzzy', members: ['configuration:0.93', 'configurations:0.23', 'configure:0.23', 'configured:0.23'] }]);
  });

  it('drops stop words and repeats, and follows the policy for prefixes and typos', () => {
    expect(planQuery('the deploy and the deploy', policy(), lexicon).map((plan) => plan.word)).toEqual(['deploy']);
    expect(shape(lexicon, planQuery('deploy', policy({ prefix: 'none' }), lexicon))[0]!.groups.map((g) => g.kind)).toEqual(['exact', 'stem']);
    expect(planQuery('kubernetis', policy({ fuzzy: 'none' }), lexicon)[0]!.groups).toEqual([]);
    // With `fuzzy: 'all'` a word the index holds is also read as a typo of its neighbours.
    expect(shape(lexicon, planQuery('term', policy({ fuzzy: 'all', prefix: 'none' }), lexicon))[0]!.groups.map((g) => g.kind)).toEqual(['exact+stem', 'fuzzy']);
  });
});

describe('scoring', () => {
  const lexicon = lexiconOf({
    typed: 'success story of themselves',
    forms: 'successful successfully successful',
    one: 'themselves alone',
    both: 'successes happen to themselves',
  });
  const rank = (text: string, changes: Partial<SearchPolicy> = {}, keep?: (slot: number) => boolean) => {
    const p = policy(changes);
    return new Scorer(lexicon, p).score(planQuery(text, p, lexicon), 10, keep);
  };

  it('ranks the words as typed above their other forms, and counts a document once per word however many forms it holds', () => {
    const ranked = rank('success themselves');
    expect(ranked.matches.map((m) => m.id)).toEqual(['typed', 'both', 'one', 'forms']);
    expect(ranked.total).toBe(4);
    expect(ranked.matches[0]!.terms.sort()).toEqual(['success', 'themselves']);
  });

  it('counts a word found only by a weaker kind as part of a word in coordination (partialWords)', () => {
    const whole = rank('success themselves', { partialWords: false }).matches;
    const partial = rank('success themselves').matches;
    const ratio = (matches: typeof whole) => matches.find((m) => m.id === 'both')!.score / matches.find((m) => m.id === 'one')!.score;
    // "both" matches "success" only by its stem: less of a second word than with whole words.
    expect(ratio(partial)).toBeLessThan(ratio(whole));
  });

  it('leaves out what keep drops, from the matches and from the count', () => {
    const slotOf = (id: string) => lexicon.postings.slotOf(id)!;
    const ranked = rank('success themselves', {}, (slot) => slot !== slotOf('typed'));
    expect(ranked.matches.map((m) => m.id)).toEqual(['both', 'one', 'forms']);
    expect(ranked.total).toBe(3);
  });

  it('starts every search from zeros', () => {
    const first = rank('success themselves');
    rank('story');
    expect(rank('success themselves')).toEqual(first);
  });
});
