import { describe, expect, it } from 'vitest';
import {
  SLACK_MAX_BLOCKS,
  SLACK_MAX_SECTION_TEXT,
  cutEscaped,
  escapeSlack,
  messageToPlainText,
  renderSlackReply,
  renderSpans,
  unescapeSlack,
  type SlackBlock,
} from '../../../src/adapters/slack/slack-format.ts';
import {
  parseMessageShortcut,
  parseSlashCommand,
  saveToNotesInvocation,
  slashCommandInvocation,
} from '../../../src/adapters/slack/slack-payload.ts';
import { hitsPage, reply, type ReplyAction, type SearchHit } from '../../../src/core/index.ts';
import { messageShortcutPayload, slackMessageProblems } from '../../helpers/fake-slack.ts';

function hit(overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    id: 'article:articles/git/nfs.md',
    kind: 'article',
    title: 'Tuning libgit2 over NFS',
    date: '2024-09-17T00:00:00.000Z',
    tags: ['git', 'nfs'],
    source: { label: 'articles/git/nfs.md', url: 'https://example.com/nfs' },
    snippet: [{ text: '…served from NFS, and ' }, { text: 'libgit2', strong: true }, { text: ' was written for disks…' }],
    score: 1,
    ...overrides,
  };
}

function sectionText(block: SlackBlock | undefined): string {
  if (block?.type !== 'section') throw new Error(`expected a section, got ${block?.type}`);
  return block.text.text;
}

describe('escaping', () => {
  it('escapes &, <, > and unescapes them with &amp; last', () => {
    expect(escapeSlack('<!channel> & <@U1> > 2')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &gt; 2');
    expect(unescapeSlack('a &amp;lt; b &lt; c &amp; d &gt; e')).toBe('a &lt; b < c & d > e');
    expect(unescapeSlack(escapeSlack('&lt; <x> & y'))).toBe('&lt; <x> & y');
  });

  it('turns message markup into plain note text', () => {
    expect(
      messageToPlainText(
        '<!here> see <https://a.example/x?y=1&amp;z=2|the doc> and <https://b.example> by <@U1> in <#C1|eng> &lt;3 <mailto:a@b.c|a@b.c> <!subteam^S1|@oncall>',
      ),
    ).toBe('@here see the doc (https://a.example/x?y=1&z=2) and https://b.example by @U1 in #eng <3 a@b.c @oncall');
  });
});

describe('cutting', () => {
  it('cuts escaped text to the limit with "…" and never splits an entity', () => {
    expect(cutEscaped('abc', 3)).toBe('abc');
    expect(cutEscaped('abcdef', 4)).toBe('abc…');
    const cut = cutEscaped('&&&&&', 12);
    expect(cut).toBe('&amp;&amp;…');
    expect(cut.length).toBeLessThanOrEqual(12);
  });

  it('bolds matched words and cuts spans without leaving a * open', () => {
    expect(renderSpans([{ text: 'a ' }, { text: 'b<c', strong: true }, { text: ' d' }], 100)).toBe('a *b&lt;c* d');
    const cut = renderSpans([{ text: 'xxxx ' }, { text: 'match', strong: true }, { text: ' tail' }], 8);
    expect(cut).toBe('xxxx ma…');
    expect(cut.length).toBeLessThanOrEqual(8);
    expect(cut).not.toContain('*');
  });
});

describe('renderSlackReply', () => {
  it('maps visibility to response_type and always sets a fallback text', () => {
    expect(renderSlackReply(reply('hi')).response_type).toBe('ephemeral');
    const shared = renderSlackReply(reply('Topics & more', { visibility: 'public' }));
    expect(shared.response_type).toBe('in_channel');
    expect(shared.text).toBe('Topics &amp; more');
    expect(sectionText(shared.blocks[0])).toBe('Topics &amp; more');
  });

  it('marks errors', () => {
    const message = renderSlackReply(reply('find: query is empty — try /find libgit2', { tone: 'error' }));
    expect(message.text).toBe('find: query is empty — try /find libgit2');
    expect(sectionText(message.blocks[0])).toBe(':warning: find: query is empty — try /find libgit2');
  });

  it('renders a hit: linked bold title, snippet with bold matches, kind · date · tags · source', () => {
    const message = renderSlackReply(reply('1 result for "libgit2"', { sections: [{ type: 'hits', hits: [hit()] }] }));
    expect(message.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '1 result for "libgit2"' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '1. *<https://example.com/nfs|Tuning libgit2 over NFS>*\n…served from NFS, and *libgit2* was written for disks…',
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'article · 2024-09-17 · #git #nfs · articles/git/nfs.md' }] },
    ]);
  });

  it('shows a title without a URL as text, escapes it, and never links a non-web URL', () => {
    const message = renderSlackReply(
      reply('x', {
        sections: [
          {
            type: 'hits',
            hits: [
              hit({ title: '<!channel> ping', source: { label: 'note k3v9x2ma7q', noteId: 'k3v9x2ma7q' }, snippet: [{ text: '<@U1> & co' }] }),
              hit({ title: 'js', source: { label: 'x', url: 'javascript:alert(1)' } }),
            ],
          },
        ],
      }),
    );
    expect(sectionText(message.blocks[1])).toBe('1. *&lt;!channel&gt; ping*\n&lt;@U1&gt; &amp; co');
    expect(sectionText(message.blocks[3])).toMatch(/^2\. \*js\*/);
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U1>|javascript:/);
  });

  it('links an app’s URL (ARTICLES_URL obsidian://…) and also shows it as text to copy, as Slack apps differ in opening one', () => {
    const vault = 'obsidian://open?vault=Notes&file=Weird%20dir%2F100%25%20done.md';
    const message = renderSlackReply(
      reply('1 result for "ocelot"', {
        sections: [
          { type: 'hits', hits: [hit({ title: 'Done', tags: [], date: '2026-12-02', source: { label: 'articles/Weird dir/100% done.md', url: vault } })] },
          { type: 'list', items: [{ text: 'vault home', url: 'obsidian://open?vault=Notes' }] },
        ],
      }),
    );
    expect(sectionText(message.blocks[1])).toMatch(/^1\. \*<obsidian:\/\/open\?vault=Notes&amp;file=Weird%20dir%2F100%25%20done\.md\|Done>\*/);
    expect(message.blocks[2]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'article · 2026-12-02 · articles/Weird dir/100% done.md · `obsidian://open?vault=Notes&amp;file=Weird%20dir%2F100%25%20done.md`' }],
    });
    expect(sectionText(message.blocks[3])).toBe('• <obsidian://open?vault=Notes|vault home> `obsidian://open?vault=Notes`');
    // A web link is not repeated as text.
    expect(JSON.stringify(renderSlackReply(reply('x', { sections: [{ type: 'hits', hits: [hit()] }] })))).not.toContain('`');
  });

  it('keeps a URL from breaking out of its link', () => {
    const message = renderSlackReply(
      reply('x', { sections: [{ type: 'list', items: [{ text: 'doc', url: 'https://a.example/?q=a|b&c=<d>' }] }] }),
    );
    expect(sectionText(message.blocks[1])).toBe('• <https://a.example/?q=a%7Cb&amp;c=&lt;d&gt;|doc>');
  });

  it('renders lists with a heading, links and details', () => {
    const message = renderSlackReply(
      reply('Current topics', {
        visibility: 'public',
        sections: [
          {
            type: 'list',
            title: 'Current topics',
            items: [{ text: 'libgit2 & NFS', url: 'https://libgit2.org/', detail: '1 article, 0 notes' }, { text: 'eBPF' }],
          },
        ],
      }),
    );
    expect(sectionText(message.blocks[1])).toBe('• <https://libgit2.org/|libgit2 &amp; NFS> — 1 article, 0 notes\n• eBPF');
    const titled = renderSlackReply(reply('Help', { sections: [{ type: 'list', title: 'Commands', items: [{ text: '/x' }] }] }));
    expect(sectionText(titled.blocks[1])).toBe('*Commands*\n• /x');
  });

  it('keeps every section within 3,000 characters, cut with "…"', () => {
    const long = 'word & '.repeat(1000);
    const message = renderSlackReply(
      reply(long, {
        sections: [
          { type: 'text', text: long },
          { type: 'hits', hits: [hit({ title: long, snippet: [{ text: long }, { text: 'word', strong: true }] })] },
          { type: 'list', items: Array.from({ length: 200 }, (_, i) => ({ text: `item ${i} ${'x'.repeat(80)}` })) },
        ],
      }),
    );
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(message.text.endsWith('…')).toBe(true);
    for (const block of message.blocks) {
      const texts = block.type === 'section' ? [block.text.text] : block.type === 'context' ? block.elements.map((e) => e.text) : [];
      for (const text of texts) {
        expect(text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
        // No entity is cut in half.
        expect(text).not.toMatch(/&(a|am|l|g|amp|lt|gt)?…/);
      }
    }
    expect(sectionText(message.blocks[1]).endsWith('…')).toBe(true);
    // The 200 list lines are packed into several sections, none over the limit, none lost.
    const listText = message.blocks.slice(4).map(sectionText).join('\n');
    expect(listText.split('\n')).toHaveLength(200);
  });

  it('keeps an error header within the limit too, and drops links to absurdly long URLs', () => {
    const error = renderSlackReply(reply('e'.repeat(5000), { tone: 'error' }));
    expect(sectionText(error.blocks[0]).length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
    expect(sectionText(error.blocks[0])).toMatch(/^:warning: e+…$/);
    const long = renderSlackReply(
      reply('x', { sections: [{ type: 'hits', hits: [hit({ source: { label: 'a', url: `https://a.example/${'p'.repeat(5000)}` }, snippet: [{ text: 'tail' }] })] }] }),
    );
    expect(sectionText(long.blocks[1])).toBe('1. *Tuning libgit2 over NFS*\ntail');
    expect(renderSpans([{ text: 'abc' }, { text: 'def', strong: true }], 3)).toBe('abc');
  });

  it('measures a link URL as sent: an &-heavy URL that escapes past the limit stays plain text', () => {
    // 916 characters raw, about 2,700 once every & is sent as &amp;.
    const url = `https://a.example/?${'&a'.repeat(450)}`;
    const label = 'L'.repeat(1000);
    const message = renderSlackReply(
      reply('Links', { sections: [{ type: 'list', items: [{ text: label, url, detail: 'd'.repeat(300) }] }] }),
    );
    expect(slackMessageProblems(message)).toEqual([]);
    const line = sectionText(message.blocks[1]);
    expect(line).toBe(`• ${label} — ${'d'.repeat(300)}`);
    // A URL that still fits is linked whole, its & escaped.
    const fits = renderSlackReply(reply('Links', { sections: [{ type: 'list', items: [{ text: 'ok', url: 'https://a.example/?a=1&b=2' }] }] }));
    expect(sectionText(fits.blocks[1])).toBe('• <https://a.example/?a=1&amp;b=2|ok>');
  });

  it('never sends an empty section: blank reply text or blank text parts get no block', () => {
    const blank = renderSlackReply(reply(''));
    expect(slackMessageProblems(blank)).toEqual([]);
    expect(blank).toEqual({ response_type: 'ephemeral', text: '…', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '…' } }] });
    const parts = renderSlackReply(reply('  ', { sections: [{ type: 'text', text: ' ' }, { type: 'text', text: 'body' }] }));
    expect(slackMessageProblems(parts)).toEqual([]);
    expect(parts.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'body' } }]);
  });

  it('sends at most 50 blocks and says what was left out', () => {
    const hits = Array.from({ length: 40 }, (_, i) => hit({ id: `a${i}`, title: `hit ${i}` }));
    const message = renderSlackReply(reply('40 results', { sections: [{ type: 'hits', hits }] }));
    expect(message.blocks).toHaveLength(SLACK_MAX_BLOCKS);
    const last = message.blocks[SLACK_MAX_BLOCKS - 1];
    // 1 heading + 24 hits of 2 blocks + the note: 16 hits left out.
    expect(last).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… 16 more results not shown — narrow the search to see them' }],
    });
    expect(sectionText(message.blocks[47])).toMatch(/^24\. /);
    expect(message.blocks[48]?.type).toBe('context');

    // 41 hits: 1 + 82 blocks; an odd budget never ends on a title without its context line.
    const odd = renderSlackReply(reply('x', { sections: [{ type: 'text', text: 'intro' }, { type: 'hits', hits }] }));
    expect(odd.blocks).toHaveLength(SLACK_MAX_BLOCKS - 1);
    expect(odd.blocks[SLACK_MAX_BLOCKS - 3]?.type).toBe('context');
    expect(odd.blocks[SLACK_MAX_BLOCKS - 2]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… 17 more results not shown — narrow the search to see them' }],
    });
  });
});

describe('a page of hits that does not fit', () => {
  const encode = (action: ReplyAction) => JSON.stringify([action.text, action.offset]);
  const paged = (offset: number, count: number, total: number) => {
    const hits = Array.from({ length: count }, (_, i) => hit({ id: `a${offset + i}`, title: `hit ${offset + i}` }));
    const page = hitsPage({
      hits,
      offset,
      paging: { total, summary: `${total} results for "x"`, more: { id: 'find:more', label: 'More results', command: 'find', text: 'x' }, end: 1000 },
    });
    return reply(page.text, { sections: [page.section], actions: page.actions });
  };
  const titles = (blocks: SlackBlock[]) => blocks.flatMap((b) => (b.type === 'section' && /^\d+\. /.test(b.text.text) ? [b.text.text.split(' ')[0]] : []));

  it('shows the hits that fit, says so in its range, and points More results at the first one left out', () => {
    const message = renderSlackReply(paged(0, 50, 60), encode);
    expect(slackMessageProblems(message)).toEqual([]);
    // 1 header + 23 hits of 2 blocks + the button.
    expect(message.text).toBe('60 results for "x" (1-23 of 60)');
    expect(sectionText(message.blocks[0])).toBe('60 results for "x" (1-23 of 60)');
    expect(titles(message.blocks)).toEqual(Array.from({ length: 23 }, (_, i) => `${i + 1}.`));
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ value: '["x",23]' }] });
    expect(JSON.stringify(message.blocks)).not.toContain('not shown');
    // A later page numbers on from where the last press began; it reached the end, so it was measured
    // without a button (24 hits and the note), and gains one.
    const later = renderSlackReply(paged(23, 37, 60), encode);
    expect(slackMessageProblems(later)).toEqual([]);
    expect(later.text).toBe('60 results for "x" (24-47 of 60)');
    expect(titles(later.blocks)).toEqual(Array.from({ length: 24 }, (_, i) => `${i + 24}.`));
    expect(later.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ value: '["x",47]' }] });
  });

  it('gives a last page that does not fit a More results button', () => {
    const message = renderSlackReply(paged(30, 30, 60), encode);
    expect(slackMessageProblems(message)).toEqual([]);
    expect(message.text).toBe('60 results for "x" (31-54 of 60)');
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ value: '["x",54]' }] });
    // Without buttons to press (a direct message), it says what is left out instead.
    const plain = renderSlackReply(paged(30, 30, 60));
    expect(plain.text).toBe('60 results for "x" (31-60 of 60)');
    expect(JSON.stringify(plain.blocks)).toContain('more results not shown');
  });
});

describe('payloads', () => {
  it('builds an invocation from a slash command, unescaping the text', () => {
    const payload = parseSlashCommand({
      command: '/note',
      text: 'a &lt;b&gt; &amp;amp; c',
      user_id: 'U1',
      user_name: 'ada',
      channel_id: 'C1',
      trigger_id: 't.1',
    });
    expect(slashCommandInvocation(payload, 'note')).toEqual({
      command: 'note',
      text: 'a <b> &amp; c',
      user: { platform: 'slack', id: 'U1', name: 'ada' },
      origin: { platform: 'slack', channel: 'C1' },
      idempotencyKey: 'slack:trigger:t.1',
    });
  });

  it('takes the text of a bot message from its attachments', () => {
    const base = messageShortcutPayload({ response_url: 'http://x', text: '' });
    const message = { ...(base.message as Record<string, unknown>), attachments: [{ pretext: 'Build', title: 'main #42', text: 'failed' }, { fallback: 'logs' }] };
    expect(parseMessageShortcut({ ...base, message }).messageText).toBe('Build\nmain #42\nfailed\n\nlogs');
  });

  it('names what is missing from a payload', () => {
    expect(() => parseSlashCommand({ command: '/note', channel_id: 'C1' })).toThrow('slack: slash command has no user_id');
    expect(() => parseMessageShortcut('nonsense')).toThrow('slack: shortcut user has no id');
  });

  it('builds "Save to notes": invoker writes, author credited, keyed by channel and ts', () => {
    const payload = parseMessageShortcut(
      messageShortcutPayload({ response_url: 'http://x', text: 'hi <@U9> #t', channel_id: 'C7', ts: '1.2', user_id: 'U1', author_id: 'U2' }),
    );
    expect(saveToNotesInvocation(payload, 'https://perma')).toEqual({
      command: 'note',
      text: 'hi @U9 #t',
      user: { platform: 'slack', id: 'U1', name: 'owner' },
      author: { platform: 'slack', id: 'U2', name: 'ada' },
      origin: { platform: 'slack', channel: 'C7', permalink: 'https://perma' },
      idempotencyKey: 'slack:msg:C7:1.2',
    });
    // A channel link reads as #name, and is said not to be a tag (acceptance 42).
    const linked = parseMessageShortcut(messageShortcutPayload({ response_url: 'http://x', text: 'in <#C1|eng> and <#C2> &amp; <#C1|eng> #t', channel_id: 'C7', ts: '1.3' }));
    expect(saveToNotesInvocation(linked)).toMatchObject({ text: 'in #eng and #C2 & #eng #t', notTags: ['eng', 'C2'] });
  });
});
