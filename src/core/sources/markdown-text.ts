/**
 * Markdown to plain text for the index and snippets: markdown-it's token
 * stream (CommonMark, GFM tables and strikethrough, footnotes), walked once,
 * with no syntax tree. About ten times faster than micromark and mdast, which
 * were ~90% of a cold start (bench: `npm run bench -- --parsers`).
 *
 * Obsidian's markup reads as Obsidian shows it: `[[a|b]]` as b, `[[a]]` and
 * `[[a#heading]]` as a; `![[embeds]]`, `%%comments%%` and callout markers
 * (`> [!tip]-`) are dropped. MDX reads as its text: import/export blocks,
 * JSX tags and `{expressions}` are dropped outside code (fenced or in backticks).
 */
import MarkdownIt from 'markdown-it';
import footnote from 'markdown-it-footnote';
import type { PluginSimple, StateInline, Token } from 'markdown-it';
import { extractTags } from '../domain/notes.ts';
import { outsideCode, replaceBetween } from './outside-code.ts';
import { withoutTemplates } from './site-templates.ts';

/** One block of text: a heading, a paragraph, a table cell, a code block. */
export interface TextBlock {
  /** Heading level, 1-6; 0 for anything that is not a heading. */
  depth: number;
  /** Its words, inline markup and link targets removed; trimmed (a heading's white space folded to single spaces). */
  text: string;
}

/** The text of a markdown document. */
export interface MarkdownText {
  /** Blocks with text, in document order (a heading inside a quote or list too). */
  blocks: TextBlock[];
  /** Inline `#tags` of the text (as Obsidian reads them; not in code), normalised, in order of first use. */
  inlineTags: string[];
}

export interface MarkdownTextOptions {
  /** Read the source as MDX: import/export blocks, JSX tags and `{expressions}` are not text. */
  mdx?: boolean;
  /** The file has front matter: Liquid, shortcodes and kramdown attribute lists are not text (site-templates.ts). */
  templates?: boolean;
}

const WIKILINK = 'wikilink';
const COMMENT_MARK = 'comment_mark';

/** `[[target#heading|label]]` and `![[embed]]`, as one token (an embed has no text). */
function wikilinkRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  let at = state.pos;
  const embed = src.charCodeAt(at) === 0x21; /* ! */
  if (embed) at += 1;
  if (src.charCodeAt(at) !== 0x5b || src.charCodeAt(at + 1) !== 0x5b) return false;
  const end = src.indexOf(']]', at + 2);
  if (end < 0 || end + 2 > state.posMax) return false;
  const inner = src.slice(at + 2, end);
  if (inner.includes('[') || inner.includes('\n\n')) return false;
  if (!silent) state.push(WIKILINK, '', 0).content = embed ? '' : wikilinkText(inner);
  state.pos = end + 2;
  return true;
}

/** What Obsidian shows for a wikilink's inside: the label after `|`, else the note's name (no `#heading`, no `^block`). */
export function wikilinkText(inner: string): string {
  // In a table the bar is written `\|`.
  const bar = inner.search(/\\?\|/);
  if (bar >= 0) return inner.slice(bar + (inner[bar] === '\\' ? 2 : 1)).trim();
  // `#heading` and `^block` (`[[Third#^abc123]]`, also written `[[Third^abc123]]`) are places in the note:
  // neither may be part of a note's name in Obsidian.
  const cut = inner.search(/[#^]/);
  const target = (cut >= 0 ? inner.slice(0, cut) : inner).trim();
  // `[[#Heading]]` links inside the same note: its text is the heading's.
  return target || inner.slice(cut + 1).replace(/^\^/, '').trim();
}

/** `%%` opens or closes an Obsidian comment, which may span blocks: the walker drops what is between. */
function commentMarkRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x25 || state.src.charCodeAt(state.pos + 1) !== 0x25) return false;
  if (!silent) state.push(COMMENT_MARK, '', 0);
  state.pos += 2;
  return true;
}

/**
 * `==highlight==` (Obsidian, and markdown-it-mark's syntax): the marks are dropped and still separate
 * words (`x==y`), so the first word of a highlight is found as typed.
 */
function highlightMarkRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  let end = state.pos;
  while (src.charCodeAt(end) === 0x3d /* = */) end += 1;
  if (end - state.pos < 2) return false;
  if (!silent) state.pending += ' ';
  state.pos = end;
  return true;
}

/** An Obsidian block id at the end of a block (`… are durable. ^blockref123`): a place to link to, not text. */
const BLOCK_ID = /(?:^|[ \t])\^[A-Za-z0-9-]+[ \t]*$/;

// NOTE: @types/markdown-it-footnote types the plugin against markdown-it's CommonJS typings; it is the same function.
const parser = new MarkdownIt({ html: true }).use(footnote as unknown as PluginSimple);
// Link targets are never shown or searched: no URL parsing and re-encoding per link (~2% of a parse),
// and no link refused for its scheme (its text is kept either way).
parser.normalizeLink = (url) => url;
parser.normalizeLinkText = (text) => text;
parser.validateLink = () => true;
parser.inline.ruler.before('link', WIKILINK, wikilinkRule);
parser.inline.ruler.before('emphasis', COMMENT_MARK, commentMarkRule);
parser.inline.ruler.before('emphasis', 'highlight_mark', highlightMarkRule);

/** `> [!note]`, `> [!tip]-`, `> [!faq]+ Title`: the marker at the start of a callout. */
const CALLOUT_MARKER = /^\[![\w-]+\][+-]?[ \t]*/;
/** `- [ ] todo`, `- [x] done`: a task list item's box. */
const TASK_BOX = /^\[[ xX]\][ \t]+/;

/**
 * Elements of HTML: an inline tag with one of these names is markup, not text.
 * Another name in angle brackets is most often a placeholder written in prose
 * (`git restore <file>`, `"<App Name> Cluster"`), whose words are kept.
 */
const HTML_ELEMENTS = new Set(
  (
    'a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption center cite code col colgroup ' +
    'data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head ' +
    'header hgroup hr html i iframe img input ins kbd label legend li link main map mark math menu meta meter nav noscript object ol ' +
    'optgroup option output p param picture pre progress q rp rt ruby s samp script search section select slot small source span ' +
    'strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr'
  ).split(' '),
);
const TAG = /^<\/?([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*)?)\/?>$/;

/** The words an inline HTML tag contributes: none for real HTML and comments; a placeholder's own. */
function inlineHtmlText(html: string, mdx: boolean): string {
  if (mdx) return '';
  const tag = TAG.exec(html);
  if (!tag || html.startsWith('</') || HTML_ELEMENTS.has(tag[1]!.toLowerCase())) return '';
  // A placeholder has no attribute values (`<App Name>`), unlike an element (`<x-foo a="b">`).
  if (/[="']/.test(tag[2]!)) return '';
  return html.slice(1, -1).trim();
}

/** Parses markdown into its blocks of text and its inline tags. */
export function markdownText(source: string, options: MarkdownTextOptions = {}): MarkdownText {
  const mdx = options.mdx ?? false;
  const tokens = parser.parse(mdx ? withoutEsm(source) : options.templates ? withoutTemplates(source) : source, {});
  const blocks: TextBlock[] = [];
  const tags = new Set<string>();
  let inComment = false;
  let depth = 0;
  // The next inline opens a blockquote (where a callout marker may stand), or a list item (a task box).
  let opensQuote = false;
  let opensItem = false;
  const push = (text: string) => {
    // A heading may become a title, shown as is; elsewhere runs of white space are left to the
    // tokenizer and the snippet maker, which fold them anyway (a regex pass per block was ~5% of the parse).
    const trimmed = depth > 0 ? text.replace(/\s+/g, ' ').trim() : text.trim();
    if (trimmed) blocks.push({ depth, text: trimmed });
  };
  const textOf = (content: string, first: boolean): string => {
    let text = content;
    if (first && opensQuote) text = text.replace(CALLOUT_MARKER, '');
    if (first && opensItem) text = text.replace(TASK_BOX, '');
    if (mdx) text = withoutJsx(text);
    if (text.includes('#')) for (const tag of extractTags(text)) tags.add(tag);
    return text;
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'heading_open':
        depth = Number(token.tag.slice(1));
        break;
      case 'heading_close':
        depth = 0;
        break;
      case 'blockquote_open':
        opensQuote = true;
        break;
      case 'list_item_open':
        opensItem = true;
        break;
      case 'inline': {
        let text = '';
        const children = token.children ?? [];
        for (let i = 0; i < children.length; i += 1) {
          const child = children[i]!;
          switch (child.type) {
            case COMMENT_MARK:
              inComment = !inComment;
              break;
            case 'text':
              if (!inComment) text += textOf(child.content, i === 0);
              break;
            case 'code_inline':
            case WIKILINK:
              if (!inComment) text += child.content;
              break;
            case 'softbreak':
            case 'hardbreak':
              text += ' ';
              break;
            case 'image':
              // In a heading an image is a badge or an icon (`# name [![npm version](…)](…)`), not part of its name.
              if (!inComment && depth === 0) text += ` ${plainInline(child.children ?? [])} `;
              break;
            case 'html_inline':
              // A tag still separates the words on either side (`one<br>two`).
              if (!inComment) text += ` ${inlineHtmlText(child.content, mdx)}`;
              break;
          }
        }
        opensQuote = false;
        opensItem = false;
        // A block id ends the block's text, never its code (`git log ^main`).
        const last = children[children.length - 1];
        push(last?.type === 'text' && BLOCK_ID.test(last.content) ? text.replace(BLOCK_ID, '') : text);
        break;
      }
      case 'fence':
      case 'code_block':
        if (!inComment) push(token.content);
        break;
      case 'html_block':
        // A block of HTML is markup around text people remember (`<details>`, `<summary>`,
        // `<div align="center">`); in MDX a block of JSX holds markdown text between its tags.
        if (!inComment) push(mdx ? withoutJsx(token.content) : htmlBlockText(token.content));
        break;
    }
  }
  return { blocks, inlineTags: [...tags] };
}

/** The text of a block of HTML: its tags, comments, scripts and styles dropped, entities decoded. */
function htmlBlockText(html: string): string {
  let text = html;
  if (text.includes('<!--')) text = replaceBetween(text, '<!--', '-->', () => ' ', true);
  text = withoutScripts(text);
  text = text.replace(/<\/?[A-Za-z][^<>]*>/g, ' ');
  return text.includes('&') ? parser.utils.unescapeAll(text) : text;
}

/** HTML without its scripts and styles, which hold code, not text. */
function withoutScripts(html: string): string {
  return /<(?:script|style)/i.test(html) ? html.replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ') : html;
}

/** The text of an image's description (its alt text). */
function plainInline(children: readonly Token[]): string {
  let text = '';
  for (const child of children) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.type === 'image') text += plainInline(child.children ?? []);
  }
  return text;
}

/**
 * The text of markdown for a snippet, without a parse: the same rules as
 * `markdownText` (no HTML, link targets, inline markup, Obsidian comments,
 * embeds or callout markers; wikilinks as their label) by a few regular
 * expressions, each run only when its syntax is in the text: about 8 times
 * cheaper than parsing, for the few hits shown per search. Give it the body
 * (front matter already split off).
 */
export function snippetText(body: string, options: MarkdownTextOptions & { keepOpeningHeading?: boolean } = {}): string {
  // Code, fenced or in backticks, keeps its tags and braces, as the index keeps them (MDX reads no JSX there either).
  const source = options.mdx ? withoutEsm(body) : options.templates ? withoutTemplates(body) : body;
  let text = outsideCode(
    source,
    (prose) => {
      let rest = options.mdx ? withoutJsx(prose) : prose;
      if (rest.includes('<!--')) rest = replaceBetween(rest, '<!--', '-->', () => ' ');
      if (rest.includes('==')) rest = rest.replace(/={2,}/g, ' ');
      if (rest.includes('^')) rest = rest.replace(/(?:^|[ \t])\^[A-Za-z0-9-]+[ \t]*$/gm, '');
      return rest.includes('<') ? withoutScripts(rest).replace(/<\/?[A-Za-z][^<>]*>/g, ' ') : rest;
    },
    /[<>{}^]|==/,
  );
  if (text.includes('%%')) text = text.replace(/%%[\s\S]*?(?:%%|$)/g, ' ');
  // The heading that is the title is not repeated (in an Obsidian vault the file name is the title).
  if (!options.keepOpeningHeading) text = text.replace(/^\s*#[ \t]+.*(?:\r?\n|$)/, '');
  if (text.includes('```') || text.includes('~~~')) text = text.replace(/^\s*(?:```|~~~).*$/gm, '');
  // Setext heading underlines, thematic breaks and table separator rows carry no words.
  if (/(?:^|\n) {0,3}[=*_-]/.test(text)) text = text.replace(/^ {0,3}(?:=+|-+|(?:[*_] *){3,})[ \t]*$/gm, '');
  if (text.includes('[[')) text = text.replace(/(!?)\[\[([^[\]\n]*)\]\]/g, (_link, embed: string, inner: string) => (embed ? '' : wikilinkText(inner)));
  if (text.includes('|')) {
    text = text
      .replace(/^ {0,3}\|?(?: *:?-+:? *\|)+(?: *:?-+:? *)?\|?[ \t]*$/gm, '')
      // Table cells: the pipes between them become spaces.
      .replace(/^ {0,3}\|(.*)\|?[ \t]*$/gm, (_row, cells: string) => cells.replace(/\s*\|\s*/g, '  '));
  }
  if (text.includes('](')) text = text.replace(/!?\[([^\][]*)\]\([^()]*\)/g, '$1');
  if (text.includes('[!')) text = text.replace(/^((?: {0,3}>[ \t]?)+)\[![\w-]+\][+-]?[ \t]*/gm, '$1');
  if (text.includes('[^')) text = text.replace(/\[\^[^\]\s]+\]:?/g, '');
  return text
    .replace(/^\s{0,3}(?:#{1,6}\s+|(?:>\s?)+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__|\*|`+|~~)/g, '');
}

/** MDX text without its `{expressions}` (nested ones too) and JSX tags. */
function withoutJsx(text: string): string {
  let rest = text;
  while (rest.includes('{') && /\{[^{}]*\}/.test(rest)) rest = rest.replace(/\{[^{}]*\}/g, ' ');
  return rest.includes('<') ? rest.replace(/<\/?[A-Za-z][\w.:-]*(?:\s[^<>]*)?\/?>|<\/?>/g, ' ') : rest;
}

/** MDX without its ESM blocks: a run of lines that starts with `import` or `export`, up to a blank line, outside code. */
function withoutEsm(source: string): string {
  if (!/^(?:import|export)\b/m.test(source)) return source;
  const lines = source.split(/\r?\n/);
  let fence: string | undefined;
  let inEsm = false;
  let previousBlank = true;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const blank = line.trim() === '';
    if (fence !== undefined) {
      if (line.trimStart().startsWith(fence)) fence = undefined;
    } else if (inEsm) {
      if (blank) inEsm = false;
      else lines[i] = '';
    } else if (previousBlank && /^(?:import|export)\b/.test(line)) {
      inEsm = true;
      lines[i] = '';
    } else {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (open) fence = open[1];
    }
    previousBlank = blank || lines[i] === '';
  }
  return lines.join('\n');
}
