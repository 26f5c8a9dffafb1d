/**
 * Front matter: the block of metadata a markdown file may open with, YAML
 * between `---` lines (Jekyll, Hugo, Obsidian, most tools) or TOML between
 * `+++` lines (Zola, Hugo).
 */
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

/** A file split into its front matter and the markdown that follows. */
export interface FrontMatter {
  /** Which kind it was written in; absent when the file has none. */
  format?: 'yaml' | 'toml';
  /** The parsed mapping; `{}` when there is none. */
  data: Record<string, unknown>;
  /** The markdown after the front matter (the whole source when there is none). */
  body: string;
}

// The closing line may be `...` in YAML (the end-of-document marker), as Pandoc and Jekyll accept.
const YAML_BLOCK = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)??(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const TOML_BLOCK = /^\+\+\+[ \t]*\r?\n(?:([\s\S]*?)\r?\n)??\+\+\+[ \t]*(?:\r?\n|$)/;

/**
 * Splits off and parses a file's front matter. Throws with a short reason
 * (`invalid YAML front matter: …`) when the block is there but cannot be read.
 */
export function splitFrontMatter(source: string): FrontMatter {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const first = text.charCodeAt(0);
  if (first !== 0x2d /* - */ && first !== 0x2b /* + */) return { data: {}, body: text };
  const yaml = first === 0x2d ? YAML_BLOCK.exec(text) : null;
  const toml = yaml || first !== 0x2b ? null : TOML_BLOCK.exec(text);
  const match = yaml ?? toml;
  if (!match) return { data: {}, body: text };
  const format = yaml ? 'yaml' : 'toml';
  const raw = match[1] ?? '';
  let data: unknown;
  try {
    data = raw.trim() === '' ? {} : format === 'yaml' ? parseYaml(raw) : parseToml(raw);
  } catch (error) {
    throw new Error(`invalid ${format === 'yaml' ? 'YAML' : 'TOML'} front matter: ${firstLine(error)}`);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`invalid ${format === 'yaml' ? 'YAML' : 'TOML'} front matter: not a mapping of names to values`);
  return { format, data: data as Record<string, unknown>, body: text.slice(match[0].length) };
}

/** The source without its front matter (not parsed: for a snippet). */
export function withoutFrontMatter(source: string): string {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const first = text.charCodeAt(0);
  if (first !== 0x2d && first !== 0x2b) return text;
  const match = (first === 0x2d ? YAML_BLOCK : TOML_BLOCK).exec(text);
  return match ? text.slice(match[0].length) : text;
}

function firstLine(error: unknown): string {
  // YAML's first line ends with a colon that introduces a quote of the source.
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim().replace(/:$/, '');
}
