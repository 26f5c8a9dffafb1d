/**
 * The stand-ins refuse what the real APIs refuse, so a renderer that breaks a
 * platform limit fails the end-to-end tests instead of passing silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordChoicesProblems, discordMessageProblems, startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import { slackMessageProblems, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

describe('fake Discord', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('names every limit a message breaks', () => {
    const fields = Array.from({ length: 6 }, (_, i) => ({ name: `${i}`.padEnd(100, 'n'), value: 'v'.repeat(1000) }));
    expect(discordMessageProblems({ embeds: [{ title: 't', fields }] })).toEqual(['embeds: 6601 characters in all (at most 6,000)']);
    expect(discordMessageProblems({ embeds: [{ title: 'x'.repeat(257), fields: [{ name: '', value: 'v' }] }] })).toEqual([
      'embeds[0].title: 257 characters (0–256)',
      'embeds[0].fields[0].name: 0 characters (1–256)',
    ]);
    expect(discordMessageProblems({ embeds: [] })).toEqual(['message: cannot send an empty message']);
    expect(discordMessageProblems({ content: 'ok', embeds: [] })).toEqual([]);
    expect(discordChoicesProblems({ choices: [{ name: '', value: 'v' }] })).toEqual(['choices[0].name: must be 1–100 characters']);
  });

  it('answers 400 Invalid Form Body to an interaction reply over the 6,000 total', async () => {
    const fields = Array.from({ length: 6 }, (_, i) => ({ name: `${i}`.padEnd(100, 'n'), value: 'v'.repeat(1000) }));
    const res = await fetch(`${fake.apiUrl}/v10/interactions/1/tok/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { embeds: [{ title: 't', fields }] } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: number }).code).toBe(50035);
    const ok = await fetch(`${fake.apiUrl}/v10/interactions/1/tok/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { embeds: [{ title: 't' }] } }),
    });
    expect(ok.status).toBe(204);
  });
});

describe('fake Slack', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('names every limit a message breaks', () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(slackMessageProblems({ text: 'x', blocks: [section('')] })).toEqual(['blocks[0] section: empty text']);
    expect(slackMessageProblems({ text: 'x', blocks: [section('a'.repeat(3001))] })).toEqual([
      'blocks[0] section: text of 3001 characters (at most 3,000)',
    ]);
    expect(slackMessageProblems({ text: 'x', blocks: Array.from({ length: 51 }, () => section('a')) })).toEqual(['51 blocks (at most 50)']);
    expect(slackMessageProblems({ text: '' })).toEqual(['no text and no blocks']);
    expect(slackMessageProblems({ text: 'x', blocks: [section('a'), { type: 'divider' }] })).toEqual([]);
  });

  it('answers 400 to a response_url post Slack would refuse, and the wait for it fails at once with the reason', async () => {
    const waiting = fake.waitForResponse('bad', { timeoutMs: 5000 }).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    const res = await fetch(fake.responseUrl('bad'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }] }),
    });
    expect(res.status).toBe(400);
    expect(await waiting).toBe('fake-slack: Slack would reject the response_url post: blocks[0] section: empty text');
    expect(fake.responses('bad')).toEqual([]);
  });
});
