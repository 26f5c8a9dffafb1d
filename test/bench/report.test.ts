import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../bench/eval.ts';
import { knownItemFigures } from '../../bench/eval/metrics.ts';
import { aboveEveryBaseline, compareRow, knownItemTable, marginOf, pairedLine, standings, targetLines, variantsTable, verdictLine } from '../../bench/eval/report.ts';
import type { ArchiveResult, KnownItemRow } from '../../bench/eval/run.ts';

/** A row from each system's ranks (0-based, -1 not found), its figures computed from them. */
function rowOf(model: KnownItemRow['model'], words: number, typo: boolean, ranks: Record<string, number[]>): KnownItemRow {
  const figures = Object.fromEntries(Object.entries(ranks).map(([name, r]) => [name, knownItemFigures(r)]));
  return { model, words, typo, eligible: ranks.tinker!.length, figures, ranks, losses: [] };
}

/** 100 queries: the first hit1 · 100 at rank 1, the rest of hit5 · 100 at rank 4, the others not found. */
const ranksFor = (hit5: number, hit1 = hit5) => Array.from({ length: 100 }, (_, q) => (q < Math.round(hit1 * 100) ? 0 : q < Math.round(hit5 * 100) ? 3 : -1));

function row(model: KnownItemRow['model'], words: number, typo: boolean, tinker: number, ms: number, bm25: number, hit1 = tinker): KnownItemRow {
  return rowOf(model, words, typo, { tinker: ranksFor(tinker, hit1), MS: ranksFor(ms), BM25: ranksFor(bm25) });
}

/** n queries, hit at rank 1 where `hit(q)`, else not found. */
const hits = (n: number, hit: (q: number) => boolean) => Array.from({ length: n }, (_, q) => (hit(q) ? 0 : -1));
const first = (count: number) => (q: number) => q < count;

function result(rows: KnownItemRow[]): ArchiveResult {
  return { name: 'til', docs: 100, skipped: 0, cached: false, rows, seconds: 1, systemSeconds: {} };
}

const layout = { subject: 'tinker', baselines: ['MS', 'BM25'] };

describe('report', () => {
  it('measures the margin over the best baseline', () => {
    expect(marginOf(row('middling', 2, false, 0.9, 0.95, 0.8), 'tinker', layout.baselines)).toEqual({ margin: 0.9 - 0.95, best: 'MS' });
  });

  it('counts a row every system gets fully right apart, and a tie below 1 as a miss', () => {
    const r = result([row('middling', 2, false, 0.97, 0.95, 0.8), row('middling', 3, false, 1, 1, 1), row('title', 2, false, 0.9, 0.9, 0.5), row('title', 2, true, 0.8, 0.85, 0.5)]);
    const verdict = aboveEveryBaseline(r, layout);
    expect(verdict).toMatchObject({ above: 1, ceiling: 1, rows: 4 });
    expect(verdict.misses).toEqual(['title, 2 words tied with MS', 'title, 2 words, typo −0.050 vs MS']);
    expect(verdictLine(r, layout)).toBe(
      "til: tinker's hit@5 above every baseline on 1 of 4 rows, tied at 1.000 on 1; below or tied on 2 (target MISSED): title, 2 words tied with MS; title, 2 words, typo −0.050 vs MS.",
    );
    expect(verdictLine(result([row('rarest', 2, false, 0.99, 0.95, 0.9)]), layout)).toBe("til: tinker's hit@5 above every baseline on 1 of 1 rows: target met.");
  });

  it("checks the issue's discriminative targets", () => {
    const lines = targetLines(result([row('discriminative', 2, false, 0.96, 0.9, 0.9, 0.85), row('discriminative', 2, true, 0.88, 0.9, 0.9, 0.7)]), 'tinker');
    expect(lines).toEqual([
      'til target, discriminative 2 words: hit@5 clean 0.960 ≥ 0.95 met; with a typo 0.880 < 0.90 MISSED; hit@1 (both rows) 0.775 < 0.80 MISSED.',
    ]);
  });
});

describe('paired test in the report', () => {
  // 100 queries a row unless said; the subject's hits vs each baseline's, query by query.
  const significantlyAbove = rowOf('middling', 2, false, { tinker: hits(100, first(95)), MS: hits(100, first(80)), BM25: hits(100, first(70)) });
  const aboveWithinNoise = rowOf('middling', 2, true, { tinker: hits(100, first(91)), MS: hits(100, first(90)), BM25: hits(100, first(70)) });
  const behindWithinNoise = rowOf('middling', 3, false, { tinker: hits(100, first(89)), MS: hits(100, first(90)), BM25: hits(100, first(70)) });
  const evenSplit = rowOf('middling', 3, true, { tinker: hits(100, (q) => q >= 10), MS: hits(100, first(90)), BM25: hits(100, first(70)) });
  const significantlyBelow = rowOf('rarest', 2, false, { tinker: hits(100, first(80)), MS: hits(100, first(90)), BM25: hits(100, first(70)) });
  const ceiling = rowOf('rarest', 3, false, { tinker: hits(100, () => true), MS: hits(100, () => true), BM25: hits(100, first(99)) });
  // MS has the best hit@5 (120 of 200) but splits 40/60 with tinker (p 0.057); BM25 (115) is 15/0 ahead (p < 0.001).
  const belowTheSecond = rowOf('title', 2, false, { tinker: hits(200, first(100)), MS: hits(200, (q) => q >= 40 && q < 160), BM25: hits(200, first(115)) });

  it('pairs the subject with every baseline and marks the row', () => {
    const above = compareRow(significantlyAbove, 'tinker', layout.baselines);
    expect(above.versus).toEqual({ MS: { wins: 15, losses: 0, p: expect.closeTo(2 ** -14, 12) }, BM25: { wins: 25, losses: 0, p: expect.closeTo(2 ** -24, 12) } });
    expect(above).toMatchObject({ standing: 'above', significant: true, mark: '▲', shown: 'MS', ceiling: false });
    expect(compareRow(aboveWithinNoise, 'tinker', layout.baselines)).toMatchObject({ standing: 'above', significant: false, mark: '=', shown: 'MS' });
    expect(compareRow(behindWithinNoise, 'tinker', layout.baselines)).toMatchObject({ standing: 'noise', mark: '=', shown: 'MS' });
    expect(compareRow(evenSplit, 'tinker', layout.baselines)).toMatchObject({ standing: 'noise', mark: '=', versus: { MS: { wins: 10, losses: 10, p: 1 } } });
    expect(compareRow(significantlyBelow, 'tinker', layout.baselines)).toMatchObject({ standing: 'below', mark: '▼', shown: 'MS', versus: { MS: { wins: 0, losses: 10 } } });
    expect(compareRow(ceiling, 'tinker', layout.baselines)).toMatchObject({ standing: 'noise', ceiling: true, mark: '=' });
    const second = compareRow(belowTheSecond, 'tinker', layout.baselines);
    expect(marginOf(belowTheSecond, 'tinker', layout.baselines).best).toBe('MS');
    expect(second).toMatchObject({ standing: 'below', mark: '▼', shown: 'BM25', versus: { MS: { wins: 40, losses: 60 }, BM25: { wins: 0, losses: 15 } } });
  });

  it('tests hit@1 on its own', () => {
    // Same hit@5 for both, but tinker has 30 of its hits at rank 1 where MS has none.
    const r = rowOf('title', 3, false, { tinker: Array.from({ length: 100 }, (_, q) => (q < 30 ? 0 : 3)), MS: Array.from({ length: 100 }, () => 3), BM25: Array.from({ length: 100 }, () => -1) });
    expect(compareRow(r, 'tinker', ['MS'], 5)).toMatchObject({ mark: '=', versus: { MS: { wins: 0, losses: 0 } } });
    expect(compareRow(r, 'tinker', ['MS'], 1)).toMatchObject({ mark: '▲', versus: { MS: { wins: 30, losses: 0 } } });
  });

  it('sorts rows into above every baseline, within noise and significantly below one, and says so', () => {
    const r = result([significantlyAbove, aboveWithinNoise, behindWithinNoise, evenSplit, significantlyBelow, ceiling, belowTheSecond]);
    const sorted = standings(r, layout);
    expect(sorted.above.map((e) => e.label)).toEqual(['middling, 2 words', 'middling, 2 words, typo']);
    expect(sorted.noise.map((e) => e.label)).toEqual(['middling, 3 words', 'middling, 3 words, typo', 'rarest, 3 words']);
    expect(sorted.below.map((e) => e.label)).toEqual(['rarest, 2 words', 'title, 2 words']);
    expect(pairedLine(r, layout)).toBe(
      'til, paired test on hit@5 (exact McNemar, p < 0.05 each): above every baseline on 2 of 7 rows (significantly above every one on 1); ' +
        'within noise on 3 (1 tied at 1.000; middling, 3 words (MS +0/−1 p=1.00); middling, 3 words, typo (MS +10/−10 p=1.00)); ' +
        'significantly below a baseline on 2: rarest, 2 words (MS +0/−10 p=0.001); title, 2 words (BM25 +0/−15 p<0.001).',
    );
    expect(pairedLine(result([significantlyAbove]), layout)).toBe(
      'til, paired test on hit@5 (exact McNemar, p < 0.05 each): above every baseline on 1 of 1 rows (significantly above every one on 1); within noise on 0; significantly below a baseline on 0.',
    );
  });

  it('puts the paired cells in the tables', () => {
    const r = result([significantlyAbove, significantlyBelow]);
    const markdown = knownItemTable(r, { ...layout, variants: [], markdown: true }).split('\n');
    expect(markdown[0]).toBe(
      '| query model | n | hit@5 tinker | hit@5 MS | hit@5 BM25 | tinker − best | hit@5 paired test | hit@1 tinker | hit@1 MS | hit@1 BM25 | hit@1 paired test | MRR tinker | MRR MS | MRR BM25 |',
    );
    expect(markdown[2]).toContain('| +0.150 | ▲ MS +15/−0 p<0.001 |');
    expect(markdown[3]).toContain('| −0.100 | ▼ MS +0/−10 p=0.001 |');
    const plain = knownItemTable(r, { ...layout, variants: [], markdown: false });
    expect(plain).toContain('▲ MS +15/−0 p<0.001');
    const variants = variantsTable(result([significantlyAbove, significantlyBelow]), { ...layout, variants: ['tinker'], markdown: true }).split('\n');
    expect(variants[0]).toContain('| rows won (or all 1.000) | rows sig. below |');
    expect(variants[2]).toContain('| 1/2 | 1 |');
  });
});

describe('eval flags', () => {
  it('defaults to every archive and model, 500 documents a row', () => {
    expect(parseFlags([])).toEqual({
      archives: ['til', 'rust-blog', 'cranfield'],
      models: ['middling', 'discriminative', 'rarest', 'title'],
      sample: 500,
      variants: false,
      markdown: false,
      losses: false,
      cache: true,
      typos: 'keyboard',
    });
  });

  it('takes archives, models, sizes and switches', () => {
    expect(parseFlags(['--archive=cranfield,til', '--models=title', '--quick', '--variants', '--no-cache'])).toMatchObject({
      archives: ['til', 'cranfield'],
      models: ['title'],
      sample: 100,
      variants: true,
      cache: false,
    });
    expect(parseFlags(['--n=42'])).toMatchObject({ sample: 42 });
    expect(parseFlags(['--typos=any'])).toMatchObject({ typos: 'any' });
    expect(parseFlags(['--archive=dir:/tmp/vault,til'])).toMatchObject({ archives: ['til', 'dir:/tmp/vault'] });
    // --variant= picks variants by part of their name, and implies --variants.
    expect(parseFlags(['--variant=stem weight, title boost'])).toMatchObject({ variants: true, variantFilter: ['stem weight', 'title boost'] });
    expect(parseFlags([])).not.toHaveProperty('variantFilter');
  });

  it('says what is wrong with a bad flag', () => {
    expect(parseFlags(['--archive=obsidian'])).toBe('eval: unknown --archive value "obsidian" — use til,rust-blog,cranfield or dir:/path/to/markdown');
    expect(parseFlags(['--typos=hard'])).toBe('eval: unknown --typos value "hard" — use keyboard, any, two');
    expect(parseFlags(['--models=tfidf'])).toBe('eval: unknown --models value "tfidf" — use middling,discriminative,rarest,title');
    expect(parseFlags(['--n=lots'])).toBe('eval: --n must be a whole number of documents, got "lots"');
    expect(parseFlags(['--fast'])).toBe('eval: unknown option --fast — use --archive=, --models=, --n=, --typos=, --quick, --variants, --variant=NAME,..., --markdown, --losses, --no-cache');
  });
});
