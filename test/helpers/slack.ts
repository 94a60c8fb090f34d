import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubOptions } from './hub';
import { within } from './wait';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

/** How the hub's Slack notifier paces itself: the pause between messages to a channel, how often it polls its outbox. */
export type NotifierSettings = { minIntervalMs?: number; pollMs?: number };

/** A notifier with no pause between messages to a channel, polling its outbox every 20 ms. */
export const FAST: NotifierSettings = { minIntervalMs: 0, pollMs: 20 };

/** Hub options that point the hub's Slack app at `fake`, with `notifier` settings (FAST unless given). */
export const slackOptions = (fake: FakeSlack, notifier: NotifierSettings = FAST): HubOptions => ({
  slack: { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: fake.url, notifier },
});

/** One Web API call the hub made, with its arguments decoded (JSON-encoded fields parsed). */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The fault the fake answered with, if any. */
  fault?: Fault;
}

/** What the fake answers instead of success, for the next matching calls. */
export type Fault = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

function decode(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes('application/json')) return JSON.parse(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      args[key] = value;
    }
  }
  return args;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local stand-in for Slack's Web API (and for response_url posts): records every call and
 * answers like Slack, or with a fault queued by the test (429 with Retry-After, 5xx, ok:false).
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  private faults: { method: string; fault: Fault; remaining: number }[] = [];
  private waiters: { match: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  private ts = 1_700_000_000_000;
  private server!: Server;
  url = '';
  /**
   * Consulted for every Web API call that no queued fault answers: a fault, or undefined for
   * success. The drills use it for a random outage (drills/slack-outage.ts).
   */
  chaos: ((method: string, args: Record<string, unknown>) => Fault | undefined) | undefined;
  /** How long the fake takes to answer a Web API call, in ms (a function for jitter): a real network. */
  latencyMs: number | (() => number) = 0;

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const raw = await body(req);
      const path = (req.url ?? '/').split('?')[0];
      if (path.startsWith('/response/')) {
        this.responses.push({ path, body: decode(raw, req.headers['content-type']) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      const method = path.replace(/^\/api\//, '');
      const call = { method, args: decode(raw, req.headers['content-type']), at: Date.now() };
      const fault = this.takeFault(method) ?? this.chaos?.(method, call.args);
      const latency = typeof this.latencyMs === 'function' ? this.latencyMs() : this.latencyMs;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      if (fault && 'status' in fault) {
        this.calls.push({ ...call, method: `${method}!${fault.status}`, fault });
        res.writeHead(fault.status, fault.status === 429 ? { 'retry-after': String(fault.retryAfter) } : {}).end('');
        return;
      }
      this.calls.push(call);
      this.waiters = this.waiters.filter((w) => (w.match(call) ? (w.resolve(call), false) : true));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fault ? { ok: false, error: fault.error } : this.answer(call)));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this;
  }

  private answer(call: SlackCall): Record<string, unknown> {
    if (call.method === 'auth.test') return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'hub' };
    if (call.method === 'chat.postMessage') {
      this.ts += 1;
      return { ok: true, channel: call.args.channel, ts: `${Math.floor(this.ts / 1000)}.${String(this.ts % 1000).padStart(6, '0')}` };
    }
    return { ok: true, ts: call.args.ts };
  }

  private takeFault(method: string): Fault | undefined {
    const entry = this.faults.find((f) => f.method === method || f.method === '*');
    if (!entry) return undefined;
    if (--entry.remaining <= 0) this.faults = this.faults.filter((f) => f !== entry);
    return entry.fault;
  }

  /** The next `count` calls of `method` ('*' for any) fail with `fault`. */
  fail(method: string, fault: Fault, count = 1): void {
    this.faults.push({ method, fault, remaining: count });
  }

  /** Resolves with the first successful call (past or future) that matches. */
  waitFor(match: (c: SlackCall) => boolean, timeoutMs = 10_000): Promise<SlackCall> {
    const seen = this.calls.find((c) => !c.method.includes('!') && match(c));
    if (seen) return Promise.resolve(seen);
    const call = new Promise<SlackCall>((resolve) => this.waiters.push({ match, resolve }));
    return within(call, timeoutMs, () => `a matching Slack call; calls: ${JSON.stringify(this.calls.map((c) => c.method))}`);
  }

  /** Successful calls of a method. */
  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
export function sign(rawBody: string, timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** Posts to the hub's /slack/events as Slack does. */
export async function postToSlackEndpoint(eventsUrl: string, rawBody: string, contentType: string, headers: Record<string, string> = sign(rawBody)) {
  const res = await fetch(eventsUrl, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: rawBody });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

/** A slash command's form body, as Slack sends it; Slack takes the answer at `responseUrl`. */
export function slashCommandForm(user: string, text: string, channel: string, responseUrl: string, command = '/mlops'): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'hub',
    channel_id: channel,
    channel_name: 'ml',
    user_id: user,
    user_name: user,
    command,
    text,
    api_app_id: 'A1',
    response_url: responseUrl,
    trigger_id: 'trigger-1',
  }).toString();
}

/** A slash command invocation, form-encoded and signed; its response_url posts reach `fake`. */
export function slashCommand(eventsUrl: string, fake: FakeSlack, user: string, text: string, channel = 'C0FOLLOW', command = '/mlops') {
  const responseUrl = fake.url.replace(/api\/$/, `response/${Math.random().toString(36).slice(2)}`);
  return postToSlackEndpoint(eventsUrl, slashCommandForm(user, text, channel, responseUrl, command), 'application/x-www-form-urlencoded');
}

/** An interaction (button click, modal submission): `payload=<json>`, signed. */
export function interaction(eventsUrl: string, payload: Record<string, unknown>) {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postToSlackEndpoint(eventsUrl, form, 'application/x-www-form-urlencoded');
}

/** A click on a button of one of the hub's messages. */
export interface ButtonClick {
  /** The Slack member who clicked. */
  user: string;
  actionId: string;
  /** The button's value (a promotion request's ID). */
  value: string;
  channel: string;
  /** The ts of the message the button is on. */
  messageTs: string;
  /** Where the hub's answer goes (the fake's response/… path). */
  responseUrl: string;
  triggerId: string;
}

/** A button click as Slack sends it: a signed block_actions interaction. */
export function clickButton(eventsUrl: string, click: ButtonClick) {
  return interaction(eventsUrl, {
    type: 'block_actions',
    token: 'legacy',
    api_app_id: 'A1',
    team: { id: 'T1', domain: 'hub' },
    user: { id: click.user, username: click.user.toLowerCase(), name: click.user.toLowerCase(), team_id: 'T1' },
    channel: { id: click.channel, name: 'ml' },
    container: { type: 'message', message_ts: click.messageTs, channel_id: click.channel, is_ephemeral: false },
    trigger_id: click.triggerId,
    response_url: click.responseUrl,
    message: { type: 'message', ts: click.messageTs, text: 'request' },
    actions: [
      {
        action_id: click.actionId,
        block_id: 'promotion_review',
        value: click.value,
        type: 'button',
        action_ts: String(Date.now() / 1000),
        text: { type: 'plain_text', text: 'x' },
      },
    ],
  });
}

/** An Events API callback, JSON, signed; retries carry X-Slack-Retry-Num. */
export function eventCallback(eventsUrl: string, eventId: string, event: Record<string, unknown>, retryNum?: number) {
  const raw = JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
  const headers = { ...sign(raw), ...(retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}) };
  return postToSlackEndpoint(eventsUrl, raw, 'application/json', headers);
}

/**
 * The ts Slack gave a posted message. The fake answers chat.postMessage with consecutive ts values in
 * call order (1700000000.001, .002, …): only for a fake that never answered a postMessage with ok:false.
 */
export function postedTs(fake: FakeSlack, call: SlackCall): string {
  const index = fake.of('chat.postMessage').indexOf(call);
  if (index < 0) throw new Error('not a chat.postMessage call of this fake');
  const n = 1_700_000_000_000 + index + 1;
  return `${Math.floor(n / 1000)}.${String(n % 1000).padStart(6, '0')}`;
}
