/**
 * Bolt's and the Web API client's log lines through pino. Their debug lines
 * carry raw payloads (response_url, tokens) as strings that redaction cannot
 * reach: those only at `trace`.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/index.ts';

export function boltLogger(logger: Logger, { quietWarnings = false } = {}): BoltLogger {
  const verbose = logger.isLevelEnabled('trace');
  const line = (parts: unknown[]): string =>
    parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => {
      if (verbose) logger.trace(line(parts));
    },
    info: (...parts: unknown[]) => logger.info(line(parts)),
    warn: (...parts: unknown[]) => (quietWarnings ? logger.debug(line(parts)) : logger.warn(line(parts))),
    error: (...parts: unknown[]) => logger.error(line(parts)),
    setLevel: () => {},
    getLevel: () => (verbose ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => {},
  };
}
