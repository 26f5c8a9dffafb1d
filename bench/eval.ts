/**
 * `npm run eval`: relevance of the shipped search settings against MiniSearch's
 * defaults, side by side, on Cranfield 1400 (graded judgments) and on
 * known-item recall over the til write-ups.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { parseArticle } from '../src/core/sources/articles.ts';
import { SEARCH_POLICY, SearchIndex, type IndexedDoc, type SearchPolicy } from '../src/core/search/search-index.ts';
import { foldCase, tokenize } from '../src/core/text/words.ts';
import { TIL_DIR, loadCranfield, tilFiles } from './corpus.ts';
import { contentWords, seededRandom, typo } from './queries.ts';
import { fmt, mean, table } from './stats.ts';

/** A ranking function: query text → document ids, best first. */
type Ranker = (query: string) => string[];

interface System {
  name: string;
  build(docs: IndexedDoc[]): Ranker;
}

/** The shipped index under a policy; ranking is exactly what /find shows, without building snippets. */
export function policySystem(name: string, policy: Partial<SearchPolicy> = {}): System {
  return {
    name,
    build(docs) {
      const index = new SearchIndex({ policy });
      index.addAll(docs);
      return (query) => index.rank(query, 1000).matches.map((match) => match.id);
    },
  };
}

const defaults: System = {
  name: 'MiniSearch defaults',
  build(docs) {
    const index = new MiniSearch<IndexedDoc>({ fields: ['title', 'text'] });
    index.addAll(docs);
    return (query) => index.search(query).map((result) => String(result.id));
  },
};

const defaultsFuzzy: System = {
  name: 'defaults + prefix + fuzzy 0.2',
  build(docs) {
    const index = new MiniSearch<IndexedDoc>({ fields: ['title', 'text'], searchOptions: { prefix: true, fuzzy: 0.2 } });
    index.addAll(docs);
    return (query) => index.search(query).map((result) => String(result.id));
  },
};

/** `--variants`: the shipped policy with one choice changed at a time, to show what each choice is worth. */
const VARIANTS: System[] = [
  policySystem('prefix: last word only', { prefix: 'last' }),
  policySystem('prefix: none', { prefix: 'none' }),
  policySystem('fuzzy: every word', { fuzzy: 'all' }),
  policySystem('fuzzy: none', { fuzzy: 'none' }),
  policySystem('spelling corrections off', { corrections: false }),
  policySystem('feedback off (long queries)', { feedback: false }),
  policySystem('title boost 1', { boost: { ...SEARCH_POLICY.boost, title: 1 } }),
  policySystem('title boost 3 (before tuning)', { boost: { ...SEARCH_POLICY.boost, title: 3, tags: 2 } }),
  policySystem('BM25+ (d 0.5)', { bm25: { ...SEARCH_POLICY.bm25, d: 0.5 } }),
  policySystem('no word-count multiplier', { coordination: false }),
];

const SYSTEMS = [policySystem('shipped'), defaults, defaultsFuzzy, ...(process.argv.includes('--variants') ? VARIANTS : [])];

// ---------- Cranfield ----------

interface CranfieldFigures {
  map: number;
  ndcg10: number;
  mrr: number;
}

/** Graded gain: code 1 (complete answer) → 4 … code 4 (minimum interest) → 1; -1 → 4 when counted, else 0. */
function gain(code: number | undefined, countMinusOne: boolean): number {
  if (code === undefined) return 0;
  if (code === -1) return countMinusOne ? 4 : 0;
  return code >= 1 && code <= 4 ? 5 - code : 0;
}

export function cranfieldFigures(ranker: Ranker, queries: string[], qrels: Map<number, Map<number, number>>, countMinusOne: boolean): CranfieldFigures {
  const aps: number[] = [];
  const ndcgs: number[] = [];
  const rrs: number[] = [];
  queries.forEach((query, i) => {
    const judged = qrels.get(i + 1) ?? new Map<number, number>();
    const gains = new Map<string, number>();
    for (const [doc, code] of judged) {
      const g = gain(code, countMinusOne);
      if (g > 0) gains.set(`cran:${doc}`, g);
    }
    if (gains.size === 0) return;
    const ranked = ranker(query);
    let found = 0;
    let precisionSum = 0;
    let rr = 0;
    ranked.forEach((id, rank) => {
      if (!gains.has(id)) return;
      found += 1;
      precisionSum += found / (rank + 1);
      if (rr === 0) rr = 1 / (rank + 1);
    });
    aps.push(precisionSum / gains.size);
    rrs.push(rr);
    const dcg = ranked.slice(0, 10).reduce((sum, id, rank) => sum + (gains.get(id) ?? 0) / Math.log2(rank + 2), 0);
    const ideal = [...gains.values()].sort((a, b) => b - a).slice(0, 10).reduce((sum, g, rank) => sum + g / Math.log2(rank + 2), 0);
    ndcgs.push(dcg / ideal);
  });
  return { map: mean(aps), ndcg10: mean(ndcgs), mrr: mean(rrs) };
}

// ---------- known-item recall on til ----------

export interface KnownItemQuery {
  target: string;
  text: string;
  typo: boolean;
}

/**
 * For each write-up: 2-4 words drawn from the 8 rarest (by document frequency)
 * words of its body that are not in its title; one typo in half of them. Fixed seed.
 */
export function knownItemQueries(docs: IndexedDoc[], seed = 7): KnownItemQuery[] {
  const random = seededRandom(seed);
  const bodyWords = docs.map((doc) => {
    const title = new Set(tokenize(doc.title).map(foldCase));
    return [...new Set(contentWords(doc.text).map(foldCase))].filter((w) => w.length >= 4 && !title.has(w));
  });
  const df = new Map<string, number>();
  for (const words of bodyWords) for (const word of words) df.set(word, (df.get(word) ?? 0) + 1);
  const queries: KnownItemQuery[] = [];
  docs.forEach((doc, i) => {
    const rare = [...bodyWords[i]!].sort((a, b) => df.get(a)! - df.get(b)! || a.localeCompare(b)).slice(0, 8);
    if (rare.length < 2) return;
    const count = Math.min(rare.length, 2 + Math.floor(random() * 3));
    const pool = [...rare];
    const chosen: string[] = [];
    while (chosen.length < count) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    const withTypo = random() < 0.5;
    if (withTypo) {
      const at = Math.floor(random() * chosen.length);
      chosen[at] = typo(random, chosen[at]!);
    }
    queries.push({ target: doc.id, text: chosen.join(' '), typo: withTypo });
  });
  return queries;
}

export interface KnownItemFigures {
  hit1: number;
  hit5: number;
  mrr: number;
  hit5Typo: number;
  hit5Clean: number;
}

export function knownItemFigures(ranker: Ranker, queries: KnownItemQuery[]): KnownItemFigures {
  const ranks = queries.map((query) => ranker(query.text).slice(0, 100).indexOf(query.target));
  const hitAt = (k: number, keep: (q: KnownItemQuery) => boolean = () => true) => {
    const kept = queries.map((q, i) => [q, ranks[i]!] as const).filter(([q]) => keep(q));
    return kept.filter(([, rank]) => rank >= 0 && rank < k).length / kept.length;
  };
  return {
    hit1: hitAt(1),
    hit5: hitAt(5),
    mrr: mean(ranks.map((rank) => (rank >= 0 ? 1 / (rank + 1) : 0))),
    hit5Typo: hitAt(5, (q) => q.typo),
    hit5Clean: hitAt(5, (q) => !q.typo),
  };
}

export async function loadEvalCorpora(): Promise<{ cranfield: Awaited<ReturnType<typeof loadCranfield>>; cranDocs: IndexedDoc[]; tilDocs: IndexedDoc[] }> {
  const cranfield = await loadCranfield();
  const cranDocs: IndexedDoc[] = cranfield.docs.map((doc) => ({
    id: `cran:${doc.id}`,
    kind: 'article',
    title: doc.title.trim(),
    text: doc.text.trim(),
    tags: [],
    source: { label: `cranfield ${doc.id}` },
  }));
  const files = await tilFiles();
  const tilDocs: IndexedDoc[] = await Promise.all(
    files.map(async (file) => {
      const article = parseArticle(`articles/${file}`, await readFile(path.join(TIL_DIR, file), 'utf8'), 1);
      return { id: `article:${file}`, kind: 'article', title: article.title, text: article.text, tags: article.tags, source: { label: file } } satisfies IndexedDoc;
    }),
  );
  return { cranfield, cranDocs, tilDocs };
}

async function main(): Promise<void> {
  const { cranfield, cranDocs, tilDocs } = await loadEvalCorpora();
  const knownItems = knownItemQueries(tilDocs);

  const rows: string[][] = [];
  const results: Record<string, unknown> = {};
  for (const system of SYSTEMS) {
    const cran = system.build(cranDocs);
    const strict = cranfieldFigures(cran, cranfield.queries, cranfield.qrels, false);
    const loose = cranfieldFigures(cran, cranfield.queries, cranfield.qrels, true);
    const known = knownItemFigures(system.build(tilDocs), knownItems);
    results[system.name] = { cranfield: strict, cranfieldWithMinusOne: loose, knownItem: known };
    rows.push([
      system.name,
      fmt(strict.map), fmt(strict.ndcg10), fmt(strict.mrr),
      fmt(loose.ndcg10),
      fmt(known.hit1), fmt(known.hit5), fmt(known.mrr), `${fmt(known.hit5Clean)} / ${fmt(known.hit5Typo)}`,
    ]);
  }
  const header = ['settings', 'Cran MAP', 'nDCG@10', 'MRR', 'nDCG@10 (-1 rel.)', 'til hit@1', 'hit@5', 'MRR', 'hit@5 clean / typo'];
  process.stdout.write(`${table(header, rows)}\n\n`);
  process.stdout.write(
    [
      `Cranfield 1400: ${cranfield.docs.length} documents, ${cranfield.queries.length} queries (numbered by position), codes 1-4 relevant with gain 5 − code; "-1 rel." counts code -1 as gain 4.`,
      `til known-item: ${knownItems.length} queries of 2-4 rare body words (not in the title), one typo in ${knownItems.filter((q) => q.typo).length}, seed 7.`,
    ].join('\n') + '\n',
  );
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`eval: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
