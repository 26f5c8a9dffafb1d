/**
 * Reaching Discord at start-up: why a login failed, in one line, and whether
 * trying again can help (no answer, or a 5xx or rate limit on the way) or not
 * (a refused token, an address that answers but is not Discord's API). Pure.
 */

/** What a failed `client.login()` means for start-up. */
export type LoginFailure =
  /** Worth another try within the budget; `cause` in a few words (`ENOTFOUND`, `HTTP 502 Bad Gateway`). */
  | { retry: true; cause: string }
  /** Final: the line start-up ends with. */
  | { retry: false; message: string };

/** Where discord.js sends REST requests when DISCORD_API_URL is unset. */
const DISCORD_API = 'https://discord.com/api';

export function loginFailure(error: unknown, apiUrl: string | undefined): LoginFailure {
  const { status, code, name, message, cause } = (error ?? {}) as { status?: unknown; code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  if (code === 'TokenInvalid' || status === 401) return { retry: false, message: `discord: could not log in: ${textOf(message) || 'the token was refused'}` };
  if (typeof status === 'number') {
    // 5xx and 429: Discord (or a proxy before it) is there but not answering yet.
    if (status >= 500 || status === 429) return { retry: true, cause: `HTTP ${status}${textOf(message) && textOf(message) !== 'No Description' ? ` ${textOf(message)}` : ''}` };
    return {
      retry: false,
      message: `discord: ${apiUrl ?? DISCORD_API} answered with HTTP ${status}, not as Discord's API does — check ${apiUrl ? 'DISCORD_API_URL' : 'the network (a proxy?)'}`,
    };
  }
  const system = systemCode(error) ?? systemCode(cause);
  if (system) return { retry: true, cause: system };
  if (name === 'AbortError' || name === 'TimeoutError') return { retry: true, cause: 'no answer in time' };
  // Anything else came from Discord itself (the gateway refusing the identify, say): final.
  return { retry: false, message: `discord: could not log in: ${textOf(message) || String(error)}` };
}

/** A network error's code (`ENOTFOUND`, `ECONNREFUSED`, undici's `UND_ERR_CONNECT_TIMEOUT`), if it is one. */
function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code) ? code : undefined;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The line start-up ends with when Discord did not answer within the budget. */
export function cannotReachMessage(apiUrl: string | undefined, budgetMs: number, cause: string | undefined): string {
  return `discord: could not reach Discord${apiUrl ? ` at ${apiUrl}` : ''} within ${Number((budgetMs / 1000).toFixed(1))} s${cause ? ` (${cause})` : ''} — check the network${apiUrl ? ' or DISCORD_API_URL' : ''}`;
}

/** Pause before the next login attempt: 0.5 s, doubling, at most 5 s. */
export function retryPauseMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), 5000);
}
