import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../bench/eval.ts';
import { aboveEveryBaseline, marginOf, targetLines, verdictLine } from '../../bench/eval/report.ts';
import type { ArchiveResult, KnownItemRow } from '../../bench/eval/run.ts';

const figures = (hit5: number, hit1 = hit5) => ({ n: 100, hit1, hit5, mrr: hit1 });

function row(model: KnownItemRow['model'], words: number, typo: boolean, tinker: number, ms: number, bm25: number, hit1 = tinker): KnownItemRow {
  return { model, words, typo, eligible: 100, figures: { tinker: figures(tinker, hit1), MS: figures(ms), BM25: figures(bm25) }, losses: [] };
}

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
  });

  it('says what is wrong with a bad flag', () => {
    expect(parseFlags(['--archive=obsidian'])).toBe('eval: unknown --archive value "obsidian" — use til,rust-blog,cranfield or dir:/path/to/markdown');
    expect(parseFlags(['--typos=hard'])).toBe('eval: unknown --typos value "hard" — use keyboard, any, two');
    expect(parseFlags(['--models=tfidf'])).toBe('eval: unknown --models value "tfidf" — use middling,discriminative,rarest,title');
    expect(parseFlags(['--n=lots'])).toBe('eval: --n must be a whole number of documents, got "lots"');
    expect(parseFlags(['--fast'])).toBe('eval: unknown option --fast — use --archive=, --models=, --n=, --typos=, --quick, --variants, --markdown, --losses, --no-cache');
  });
});
