import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordChoices } from '../../../src/adapters/discord/discord-autocomplete.ts';
import { createTestContext, type TestContext } from '../../helpers/context.ts';
import { discordChoicesProblems } from '../../helpers/fake-discord.ts';

const LONG_TITLE = `Consistent hashing ${'with bounded loads and virtual nodes '.repeat(5)}in practice`;

const USER = { platform: 'discord', id: '80351110224678912', name: 'owner' };

describe('/find completions as Discord choices, over the real knowledge base', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({
      profile: '# Current topics\n- Consensus protocols\n',
      articles: {
        'q/report.md': '---\ntitle: "Quarterly \u202Ereport"\ntags: ["\u202Ebidi-tag"]\n---\nthe tapir report\n',
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

  /** What the Discord adapter answers an autocomplete with: find.complete() through dispatch, shaped. */
  const findSuggestions = async (partial: string, limit?: number) => discordChoices(await ctx.dispatcher.complete('find', partial, USER), limit);

  const check = (choices: { name: string; value: string }[]) => {
    expect(discordChoicesProblems({ choices })).toEqual([]);
    expect(new Set(choices.map((c) => c.value.toLowerCase())).size).toBe(choices.length);
  };

  it('completes the last word, then lists hit titles', async () => {
    const choices = await findSuggestions('consistent hash');
    check(choices);
    expect(choices[0]?.value).toBe('consistent hashing');
    expect(choices.some((c) => c.name.endsWith('(article)'))).toBe(true);
  });

  it('cuts a long title: name with "…" before the kind, value at a word boundary, both ≤ 100', async () => {
    const choices = await findSuggestions('bounded');
    check(choices);
    const title = choices.find((c) => c.name.startsWith('Consistent hashing with bounded'));
    expect(title?.name.endsWith('… (article)')).toBe(true);
    expect(title?.name).toHaveLength(100);
    expect(LONG_TITLE.startsWith(title!.value)).toBe(true);
    expect(LONG_TITLE[title!.value.length]).toBe(' ');
  });

  it('never returns more than 25 choices, or more than asked', async () => {
    check(await findSuggestions('cach'));
    expect((await findSuggestions('cach')).length).toBe(25);
    expect(await findSuggestions('cach', 5)).toHaveLength(5);
    expect((await findSuggestions('cach', 500)).length).toBe(25);
  });

  it('keeps typed filters on word completions and offers none while a filter is typed', async () => {
    const choices = await findSuggestions('kind:article consis');
    expect(choices[0]?.value).toBe('consistent kind:article');
    expect((await findSuggestions('consistent #hash')).every((c) => !c.value.startsWith('consistent '))).toBe(true);
  });

  it('puts no bidirectional control in a choice: its value lands in the person’s input box', async () => {
    const choices = await findSuggestions('tapir');
    check(choices);
    expect(choices).toContainEqual({ name: 'Quarterly report (article)', value: 'Quarterly report' });
    expect(JSON.stringify(choices)).not.toMatch(/\\u202e|\u202E/i);
    expect(discordChoices([{ value: '\u2066#\u202Ebidi-tag\u2069', label: '#\u202Ebidi-tag' }])).toEqual([{ name: '#bidi-tag', value: '#bidi-tag' }]);
  });

  it('answers [] for nothing typed, and never throws', async () => {
    expect((await findSuggestions(''))).toEqual([]);
    expect(await findSuggestions('   \n ')).toEqual([]);
    check(await findSuggestions('kind:bogus cach'));
    check(await findSuggestions('#'));
    check(await findSuggestions('\u0000\uD800 ***'));
    const { complete, search } = ctx.kb;
    const gone = () => {
      throw new Error('index gone');
    };
    Object.assign(ctx.kb, { complete: gone, search: gone });
    try {
      expect(await findSuggestions('anything')).toEqual([]);
    } finally {
      Object.assign(ctx.kb, { complete, search });
    }
  });
});
