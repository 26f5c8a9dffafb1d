import { describe, expect, it } from 'vitest';
import {
  DISCORD_COLORS,
  DISCORD_LIMITS,
  cut,
  escapeDiscord,
  renderDiscordReply,
  renderSpans,
  type DiscordEmbed,
} from '../../../src/adapters/discord/discord-format.ts';
import { hitsPage, reply, type SearchHit } from '../../../src/core/index.ts';
import { discordMessageProblems } from '../../helpers/fake-discord.ts';

function hit(i: number, overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    id: `article:a/${i}.md`,
    kind: 'article',
    title: `Article ${i}`,
    date: '2024-05-01',
    tags: ['git'],
    source: { label: `articles/a/${i}.md`, url: `https://example.com/${i}` },
    snippet: [{ text: 'before ' }, { text: 'match', strong: true }, { text: ' after' }],
    score: 10 - i,
    ...overrides,
  };
}

describe('cut', () => {
  it('leaves short text alone and ends cut text with "…" within the limit', () => {
    expect(cut('hello', 5)).toBe('hello');
    expect(cut('hello world', 8)).toBe('hello w…');
    expect(cut('hello world', 8)).toHaveLength(8);
  });
  it('never splits a surrogate pair or leaves a dangling escape', () => {
    const emoji = `${'a'.repeat(6)}😀😀`;
    const out = cut(emoji, 8);
    expect(out).toBe('aaaaaa…');
    expect(cut('abcdef\\*more', 8)).toBe('abcdef…');
  });
});

describe('escapeDiscord', () => {
  it('escapes markdown so stored text shows as written', () => {
    expect(escapeDiscord('a *b* _c_ ~~d~~ `e` ||f|| [g](h) \\')).toBe('a \\*b\\* \\_c\\_ \\~\\~d\\~\\~ \\`e\\` \\|\\|f\\|\\| \\[g\\](h) \\\\');
    // A numbered line is escaped after its number: Discord shows a backslash before a digit.
    expect(escapeDiscord('> quote\n# heading\n- item\n1. first\n  12. twelfth')).toBe('\\> quote\n\\# heading\n\\- item\n1\\. first\n  12\\. twelfth');
    expect(escapeDiscord('mid # and - stay')).toBe('mid # and - stay');
  });
  it('leaves bare URLs whole, escaping only around them', () => {
    expect(escapeDiscord('see https://example.com/a_b*c?x=1 and a_b')).toBe('see https://example.com/a_b*c?x=1 and a\\_b');
    expect(escapeDiscord('<https://example.com/x_y>')).toBe('\\<https://example.com/x_y>');
  });
  it('defuses every mention form', () => {
    expect(escapeDiscord('@everyone @here @Everyone')).toBe('@\u200beveryone @\u200bhere @\u200bEveryone');
    expect(escapeDiscord('<@123> <@!123> <@&456> <#789> </find:1>')).toBe('\\<@123> \\<@!123> \\<@&456> \\<#789> \\</find:1>');
  });
});

describe('renderSpans', () => {
  it('bolds matched words, keeping spaces outside the markers, and escapes the text', () => {
    expect(renderSpans([{ text: 'use ' }, { text: 'git_fsck ', strong: true }, { text: 'daily' }])).toBe('use **git\\_fsck** daily');
    // Only the snippet's own start is a line start, not each span's (acceptance #11).
    expect(renderSpans([{ text: 'As of ' }, { text: 'Git', strong: true }, { text: ' 2.23, there is a new command' }])).toBe('As of **Git** 2.23, there is a new command');
    expect(renderSpans([{ text: 'see ' }, { text: 'hash', strong: true }, { text: ' # or - here' }])).toBe('see **hash** # or - here');
    expect(renderSpans([{ text: '2. then ' }, { text: 'git', strong: true }])).toBe('2\\. then **git**');
    expect(renderSpans([{ text: '# not a heading: ' }, { text: 'git', strong: true }])).toBe('\\# not a heading: **git**');
  });
});

describe('renderDiscordReply', () => {
  it('renders a plain reply as one embed: title = summary, colour by tone', () => {
    const ok = renderDiscordReply(reply('Saved note abc.'));
    expect(ok).toEqual({ embeds: [{ title: 'Saved note abc.', color: DISCORD_COLORS.ok }] });
    const error = renderDiscordReply(reply('note: nope', { tone: 'error' }));
    expect(error.embeds[0]!.color).toBe(DISCORD_COLORS.error);
  });

  it('renders text and list sections into the description, with links and details', () => {
    const out = renderDiscordReply(
      reply('Current topics', {
        sections: [
          { type: 'text', text: 'Intro *here*' },
          {
            type: 'list',
            title: 'Links',
            items: [
              { text: 'libgit2', url: 'https://libgit2.org/(x)', detail: '2 articles' },
              { text: 'no link', url: 'javascript:alert(1)' },
            ],
          },
        ],
      }),
    );
    expect(out.embeds[0]!.description).toBe(
      'Intro \\*here\\*\n\n**Links**\n• [libgit2](https://libgit2.org/%28x%29) — 2 articles\n• no link',
    );
  });

  it('shows an app’s URL (ARTICLES_URL obsidian://…) as text to copy: Discord links http(s) only', () => {
    const vault = 'obsidian://open?vault=Notes&file=Weird%20dir%2F100%25%20done_1.md';
    const out = renderDiscordReply(
      reply('1 result for "ocelot"', {
        sections: [
          { type: 'hits', hits: [hit(1, { tags: [], source: { label: 'articles/Weird dir/100% done_1.md', url: vault } })] },
          { type: 'list', items: [{ text: 'vault home', url: 'obsidian://open?vault=Notes' }, { text: 'no link', url: 'javascript:alert(1)' }] },
        ],
      }),
    );
    expect(out.embeds[0]!.fields).toEqual([
      {
        name: '1. Article 1',
        value: 'before **match** after\n*article · 2024-05-01* — articles/Weird dir/100% done\\_1.md `obsidian://open?vault=Notes&file=Weird%20dir%2F100%25%20done_1.md`',
      },
    ]);
    expect(out.embeds[0]!.description).toBe('• vault home `obsidian://open?vault=Notes`\n• no link');
    expect(discordMessageProblems(out)).toEqual([]);
  });

  it('renders hits as numbered fields with bold matches, meta and a source link', () => {
    const out = renderDiscordReply(reply('1 result for "match"', { sections: [{ type: 'hits', hits: [hit(1)] }] }));
    expect(out.embeds[0]!.fields).toEqual([
      {
        name: '1. Article 1',
        value: 'before **match** after\n*article · 2024-05-01 · #git* — [articles/a/1.md](https://example.com/1)',
      },
    ]);
  });

  it('stays within every limit for huge replies, cutting with "…"', () => {
    const huge = 'word '.repeat(3000);
    const hits = Array.from({ length: 40 }, (_, i) =>
      hit(i, { title: `T${i} ${'long title '.repeat(40)}`, snippet: [{ text: 'x'.repeat(3000), strong: true }] }),
    );
    const out = renderDiscordReply(
      reply(`${'summary '.repeat(100)}`, { sections: [{ type: 'text', text: huge }, { type: 'hits', hits }] }),
    );
    const [embed] = out.embeds;
    expect(embed!.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed!.title!.endsWith('…')).toBe(true);
    expect(embed!.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed!.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const field of embed!.fields!) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      // The cut snippet still closes its bold run and keeps the source line.
      expect((field.value.match(/\*\*/g) ?? []).length % 2).toBe(0);
      expect(field.value).toContain('](https://example.com/');
    }
    expect(discordMessageProblems({ embeds: [embed] })).toEqual([]);
    expect(embed!.footer?.text).toMatch(/^\d+ more not shown$/);
  });

  it('keeps room for the "N more not shown" footer within the 6,000 total', () => {
    // Hits of many sizes, so that for some the fields alone land just under the total.
    for (let titleLength = 100; titleLength <= 256; titleLength += 1) {
      const hits = Array.from({ length: 30 }, (_, i) =>
        hit(i, { title: 't'.repeat(titleLength), snippet: [{ text: 'lorem ipsum '.repeat(200) }] }),
      );
      const [embed] = renderDiscordReply(reply('30 results for "lorem"', { sections: [{ type: 'hits', hits }] })).embeds;
      expect(discordMessageProblems({ embeds: [embed] }), `titles of ${titleLength}`).toEqual([]);
      expect(embed!.footer?.text).toBe(`${30 - embed!.fields!.length} more not shown`);
    }
  });

  it('keeps 25 hits at most and says how many were left out', () => {
    const hits = Array.from({ length: 30 }, (_, i) => hit(i));
    const out = renderDiscordReply(reply('30 results', { sections: [{ type: 'hits', hits }] }));
    expect(out.embeds[0]!.fields).toHaveLength(25);
    expect(out.embeds[0]!.footer).toEqual({ text: '5 more not shown' });
  });

  it('shows the hits of a page that fit, says so in its range, and points More results at the first one left out', () => {
    const paged = (offset: number, count: number, total: number, title = (i: number) => `T${i} ${'long title '.repeat(20)}`) => {
      const hits = Array.from({ length: count }, (_, i) => hit(offset + i, { title: title(offset + i), snippet: [{ text: 'lorem ipsum '.repeat(80) }] }));
      const page = hitsPage({
        hits,
        offset,
        paging: { total, summary: `${total} results for "x"`, more: { id: 'find:more', label: 'More results', command: 'find', text: 'x' }, end: 1000 },
      });
      return reply(page.text, { sections: [page.section], actions: page.actions });
    };
    const customId = (action: { text: string; offset?: number }) => `${action.text}@${action.offset}`;
    const out = renderDiscordReply(paged(10, 30, 60), customId);
    expect(discordMessageProblems(out)).toEqual([]);
    const [embed] = out.embeds;
    const shown = embed!.fields!.length;
    expect(shown).toBeLessThan(25);
    expect(embed!.title).toBe(`60 results for "x" (11-${10 + shown} of 60)`);
    expect(embed!.fields![0]!.name).toMatch(/^11\. T10 /);
    expect(embed!.footer).toBeUndefined();
    expect(out.components).toEqual([{ type: 1, components: [{ type: 2, style: 2, label: 'More results', custom_id: `x@${10 + shown}` }] }]);
    // A last page that does not fit gets a button; more than 25 short hits are cut at 25 the same way.
    const last = renderDiscordReply(paged(50, 10, 60), customId);
    expect(last.components?.[0]?.components[0]?.custom_id).toBe(`x@${50 + last.embeds[0]!.fields!.length}`);
    const many = renderDiscordReply(paged(0, 40, 40, (i) => `t${i}`), customId);
    expect(many.embeds[0]!.fields!.length).toBeLessThanOrEqual(25);
    expect(many.embeds[0]!.title).toBe(`40 results for "x" (1-${many.embeds[0]!.fields!.length} of 40)`);
    // A hit too big to share the embed is still shown, alone: a press always moves on.
    const huge = reply('1 result', { sections: [{ type: 'text', text: 'word '.repeat(3000) }, paged(0, 3, 3).sections[0]!] });
    const alone = renderDiscordReply(huge, customId);
    expect(discordMessageProblems(alone)).toEqual([]);
    expect(alone.embeds[0]!.fields!.length).toBeGreaterThanOrEqual(1);
  });

  it('escapes stored text everywhere, so no mention survives', () => {
    const out = renderDiscordReply(
      reply('@everyone <@1>', {
        sections: [
          { type: 'text', text: '@here <@&2>' },
          { type: 'list', items: [{ text: '<#3>', detail: '@everyone' }] },
          { type: 'hits', hits: [hit(1, { title: '<@4>', snippet: [{ text: '@everyone', strong: true }], source: { label: '<@5>' } })] },
        ],
      }),
    );
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).not.toMatch(/(?<!\\\\)<[@#]/);
  });
});
