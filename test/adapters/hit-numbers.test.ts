/**
 * A later page of /find numbers its hits from where it starts (6-10), on every
 * platform's renderer, so "6 results (6 of 6)" does not show "1." again.
 */
import { describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../src/adapters/console/console-format.ts';
import { renderDiscordReply } from '../../src/adapters/discord/discord-format.ts';
import { renderSlackReply } from '../../src/adapters/slack/slack-format.ts';
import { reply, type SearchHit } from '../../src/core/index.ts';

const hit = (n: number): SearchHit => ({
  id: `article:p${n}.md`,
  kind: 'article',
  title: `Gerbil ${n}`,
  tags: [],
  source: { label: `p${n}.md` },
  snippet: [{ text: 'gerbil wheel' }],
  score: 1,
});

const page2 = reply('7 results for "gerbil" (6-7 of 7)', { sections: [{ type: 'hits', hits: [hit(6), hit(7)], first: 6 }] });
const page1 = reply('2 results for "gerbil"', { sections: [{ type: 'hits', hits: [hit(1), hit(2)] }] });

describe('hit numbers on a later page', () => {
  it('console', () => {
    expect(renderConsoleReply(page2)).toMatch(/^6\. Gerbil 6 .*\n[\s\S]*^7\. Gerbil 7 /m);
    expect(renderConsoleReply(page1)).toMatch(/^1\. Gerbil 1 /m);
  });

  it('Slack', () => {
    const text = JSON.stringify(renderSlackReply(page2).blocks);
    expect(text).toContain('6. *Gerbil 6*');
    expect(text).toContain('7. *Gerbil 7*');
    expect(text).not.toContain('1. *Gerbil');
  });

  it('Discord', () => {
    const [embed] = renderDiscordReply(page2).embeds;
    expect(embed!.fields!.map((f) => f.name)).toEqual(['6. Gerbil 6', '7. Gerbil 7']);
    expect(renderDiscordReply(page1).embeds[0]!.fields!.map((f) => f.name)).toEqual(['1. Gerbil 1', '2. Gerbil 2']);
  });
});
