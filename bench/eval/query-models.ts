/**
 * Simulated known-item queries (Azzopardi, de Rijke and Balog, "Building
 * simulated queries for known-item topics", SIGIR 2007): a person remembers a
 * document and types a few of its words. Each model says which words they
 * remember; every query is made of surface words (lower case, as written in the
 * text), never of stems, so no system's own word processing shapes the queries.
 */
import { eng as ENGLISH_STOP_WORDS } from 'stopword';
import { seededRandom } from '../queries.ts';
import { MIN_TYPO_LENGTH, makeTypoIn, typoKind, type TypoKind, type TypoStyle } from './typos.ts';

export const MODELS = ['middling', 'discriminative', 'rarest', 'title'] as const;
export type ModelName = (typeof MODELS)[number];

/** What each model draws, in a line (for the report). */
export const MODEL_DESCRIPTIONS: Record<ModelName, string> = {
  middling: 'body words not in the title, in 4-40 documents, drawn uniformly',
  discriminative: 'body words not in the title, in 2-40 documents, drawn by tf × idf',
  rarest: 'body words not in the title, drawn uniformly from the 8 in fewest documents (the old eval)',
  title: 'words of the title, drawn uniformly',
};

/** Document-frequency bounds of the two frequency models (inclusive). */
export const MIDDLING_DF = { min: 4, max: 40 } as const;
export const DISCRIMINATIVE_DF = { min: 2, max: 40 } as const;
/** How many of a document's rarest words the rarest model draws from. */
export const RAREST_POOL = 8;

/** A document as the query models see it. */
export interface QueryDoc {
  id: string;
  title: string;
  text: string;
}

// The separators of MiniSearch's default tokenizer: white space and punctuation (tinker's also splits at
// symbols such as = and +; the queries keep MiniSearch's words, so no baseline is asked for a word it cannot split out).
const TOKEN = /[^\n\r\p{Z}\p{P}]+/gu;
const WORD = /^\p{L}{3,}$/u;
const STOP_WORDS = new Set<string>(ENGLISH_STOP_WORDS);

/**
 * The words of a text a person would type to find it, in order: tokens of 3+
 * letters (no digits or symbols), lower-cased, not English stop words.
 */
export function surfaceWords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.match(TOKEN) ?? []) {
    const word = token.toLowerCase();
    if (WORD.test(word) && !STOP_WORDS.has(word)) words.push(word);
  }
  return words;
}

/** One document's words: its title's, and its body's with their counts. */
interface DocWords {
  id: string;
  title: readonly string[];
  titleSet: ReadonlySet<string>;
  /** Body word → occurrences in the body. */
  body: ReadonlyMap<string, number>;
}

/** What the models need to know about an archive: each document's words and each word's document frequency. */
export interface ArchiveWords {
  docs: readonly DocWords[];
  /** Surface word → how many documents hold it (title or body). */
  df: ReadonlyMap<string, number>;
}

export function archiveWords(docs: readonly QueryDoc[]): ArchiveWords {
  const df = new Map<string, number>();
  const words = docs.map((doc): DocWords => {
    const title = [...new Set(surfaceWords(doc.title))];
    const body = new Map<string, number>();
    for (const word of surfaceWords(doc.text)) body.set(word, (body.get(word) ?? 0) + 1);
    for (const word of new Set([...title, ...body.keys()])) df.set(word, (df.get(word) ?? 0) + 1);
    return { id: doc.id, title, titleSet: new Set(title), body };
  });
  return { docs: words, df };
}

/** The words a model may draw from one document, each with its weight, in a fixed order. */
export function candidates(model: ModelName, doc: DocWords, archive: ArchiveWords): Array<{ word: string; weight: number }> {
  if (model === 'title') return doc.title.map((word) => ({ word, weight: 1 }));
  const body = [...doc.body.keys()].filter((word) => !doc.titleSet.has(word)).sort();
  const df = (word: string) => archive.df.get(word) ?? 0;
  if (model === 'middling') {
    return body.filter((word) => df(word) >= MIDDLING_DF.min && df(word) <= MIDDLING_DF.max).map((word) => ({ word, weight: 1 }));
  }
  if (model === 'discriminative') {
    const n = archive.docs.length;
    return body
      .filter((word) => df(word) >= DISCRIMINATIVE_DF.min && df(word) <= DISCRIMINATIVE_DF.max)
      .map((word) => ({ word, weight: doc.body.get(word)! * Math.log(n / df(word)) }));
  }
  return body
    .sort((a, b) => df(a) - df(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, RAREST_POOL)
    .map((word) => ({ word, weight: 1 }));
}

/** `count` different words drawn without replacement, each with probability in proportion to its weight. */
export function drawWeighted(random: () => number, pool: ReadonlyArray<{ word: string; weight: number }>, count: number): string[] | undefined {
  if (pool.length < count) return undefined;
  const left = [...pool];
  const chosen: string[] = [];
  while (chosen.length < count) {
    const total = left.reduce((sum, item) => sum + item.weight, 0);
    let at = random() * total;
    let index = left.findIndex((item) => (at -= item.weight) < 0);
    if (index < 0) index = left.length - 1;
    chosen.push(left.splice(index, 1)[0]!.word);
  }
  return chosen;
}

/** One simulated query for a known item. */
export interface KnownItemQuery {
  /** The document the person looks for. */
  target: string;
  /** The query as typed. */
  text: string;
  /** For a typo query: the word as written, as mistyped, and the kind of edit. */
  typo?: { word: string; typed: string; kind: TypoKind };
}

/** The queries of one row pair: the same words, clean and with one typo. */
export interface KnownItemCell {
  model: ModelName;
  words: number;
  /** Documents the model can make a query of `words` words for. */
  eligible: number;
  clean: KnownItemQuery[];
  /** The clean queries with one typo each; those without a word of 4+ letters are left out. */
  typo: KnownItemQuery[];
}

/** FNV-1a: a seed per cell from its name, so adding a cell or an archive changes no other cell's queries. */
export function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * The known-item queries of one model and query length on an archive: a seeded
 * sample of at most `sample` target documents among those the model can draw
 * `words` words from, a query for each, and the same query with one typo.
 */
export function knownItemCell(
  archive: ArchiveWords,
  model: ModelName,
  words: number,
  options: { sample: number; seed: string; typos?: TypoStyle },
): KnownItemCell {
  const seed = seedOf(`${options.seed}/${model}/${words}`);
  const pick = seededRandom(seed);
  const mistype = seededRandom(seed ^ 0x5bd1e995);
  const pools = archive.docs
    .map((doc) => ({ doc, pool: candidates(model, doc, archive) }))
    .filter(({ pool }) => pool.length >= words);
  // Fisher-Yates on the eligible documents, then the first `sample` of them.
  const order = [...pools];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(pick() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const clean: KnownItemQuery[] = [];
  const typo: KnownItemQuery[] = [];
  for (const { doc, pool } of order.slice(0, options.sample)) {
    const chosen = drawWeighted(pick, pool, words)!;
    clean.push({ target: doc.id, text: chosen.join(' ') });
    const long = chosen.map((word, i) => i).filter((i) => [...chosen[i]!].length >= MIN_TYPO_LENGTH);
    if (long.length === 0) continue;
    const at = long[Math.floor(mistype() * long.length)]!;
    const typed = makeTypoIn(options.typos ?? 'keyboard', mistype, chosen[at]!);
    typo.push({ target: doc.id, text: chosen.map((word, i) => (i === at ? typed : word)).join(' '), typo: { word: chosen[at]!, typed, kind: typoKind(chosen[at]!, typed) } });
  }
  return { model, words, eligible: pools.length, clean, typo };
}
