/**
 * `npm run eval`: relevance of tinker's search beside baselines in the same run,
 * on the shared write-up archives and Cranfield 1400. Known-item queries under
 * four query models (2 and 3 words, with and without a typo); Cranfield's ad hoc
 * questions with graded judgments. Prints one table per archive; writes
 * bench/eval-results.json.
 *
 *   npm run eval -- --archive=til,rust-blog,cranfield --models=middling,discriminative,rarest,title
 *                   --quick --n=500 --variants --variant=NAME,... --markdown --losses
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, SHARED_CORPORA, WORK_DIR, requireCorpus } from './corpus.ts';
import { ARCHIVES, isArchiveName, loadArchive, type ArchiveName } from './eval/archives.ts';
import { TYPO_STYLES, type TypoStyle } from './eval/typos.ts';
import { BASELINES } from './eval/baselines.ts';
import { ALPHA } from './eval/paired.ts';
import { RankCache } from './eval/rank-cache.ts';
import { MODELS, MODEL_DESCRIPTIONS, type ModelName } from './eval/query-models.ts';
import { adHocTable, knownItemTable, pairedLine, rowLabel, targetLines, variantsTable, verdictLine, type ReportLayout } from './eval/report.ts';
import { evaluateArchive, QUERY_WORDS, type ArchiveResult } from './eval/run.ts';
import { tinkerSystem } from './eval/systems.ts';
import type { System } from './eval/types.ts';
import { fmt } from './stats.ts';
import { VARIANTS } from './eval/variants.ts';

export const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'eval-results.json');

/** Target documents per row: all of til's eligible ones would take several minutes with MiniSearch's fuzzy search. */
const SAMPLE = 500;
const QUICK_SAMPLE = 100;

export interface EvalFlags {
  archives: ArchiveName[];
  models: ModelName[];
  sample: number;
  variants: boolean;
  /** With --variants: only the variants whose name contains one of these (comma-separated). */
  variantFilter?: string[];
  markdown: boolean;
  losses: boolean;
  /** Reuse the baselines' answers of earlier runs over the same documents. */
  cache: boolean;
  /** How the typo rows are mistyped. */
  typos: TypoStyle;
}

/** Parses the command line; a bad value is an error message, not a guess. */
export function parseFlags(argv: readonly string[]): EvalFlags | string {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = <T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | string => {
    if (raw === undefined) return [...allowed];
    const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
    const unknown = items.filter((item) => !allowed.includes(item as T));
    if (unknown.length > 0 || items.length === 0) return `eval: unknown --${name} value "${unknown.join(',') || raw}" — use ${allowed.join(',')}`;
    return allowed.filter((item) => items.includes(item));
  };
  const known = ['archive', 'archives', 'models', 'n', 'quick', 'variants', 'markdown', 'losses', 'no-cache', 'typos', 'variant'];
  const stray = argv.filter((arg) => !known.includes(arg.replace(/^--/, '').split('=')[0]!));
  if (stray.length > 0) return `eval: unknown option ${stray[0]} — use --archive=, --models=, --n=, --typos=, --quick, --variants, --variant=NAME,..., --markdown, --losses, --no-cache`;
  const archiveList = value('archive') ?? value('archives');
  const named = archiveList === undefined ? [...ARCHIVES] : archiveList.split(',').map((item) => item.trim()).filter(Boolean);
  const badArchive = named.find((name) => !isArchiveName(name));
  // The shared archives in their usual order, then any folders as given.
  const archives = [...ARCHIVES.filter((name) => named.includes(name)), ...named.filter((name) => name.startsWith('dir:'))] as ArchiveName[];
  if (badArchive !== undefined || archives.length === 0) return `eval: unknown --archive value "${badArchive ?? archiveList}" — use ${ARCHIVES.join(',')} or dir:/path/to/markdown`;
  const typos = value('typos') ?? 'keyboard';
  if (!(TYPO_STYLES as readonly string[]).includes(typos)) return `eval: unknown --typos value "${typos}" — use ${TYPO_STYLES.join(', ')}`;
  const models = list('models', value('models'), MODELS);
  if (typeof models === 'string') return models;
  const quick = argv.includes('--quick');
  const n = value('n');
  const sample = n === undefined ? (quick ? QUICK_SAMPLE : SAMPLE) : Number(n);
  if (!Number.isInteger(sample) || sample < 1) return `eval: --n must be a whole number of documents, got "${n}"`;
  return {
    archives,
    models,
    sample,
    variants: argv.includes('--variants') || value('variant') !== undefined,
    ...(value('variant') !== undefined ? { variantFilter: value('variant')!.split(',').map((item) => item.trim()).filter(Boolean) } : {}),
    markdown: argv.includes('--markdown'),
    losses: argv.includes('--losses'),
    cache: !argv.includes('--no-cache'),
    typos: typos as TypoStyle,
  };
}

function systemsFor(flags: EvalFlags): { systems: System[]; layout: Omit<ReportLayout, 'markdown'> } {
  const tinker = tinkerSystem('tinker');
  const variants = flags.variants ? VARIANTS.slice(1).filter((variant) => !flags.variantFilter || flags.variantFilter.some((part) => variant.name.includes(part))).map((variant) => tinkerSystem(variant.name, variant.policy)) : [];
  return {
    // tinker first: the run keeps its losses.
    systems: [tinker, ...BASELINES, ...variants],
    layout: {
      subject: tinker.name,
      baselines: BASELINES.map((b) => b.name),
      variants: flags.variants ? [tinker.name, ...variants.map((v) => v.name)] : [],
    },
  };
}

function reuse(result: ArchiveResult): string {
  const answers = result.baselineAnswers;
  if (!answers || answers.reused === 0) return '';
  return `; ${answers.reused} of ${answers.reused + answers.computed} baseline answers from earlier runs over the same documents (--no-cache: none)`;
}

function describe(flags: EvalFlags, results: readonly ArchiveResult[]): string {
  const lines = [
    `Known-item queries: per archive, model and length (${QUERY_WORDS.join(' and ')} words), a seeded sample of up to ${flags.sample} target documents; the same query with one typo`,
    flags.typos === 'keyboard'
      ? '(one drop, insert, keyboard-neighbour substitution or adjacent swap, not at the first letter, in one word of 4+ letters). Words are surface words (lower case, 3+ letters, not stop words).'
      : flags.typos === 'any'
        ? '(--typos=any: one drop, insert, substitution by any letter or adjacent swap anywhere, the first letter included, in one word of 4+ letters). Words are surface words (lower case, 3+ letters, not stop words).'
        : '(--typos=two: two keyboard edits in one word of 4+ letters). Words are surface words (lower case, 3+ letters, not stop words).',
    ...flags.models.map((model) => `  ${model}: ${MODEL_DESCRIPTIONS[model]}`),
    `hit@k: the target is in the top k; MRR: mean 1/rank (0 below 100). Systems: tinker (the shipped SearchIndex, as /find ranks), MiniSearch defaults, MiniSearch { fuzzy: 0.2, prefix: true } (MS f+p), plain BM25 (k1 1.2, b 0.75, lower-cased tokens, title + text). "− best": tinker's hit@5 minus the best baseline's.`,
    `Paired test: tinker against each baseline on the same queries, exact McNemar (two-sided sign test on the queries only one of the two hits at 5, or at 1); a cell reads mark, baseline, queries won/lost against it, p. ▲: significantly (p < ${ALPHA}) above every baseline; ▼: significantly below the one named; =: within noise of the one named (the best baseline, or when tinker is above all, the least clear). p is per test, not corrected for the rows × baselines tested: about 1 test in 20 passes by chance where nothing differs.`,
  ];
  for (const result of results) {
    const bySystem = Object.entries(result.systemSeconds)
      .map(([name, s]) => `${name} ${(s.build + s.knownItem + s.adHoc).toFixed(1)}`)
      .join(', ');
    lines.push(`${result.name}: ${result.docs} documents${result.skipped ? `, ${result.skipped} skipped by tinker's loader` : ''}${result.cached ? ' (parsed earlier: bench/.work/eval/)' : ''}; ${result.seconds.toFixed(1)} s (${bySystem})${reuse(result)}.`);
  }
  return lines.join('\n');
}

function printArchive(result: ArchiveResult, layout: ReportLayout, flags: EvalFlags): string {
  const out: string[] = [];
  const heading = (text: string) => (layout.markdown ? `#### ${text}` : `== ${text} ==`);
  if (result.rows.length > 0) {
    out.push(heading(`${result.name}: known-item (${result.docs} documents)`), knownItemTable(result, layout), '', verdictLine(result, layout), pairedLine(result, layout));
  }
  if (result.adHoc) {
    out.push('', heading(`${result.name}: ad hoc (${result.adHoc[layout.subject]!.strict.n} judged queries; codes 1-4 relevant, gain 5 − code; "-1 rel." also counts code -1 as gain 4)`));
    out.push(adHocTable(result, [layout.subject, ...layout.baselines, ...layout.variants.slice(1)], layout.markdown));
  }
  out.push(...targetLines(result, layout.subject));
  if (layout.variants.length > 0) out.push('', heading(`${result.name}: variants`), variantsTable(result, layout));
  if (flags.losses) {
    out.push('', `Where ${layout.subject} misses the top 5 and a baseline does not (up to 3 a row; its rank, then the baseline's):`);
    for (const row of result.rows) {
      const kinds = row.byTypoKind
        ? ` hit@5 by kind of typo (${[layout.subject, ...layout.baselines].join(' / ')}): ${Object.entries(row.byTypoKind)
            .map(([kind, bySystem]) => `${kind} ${[layout.subject, ...layout.baselines].map((s) => fmt(bySystem[s]!.hit5)).join('/')}`)
            .join(', ')}`
        : '';
      const examples = row.losses.slice(0, 3).map((l) => `"${l.query}" → ${l.target} at ${l.rank || '>100'} (${l.baseline}: ${l.baselineRank})`);
      if (examples.length > 0 || kinds) out.push(`  ${rowLabel(row)}:${kinds}${examples.length ? `\n    ${examples.join('\n    ')}` : ''}`);
    }
  }
  // Markdown: every block its own paragraph.
  return layout.markdown ? out.filter(Boolean).join('\n\n') : out.join('\n');
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (typeof flags === 'string') {
    process.stderr.write(`${flags}\n`);
    process.exit(2);
  }
  requireCorpus(SHARED_CORPORA);
  const started = performance.now();
  const { systems, layout: base } = systemsFor(flags);
  const layout: ReportLayout = { ...base, markdown: flags.markdown };
  const results: ArchiveResult[] = [];
  for (const name of flags.archives) {
    const archive = await loadArchive(name);
    // Cranfield's known-item rows use its abstracts; its ad hoc questions are always run.
    const cache = flags.cache ? await RankCache.open(path.join(WORK_DIR, 'eval', `${name}.baseline-answers.json`), archive.docs) : undefined;
    const result = evaluateArchive(archive, systems, { models: flags.models, sample: flags.sample, baselines: base.baselines, typos: flags.typos, ...(cache ? { cache } : {}) });
    await cache?.save();
    if (cache) result.baselineAnswers = { ...cache.counts };
    results.push(result);
    process.stdout.write(`${printArchive(result, layout, flags)}\n\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${describe(flags, results)}\nTotal ${seconds.toFixed(1)} s.\n`);
  await writeFile(RESULTS_FILE, `${JSON.stringify({ date: new Date().toISOString(), flags, layout: base, seconds, archives: results }, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`eval: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
