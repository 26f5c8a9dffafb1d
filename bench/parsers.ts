/**
 * `npm run bench -- --parsers` (or `node --import tsx bench/parsers.ts`): the
 * markdown parsers tried for turning write-ups into indexed text, side by side
 * on both shared archives, in one process, rounds interleaved so a busy machine
 * slows them alike. Prints milliseconds of parsing per 1,000 files.
 *
 * Every candidate gets the same bodies (front matter already split off) and
 * does the least it must: tokenize, and where the row says so, walk the tokens
 * to text. "shipped" is what the loader runs per file (front matter, text, title, tags).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Parser as CommonmarkParser } from 'commonmark';
import MarkdownIt from 'markdown-it';
import MarkdownIt15 from 'markdown-it-v15';
import { Lexer } from 'marked';
import * as md4w from 'md4w';
import { parse as micromarkParse, postprocess, preprocess } from 'micromark';
import { gfm } from 'micromark-extension-gfm';
import { parseArticle } from '../src/core/sources/articles.ts';
import { splitFrontMatter } from '../src/core/sources/front-matter.ts';
import { parseMarkdown, plainText } from '../src/core/sources/markdown.ts';
import { markdownText } from '../src/core/sources/markdown-text.ts';
import { SHARED_CORPORA, requireCorpus } from './corpus.ts';

/** One parser's figures: milliseconds per 1,000 files of each archive. */
export interface ParserRow {
  parser: string;
  /** Archive name → ms per 1,000 files (best round). */
  msPer1000: Record<string, number>;
  /** What the row measures, when it is not the plain parse. */
  note?: string;
}

interface Candidate {
  name: string;
  note?: string;
  run: (body: string, file: string) => unknown;
}

export const PARSER_ARCHIVES = ['til', 'rust-blog'] as const;

async function candidates(): Promise<Candidate[]> {
  await md4w.init('fast');
  const markdownIt = new MarkdownIt({ html: true });
  const markdownIt15 = new MarkdownIt15({ html: true });
  const commonmark = new CommonmarkParser();
  const micromarkOptions = { extensions: [gfm()] };
  return [
    {
      name: 'micromark + mdast (before)',
      note: 'the tree, then text per top-level node: the parser this replaced',
      run: (body) => parseMarkdown(body, { textOnly: true }).children.map((node) => plainText(node)),
    },
    {
      name: 'micromark events, no tree',
      note: 'tokenizing alone: the floor for any micromark-based path',
      run: (body) => postprocess(micromarkParse(micromarkOptions).document().write(preprocess()(body, undefined, true))),
    },
    { name: 'marked lexer', note: 'GFM; tokens only (entities left undecoded)', run: (body) => Lexer.lex(body, { gfm: true }) },
    { name: 'commonmark.js parse', note: 'no GFM: tables and strikethrough stay text', run: (body) => commonmark.parse(body) },
    { name: 'md4w (md4c, WebAssembly) to HTML', note: 'HTML, still to be stripped; throws on an empty body, and its JSON output is not valid JSON on rust-blog', run: (body) => body && md4w.mdToHtml(body) },
    { name: 'markdown-it 15 parse', note: 'tokens only; its compiled class fields made it slower than 14', run: (body) => markdownIt15.parse(body, {}) },
    { name: 'markdown-it 14 parse', note: 'tokens only', run: (body) => markdownIt.parse(body, {}) },
    { name: 'markdown-it 14 + text walk (shipped)', note: 'tokens, then blocks of text (markdown-text.ts)', run: (body) => markdownText(body) },
    { name: 'shipped parseArticle', note: 'front matter, text, title, date, tags: what a worker does per file', run: (_body, source) => parseArticle('articles/x.md', source, { mtimeMs: 1 }) },
  ];
}

async function archiveSources(name: string): Promise<string[]> {
  const root = path.join(SHARED_CORPORA, name);
  requireCorpus(root);
  const files = ((await readdir(root, { recursive: true })) as string[]).filter((file) => file.endsWith('.md')).sort();
  return Promise.all(files.map((file) => readFile(path.join(root, file), 'utf8')));
}

/** Measures every candidate on both archives: `rounds` passes over each, best pass kept. */
export async function benchParsers(options: { rounds?: number; log?: (line: string) => void } = {}): Promise<ParserRow[]> {
  const rounds = options.rounds ?? 5;
  const list = await candidates();
  const rows: ParserRow[] = list.map((c) => ({ parser: c.name, msPer1000: {}, ...(c.note ? { note: c.note } : {}) }));
  for (const archive of PARSER_ARCHIVES) {
    const sources = await archiveSources(archive);
    const bodies = sources.map((source) => {
      try {
        return splitFrontMatter(source).body;
      } catch {
        return source;
      }
    });
    const best = list.map(() => Infinity);
    // Warm-up: every candidate compiled and its caches filled before anything is timed.
    for (const candidate of list) for (let i = 0; i < Math.min(200, bodies.length); i += 1) candidate.run(bodies[i]!, sources[i]!);
    for (let round = 0; round < rounds; round += 1) {
      options.log?.(`parsers: ${archive}, round ${round + 1} of ${rounds}`);
      list.forEach((candidate, c) => {
        const start = performance.now();
        for (let i = 0; i < bodies.length; i += 1) candidate.run(bodies[i]!, sources[i]!);
        best[c] = Math.min(best[c]!, performance.now() - start);
      });
    }
    list.forEach((_, c) => (rows[c]!.msPer1000[archive] = (best[c]! / bodies.length) * 1000));
  }
  return rows;
}

/** The rows as a markdown table, with each parser's time as a multiple of the shipped text walk's. */
export function parsersTable(rows: readonly ParserRow[]): string {
  const shipped = rows.find((row) => row.parser.includes('text walk (shipped)'));
  const cell = (row: ParserRow, archive: string) => {
    const ms = row.msPer1000[archive] ?? NaN;
    const ratio = shipped ? ms / shipped.msPer1000[archive]! : NaN;
    return `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms (${ratio.toFixed(1)}×)`;
  };
  const lines = [
    `| parser (ms per 1,000 files; × the shipped walk) | ${PARSER_ARCHIVES.join(' | ')} | what it measures |`,
    `| --- | ${PARSER_ARCHIVES.map(() => '---:').join(' | ')} | --- |`,
    ...rows.map((row) => `| ${row.parser} | ${PARSER_ARCHIVES.map((a) => cell(row, a)).join(' | ')} | ${row.note ?? ''} |`),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchParsers({ log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${parsersTable(rows)}\n`);
}
