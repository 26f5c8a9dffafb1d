/**
 * Renders a Reply as terminal text. Pure.
 */
import { shownDate, type Reply, type SearchHit, type Span } from '../../core/index.ts';
import { neutralizeBidi } from '../shown-text.ts';

export interface ConsoleStyle {
  /** How a matched word is shown. */
  strong: (text: string) => string;
}

export const PLAIN_STYLE: ConsoleStyle = { strong: (text) => `**${text}**` };
export const ANSI_STYLE: ConsoleStyle = { strong: (text) => `\u001b[1m${text}\u001b[22m` };

// Terminal control sequences and bidirectional overrides in stored text must not reach the terminal.
function clean(text: string): string {
  return neutralizeBidi(text).replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}

function spans(parts: readonly Span[], style: ConsoleStyle): string {
  return parts.map((part) => (part.strong ? style.strong(clean(part.text)) : clean(part.text))).join('');
}

function hitLines(hit: SearchHit, position: number, style: ConsoleStyle): string[] {
  const meta = [hit.kind, shownDate(hit), hit.tags.length > 0 ? hit.tags.map((t) => `#${t}`).join(' ') : undefined]
    .filter(Boolean)
    .join(' · ');
  const where = hit.source.url && hit.source.url !== hit.source.label ? `${hit.source.label} <${hit.source.url}>` : hit.source.label;
  return [
    // Every shown field is cleaned, the front-matter tags in the meta too.
    `${position}. ${clean(hit.title)}  [${clean(meta)}]`,
    `   ${spans(hit.snippet, style)}`,
    `   — ${clean(where)}`,
  ];
}

export function renderConsoleReply(reply: Reply, style: ConsoleStyle = PLAIN_STYLE): string {
  const lines: string[] = [clean(reply.text)];
  for (const section of reply.sections) {
    if (section.type === 'text') {
      lines.push(clean(section.text));
    } else if (section.type === 'list') {
      if (section.title && section.title !== reply.text) lines.push(`${clean(section.title)}:`);
      for (const item of section.items) {
        const link = item.url ? ` <${clean(item.url)}>` : '';
        const detail = item.detail ? ` (${clean(item.detail)})` : '';
        lines.push(`  - ${clean(item.text)}${link}${detail}`);
      }
    } else {
      section.hits.forEach((hit, i) => lines.push(...hitLines(hit, i + (section.first ?? 1), style)));
    }
  }
  const actions = reply.actions ?? [];
  // The console's buttons: /more runs the first, /more 2 the second.
  actions.forEach((action, i) => lines.push(`→ ${clean(action.label)}: /more${i === 0 ? '' : ` ${i + 1}`}`));
  return lines.join('\n');
}
