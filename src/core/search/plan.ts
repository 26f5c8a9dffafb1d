/**
 * Query planning: for each query word, the index words it is searched as,
 * grouped by kind of match (the word as typed, the words of its stem, longer
 * words it starts, words a typo away), each group capped so that no word can
 * fan out without bound.
 */
import { typoBudget } from '../text/edit-distance.ts';
import { foldCase, isStopWord, joinedForm, stemOf, surfaceTerm, tokenize } from '../text/words.ts';
import { MAX_FUZZY_EXPANSIONS, MAX_PREFIX_EXPANSIONS, MIN_PREFIX_LENGTH, type MatchKind, type SearchPolicy } from './policy.ts';
import type { Postings } from './postings.ts';
import type { IndexedDoc } from './types.ts';
import type { Vocabulary } from './vocabulary.ts';

/** The index's words: their postings, and what the vocabulary knows of them (stems, order, typos). */
export interface Lexicon {
  /** Each live document's kept form is the record of its slot. */
  postings: Postings<IndexedDoc>;
  vocabulary: Vocabulary;
}

/** An index word a query word is searched as, with its weight within its group. */
export interface Member {
  termId: number;
  weight: number;
}

/**
 * One kind of match of a query word (a word has at most one group of each
 * kind, but one per correction of a typo): its members are scored as one term
 * (their weighted frequencies added, the documents holding any of them
 * counted once), so a document holding five forms of a word does not count
 * it five times.
 */
export interface MatchGroup {
  kind: MatchKind;
  members: Member[];
  /** An exact group that is also the word's stem group (the word has no other form): scored once, weighed as both. */
  alsoStem?: boolean;
}

/** A query word (or a feedback stem) and its groups. */
export interface WordPlan {
  /** The word as typed, folded (a feedback term: its stem). */
  word: string;
  groups: MatchGroup[];
  /** Whether it counts as a query word for coordination (feedback terms do not). */
  counts: boolean;
  /** Scale of all its groups: 1 for a query word. */
  weight: number;
}

/** The query's words with the matches the policy allows each one. */
export function planQuery(text: string, policy: SearchPolicy, lexicon: Lexicon): WordPlan[] {
  const words = tokenize(text);
  const folded = words.map(foldCase);
  // Two query words next to each other that the index holds run together (node js, node.js, real
  // time: a text's nodejs, realtime, or its node.js read as one word): a reading of each of them.
  const joined = folded.map((word, i) => {
    const next = folded[i + 1];
    const form = next === undefined ? undefined : joinedForm(word, next);
    return form === undefined || isStopWord(form) ? undefined : lexicon.postings.termId(form);
  });
  const plans: WordPlan[] = [];
  const seen = new Set<string>();
  words.forEach((raw, i) => {
    const word = surfaceTerm(raw);
    if (word === undefined || seen.has(word)) return;
    seen.add(word);
    const readings = [joined[i - 1], joined[i]].filter((termId): termId is number => termId !== undefined);
    plans.push(planWord(word, i === words.length - 1, policy, lexicon, readings));
  });
  return plans;
}

/**
 * A word's plan. `joined`: the index words it forms with the query word before or after it
 * (`joinedForm`), each a group of its own beside the word as typed: the same kind, so a
 * document counts the better of the two readings, once (node js: a text's node.js holds node, js
 * and nodejs; a text's NodeJS, nodejs only).
 */
function planWord(word: string, last: boolean, policy: SearchPolicy, lexicon: Lexicon, joined: readonly number[] = []): WordPlan {
  const { postings, vocabulary } = lexicon;
  const df = (termId: number) => postings.documentFrequency(termId);
  const groups: MatchGroup[] = [];
  const taken = new Set<number>();
  const exact = postings.termId(word);
  if (exact !== undefined) {
    taken.add(exact);
    groups.push({ kind: 'exact', members: [{ termId: exact, weight: 1 }] });
  }
  const readings: MatchGroup[] = [];
  for (const termId of joined) {
    if (taken.has(termId)) continue;
    taken.add(termId);
    // Weighed as the word as typed, not also as its stem (as a typed word without other forms
    // is): a little under the word itself. As both, long questions leaned on the hyphenated
    // compounds of their word pairs (Cranfield's boundary-layer, high-speed: nDCG@10 0.408 → 0.382).
    readings.push({ kind: 'exact', members: [{ termId, weight: 1 }] });
  }
  const stemmed = vocabulary.withStem(stemOf(word));
  for (const termId of stemmed) taken.add(termId);
  const exactGroup = groups[0];
  if (exactGroup && stemmed.length === 1 && stemmed[0] === exact) {
    // Most words have no other form: their stem group is the word itself.
    exactGroup.alsoStem = true;
  } else if (stemmed.length > 0) {
    groups.push({ kind: 'stem', members: stemmed.map((termId) => ({ termId, weight: 1 })) });
  }
  // Right after the exact group (groups of one kind in a row are alternatives).
  if (readings.length > 0) groups.splice(exact !== undefined ? 1 : 0, 0, ...readings);

  const prefixAllowed = policy.prefix === 'all' || (policy.prefix === 'last' && last);
  if (prefixAllowed && policy.weights.prefix > 0 && word.length >= MIN_PREFIX_LENGTH) {
    const completions: number[] = [];
    vocabulary.withPrefix(word, (termId) => {
      if (!taken.has(termId)) completions.push(termId);
    });
    // Closest completions first; among equals, the more common (the likelier word).
    const length = (termId: number) => vocabulary.word(termId).length;
    completions.sort((x, y) => length(x) - length(y) || df(y) - df(x));
    const members = completions.slice(0, MAX_PREFIX_EXPANSIONS).map((termId) => {
      taken.add(termId);
      const distance = length(termId) - word.length;
      return { termId, weight: length(termId) / (length(termId) + 0.3 * distance) };
    });
    // A last word the index does not hold is mistyped or not finished: its completions are
    // then one more reading of it beside its corrections, weighed as a correction (the document
    // counts its likeliest reading), not a prefix match added to them (finding 17: "jso" read as
    // "js" and "so" above "json", "tim" as "trim" above "time").
    const reading = policy.unknownCompletions === 'reading' && exact === undefined && stemmed.length === 0 && readings.length === 0;
    if (members.length > 0) groups.push({ kind: reading ? 'fuzzy' : 'prefix', members });
  }

  const unknown = exact === undefined && stemmed.length === 0 && readings.length === 0;
  const distance = Math.min(2, typoBudget(word, policy.typoLengths));
  const typoAllowed = policy.fuzzy === 'all' || (policy.fuzzy === 'unknown' && unknown);
  if (typoAllowed && distance > 0 && policy.weights.fuzzy > 0) {
    // One edit first; two only when nothing is one edit away: the two-edit neighbours of a word
    // with a close correction were mostly noise.
    let near = [...vocabulary.near(word, 1)].filter(([termId]) => !taken.has(termId));
    if (near.length === 0 && distance > 1) near = [...vocabulary.near(word, distance)].filter(([termId]) => !taken.has(termId));
    near.sort((x, y) => x[1] - y[1] || df(y[0]) - df(x[0]));
    near = near.slice(0, MAX_FUZZY_EXPANSIONS);
    const mostCommon = Math.max(1, ...near.map(([termId]) => df(termId)));
    // One group per correction (with its other forms: a typo often changes how a word stems,
    // configuraton): the person meant one word, so a document counts its likeliest one.
    for (const [termId, edits] of near) {
      if (taken.has(termId)) continue;
      const length = vocabulary.word(termId).length;
      const prior = policy.typoPrior === 0 ? 1 : (df(termId) / mostCommon) ** policy.typoPrior;
      const weight = (prior * length) / (length + edits);
      const members: Member[] = [{ termId, weight }];
      taken.add(termId);
      // Its other forms count as much less as a word's other forms count less than the word.
      const formWeight = weight * Math.min(1, policy.weights.stem / Math.max(policy.weights.exact, Number.EPSILON));
      for (const sibling of vocabulary.siblings(termId)) {
        if (taken.has(sibling)) continue;
        taken.add(sibling);
        members.push({ termId: sibling, weight: formWeight });
      }
      groups.push({ kind: 'fuzzy', members });
    }
  }
  return { word, groups, counts: true, weight: 1 };
}
