/**
 * A local stand-in for Slack, on 127.0.0.1: the Web API methods tinker calls
 * (auth.test, chat.getPermalink, apps.connections.open), a Socket Mode
 * WebSocket server, and a receiver for response_url posts. Also helpers that
 * send requests the way Slack does: signed form-encoded POSTs.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSlackAdapter } from '../../src/adapters/slack/slack.ts';
import type { AdapterDeps } from '../../src/adapters/adapter.ts';

export const BOT_TOKEN = 'xoxb-test-bot-token';
export const APP_TOKEN = 'xapp-test-app-token';
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const TEAM_ID = 'T0TEST';
export const BOT_USER_ID = 'U0BOT';
/** chat.getPermalink answers `channel_not_found` for channels whose id starts with this. */
export const HIDDEN_CHANNEL_PREFIX = 'C0HIDDEN';

/** One Web API call the stand-in received. */
export interface ApiCall {
  method: string;
  /** The token from the Authorization header (or the `token` form field). */
  token: string | undefined;
  params: Record<string, string>;
}

/** A message posted to a response_url. */
export interface RespondBody {
  response_type?: string;
  text?: string;
  blocks?: Array<Record<string, unknown>>;
  replace_original?: boolean;
}

/** A Home tab view as views.publish received it. */
export interface PublishedView {
  type: string;
  blocks: Array<Record<string, unknown>>;
}

/** What the app sent back over the socket for one envelope. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  /** Socket Mode connections are accepted but never sent `hello` (a websocket that never comes up). */
  silentSocket?: boolean;
}

export interface FakeSlack {
  /** Web API base, ending in `/`: give it as SLACK_API_URL. */
  readonly apiUrl: string;
  /** Every Web API call, in order. */
  readonly calls: ApiCall[];
  /** A fresh response_url on the stand-in. */
  responseUrl(id?: string): string;
  /** Messages posted so far to a response_url id (only those accepted). */
  responses(id: string): RespondBody[];
  /** response_url posts answered 400 because Slack would reject them, with the reasons. */
  readonly rejected: Array<{ id: string; body: unknown; problems: string[] }>;
  /** Channels whose chat.getPermalink is never answered (a hung Web API). */
  readonly hungChannels: Set<string>;
  /** Home tab views published for a user, in order (only those accepted). */
  views(user: string): PublishedView[];
  /** views.publish calls refused because Slack would refuse them, with the reasons. */
  readonly refusedViews: Array<{ user: string; view: unknown; problems: string[] }>;
  /** Waits for the `index`-th view (default the first) published for a user. */
  waitForView(user: string, options?: { index?: number; timeoutMs?: number }): Promise<PublishedView>;
  /** Messages posted with chat.postMessage to a person's direct-message channel (opened with conversations.open), in order. */
  directMessages(user: string): RespondBody[];
  /** Waits for the `index`-th message (default the first) posted to a response_url id. */
  waitForResponse(id: string, options?: { index?: number; timeoutMs?: number }): Promise<RespondBody>;
  /** Resolves once a Socket Mode client is connected and has been sent `hello`. */
  socketConnected(timeoutMs?: number): Promise<void>;
  /** Sends a Socket Mode envelope and resolves with the app's acknowledgement. */
  sendEnvelope(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    options?: { retryAttempt?: number; timeoutMs?: number },
  ): Promise<SocketAck>;
  /** Closes every Socket Mode connection from the server side (a dropped connection). */
  dropSockets(): void;
  /** From now on, new Socket Mode connections are (or are no longer) left without `hello`. */
  setSilentSocket(silent: boolean): void;
  /** From now on apps.connections.open refuses the app token (`invalid_auth`), as after a revocation. */
  revokeAppToken(): void;
  /** The next `times` calls of a Web API method are answered HTTP 503 (Slack having a bad moment). */
  failNext(method: string, times: number): void;
  close(): Promise<void>;
}

/**
 * What Slack would reject in a list of blocks, as its `invalid_blocks` errors
 * name it: at most `maxBlocks`; section and context texts 1–3,000 characters,
 * at most 10 context elements; a header's plain text 1–150; an actions block
 * of 1–25 buttons, each with plain text 1–75, an action_id 1–255 characters
 * unique in the message, and a value of at most 2,000; no other block types.
 */
export function slackBlocksProblems(blocks: unknown, maxBlocks: number): string[] {
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks (at most ${maxBlocks})`);
  const checkText = (where: string, object: unknown, max = 3000, plain = false) => {
    const { type, text: value } = (object ?? {}) as { type?: unknown; text?: unknown };
    if (plain && type !== 'plain_text') problems.push(`${where}: must be plain_text`);
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${where}: empty text`);
    else if (value.length > max) problems.push(`${where}: text of ${value.length} characters (at most ${max.toLocaleString('en')})`);
  };
  const actionIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const { type, text: blockText, elements } = (block ?? {}) as { type?: unknown; text?: unknown; elements?: unknown };
    if (type === 'section') checkText(`blocks[${i}] section`, blockText);
    else if (type === 'header') checkText(`blocks[${i}] header`, blockText, 150, true);
    else if (type === 'context') {
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) problems.push(`blocks[${i}] context: 1–10 elements`);
      else elements.forEach((element: unknown, j) => checkText(`blocks[${i}].elements[${j}]`, element));
    } else if (type === 'actions') {
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) {
        problems.push(`blocks[${i}] actions: 1–25 elements`);
        return;
      }
      elements.forEach((element: unknown, j) => {
        const where = `blocks[${i}].elements[${j}]`;
        const { type: kind, text, action_id: actionId, value } = (element ?? {}) as Record<string, unknown>;
        if (kind !== 'button') return problems.push(`${where}: unknown element type ${String(kind)}`);
        checkText(`${where} button`, text, 75, true);
        if (typeof actionId !== 'string' || actionId.length === 0 || actionId.length > 255) problems.push(`${where}: action_id must be 1–255 characters`);
        else if (actionIds.has(actionId)) problems.push(`${where}: action_id ${actionId} is not unique`);
        else actionIds.add(actionId);
        if (value !== undefined && (typeof value !== 'string' || value.length > 2000)) problems.push(`${where}: value must be at most 2,000 characters`);
        return undefined;
      });
    } else if (type !== 'divider') problems.push(`blocks[${i}]: unknown type ${String(type)}`);
  });
  return problems;
}

/**
 * What Slack would reject in a message (an ack body, a response_url post);
 * [] when it is well-formed: text or blocks present, and blocks as
 * slackBlocksProblems accepts them in a message (at most 50).
 */
export function slackMessageProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['not a JSON object'];
  const { text, blocks } = body as { text?: unknown; blocks?: unknown };
  const hasText = typeof text === 'string' && text.trim() !== '';
  if (blocks === undefined) return hasText ? [] : ['no text and no blocks'];
  if (Array.isArray(blocks) && blocks.length === 0 && !hasText) return ['no text and no blocks'];
  return slackBlocksProblems(blocks, 50);
}

/**
 * What views.publish would refuse in a Home tab view: the type `home`, 1–100
 * blocks as slackBlocksProblems accepts them, private_metadata at most 3,000
 * characters, callback_id at most 255.
 */
export function slackHomeViewProblems(view: unknown): string[] {
  if (typeof view !== 'object' || view === null) return ['view: not a JSON object'];
  const { type, blocks, private_metadata: metadata, callback_id: callbackId } = view as Record<string, unknown>;
  const problems: string[] = [];
  if (type !== 'home') problems.push(`view.type: ${String(type)} (must be home)`);
  if (Array.isArray(blocks) && blocks.length === 0) problems.push('view.blocks: empty');
  problems.push(...slackBlocksProblems(blocks, 100));
  if (metadata !== undefined && (typeof metadata !== 'string' || metadata.length > 3000)) problems.push('view.private_metadata: at most 3,000 characters');
  if (callbackId !== undefined && (typeof callbackId !== 'string' || callbackId.length > 255)) problems.push('view.callback_id: at most 255 characters');
  return problems;
}

function waitFor<T>(waiters: Array<() => void>, predicate: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = (): boolean => {
      const found = predicate();
      if (found === undefined) return false;
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    const timer = setTimeout(() => reject(new Error(`fake-slack: no ${what} within ${timeoutMs} ms`)), timeoutMs);
    if (check()) return;
    const waiter = () => {
      if (check()) waiters.splice(waiters.indexOf(waiter), 1);
    };
    waiters.push(waiter);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? BOT_TOKEN;
  const appToken = options.appToken ?? APP_TOKEN;
  const calls: ApiCall[] = [];
  const posted = new Map<string, RespondBody[]>();
  const rejected: FakeSlack['rejected'] = [];
  const hungChannels = new Set<string>();
  const published = new Map<string, PublishedView[]>();
  /** Direct-message channels opened (`D…` → user) and what was posted in them. */
  const imChannels = new Map<string, string>();
  const direct = new Map<string, RespondBody[]>();
  const refusedViews: FakeSlack['refusedViews'] = [];
  const viewWaiters: Array<() => void> = [];
  const postWaiters: Array<() => void> = [];
  const acks: SocketAck[] = [];
  const ackWaiters: Array<() => void> = [];
  const sockets = new Set<WebSocket>();
  const socketWaiters: Array<() => void> = [];
  let helloSent = 0;
  let appTokenRevoked = false;
  let silentSocket = options.silentSocket ?? false;
  const failures = new Map<string, number>();

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
        const id = decodeURIComponent(url.pathname.slice('/response/'.length));
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        const problems = slackMessageProblems(body);
        if (problems.length > 0) {
          // As Slack does: the post is refused and nothing is shown.
          rejected.push({ id, body, problems });
          for (const waiter of [...postWaiters]) waiter();
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end('invalid_blocks');
          return;
        }
        const list = posted.get(id) ?? [];
        list.push(body as RespondBody);
        posted.set(id, list);
        for (const waiter of [...postWaiters]) waiter();
        json(200, { ok: true });
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
        const method = url.pathname.slice('/api/'.length);
        const params: Record<string, string> = {};
        if (String(req.headers['content-type']).startsWith('application/json')) {
          for (const [k, v] of Object.entries(JSON.parse(raw || '{}') as Record<string, unknown>)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
        } else {
          for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
        }
        const header = req.headers.authorization;
        const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : params.token;
        calls.push({ method, token, params });
        const failing = failures.get(method) ?? 0;
        if (failing > 0) {
          failures.set(method, failing - 1);
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('service unavailable');
          return;
        }
        switch (method) {
          case 'auth.test':
            if (token !== botToken) return json(200, { ok: false, error: 'invalid_auth' });
            return json(200, {
              ok: true,
              url: 'https://tinker-test.slack.com/',
              team: 'tinker test',
              user: 'tinker',
              team_id: TEAM_ID,
              user_id: BOT_USER_ID,
              bot_id: 'B0BOT',
            });
          case 'chat.getPermalink': {
            if (token !== botToken) return json(200, { ok: false, error: 'invalid_auth' });
            const channel = params.channel ?? '';
            // Never answered: the request hangs until the client gives up.
            if (hungChannels.has(channel)) return;
            // Like a private channel the bot is not in.
            if (channel.startsWith(HIDDEN_CHANNEL_PREFIX)) return json(200, { ok: false, error: 'channel_not_found' });
            const ts = (params.message_ts ?? '').replace('.', '');
            return json(200, { ok: true, channel, permalink: `https://tinker-test.slack.com/archives/${channel}/p${ts}` });
          }
          case 'views.publish': {
            if (token !== botToken) return json(200, { ok: false, error: 'invalid_auth' });
            const user = params.user_id ?? '';
            let view: unknown;
            try {
              view = JSON.parse(params.view ?? '');
            } catch {
              view = undefined;
            }
            const problems = [...(user ? [] : ['user_id: missing']), ...slackHomeViewProblems(view)];
            if (problems.length > 0) {
              // As Slack does: nothing is published, and the error names what is wrong.
              refusedViews.push({ user, view, problems });
              for (const waiter of [...viewWaiters]) waiter();
              return json(200, { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } });
            }
            const list = published.get(user) ?? [];
            list.push(view as PublishedView);
            published.set(user, list);
            for (const waiter of [...viewWaiters]) waiter();
            return json(200, { ok: true, view: { id: `V${published.size}`, ...(view as object) } });
          }
          case 'conversations.open': {
            if (token !== botToken) return json(200, { ok: false, error: 'invalid_auth' });
            const user = params.users ?? '';
            if (!/^[UW][A-Z0-9]+$/.test(user)) return json(200, { ok: false, error: 'user_not_found' });
            const channel = `D0${user}`;
            imChannels.set(channel, user);
            return json(200, { ok: true, channel: { id: channel } });
          }
          case 'chat.postMessage': {
            if (token !== botToken) return json(200, { ok: false, error: 'invalid_auth' });
            const user = imChannels.get(params.channel ?? '');
            if (!user) return json(200, { ok: false, error: 'channel_not_found' });
            const message = { text: params.text, ...(params.blocks ? { blocks: JSON.parse(params.blocks) as Array<Record<string, unknown>> } : {}) };
            const problems = slackMessageProblems(message);
            if (problems.length > 0) return json(200, { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } });
            direct.set(user, [...(direct.get(user) ?? []), message]);
            return json(200, { ok: true, channel: params.channel, ts: `${Date.now() / 1000}` });
          }
          case 'apps.connections.open': {
            if (token !== appToken || appTokenRevoked) return json(200, { ok: false, error: 'invalid_auth' });
            const { port } = server.address() as AddressInfo;
            return json(200, { ok: true, url: `ws://127.0.0.1:${port}/socket?ticket=${randomUUID()}` });
          }
          default:
            return json(200, { ok: false, error: 'unknown_method' });
        }
      }
      res.writeHead(404);
      res.end();
    })();
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/socket') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as SocketAck;
        acks.push(message);
        for (const waiter of [...ackWaiters]) waiter();
      });
      if (silentSocket) return;
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0TEST' },
        }),
      );
      helloSent += 1;
      for (const waiter of [...socketWaiters]) waiter();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    calls,
    rejected,
    hungChannels,
    refusedViews,
    views: (user) => published.get(user) ?? [],
    directMessages: (user) => direct.get(user) ?? [],
    waitForView(user, { index = 0, timeoutMs = 10_000 } = {}) {
      // A view Slack would refuse fails the wait at once, naming why.
      return waitFor<PublishedView | FakeSlack['refusedViews'][number]>(
        viewWaiters,
        () => published.get(user)?.[index] ?? refusedViews.find((entry) => entry.user === user),
        timeoutMs,
        `views.publish #${index} for ${user}`,
      ).then((found) => {
        if ('problems' in found) throw new Error(`fake-slack: Slack would refuse the view: ${found.problems.join('; ')}`);
        return found;
      });
    },
    responseUrl: (id = randomUUID()) => `${base}/response/${encodeURIComponent(id)}`,
    responses: (id) => posted.get(id) ?? [],
    waitForResponse(id, { index = 0, timeoutMs = 10_000 } = {}) {
      // A post Slack would refuse fails the wait at once, naming why.
      return waitFor<RespondBody | FakeSlack['rejected'][number]>(
        postWaiters,
        () => posted.get(id)?.[index] ?? rejected.find((entry) => entry.id === id),
        timeoutMs,
        `response_url post #${index} to ${id}`,
      ).then((found) => {
        if ('problems' in found) throw new Error(`fake-slack: Slack would reject the response_url post: ${found.problems.join('; ')}`);
        return found;
      });
    },
    socketConnected(timeoutMs = 10_000) {
      return waitFor(socketWaiters, () => (helloSent > 0 && sockets.size > 0 ? true : undefined), timeoutMs, 'Socket Mode connection').then(() => {});
    },
    sendEnvelope(type, payload, envelopeOptions = {}) {
      const envelopeId = randomUUID();
      const [ws] = sockets;
      if (!ws) return Promise.reject(new Error('fake-slack: no Socket Mode client connected'));
      ws.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          ...(envelopeOptions.retryAttempt !== undefined
            ? { retry_attempt: envelopeOptions.retryAttempt, retry_reason: 'timeout' }
            : {}),
        }),
      );
      return waitFor(ackWaiters, () => acks.find((ack) => ack.envelope_id === envelopeId), envelopeOptions.timeoutMs ?? 10_000, `ack for ${type}`);
    },
    dropSockets() {
      for (const ws of sockets) ws.terminate();
    },
    setSilentSocket(silent) {
      silentSocket = silent;
    },
    revokeAppToken() {
      appTokenRevoked = true;
    },
    failNext(method, times) {
      failures.set(method, times);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- Requests as Slack sends them ----

/** `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`, as Slack signs requests. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** The fields of a slash-command request, in the order Slack sends them. */
export interface SlashCommandFields {
  command: string;
  text: string;
  response_url: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  trigger_id?: string;
}

/** A slash-command body exactly as Slack form-encodes it. */
export function slashCommandBody(fields: SlashCommandFields): string {
  const ordered: Array<[string, string]> = [
    ['token', 'verification-token-unused'],
    ['team_id', TEAM_ID],
    ['team_domain', 'tinker-test'],
    ['channel_id', fields.channel_id ?? 'C0GENERAL'],
    ['channel_name', fields.channel_name ?? 'general'],
    ['user_id', fields.user_id ?? 'U0OWNER'],
    ['user_name', fields.user_name ?? 'owner'],
    ['command', fields.command],
    ['text', fields.text],
    ['api_app_id', 'A0TEST'],
    ['is_enterprise_install', 'false'],
    ['response_url', fields.response_url],
    ['trigger_id', fields.trigger_id ?? `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replace(/-/g, '')}`],
  ];
  // Slack sends UTF-8: a lone UTF-16 surrogate cannot be encoded and arrives as U+FFFD.
  const wellFormed = (value: string) =>
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return ordered.map(([key, value]) => `${key}=${encodeURIComponent(wellFormed(value))}`).join('&');
}

/** A message-shortcut ("Save to notes") payload, as Slack sends it. */
export function messageShortcutPayload(options: {
  response_url: string;
  text: string;
  channel_id?: string;
  ts?: string;
  user_id?: string;
  author_id?: string;
  author_name?: string;
  callback_id?: string;
}): Record<string, unknown> {
  const ts = options.ts ?? '1716200000.000100';
  const channel = options.channel_id ?? 'C0GENERAL';
  return {
    type: 'message_action',
    token: 'verification-token-unused',
    action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
    team: { id: TEAM_ID, domain: 'tinker-test' },
    user: { id: options.user_id ?? 'U0OWNER', username: 'owner', team_id: TEAM_ID, name: 'owner' },
    channel: { id: channel, name: 'general' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callback_id ?? 'save_to_notes',
    trigger_id: `${Date.now()}.1.${randomUUID().replace(/-/g, '')}`,
    response_url: options.response_url,
    message_ts: ts,
    message: {
      type: 'message',
      user: options.author_id ?? 'U0AUTHOR',
      ts,
      text: options.text,
      team: TEAM_ID,
      user_profile: { display_name: options.author_name ?? 'ada', real_name: 'Ada Lovelace', name: 'ada' },
    },
  };
}

/** A block action (a pressed button) as Slack sends it, for a button of a message (ephemeral or not) or a Home tab view. */
export function blockActionsPayload(options: {
  response_url?: string;
  value: string;
  action_id?: string;
  text?: string;
  user_id?: string;
  channel_id?: string;
  ephemeral?: boolean;
  /** A button in the Home tab: no channel, no response_url. */
  home?: boolean;
}): Record<string, unknown> {
  const channel = options.channel_id ?? 'C0GENERAL';
  const ts = `${Math.floor(Date.now() / 1000)}.000300`;
  return {
    type: 'block_actions',
    token: 'verification-token-unused',
    api_app_id: 'A0TEST',
    team: { id: TEAM_ID, domain: 'tinker-test' },
    user: { id: options.user_id ?? 'U0OWNER', username: 'owner', name: 'owner', team_id: TEAM_ID },
    trigger_id: `${Date.now()}.2.${randomUUID().replace(/-/g, '')}`,
    ...(options.home
      ? { container: { type: 'view', view_id: 'V0HOME' }, view: { id: 'V0HOME', type: 'home' } }
      : {
          container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: options.ephemeral ?? true },
          channel: { id: channel, name: 'general' },
          response_url: options.response_url,
          ...(options.ephemeral === false ? { message: { type: 'message', ts, text: 'earlier reply' } } : {}),
        }),
    actions: [
      {
        type: 'button',
        action_id: options.action_id ?? 'tinker_action_0',
        block_id: 'b0',
        text: { type: 'plain_text', text: options.text ?? 'More results' },
        value: options.value,
        action_ts: `${Math.floor(Date.now() / 1000)}.000400`,
      },
    ],
  };
}

/** An Events API callback as Slack posts it (JSON) or wraps it in a Socket Mode envelope. */
export function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: TEAM_ID,
    api_app_id: 'A0TEST',
    event: { event_ts: `${Date.now() / 1000}`, ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
  };
}

/** `app_home_opened` for a user, on the Home tab. */
export function homeOpenedEvent(user: string, tab: 'home' | 'messages' = 'home'): Record<string, unknown> {
  return { type: 'app_home_opened', user, channel: `D0${user}`, tab };
}

/** An interactive payload as Slack form-encodes it: `payload=<json>`. */
export function interactiveBody(payload: Record<string, unknown>): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface SignedPostOptions {
  secret?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Replaces the computed signature (for forgeries). */
  signature?: string;
  /** Sets X-Slack-Retry-Num (and a reason), as Slack does on a redelivery. */
  retryNum?: number;
  /** `application/json` for Events API callbacks; form-encoded by default. */
  contentType?: string;
}

/** POSTs an Events API callback the way Slack does: JSON, timestamped and signed. */
export function postEvent(url: string, event: Record<string, unknown>, options: SignedPostOptions = {}): Promise<Response> {
  return postSigned(url, JSON.stringify(eventCallback(event)), { ...options, contentType: 'application/json' });
}

/** POSTs a body to a URL the way Slack does: form-encoded, timestamped and signed. */
export async function postSigned(url: string, body: string, options: SignedPostOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body });
}

// ---- A Slack front end for tests that drive commands ----

export interface SlackDriver {
  /** The stand-in the bot talks to (Web API, response_url, Socket Mode). */
  readonly fake: FakeSlack;
  /** `http://127.0.0.1:<port>/slack/events`. */
  readonly eventsUrl: string;
  /**
   * Sends `/<command> <text>` as a signed slash-command POST (the text escaped
   * as Slack escapes what a person types: `&`, `<`, `>`) and returns the
   * reply as Slack would show it: from the acknowledgement, or, when the bot
   * acknowledged empty, from its response_url post.
   */
  command(command: string, text: string, fields?: Partial<SlashCommandFields>): Promise<{ status: number; message: RespondBody | undefined }>;
  stop(): Promise<void>;
}

/** Starts a stand-in and the real Slack adapter (HTTP mode on 127.0.0.1) over the given core. */
export async function startSlackDriver(deps: AdapterDeps): Promise<SlackDriver> {
  const fake = await startFakeSlack();
  const adapter = createSlackAdapter(
    { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
    deps,
    { host: '127.0.0.1' },
  );
  try {
    await adapter.start();
  } catch (error) {
    await fake.close();
    throw error;
  }
  const eventsUrl = `http://127.0.0.1:${adapter.port}/slack/events`;
  return {
    fake,
    eventsUrl,
    async command(command, text, fields = {}) {
      const responseId = randomUUID();
      const typed = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const body = slashCommandBody({ command: `/${command}`, text: typed, response_url: fake.responseUrl(responseId), ...fields });
      const res = await postSigned(eventsUrl, body);
      const raw = await res.text();
      if (res.status !== 200) return { status: res.status, message: undefined };
      if (raw) {
        // An acknowledgement Slack would refuse shows the user an error instead of the reply.
        const acked: unknown = JSON.parse(raw);
        const problems = slackMessageProblems(acked);
        if (problems.length > 0) throw new Error(`fake-slack: Slack would reject the acknowledgement: ${problems.join('; ')}`);
        return { status: res.status, message: acked as RespondBody };
      }
      return { status: res.status, message: await fake.waitForResponse(responseId) };
    },
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
}
