import { describe, expect, it } from 'vitest';
import { savedMessageInvocation } from '../../../src/adapters/discord/discord-payload.ts';
import { messageToPlainText } from '../../../src/adapters/discord/discord-text.ts';

const names = {
  channel: (id: string) => ({ '101': 'general', '102': 'ops-runbook' })[id],
  user: (id: string) => ({ '201': 'Ada L' })[id],
  role: (id: string) => ({ '301': 'oncall' })[id],
};

describe('messageToPlainText (Discord markup)', () => {
  it('reads mentions by name where known, else by what they are, and says which channels it showed', () => {
    expect(messageToPlainText('<#101> <#102> <#999> <@201> <@!201> <@999> <@&301> <@&999>', names)).toEqual({
      text: '#general #ops-runbook #channel @Ada L @Ada L @user @oncall @role',
      channels: ['general', 'ops-runbook', 'channel'],
    });
    expect(messageToPlainText('<#101> and <@201>')).toEqual({ text: '#channel and @user', channels: ['channel'] });
  });

  it('reads custom emoji as :name:, timestamps of any style as the ISO instant in UTC, command mentions as /name', () => {
    const styles = ['', ':t', ':T', ':d', ':D', ':f', ':F', ':R'].map((style) => `<t:1700000000${style}>`).join(' ');
    expect(messageToPlainText(styles).text).toBe(Array(8).fill('2023-11-14T22:13:20Z').join(' '));
    expect(messageToPlainText('<:party:123> <a:spin:456> <t:0> <t:-86400> </deploy:789> </db migrate:790>').text).toBe(
      ':party: :spin: 1970-01-01T00:00:00Z 1969-12-31T00:00:00Z /deploy /db migrate',
    );
  });

  it('leaves what is no Discord markup, or past what a date holds, as written', () => {
    const text = 'a <b> tag, <#> <@x> <t:99999999999999> <t:9999999999999> <t:1700000000:X> <:no-id:> #real-tag @here';
    expect(messageToPlainText(text, names)).toEqual({ text, channels: [] });
  });
});

describe('savedMessageInvocation', () => {
  const bob = { id: '201', username: 'bob', global_name: 'Bob B' };
  const base = { invoker: bob, guildId: '900', names };

  it('saves the readable text, names mentioned users as the message carries them, and gives the channel names as no tags', () => {
    const invocation = savedMessageInvocation({
      ...base,
      message: { id: '1', channelId: '101', content: 'see <#102> with <@202> #retro', author: bob, mentions: [{ id: '202', username: 'cy', global_name: null }] },
    });
    expect(invocation.text).toBe('see #ops-runbook with @cy #retro');
    expect(invocation.notTags).toEqual(['ops-runbook']);
  });

  it('has no notTags when the message names no channel', () => {
    const invocation = savedMessageInvocation({ ...base, message: { id: '2', channelId: '101', content: 'plain #retro', author: bob } });
    expect(invocation.text).toBe('plain #retro');
    expect(invocation).not.toHaveProperty('notTags');
  });
});
