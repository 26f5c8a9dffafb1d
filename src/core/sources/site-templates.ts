/**
 * What a static site generator reads in a write-up and a reader never sees:
 * Jekyll's Liquid (`{% include … %}`, `{{ site.baseurl }}`, `{% highlight ruby %}`),
 * Hugo's shortcodes (`{{< figure … >}}`, `{{% notice %}}`), Zola's (`{{ youtube(id="…") }}`,
 * `{% note() %}`) and kramdown's attribute lists (`{: .note}`, `{:toc}`). Jekyll runs
 * Liquid over every file with front matter, and Hugo and Zola content files have it, so
 * only files with front matter are read this way: elsewhere `{{ .Values.x }}` is prose
 * about a Helm chart.
 */
import { outsideCode, replaceBetween } from './outside-code.ts';

/** Anything this module takes out. */
const TEMPLATE = /\{[{%:]/;
/** A shortcode's or include's words a reader does see: its title, caption or alt text. */
const SHOWN_ATTRIBUTE = /\b(?:title|caption|alt)\s*=\s*"([^"]*)"/g;

/** The source without template tags: paired tags keep what is between them, `{% highlight %}` becomes a fenced block. */
export function withoutTemplates(source: string): string {
  if (!TEMPLATE.test(source)) return source;
  let text = source;
  if (text.includes('highlight')) {
    text = text
      .replace(/^([ \t]*)\{%-?[ \t]*highlight[ \t]+([\w+#.-]*)[^%\n]*-?%\}[ \t]*$/gm, '$1```$2')
      .replace(/^([ \t]*)\{%-?[ \t]*endhighlight[ \t]*-?%\}[ \t]*$/gm, '$1```');
  }
  return outsideCode(
    text,
    (prose) => {
      let rest = prose;
      if (rest.includes('{%')) rest = withoutLiquidComments(rest);
      if (rest.includes('{:')) {
        // `* TOC` above `{:toc}` is kramdown's table of contents: the list item is a placeholder.
        rest = rest.replace(/^[ \t]*[*-][ \t]+TOC[ \t]*\r?\n(?=[ \t]*\{:toc\})/gim, '').replace(/\{::?[^{}\n]*\}/g, ' ');
      }
      for (const [open, close] of [['{{<', '>}}'], ['{{%', '%}}'], ['{%', '%}'], ['{{', '}}']] as const) {
        if (rest.includes(open)) rest = replaceBetween(rest, open, close, shownWords);
      }
      return rest;
    },
    TEMPLATE,
  );
}

/** `{% comment %} … {% endcomment %}`: not shown, with what it holds. */
function withoutLiquidComments(text: string): string {
  return /\{%-?\s*comment\s*-?%\}/.test(text) ? text.replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?(?:\{%-?\s*endcomment\s*-?%\}|$)/g, ' ') : text;
}

/** A tag's place in the text: a space, with the title, caption or alt text it shows. */
function shownWords(tag: string): string {
  const shown = [...tag.matchAll(SHOWN_ATTRIBUTE)].map((match) => match[1]).filter(Boolean);
  return shown.length > 0 ? ` ${shown.join(' ')} ` : ' ';
}
