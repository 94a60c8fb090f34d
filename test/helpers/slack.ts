import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubOptions } from './hub';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

/** A notifier with no pause between messages to a channel, polling its outbox every 20 ms. */
export const FAST = { minIntervalMs: 0, pollMs: 20 };

/** Hub options that point the hub's Slack app at `fake`, with `notifier` settings (FAST unless given). */
export const slackOptions = (fake: FakeSlack, notifier: { minIntervalMs?: number; pollMs?: number } = FAST): HubOptions => ({
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
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching Slack call within ${timeoutMs} ms; calls: ${JSON.stringify(this.calls.map((c) => c.method))}`)), timeoutMs);
      this.waiters.push({ match, resolve: (c) => (clearTimeout(timer), resolve(c)) });
    });
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

/** A slash command invocation, form-encoded and signed. */
export function slashCommand(eventsUrl: string, fake: FakeSlack, user: string, text: string, channel = 'C0FOLLOW', command = '/mlops') {
  const form = new URLSearchParams({
    token: 'legacy', team_id: 'T1', team_domain: 'hub', channel_id: channel, channel_name: 'ml', user_id: user, user_name: user,
    command, text, api_app_id: 'A1', response_url: fake.url.replace(/api\/$/, `response/${Math.random().toString(36).slice(2)}`), trigger_id: 'trigger-1',
  }).toString();
  return postToSlackEndpoint(eventsUrl, form, 'application/x-www-form-urlencoded');
}

/** An interaction (button click, modal submission): `payload=<json>`, signed. */
export function interaction(eventsUrl: string, payload: Record<string, unknown>) {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postToSlackEndpoint(eventsUrl, form, 'application/x-www-form-urlencoded');
}

/** An Events API callback, JSON, signed; retries carry X-Slack-Retry-Num. */
export function eventCallback(eventsUrl: string, eventId: string, event: Record<string, unknown>, retryNum?: number) {
  const raw = JSON.stringify({ token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event });
  const headers = { ...sign(raw), ...(retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}) };
  return postToSlackEndpoint(eventsUrl, raw, 'application/json', headers);
}

/** Polls a condition (no fixed sleeps): resolves with its first truthy value, or fails after `timeoutMs`. */
export async function until<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
