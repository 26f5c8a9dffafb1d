/**
 * A local stand-in for Discord's REST API and gateway on 127.0.0.1, enough for
 * discord.js 14 to log in, receive interactions and answer them:
 * `GET /api/v10/gateway/bot` → ws:// URL; HELLO → IDENTIFY → READY (→ GUILD_CREATE
 * for each configured guild); heartbeats ACKed; `INTERACTION_CREATE` dispatches on demand.
 * Every REST request is recorded; interaction callbacks, webhook edits and
 * command registrations are answered the way Discord does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedRequest {
  method: string;
  /** Path without the query, percent-decoded (`/api/v10/webhooks/1/tok/messages/@original`). */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  authorization?: string;
  at: number;
  /** The status the stand-in answered with. */
  status?: number;
  /** Why the stand-in refused the body (400 Invalid Form Body), as Discord would. */
  problems?: string[];
}

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface FakeGuild {
  id: string;
  name: string;
  /** Text channels in the guild. */
  channels: { id: string; name: string }[];
  /** Roles beside @everyone. */
  roles?: { id: string; name: string }[];
}

export interface FakeDiscordOptions {
  applicationId?: string;
  /** Guilds announced unavailable in READY and then sent as GUILD_CREATE (as Discord does). */
  guilds?: FakeGuild[];
  /** Heartbeat interval sent in HELLO (ms). */
  heartbeatIntervalMs?: number;
  /** Close the gateway with this code on IDENTIFY (4004: authentication failed). */
  closeOnIdentify?: number;
  /** Bot tokens answered with 401 Unauthorized (as Discord answers a revoked token). */
  rejectTokens?: string[];
  /** The port to listen on (default: any free one), e.g. one a bot was already told to try. */
  port?: number;
}

/** What came back for one interaction. */
export interface InteractionResult {
  /** Body of `POST /interactions/{id}/{token}/callback`. */
  callback: { type: number; data?: Record<string, unknown> };
  /** Body of `PATCH /webhooks/{app}/{token}/messages/@original` after a deferral (type 5). */
  edit?: Record<string, unknown>;
  /** Milliseconds from dispatch to the callback. */
  callbackMs: number;
}

export interface InteractionPayload {
  id: string;
  token: string;
  [key: string]: unknown;
}

const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;
/** A fresh snowflake id. */
export function snowflake(): string {
  counter += 1n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (counter & 0x3fffffn)).toString();
}

export const FAKE_USER: FakeUser = { id: '80351110224678912', username: 'owner', global_name: 'The Owner' };

/**
 * What Discord would refuse in a message body (an interaction reply, an edit),
 * as its 50035 "Invalid Form Body" errors would name it; [] when it is
 * well-formed. Limits: content 2,000; 10 embeds; title 256, description 4,096,
 * 25 fields (name 1–256, value 1–1,024), footer 2,048, 6,000 for all embeds.
 */
export function discordMessageProblems(data: unknown, options: { edit?: boolean } = {}): string[] {
  if (typeof data !== 'object' || data === null) return ['data: not an object'];
  const { content, embeds, components } = data as { content?: unknown; embeds?: unknown; components?: unknown };
  const problems: string[] = [...discordComponentsProblems(components)];
  if (content !== undefined && content !== null) {
    if (typeof content !== 'string') problems.push('content: not a string');
    else if (content.length > 2000) problems.push(`content: ${content.length} characters (at most 2,000)`);
  }
  const list = embeds === undefined || embeds === null ? [] : embeds;
  if (!Array.isArray(list)) return [...problems, 'embeds: not an array'];
  if (list.length > 10) problems.push(`embeds: ${list.length} (at most 10)`);
  if (!options.edit && list.length === 0 && !(typeof content === 'string' && content.trim())) problems.push('message: cannot send an empty message');
  let total = 0;
  list.forEach((embed: unknown, i) => {
    const { title, description, fields, footer } = (embed ?? {}) as {
      title?: unknown;
      description?: unknown;
      fields?: unknown;
      footer?: { text?: unknown };
    };
    const text = (where: string, value: unknown, max: number, min = 0) => {
      if (value === undefined) return;
      if (typeof value !== 'string') problems.push(`${where}: not a string`);
      else if (value.length > max || value.trim().length < min) problems.push(`${where}: ${value.length} characters (${min}–${max})`);
      else total += value.length;
    };
    text(`embeds[${i}].title`, title, 256);
    text(`embeds[${i}].description`, description, 4096);
    text(`embeds[${i}].footer.text`, footer?.text, 2048);
    if (fields !== undefined) {
      if (!Array.isArray(fields)) problems.push(`embeds[${i}].fields: not an array`);
      else {
        if (fields.length > 25) problems.push(`embeds[${i}].fields: ${fields.length} (at most 25)`);
        fields.forEach((field: { name?: unknown; value?: unknown }, j) => {
          text(`embeds[${i}].fields[${j}].name`, field?.name ?? '', 256, 1);
          text(`embeds[${i}].fields[${j}].value`, field?.value ?? '', 1024, 1);
        });
      }
    }
  });
  if (total > 6000) problems.push(`embeds: ${total} characters in all (at most 6,000)`);
  return problems;
}

/**
 * What Discord would refuse in a message's components: at most 5 action rows
 * (type 1) of 1–5 buttons (type 2); a button has a style 1–4 and a custom_id
 * of 1–100 characters unique in the message (or style 5 and a url), and a
 * label of at most 80 characters.
 */
export function discordComponentsProblems(components: unknown): string[] {
  if (components === undefined || components === null) return [];
  if (!Array.isArray(components)) return ['components: not an array'];
  const problems: string[] = [];
  if (components.length > 5) problems.push(`components: ${components.length} rows (at most 5)`);
  const ids = new Set<string>();
  components.forEach((row: { type?: unknown; components?: unknown }, i) => {
    if (row?.type !== 1) return void problems.push(`components[${i}]: type ${String(row?.type)} is not an action row`);
    const buttons = row.components;
    if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 5) return void problems.push(`components[${i}]: 1–5 components`);
    buttons.forEach((button: Record<string, unknown>, j) => {
      const where = `components[${i}].components[${j}]`;
      if (button?.type !== 2) return void problems.push(`${where}: type ${String(button?.type)} is not a button`);
      const { style, custom_id: id, label, url } = button;
      if (typeof label === 'string' && label.length > 80) problems.push(`${where}.label: ${label.length} characters (at most 80)`);
      if (label === undefined || label === '') problems.push(`${where}.label: missing`);
      if (style === 5) {
        if (typeof url !== 'string') problems.push(`${where}.url: missing for a link button`);
        return;
      }
      if (typeof style !== 'number' || style < 1 || style > 4) problems.push(`${where}.style: ${String(style)}`);
      if (typeof id !== 'string' || id.length < 1 || id.length > 100) problems.push(`${where}.custom_id: must be 1–100 characters`);
      else if (ids.has(id)) problems.push(`${where}.custom_id: ${id} is not unique`);
      else ids.add(id);
    });
  });
  return problems;
}

/** What Discord would refuse in an autocomplete answer: at most 25 choices, name and value 1–100 characters. */
export function discordChoicesProblems(data: unknown): string[] {
  const choices = (data as { choices?: unknown } | undefined)?.choices;
  if (!Array.isArray(choices)) return ['choices: not an array'];
  const problems: string[] = [];
  if (choices.length > 25) problems.push(`choices: ${choices.length} (at most 25)`);
  choices.forEach((choice: { name?: unknown; value?: unknown }, i) => {
    for (const key of ['name', 'value'] as const) {
      const value = choice?.[key];
      if (typeof value !== 'string' || value.length < 1 || value.length > 100) problems.push(`choices[${i}].${key}: must be 1–100 characters`);
    }
  });
  return problems;
}

/** The body problems of an interaction callback, by its type. */
function callbackProblems(body: unknown): string[] {
  const { type, data } = (body ?? {}) as { type?: unknown; data?: unknown };
  if (type === 4) return discordMessageProblems(data);
  // 7 updates the message the button is on: an edit of it.
  if (type === 7) return discordMessageProblems(data, { edit: true });
  if (type === 5 || type === 6) return [];
  if (type === 8) return discordChoicesProblems(data);
  return [`type: unexpected callback type ${String(type)}`];
}

function apiUser(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    global_name: user.global_name ?? null,
    discriminator: '0',
    avatar: null,
    public_flags: 0,
  };
}

interface Where {
  user?: FakeUser;
  channelId?: string;
  /** Set for an interaction in a guild (member payload); unset for a DM. */
  guildId?: string;
}

export class FakeDiscord {
  readonly applicationId: string;
  readonly botUser: FakeUser = { id: '1100000000000000001', username: 'tinker' };
  readonly requests: RecordedRequest[] = [];
  readonly identifies: unknown[] = [];
  heartbeats = 0;
  /** Gateway connections opened so far (a reconnect or resume opens another). */
  connections = 0;
  /** Interaction tokens whose callback is answered 404 Unknown interaction (too late, as after 3 s). */
  readonly expiredTokens = new Set<string>();
  private readonly http = createServer((req, res) => void this.onRequest(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  private readonly identifyWaiters: (() => void)[] = [];
  private seq = 0;
  private port = 0;

  constructor(private readonly options: FakeDiscordOptions = {}) {
    this.applicationId = options.applicationId ?? '1100000000000000000';
    this.http.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGateway(ws));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.http.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  /** REST base URL for `DISCORD_API_URL` / `rest.api`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Resolves once a client has identified (and been sent READY). */
  waitForIdentify(timeoutMs = 15_000): Promise<void> {
    if (this.identifies.length > 0) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.identifyWaiters.push(resolve)), timeoutMs, 'fake-discord: no IDENTIFY');
  }

  /** The first request (already recorded or still to come) that matches. */
  waitForRequest(match: (request: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return withTimeout(
      new Promise<RecordedRequest>((resolve) => this.waiters.push({ match, resolve })),
      timeoutMs,
      'fake-discord: expected request never came',
    );
  }

  /** Sends a gateway dispatch to every connected client. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const packet = JSON.stringify({ op: 0, t, s: this.seq, d });
    for (const ws of this.sockets) ws.send(packet);
  }

  /** Dispatches an interaction and waits for its answer (and, when deferred, the edit that follows). */
  async interact(payload: InteractionPayload, timeoutMs = 10_000): Promise<InteractionResult> {
    const sent = Date.now();
    const callbackPath = `/api/v10/interactions/${payload.id}/${payload.token}/callback`;
    const callbackRequest = this.waitForRequest((r) => r.method === 'POST' && r.path === callbackPath, timeoutMs);
    this.dispatch('INTERACTION_CREATE', payload);
    const callback = await callbackRequest;
    if (callback.problems) throw new Error(`fake-discord: Discord would refuse the reply (400): ${callback.problems.join('; ')}`);
    const result: InteractionResult = {
      callback: callback.body as InteractionResult['callback'],
      callbackMs: callback.at - sent,
    };
    // 5: a deferred reply; 6: a deferred update of the button's message. Both are followed by an edit of @original.
    if (result.callback.type === 5 || result.callback.type === 6) {
      const editPath = `/api/v10/webhooks/${this.applicationId}/${payload.token}/messages/@original`;
      const edit = await this.waitForRequest((r) => r.method === 'PATCH' && r.path === editPath, timeoutMs);
      if (edit.problems) throw new Error(`fake-discord: Discord would refuse the edit (400): ${edit.problems.join('; ')}`);
      result.edit = edit.body as Record<string, unknown>;
    }
    return result;
  }

  /** A `/name` chat-input interaction with string options. */
  chatInput(name: string, options: Record<string, string> = {}, where: Where = {}): InteractionPayload {
    return this.interaction(2, {
      id: snowflake(),
      name,
      type: 1,
      options: Object.entries(options).map(([option, value]) => ({ name: option, type: 3, value })),
    }, where);
  }

  /** An autocomplete interaction for `/name` with `option` focused and `value` typed. */
  autocomplete(name: string, option: string, value: string, where: Where = {}): InteractionPayload {
    return this.interaction(4, {
      id: snowflake(),
      name,
      type: 1,
      options: [{ name: option, type: 3, value, focused: true }],
    }, where);
  }

  /** A message context-menu interaction on a message written by `author`. */
  messageCommand(
    name: string,
    target: { id: string; content: string; author: FakeUser; mentions?: FakeUser[]; mentionRoles?: string[] },
    where: Where = {},
  ): InteractionPayload {
    const channelId = where.channelId ?? '2200000000000000001';
    return this.interaction(2, {
      id: snowflake(),
      name,
      type: 3,
      target_id: target.id,
      resolved: {
        messages: {
          [target.id]: {
            ...messagePayload({ id: target.id, channelId, author: apiUser(target.author), content: target.content }),
            // As Discord sends them: the users mentioned in full, the roles by id.
            mentions: (target.mentions ?? []).map(apiUser),
            mention_roles: target.mentionRoles ?? [],
            ...(where.guildId ? { guild_id: where.guildId } : {}),
          },
        },
      },
    }, { ...where, channelId });
  }

  /**
   * A press of the button `customId` on a message the bot sent (`flags` 64:
   * an ephemeral one, seen by the presser only).
   */
  button(customId: string, message: { id?: string; flags?: number; embeds?: unknown[] } = {}, where: Where = {}): InteractionPayload {
    const channelId = where.channelId ?? '2200000000000000001';
    return this.interaction(3, { custom_id: customId, component_type: 2 }, { ...where, channelId }, {
      message: {
        ...messagePayload({
          id: message.id ?? snowflake(),
          channelId,
          author: { ...apiUser(this.botUser), bot: true },
          content: '',
          embeds: message.embeds ?? [],
          type: 20,
          flags: message.flags ?? 0,
        }),
        application_id: this.applicationId,
        webhook_id: this.applicationId,
        ...(where.guildId ? { guild_id: where.guildId } : {}),
      },
    });
  }

  /** Closes every gateway connection with `code` (4004: authentication failed, which discord.js does not retry). */
  closeGateway(code: number, reason = 'Authentication failed.'): void {
    for (const ws of this.sockets) ws.close(code, reason);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private interaction(type: number, data: Record<string, unknown>, where: Where, extra: Record<string, unknown> = {}): InteractionPayload {
    const user = where.user ?? FAKE_USER;
    const channelId = where.channelId ?? '2200000000000000001';
    const inGuild = where.guildId !== undefined;
    return {
      id: snowflake(),
      application_id: this.applicationId,
      type,
      data,
      token: `itoken-${snowflake()}`,
      version: 1,
      app_permissions: '0',
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: inGuild ? { '0': where.guildId } : { '1': user.id },
      context: inGuild ? 0 : 1,
      attachment_size_limit: 10_485_760,
      channel_id: channelId,
      ...extra,
      ...(inGuild
        ? {
            guild_id: where.guildId,
            guild_locale: 'en-US',
            channel: { id: channelId, type: 0, guild_id: where.guildId, name: 'general' },
            member: {
              user: apiUser(user),
              roles: [],
              joined_at: new Date(0).toISOString(),
              deaf: false,
              mute: false,
              flags: 0,
              permissions: '0',
              nick: null,
            },
          }
        : {
            channel: { id: channelId, type: 1, recipients: [apiUser(user)] },
            user: apiUser(user),
          }),
    };
  }

  private onGateway(ws: WebSocket): void {
    this.connections += 1;
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (raw) => {
      let packet: { op?: number; d?: unknown };
      try {
        packet = JSON.parse(String(raw)) as { op?: number; d?: unknown };
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (packet.op === 1) {
        this.heartbeats += 1;
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (packet.op === 2) {
        this.identifies.push(packet.d);
        if (this.options.closeOnIdentify) ws.close(this.options.closeOnIdentify, 'Authentication failed.');
        else this.sendReady(ws);
        for (const resolve of this.identifyWaiters.splice(0)) resolve();
      } else if (packet.op === 6) {
        this.seq += 1;
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: this.seq, d: {} }));
      }
    });
    ws.send(
      JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 2000 }, s: null, t: null }),
    );
  }

  private sendReady(ws: WebSocket): void {
    const guilds = this.options.guilds ?? [];
    this.seq += 1;
    ws.send(
      JSON.stringify({
        op: 0,
        t: 'READY',
        s: this.seq,
        d: {
          v: 10,
          user: { ...apiUser(this.botUser), bot: true, verified: true, flags: 0, mfa_enabled: false },
          guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
          session_id: `session-${snowflake()}`,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: this.applicationId, flags: 0 },
          user_settings: {},
          relationships: [],
          private_channels: [],
          presences: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
        },
      }),
    );
    for (const guild of guilds) {
      this.seq += 1;
      ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: this.seq, d: guildPayload(guild, this.botUser) }));
    }
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      body,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      at: Date.now(),
    };
    this.requests.push(request);
    const [status, answer] = this.route(request);
    request.status = status;
    if (status === 204) {
      res.writeHead(204).end();
    } else {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    }
    for (const waiter of [...this.waiters]) {
      if (waiter.match(request)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
    }
  }

  /** Answers 400 Invalid Form Body, as Discord does for a body over its limits. */
  private refuse(request: RecordedRequest, problems: string[]): [number, unknown] {
    request.problems = problems;
    return [400, { message: 'Invalid Form Body', code: 50035, errors: Object.fromEntries(problems.map((problem, i) => [String(i), { _errors: [{ code: 'BASE_TYPE_BAD', message: problem }] }])) }];
  }

  private route(request: RecordedRequest): [number, unknown] {
    const { method, path } = request;
    const app = this.applicationId;
    const token = request.authorization?.replace(/^Bot /, '');
    if (token && this.options.rejectTokens?.includes(token)) return [401, { message: '401: Unauthorized', code: 0 }];
    if (method === 'GET' && path === '/api/v10/gateway/bot') {
      return [200, {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      }];
    }
    if (method === 'GET' && path === '/api/v10/users/@me') return [200, { ...apiUser(this.botUser), bot: true }];
    if (method === 'POST' && /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      if (this.expiredTokens.has(path.split('/')[5]!)) return [404, { message: 'Unknown interaction', code: 10062 }];
      const problems = callbackProblems(request.body);
      if (problems.length > 0) return this.refuse(request, problems);
      return request.query.get('with_response') === 'true' ? [200, { interaction: {}, resource: {} }] : [204, undefined];
    }
    const webhook = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)(\/messages\/(@original|\d+))?$/.exec(path);
    if (webhook && webhook[1] === app && (method === 'PATCH' || method === 'POST' || method === 'GET')) {
      const data = (request.body ?? {}) as Record<string, unknown>;
      if (method !== 'GET') {
        const problems = discordMessageProblems(data, { edit: method === 'PATCH' });
        if (problems.length > 0) return this.refuse(request, problems);
      }
      return [200, {
        ...messagePayload({
          id: snowflake(),
          channelId: '2200000000000000001',
          author: { ...apiUser(this.botUser), bot: true },
          content: typeof data.content === 'string' ? data.content : '',
          embeds: Array.isArray(data.embeds) ? data.embeds : [],
          type: 20,
          flags: typeof data.flags === 'number' ? data.flags : 0,
        }),
        webhook_id: app,
        application_id: app,
      }];
    }
    const commands = new RegExp(`^/api/v10/applications/${app}(/guilds/(\\d+))?/commands$`).exec(path);
    if (commands && method === 'PUT' && Array.isArray(request.body)) {
      return [200, (request.body as Record<string, unknown>[]).map((definition) => ({
        id: snowflake(),
        application_id: app,
        version: snowflake(),
        default_member_permissions: null,
        ...(commands[2] ? { guild_id: commands[2] } : {}),
        ...definition,
      }))];
    }
    if (commands && method === 'GET') return [200, []];
    return [404, { message: `Unknown route ${method} ${path}`, code: 0 }];
  }
}

/** A message object as the API sends it (a context-menu target, a webhook message). */
function messagePayload(message: {
  id: string;
  channelId: string;
  author: Record<string, unknown>;
  content: string;
  embeds?: unknown[];
  type?: number;
  flags?: number;
}): Record<string, unknown> {
  return {
    id: message.id,
    channel_id: message.channelId,
    author: message.author,
    content: message.content,
    embeds: message.embeds ?? [],
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    pinned: false,
    type: message.type ?? 0,
    flags: message.flags ?? 0,
    components: [],
  };
}

function guildPayload(guild: FakeGuild, bot: FakeUser): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: FAKE_USER.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [{ id: guild.id, name: '@everyone' }, ...(guild.roles ?? [])].map((role, position) => ({
      ...role,
      color: 0,
      hoist: false,
      position,
      permissions: '0',
      managed: false,
      mentionable: false,
      flags: 0,
    })),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [{ user: { ...apiUser(bot), bot: true }, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
    channels: guild.channels.map((channel, position) => ({
      id: channel.id,
      type: 0,
      guild_id: guild.id,
      name: channel.name,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
    })),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A promise that rejects with `message` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
    }),
  ]);
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen();
}
