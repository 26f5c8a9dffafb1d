/**
 * A command's completions shaped to Discord's autocomplete rules: at most 25
 * choices, name and value 1–100 characters, no two values alike. Pure.
 */
import type { Completion } from '../../core/index.ts';
import { neutralizeBidi } from '../shown-text.ts';
import { DISCORD_LIMITS, plainChoice } from './discord-format.ts';

/** One autocomplete choice as Discord takes it. */
export interface DiscordChoice {
  /** Shown in the list (1–100 characters). */
  name: string;
  /** Put into the option when picked (1–100 characters). */
  value: string;
}

/**
 * A value Discord accepts: one line, at most 100 characters, cut at a word boundary when it can be;
 * no bidirectional control, since the value is what Discord puts in the person's input box.
 */
function choiceValue(text: string): string {
  const flat = neutralizeBidi(text).replace(/\s+/g, ' ').trim();
  if (flat.length <= DISCORD_LIMITS.choiceValue) return flat;
  const head = flat.slice(0, DISCORD_LIMITS.choiceValue);
  const space = head.lastIndexOf(' ');
  return (space > 40 ? head.slice(0, space) : head).replace(/[\uD800-\uDBFF]$/, '').trim();
}

export function discordChoices(completions: readonly Completion[], limit: number = DISCORD_LIMITS.choices): DiscordChoice[] {
  const max = Math.max(0, Math.min(limit, DISCORD_LIMITS.choices));
  const choices: DiscordChoice[] = [];
  const seen = new Set<string>();
  for (const completion of completions) {
    if (choices.length >= max) break;
    const value = choiceValue(completion.value);
    // The detail stays visible: the label is what gets cut.
    const detail = completion.detail ? ` (${plainChoice(completion.detail, 30)})` : '';
    const label = plainChoice(completion.label ?? completion.value, DISCORD_LIMITS.choiceName - detail.length);
    if (!value || !label || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    choices.push({ name: `${label}${detail}`, value });
  }
  return choices;
}
