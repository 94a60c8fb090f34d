import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AddCommentDocument, CreateGoalDocument, ViewerDocument } from '../../src/generated/operations';
import { ok, post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';
import { log } from '../../src/logger';
import { captureLog, type CapturedLog } from '../helpers/log';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/slack';
import { follow, startSlackHub, type SlackHub } from '../helpers/slack-hub';
import { until } from '../helpers/wait';

const METRICS_TOKEN = 'scrape-me-0123456789abcdef';

/** One subscriber to `lifecycleEvents`: `trigger` runs until an event reaches it (the first may come before the subscription is live). */
async function oneLiveEvent(hub: TestHub, token: string, trigger: () => Promise<unknown>): Promise<void> {
  const client = createClient({
    url: hub.server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
  try {
    const events = client.iterate({ query: 'subscription Watch { lifecycleEvents { type } }' });
    let arrived = false;
    const first = events.next().then((r) => (arrived = true) && r);
    await until(async () => {
      await trigger();
      await Promise.race([first, new Promise((resolve) => setTimeout(resolve, 200))]);
      return arrived;
    }, 'an event over the subscription');
    expect((await first).value?.data).toBeTruthy();
    await events.return?.();
  } finally {
    await client.dispose();
  }
}

async function scrape(hub: TestHub, token: string | undefined = METRICS_TOKEN): Promise<string> {
  const res = await fetch(hub.url.replace(/graphql$/, 'metrics'), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return res.text();
}

/** A sample's value in Prometheus text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (want.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

describe('the log of a full run', () => {
  let logged: CapturedLog;
  let slack: SlackHub;
  const wrongToken = 'mh_not-a-token-anyone-has-0123456789';

  beforeAll(async () => {
    logged = captureLog();
    slack = await startSlackHub('sqlite', { scientist: 'USCI' });
    const { hub, fake } = slack;
    const { model } = await goalWithModel(hub, { title: 'Logged goal', businessQuestion: 'Is it logged?', model: 'logged-model' });
    await follow(slack, 'USCI', 'CLOG', model.name);
    await oneLiveEvent(hub, hub.users.risk.token, () =>
      hub.as('scientist', AddCommentDocument, { input: { subjectId: model.id, body: 'looks good' } }),
    );
    await until(() => fake.of('chat.postMessage').some((c) => c.args.channel === 'CLOG'), 'the Slack message');
    expect((await post(hub.url, { query: '{ viewer { name } }' }, wrongToken)).status).toBe(401);
    await hub.as('sme', CreateGoalDocument, { input: { title: '', businessQuestion: '' } });
  });
  afterAll(async () => {
    await slack?.close();
    logged?.restore();
  });

  it('is JSON lines and holds none of the tokens, secrets or signatures it used', () => {
    const { hub } = slack;
    const records = logged.records();
    expect(records.length).toBeGreaterThan(10);
    const text = logged.text();
    for (const user of Object.values(hub.users)) expect(text).not.toContain(user.token);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, wrongToken, METRICS_TOKEN]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/v0=[0-9a-f]{16}/);
    expect(text).not.toMatch(/Bearer (?!\[redacted\])/);
  });

  it('redacts secrets that an error or a logged object quotes (what a library may put in its messages)', () => {
    const { hub } = slack;
    const token = hub.users.admin.token;
    log.error(
      {
        err: new Error(`auth failed for Bearer ${token} at postgres://hub:s3cret@db/hub`),
        settings: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET },
      },
      `retrying with ${BOT_TOKEN}, signature v0=${'ab'.repeat(32)}`,
    );
    const line = logged.records().at(-1)!;
    const text = JSON.stringify(line);
    for (const secret of [token, BOT_TOKEN, SIGNING_SECRET, 's3cret', 'ab'.repeat(32)]) expect(text).not.toContain(secret);
    expect(line.settings).toEqual({ botToken: '[redacted]', signingSecret: '[redacted]' });
    expect((line.err as { message: string }).message).toBe('auth failed for Bearer [redacted] at postgres://hub:[redacted]@db/hub');
  });

  it('has an access line per GraphQL request with its id, operation, cost and error codes', () => {
    const access = logged.records().filter((r) => (r.req as { path?: string } | undefined)?.path === '/graphql');
    expect(access.length).toBeGreaterThan(5);
    for (const line of access) {
      expect(line.requestId).toEqual(expect.any(String));
      expect(line.durationMs).toEqual(expect.any(Number));
    }
    expect(access).toContainEqual(
      expect.objectContaining({ operation: 'CreateGoal', operationType: 'mutation', cost: expect.any(Number), errorCodes: [] }),
    );
    expect(access).toContainEqual(expect.objectContaining({ operation: 'CreateGoal', errorCodes: ['BAD_USER_INPUT'], res: { status: 200 } }));
    expect(access).toContainEqual(expect.objectContaining({ errorCodes: ['UNAUTHENTICATED'], res: { status: 401 } }));
  });

  it('logs Slack deliveries with their ids, and WebSocket operations with theirs', () => {
    const records = logged.records();
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: 'slack delivery sent',
        delivery: expect.objectContaining({ id: expect.any(Number), eventId: expect.any(Number), channel: 'CLOG' }),
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'websocket subscription', operation: 'Watch', requestId: expect.stringMatching(/^[0-9a-f-]{36}\/.+/) }),
    );
  });

  it('keeps an incoming x-request-id, returns it, and logs under it', async () => {
    const { hub } = slack;
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users.sme.token}`, 'x-request-id': 'trace-4711' },
      body: JSON.stringify({ query: 'query Me { viewer { name } }', operationName: 'Me' }),
    });
    expect(res.headers.get('x-request-id')).toBe('trace-4711');
    await until(() => logged.records().find((r) => r.requestId === 'trace-4711'), 'the access line');
    expect(logged.records().find((r) => r.requestId === 'trace-4711')).toEqual(
      expect.objectContaining({ operation: 'Me', msg: 'POST /graphql 200' }),
    );
    const invented = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `no spaces {"json": 1} ${'x'.repeat(200)}` },
      body: '{}',
    });
    expect(invented.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

forEachDialect((dialect) => {
  describe(`metrics (${dialect})`, () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startHub(dialect, { metrics: { token: METRICS_TOKEN, port: 0 }, limits: { pointsPerMinute: 2_000 } });
    });
    afterAll(() => hub?.close());

    it('are served to the token on the hub port and on their own port, to no one else', async () => {
      const denied = await fetch(hub.url.replace(/graphql$/, 'metrics'));
      expect(denied.status).toBe(401);
      expect(await scrape(hub, 'wrong-token-0123456789abcdef')).not.toContain('hub_');
      expect(await scrape(hub)).toContain('# TYPE hub_graphql_operations_total counter');
      const own = await fetch(hub.server.metricsUrl!);
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('process_cpu_user_seconds_total');
    });

    it('move with requests, operations, events, WebSockets and rate-limit refusals', async () => {
      const before = await scrape(hub);
      const created = { operation: 'CreateGoal', type: 'mutation', outcome: 'ok' };
      ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Counted', businessQuestion: 'Is it counted?' } }));
      await hub.as(null, ViewerDocument, {});
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Watched', businessQuestion: 'Seen live?' } })).createGoal.goal;
      await oneLiveEvent(hub, hub.users.risk.token, () => hub.as('sme', AddCommentDocument, { input: { subjectId: goal.id, body: 'hello' } }));
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        refused =
          (await post(hub.url, { query: '{ goals(first: 100) { nodes { id title description } } }' }, hub.users.dataEngineer.token)).status === 429;
      }
      expect(refused).toBe(true);
      await until(async () => sample(await scrape(hub), 'hub_ws_connections') === 0, 'the socket to close');
      const after = await scrape(hub);
      const moved = (name: string, labels?: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      expect(moved('hub_graphql_operations_total', created)).toBe(2);
      expect(moved('hub_graphql_operations_total', { outcome: 'UNAUTHENTICATED' })).toBe(1);
      expect(moved('hub_graphql_operations_total', { operation: 'Watch', type: 'subscription', outcome: 'ok' })).toBe(1);
      expect(moved('hub_graphql_operation_duration_seconds_count', { operation: 'CreateGoal', type: 'mutation' })).toBe(2);
      expect(moved('hub_graphql_operation_cost_count', { operation: 'CreateGoal' })).toBe(2);
      expect(moved('hub_http_requests_total', { route: '/graphql', method: 'POST', status: '401' })).toBe(1);
      expect(moved('hub_http_requests_total', { route: '/graphql', method: 'POST', status: '429' })).toBe(1);
      expect(moved('hub_rate_limited_total')).toBe(1);
      expect(moved('hub_events_recorded_total', { type: 'GOAL_CREATED' })).toBe(2);
      expect(moved('hub_events_recorded_total', { type: 'COMMENT_ADDED' })).toBeGreaterThanOrEqual(1);
      expect(moved('hub_events_published_total')).toBeGreaterThanOrEqual(3);
      expect(after).toMatch(/^hub_outbox_depth \d+$/m);
      expect(after).toMatch(/^hub_outbox_oldest_age_seconds [\d.e-]+$/m);
      expect(after).toMatch(/^hub_delivery_queue_depth\{channel="slack"\} \d+$/m);
      if (dialect === 'postgresql')
        expect(
          sample(after, 'hub_db_pool_connections', { state: 'free' }) + sample(after, 'hub_db_pool_connections', { state: 'used' }),
        ).toBeGreaterThan(0);
    });

    it('keep operation names a client invents from growing without end', async () => {
      for (let i = 0; i < 250; i++) await post(hub.url, { query: `query Invented${i} { viewer { name } }` }, hub.users.sme.token);
      const names = new Set([...(await scrape(hub)).matchAll(/hub_graphql_operations_total\{operation="([^"]+)"/g)].map((m) => m[1]));
      expect(names.size).toBeLessThanOrEqual(201);
      expect(names).toContain('other');
    });
  });
});
