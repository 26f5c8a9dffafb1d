import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '../../../src/core/index.ts';

describe('log redaction', () => {
  it('never writes tokens, signatures, response URLs or interaction URLs', () => {
    let written = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((written += String(chunk)), done()) });
    const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      config: { botToken: 'xoxb-secret-1', appToken: 'xapp-secret-2', signingSecret: 'sign-secret-3', token: 'discord-secret-4' },
      headers: { authorization: 'Bot secret-5', 'x-slack-signature': 'v0=secret-6' },
      body: { response_url: 'https://hooks.slack.com/commands/secret-7' },
      err: { message: 'Unknown interaction', url: 'https://discord.com/api/v10/interactions/1/secret-8/callback' },
    });
    for (let i = 1; i <= 8; i += 1) expect(written).not.toContain(`secret-${i}`);
    expect(written).toContain('Unknown interaction');
  });
});
