/**
 * The evaluation's tables, as plain text or markdown: one per archive (rows =
 * model × words × typo, columns = each system's hit@5, then hit@1 and MRR),
 * a line on whether tinker is above every baseline, one on whether its
 * differences from them are beyond noise (paired tests, paired.ts), and the
 * issue's targets.
 */
import { fmt, table } from '../stats.ts';
import { ALPHA, formatP, pairedHits, standingOf, type PairedHits } from './paired.ts';
import { MODELS, type ModelName } from './query-models.ts';
import type { ArchiveResult, KnownItemRow } from './run.ts';

/** Issue #15's targets. */
export const TARGETS = {
  discriminative2: { hit5Clean: 0.95, hit5Typo: 0.9, hit1: 0.8 },
  cranfieldNdcg10: 0.4,
} as const;

/** The archives whose known-item rows are targets (Cranfield's are reported beside them). */
export const TARGET_ARCHIVES: readonly string[] = ['til', 'rust-blog'];

export interface ReportLayout {
  /** The system everything is compared with (tinker, or the shipped variant). */
  subject: string;
  baselines: readonly string[];
  /** Extra tinker variants (--variants), shipped first. */
  variants: readonly string[];
  markdown: boolean;
}

function render(header: readonly string[], rows: ReadonlyArray<readonly string[]>, markdown: boolean, rightFrom = 1): string {
  if (!markdown) return table(header, rows);
  const align = header.map((_, i) => (i < rightFrom ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function signed(value: number): string {
  if (Number.isNaN(value)) return '—';
  const text = fmt(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : '0';
}

/** How far the subject's hit@5 is above the best baseline's on a row, and which baseline that is. */
export function marginOf(row: KnownItemRow, subject: string, baselines: readonly string[]): { margin: number; best: string } {
  let best = baselines[0]!;
  for (const name of baselines) if (row.figures[name]!.hit5 > row.figures[best]!.hit5) best = name;
  return { margin: row.figures[subject]!.hit5 - row.figures[best]!.hit5, best };
}

export function rowLabel(row: KnownItemRow): string {
  return `${row.model}, ${row.words} words${row.typo ? ', typo' : ''}`;
}

/** Short column names for the systems, so a table of twelve figures fits a terminal. */
const SHORT_NAMES: Record<string, string> = { MiniSearch: 'MS', 'MS fuzzy+prefix': 'MS f+p' };
const short = (name: string) => SHORT_NAMES[name] ?? name;

/**
 * Where a row stands on the paired test: `above` every baseline (more hits
 * than each, significantly or not), within `noise` (not above every one,
 * significantly below none), or significantly `below` at least one.
 */
export type RowStanding = 'above' | 'noise' | 'below';

/** The subject against every baseline on one row, query by query, at hit@k. */
export interface RowComparison {
  /** Per baseline: the queries only the subject hits (wins), only the baseline hits (losses), and p. */
  versus: Record<string, PairedHits>;
  standing: RowStanding;
  /** Significantly above every baseline. */
  significant: boolean;
  /** The subject and the best baseline hit every target: nothing to win (as in aboveEveryBaseline). */
  ceiling: boolean;
  /**
   * The baseline that decides the row's mark, shown in the table: the one the
   * subject is most clearly below (smallest p) when significantly below one;
   * else the best baseline when the subject is not above all (none ahead by more);
   * else the one the subject is least clearly above (largest p).
   */
  shown: string;
  /** ▲ significantly above every baseline, ▼ significantly below one, = within noise of one. */
  mark: '▲' | '▼' | '=';
}

export function compareRow(row: KnownItemRow, subject: string, baselines: readonly string[], k: 1 | 5 = 5): RowComparison {
  const own = row.ranks[subject]!;
  const versus = Object.fromEntries(baselines.map((b) => [b, pairedHits(own, row.ranks[b]!, k)]));
  const pairs = baselines.map((name) => ({ name, pair: versus[name]!, standing: standingOf(versus[name]!) }));
  const lead = (pair: PairedHits) => pair.wins - pair.losses;
  const below = pairs.filter((p) => p.standing === 'below').sort((a, b) => a.pair.p - b.pair.p);
  const notAhead = pairs.filter((p) => lead(p.pair) <= 0).sort((a, b) => lead(a.pair) - lead(b.pair));
  const leastClear = [...pairs].sort((a, b) => b.pair.p - a.pair.p);
  const shown = (below[0] ?? notAhead[0] ?? leastClear[0])!.name;
  const significant = pairs.every((p) => p.standing === 'above');
  const standing = below.length > 0 ? 'below' : notAhead.length > 0 ? 'noise' : 'above';
  return {
    versus,
    standing,
    significant,
    ceiling: standing === 'noise' && row.figures[subject]![k === 1 ? 'hit1' : 'hit5'] === 1,
    shown,
    mark: below.length > 0 ? '▼' : significant ? '▲' : '=',
  };
}

/** A row's paired-test cell: mark, the deciding baseline, the discordant queries won/lost against it, p. */
export function pairedCell(comparison: RowComparison): string {
  const pair = comparison.versus[comparison.shown]!;
  return `${comparison.mark} ${short(comparison.shown)} +${pair.wins}/−${pair.losses} ${formatP(pair.p)}`;
}

/** The known-item table of one archive. */
export function knownItemTable(result: ArchiveResult, layout: ReportLayout): string {
  const systems = [layout.subject, ...layout.baselines];
  const bold = (text: string) => (layout.markdown ? `**${text}**` : text);
  const group = (metric: string) => systems.map((s) => (layout.markdown ? `${metric} ${short(s)}` : short(s)));
  const paired = (metric: string) => (layout.markdown ? `${metric} paired test` : 'paired test');
  const header = [
    'query model',
    'n',
    ...group('hit@5'),
    layout.markdown ? `${short(layout.subject)} − best` : '− best',
    paired('hit@5'),
    ...group('hit@1'),
    paired('hit@1'),
    ...group('MRR'),
  ];
  const rows = result.rows.map((row) => {
    const best5 = Math.max(...systems.map((s) => row.figures[s]!.hit5));
    const cell = (s: string, key: 'hit1' | 'hit5' | 'mrr') => {
      const value = row.figures[s]![key];
      return key === 'hit5' && value === best5 ? bold(fmt(value)) : fmt(value);
    };
    return [
      rowLabel(row),
      String(row.figures[layout.subject]!.n),
      ...systems.map((s) => cell(s, 'hit5')),
      signed(marginOf(row, layout.subject, layout.baselines).margin),
      pairedCell(compareRow(row, layout.subject, layout.baselines, 5)),
      ...systems.map((s) => cell(s, 'hit1')),
      pairedCell(compareRow(row, layout.subject, layout.baselines, 1)),
      ...systems.map((s) => cell(s, 'mrr')),
    ];
  });
  const body = render(header, rows, layout.markdown);
  if (layout.markdown) return body;
  // Plain text: a line above the header names each group of columns.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const span = (from: number, count: number) => widths.slice(from, from + count).reduce((sum, w) => sum + w, 0) + 2 * (count - 1);
  const k = systems.length;
  const groups = [
    ' '.repeat(span(0, 2)),
    'hit@5'.padEnd(span(2, k + 2)),
    'hit@1'.padEnd(span(4 + k, k + 1)),
    'MRR',
  ];
  return `${groups.join('  ')}\n${body}`;
}

/**
 * Whether the subject's hit@5 is above every baseline on every row, and where
 * not. A row where every system finds every target (all 1.000) cannot be won:
 * it is counted apart, not as a loss.
 */
export function aboveEveryBaseline(
  result: ArchiveResult,
  layout: Pick<ReportLayout, 'subject' | 'baselines'>,
): { above: number; ceiling: number; rows: number; misses: string[] } {
  const misses: string[] = [];
  let above = 0;
  let ceiling = 0;
  for (const row of result.rows) {
    const { margin, best } = marginOf(row, layout.subject, layout.baselines);
    if (margin > 0) above += 1;
    else if (margin === 0 && row.figures[layout.subject]!.hit5 === 1) ceiling += 1;
    else misses.push(`${rowLabel(row)} ${margin === 0 ? 'tied with' : `${signed(margin)} vs`} ${short(best)}`);
  }
  return { above, ceiling, rows: result.rows.length, misses };
}

export function verdictLine(result: ArchiveResult, layout: Pick<ReportLayout, 'subject' | 'baselines'>): string {
  const { above, ceiling, rows, misses } = aboveEveryBaseline(result, layout);
  if (rows === 0) return '';
  const tied = ceiling > 0 ? `, tied at 1.000 on ${ceiling}` : '';
  const head = `${result.name}: ${layout.subject}'s hit@5 above every baseline on ${above} of ${rows} rows${tied}`;
  if (misses.length === 0) return `${head}: target met.`;
  return `${head}; below or tied on ${misses.length} (target MISSED): ${misses.join('; ')}.`;
}

/** An archive's rows by where they stand on the paired test on hit@5 (each with its label and comparison). */
export function standings(
  result: ArchiveResult,
  layout: Pick<ReportLayout, 'subject' | 'baselines'>,
): Record<RowStanding, Array<{ label: string; comparison: RowComparison }>> {
  const out: Record<RowStanding, Array<{ label: string; comparison: RowComparison }>> = { above: [], noise: [], below: [] };
  for (const row of result.rows) {
    const comparison = compareRow(row, layout.subject, layout.baselines, 5);
    out[comparison.standing].push({ label: rowLabel(row), comparison });
  }
  return out;
}

/**
 * Whether the subject's differences from the baselines are beyond noise:
 * rows above every baseline (how many significantly), rows within noise (the
 * ones below 1.000 named, with the deciding baseline), rows significantly
 * below one (named).
 */
export function pairedLine(result: ArchiveResult, layout: Pick<ReportLayout, 'subject' | 'baselines'>): string {
  if (result.rows.length === 0) return '';
  const { above, noise, below } = standings(result, layout);
  const named = (entry: { label: string; comparison: RowComparison }) => {
    const { shown, versus } = entry.comparison;
    const pair = versus[shown]!;
    return `${entry.label} (${short(shown)} +${pair.wins}/−${pair.losses} ${formatP(pair.p)})`;
  };
  const significant = above.filter((entry) => entry.comparison.significant).length;
  const ceiling = noise.filter((entry) => entry.comparison.ceiling).length;
  const open = noise.filter((entry) => !entry.comparison.ceiling);
  const noiseParts = [...(ceiling > 0 ? [`${ceiling} tied at 1.000`] : []), ...open.map(named)];
  return (
    `${result.name}, paired test on hit@5 (exact McNemar, p < ${ALPHA} each): ` +
    `above every baseline on ${above.length} of ${result.rows.length} rows (significantly above every one on ${significant}); ` +
    `within noise on ${noise.length}${noiseParts.length ? ` (${noiseParts.join('; ')})` : ''}; ` +
    `significantly below a baseline on ${below.length}${below.length ? `: ${below.map(named).join('; ')}` : ''}.`
  );
}

/** Pooled figure over rows (each row weighed by its n). */
function pooled(rows: readonly KnownItemRow[], system: string, key: 'hit1' | 'hit5' | 'mrr'): number {
  const n = rows.reduce((sum, row) => sum + row.figures[system]!.n, 0);
  return rows.reduce((sum, row) => sum + row.figures[system]![key] * row.figures[system]!.n, 0) / n;
}

function verdict(value: number, target: number): string {
  return `${fmt(value)} ${value >= target ? '≥' : '<'} ${target.toFixed(2)} ${value >= target ? 'met' : 'MISSED'}`;
}

/** The issue's target lines for one archive. */
export function targetLines(result: ArchiveResult, subject: string): string[] {
  const lines: string[] = [];
  const rows = result.rows.filter((row) => row.model === 'discriminative' && row.words === 2);
  const clean = rows.find((row) => !row.typo);
  const typo = rows.find((row) => row.typo);
  if (clean && typo) {
    const t = TARGETS.discriminative2;
    const note = TARGET_ARCHIVES.includes(result.name) ? '' : ' (not a target on this archive)';
    lines.push(
      `${result.name} target, discriminative 2 words${note}: hit@5 clean ${verdict(clean.figures[subject]!.hit5, t.hit5Clean)}; ` +
        `with a typo ${verdict(typo.figures[subject]!.hit5, t.hit5Typo)}; hit@1 (both rows) ${verdict(pooled(rows, subject, 'hit1'), t.hit1)}.`,
    );
  }
  const adHoc = result.adHoc?.[subject];
  if (adHoc) lines.push(`${result.name} target: nDCG@10 ${verdict(adHoc.strict.ndcg10, TARGETS.cranfieldNdcg10)}.`);
  return lines;
}

/** Cranfield's ad hoc figures, one row per system. */
export function adHocTable(result: ArchiveResult, systems: readonly string[], markdown: boolean): string {
  const adHoc = result.adHoc;
  if (!adHoc) return '';
  const header = ['system', 'MAP', 'nDCG@10', 'MRR', 'nDCG@10 (-1 rel.)', 'MAP (-1 rel.)'];
  const rows = systems
    .filter((s) => adHoc[s])
    .map((s) => [s, fmt(adHoc[s]!.strict.map), fmt(adHoc[s]!.strict.ndcg10), fmt(adHoc[s]!.strict.mrr), fmt(adHoc[s]!.withMinusOne.ndcg10), fmt(adHoc[s]!.withMinusOne.map)]);
  return render(header, rows, markdown);
}

/** `--variants`: one row per variant; per model its mean hit@5 over the model's rows, then pooled hit@1 and MRR. */
export function variantsTable(result: ArchiveResult, layout: ReportLayout): string {
  const models = MODELS.filter((model) => result.rows.some((row) => row.model === model));
  const header = ['variant', ...models.map((m) => `${m} hit@5`), 'hit@1', 'MRR', 'rows won (or all 1.000)', 'rows sig. below', ...(result.adHoc ? ['nDCG@10'] : [])];
  const rowsOf = (model: ModelName) => result.rows.filter((row) => row.model === model);
  const rows = layout.variants.map((variant) => [
    variant === layout.subject ? `${variant} (shipped)` : variant,
    ...models.map((model) => fmt(pooled(rowsOf(model), variant, 'hit5'))),
    fmt(pooled(result.rows, variant, 'hit1')),
    fmt(pooled(result.rows, variant, 'mrr')),
    (() => {
      const { above, ceiling, rows: total } = aboveEveryBaseline(result, { subject: variant, baselines: layout.baselines });
      return `${above + ceiling}/${total}`;
    })(),
    String(standings(result, { subject: variant, baselines: layout.baselines }).below.length),
    ...(result.adHoc ? [fmt(result.adHoc[variant]?.strict.ndcg10)] : []),
  ]);
  const baselineRows = layout.baselines.map((baseline) => [
    `(${baseline})`,
    ...models.map((model) => fmt(pooled(rowsOf(model), baseline, 'hit5'))),
    fmt(pooled(result.rows, baseline, 'hit1')),
    fmt(pooled(result.rows, baseline, 'mrr')),
    '',
    '',
    ...(result.adHoc ? [fmt(result.adHoc[baseline]?.strict.ndcg10)] : []),
  ]);
  return render(header, [...rows, ...baselineRows], layout.markdown);
}
