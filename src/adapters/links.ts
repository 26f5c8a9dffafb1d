/**
 * What a platform can do with a hit's link. Pure.
 *
 * Slack and Discord make links of web URLs; an app's own scheme (ARTICLES_URL's
 * `obsidian://open?vault=…`, `vscode://`, `zotero://`) is for the person's own
 * machine: Discord makes no link of it (an embed's links must be http(s)) and
 * Slack apps differ in whether they open one, so it is also shown as text a
 * person can copy into their browser or launcher.
 */

/** Schemes never shown, as links or as text: they run code or carry content, not a place. */
const REFUSED_SCHEMES = new Set(['javascript:', 'vbscript:', 'data:', 'file:', 'blob:']);

/** Longest app URL shown as text: a longer one would crowd out the hit (and a cut one does not work). */
export const MAX_SHOWN_URL = 500;

/** Whether a URL is for the web (http or https). */
export function isWebUrl(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\/\S+$/i.test(url);
}

/**
 * The URL when it opens an app on the person's machine (a scheme of its own,
 * such as `obsidian:`), for showing as text; undefined for web and mail URLs,
 * refused schemes, and URLs too long or not absolute.
 */
export function appUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > MAX_SHOWN_URL || /\s/.test(url)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme || ['http:', 'https:', 'mailto:'].includes(scheme) || REFUSED_SCHEMES.has(scheme)) return undefined;
  return url;
}
