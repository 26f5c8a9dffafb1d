/**
 * Logging: pino, JSON lines on standard error (standard output carries console
 * replies). Anything that is a credential is redacted wherever it appears.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Paths pino censors: tokens, signatures, response URLs and interaction tokens are credentials. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
  'response_url',
  '*.response_url',
  'responseUrl',
  '*.responseUrl',
  'interactionToken',
  '*.interactionToken',
  // discord.js API errors carry the request URL, which holds the interaction token.
  'err.url',
  'err.requestBody',
];

export function createLogger(level = 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that writes nothing (tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
