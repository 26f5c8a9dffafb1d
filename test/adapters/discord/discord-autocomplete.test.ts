import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSuggestions, type SuggestionSource } from '../../../src/adapters/discord/discord-autocomplete.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { discordChoicesProblems } from '../../helpers/fake-discord.ts';

const LONG_TITLE = `Consistent hashing ${'with bounded loads and virtual nodes '.repeat(5)}in practice`;

describe('findSuggestions over the real knowledge base', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({
      profile: '# Current topics\n- Consensus protocols\n',
      articles: {
        'a/hashing.md': `---\ntitle: ${LONG_TITLE}\ntags: [hashing]\n---\nConsistent hashing spreads keys over nodes; bounded loads cap each node.\n`,
        ...Object.fromEntries(
          Array.from({ length: 40 }, (_, i) => [`b/c${i}.md`, `---\ntitle: Caching layer ${i}\ntags: [cache]\n---\ncaching cache cached entry${i}\n`]),
        ),
      },
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const check = (choices: { name: string; value: string }[]) => {
    expect(discordChoicesProblems({ choices })).toEqual([]);
    expect(new Set(choices.map((c) => c.value.toLowerCase())).size).toBe(choices.length);
  };

  it('completes the last word, then lists hit titles', () => {
    const choices = findSuggestions(ctx.kb, 'consistent hash');
    check(choices);
    expect(choices[0]?.value).toBe('consistent hashing');
    expect(choices.some((c) => c.name.endsWith('(article)'))).toBe(true);
  });

  it('cuts a long title: name with "…" before the kind, value at a word boundary, both ≤ 100', () => {
    const choices = findSuggestions(ctx.kb, 'bounded');
    check(choices);
    const title = choices.find((c) => c.name.startsWith('Consistent hashing with bounded'));
    expect(title?.name.endsWith('… (article)')).toBe(true);
    expect(title?.name).toHaveLength(100);
    expect(LONG_TITLE.startsWith(title!.value)).toBe(true);
    expect(LONG_TITLE[title!.value.length]).toBe(' ');
  });

  it('never returns more than 25 choices, or more than asked', () => {
    check(findSuggestions(ctx.kb, 'cach'));
    expect(findSuggestions(ctx.kb, 'cach').length).toBe(25);
    expect(findSuggestions(ctx.kb, 'cach', 5)).toHaveLength(5);
    expect(findSuggestions(ctx.kb, 'cach', 500).length).toBe(25);
  });

  it('keeps typed filters on word completions and offers none while a filter is typed', () => {
    const choices = findSuggestions(ctx.kb, 'kind:article consis');
    expect(choices[0]?.value).toBe('consistent kind:article');
    expect(findSuggestions(ctx.kb, 'consistent #hash').every((c) => !c.value.startsWith('consistent '))).toBe(true);
  });

  it('answers [] for nothing typed, and never throws', () => {
    expect(findSuggestions(ctx.kb, '')).toEqual([]);
    expect(findSuggestions(ctx.kb, '   \n ')).toEqual([]);
    check(findSuggestions(ctx.kb, 'kind:bogus cach'));
    check(findSuggestions(ctx.kb, '#'));
    check(findSuggestions(ctx.kb, '\u0000\uD800 ***'));
    const broken: SuggestionSource = {
      complete: () => {
        throw new Error('index gone');
      },
      search: () => {
        throw new Error('index gone');
      },
    };
    expect(findSuggestions(broken, 'anything')).toEqual([]);
  });
});
