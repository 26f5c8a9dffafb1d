/**
 * `/find` autocomplete: completions of the words typed, then titles of the best
 * hits, shaped to Discord's rules (at most 25 choices, name and value 1–100
 * characters). Pure over the knowledge base's read side; never throws.
 */
import { parseQuery, type KnowledgeBase } from '../../core/index.ts';
import { DISCORD_LIMITS, plainChoice } from './discord-format.ts';

/** One autocomplete choice as Discord takes it. */
export interface DiscordChoice {
  /** Shown in the list (1–100 characters). */
  name: string;
  /** Put into the option when picked (1–100 characters). */
  value: string;
}

/** The read side of the knowledge base that suggestions need. */
export type SuggestionSource = Pick<KnowledgeBase, 'complete' | 'search'>;

/** How many word completions come before hit titles. */
const WORD_COMPLETIONS = 10;

const isFilter = (token: string) => token.startsWith('#') || /^kind:/i.test(token);

/** A value Discord accepts: one line, at most 100 characters, cut at a word boundary when it can be. */
function choiceValue(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= DISCORD_LIMITS.choiceValue) return flat;
  const head = flat.slice(0, DISCORD_LIMITS.choiceValue);
  const space = head.lastIndexOf(' ');
  return (space > 40 ? head.slice(0, space) : head).replace(/[\uD800-\uDBFF]$/, '').trim();
}

/**
 * Suggestions for a partly typed `/find` query. Filters already typed
 * (`#tag`, `kind:…`) are kept on every word completion.
 */
export function findSuggestions(source: SuggestionSource, partial: string, limit: number = DISCORD_LIMITS.choices): DiscordChoice[] {
  const max = Math.max(0, Math.min(limit, DISCORD_LIMITS.choices));
  const typed = partial.replace(/\s+/g, ' ').trim();
  if (!typed || max === 0) return [];
  const choices: DiscordChoice[] = [];
  const add = (name: string, value: string) => {
    const shownName = plainChoice(name);
    const shownValue = choiceValue(value);
    if (!shownName || !shownValue || choices.length >= max) return;
    if (choices.some((choice) => choice.value.toLowerCase() === shownValue.toLowerCase())) return;
    choices.push({ name: shownName, value: shownValue });
  };

  const tokens = typed.split(' ');
  const filters = tokens.filter(isFilter);
  const words = tokens.filter((token) => !isFilter(token)).join(' ');
  const typingFilter = isFilter(tokens[tokens.length - 1]!);
  if (words && !typingFilter) {
    for (const completion of safe(() => source.complete(words, WORD_COMPLETIONS), [])) {
      const value = [completion, ...filters].join(' ');
      add(value, value);
    }
  }

  const query = safe(() => parseQuery(typed), undefined);
  if (query && (query.text || query.tags.length > 0)) {
    const { hits } = safe(() => source.search(query, max), { hits: [], total: 0 });
    for (const hit of hits) {
      // The kind stays visible: the title is what gets cut.
      const kind = ` (${hit.kind})`;
      add(`${plainChoice(hit.title, DISCORD_LIMITS.choiceName - kind.length)}${kind}`, hit.title);
    }
  }
  return choices;
}

function safe<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch {
    return fallback;
  }
}
