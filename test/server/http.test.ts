import { print } from 'graphql';
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CreateGoalDocument, GoalDocument, GoalsDocument } from '../../src/generated/operations';
import { captureLog } from '../helpers/log';
import { errorCode, fetchJson, ok, type Answer } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';

/** 1 MiB: the largest request body /graphql accepts. */
const MAX_BODY = 1024 * 1024;

function postJson(url: string, body: string, token?: string): Promise<Answer> {
  return fetchJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}

/** What no error body may contain: stack frames, SQL, driver or file names. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/stack/i);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toMatch(/\.ts\b|node_modules/);
  expect(text).not.toMatch(/<html|<pre/i);
}

/** A graphql-ws client that does not retry: a refused connection surfaces as the error. */
function wsClient(hub: TestHub, connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: hub.server.wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** Runs one operation over the socket; rejects with what the client's error sink got (a CloseEvent for a closed socket). */
function wsExecute(client: Client, query: string): Promise<ExecutionResult> {
  return new Promise((resolve, reject) => {
    let result: ExecutionResult | undefined;
    client.subscribe(
      { query },
      {
        next: (r) => (result = r as ExecutionResult),
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
      },
    );
  });
}

forEachDialect((dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  const viewerQuery = JSON.stringify({ query: '{ viewer { id } }' });

  describe('authentication over HTTP', () => {
    it('answers a request without Authorization with HTTP 401 and UNAUTHENTICATED', async () => {
      const res = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: viewerQuery });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as Answer['json'];
      expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.data ?? null).toBeNull();
    });

    it.each([
      ['an unknown token', 'Bearer mh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['a scheme other than Bearer', 'Basic YWRhOnNlY3JldA=='],
      ['"Bearer" without a token', 'Bearer'],
    ])('answers %s with HTTP 401 and UNAUTHENTICATED', async (_what, authorization) => {
      const res = await fetchJson(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: viewerQuery });
      expect(res.status).toBe(401);
      expect(res.json.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('answers a valid token', async () => {
      const res = await postJson(hub.url, viewerQuery, hub.users.sme.token);
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual({ viewer: { id: hub.users.sme.id } });
    });
  });

  describe('GET /graphql', () => {
    // A GET with only an Authorization header counts as a "simple" request for Apollo's CSRF
    // prevention; clients send this header (or a JSON content-type) with their GET queries.
    const preflight = { 'apollo-require-preflight': 'true' };
    const get = (query: string, headers: Record<string, string>) => fetchJson(`${hub.url}?query=${encodeURIComponent(query)}`, { headers });

    it('runs a query with a token', async () => {
      const res = await get('{viewer{id}}', { ...preflight, authorization: `Bearer ${hub.users.sme.token}` });
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual({ viewer: { id: hub.users.sme.id } });
    });

    it('answers 401 without a token', async () => {
      const res = await get('{viewer{id}}', preflight);
      expect(res.status).toBe(401);
      expect(res.json.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a mutation with 405 and changes nothing', async () => {
      const before = ok(await hub.as('sme', GoalsDocument, {})).goals.totalCount;
      const res = await get(`mutation { createGoal(input: {title: "Via GET", businessQuestion: "Does GET mutate?"}) { goal { id } } }`, {
        ...preflight,
        authorization: `Bearer ${hub.users.sme.token}`,
      });
      expect(res.status).toBe(405);
      expect(res.contentType).toMatch(/^application\/json/);
      expect(res.json.errors?.length).toBeGreaterThan(0);
      expect(res.json.data ?? null).toBeNull();
      expect(ok(await hub.as('sme', GoalsDocument, {})).goals.totalCount).toBe(before);
    });
  });

  describe('request bodies', () => {
    /** A viewer query padded with an unused variable to exactly `size` bytes. */
    function bodyOf(size: number): string {
      const empty = JSON.stringify({ query: '{ viewer { id } }', variables: { pad: '' } });
      const body = JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(size - empty.length) } });
      expect(Buffer.byteLength(body)).toBe(size);
      return body;
    }

    it('accepts a body of exactly 1 MiB', async () => {
      const res = await postJson(hub.url, bodyOf(MAX_BODY), hub.users.sme.token);
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual({ viewer: { id: hub.users.sme.id } });
    });

    it('refuses a body over 1 MiB with 413 and a JSON error, not HTML', async () => {
      const res = await postJson(hub.url, bodyOf(MAX_BODY + 1), hub.users.sme.token);
      expect(res.status).toBe(413);
      expect(res.contentType).toMatch(/^application\/json/);
      expect(res.json.errors?.[0].message).toEqual(expect.any(String));
      expectNoInternals(res.text);
    });

    it('answers a body of several MiB with 413 too, reading the rest instead of stalling the client until the timeout', async () => {
      const res = await postJson(hub.url, bodyOf(8 * MAX_BODY), hub.users.sme.token);
      expect(res.status).toBe(413);
      expect(res.json.errors?.[0].message).toMatch(/larger than/);
    });

    it('answers malformed JSON with 400 and a JSON error without a stack trace', async () => {
      for (const token of [hub.users.sme.token, undefined]) {
        const res = await postJson(hub.url, '{"query": "{ viewer { id } }", ', token);
        expect(res.status).toBe(400);
        expect(res.contentType).toMatch(/^application\/json/);
        expect(res.json.errors?.[0].message).toEqual(expect.any(String));
        expect(res.text).not.toMatch(/SyntaxError|Unexpected (end|token)/);
        expectNoInternals(res.text);
      }
    });
  });

  describe('caching', () => {
    it('marks every GraphQL answer Cache-Control: no-store (data, errors, refusals, bad bodies)', async () => {
      const answers = [
        await postJson(hub.url, viewerQuery, hub.users.sme.token),
        await postJson(hub.url, JSON.stringify({ query: '{ nope }' }), hub.users.sme.token),
        await postJson(hub.url, viewerQuery),
        await postJson(hub.url, '{"query": ', hub.users.sme.token),
        await fetchJson(`${hub.url}?query=${encodeURIComponent('{ viewer { id } }')}`, {
          headers: { authorization: `Bearer ${hub.users.sme.token}` },
        }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 400, 200]);
      for (const answer of answers) expect(answer.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('WebSocket (graphql-transport-ws on /graphql)', () => {
    const clients: Client[] = [];
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
    });
    const open = (params?: Record<string, unknown>) => {
      const client = wsClient(hub, params);
      clients.push(client);
      return client;
    };

    it.each([
      ['no token', {}],
      ['an unknown token', { authorization: 'Bearer mh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
      ['a token without "Bearer"', { authorization: 'just-a-token' }],
    ])('closes the socket with 4403 for %s', async (_what, params) => {
      const error = await wsExecute(open(params), '{ viewer { name } }').then(
        (result) => ({ unexpected: result }),
        (err: unknown) => err,
      );
      expect(error).toMatchObject({ code: 4403 });
    });

    it('runs a query for a connection initialised with a Bearer token', async () => {
      const result = await wsExecute(open({ authorization: `Bearer ${hub.users.scientist.token}` }), '{ viewer { name } }');
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ viewer: { name: hub.users.scientist.name } });
    });
  });

  describe('health probes', () => {
    it('answers /healthz and /readyz with 200 while the database answers', async () => {
      for (const path of ['/healthz', '/readyz']) expect((await fetch(new URL(path, hub.url))).status, path).toBe(200);
    });

    it('answers /readyz with 503 once the database is closed; /healthz stays 200', async () => {
      const other = await startHub(dialect);
      try {
        expect((await fetch(new URL('/readyz', other.url))).status).toBe(200);
        await other.db.close();
        const ready = await fetchJson(new URL('/readyz', other.url).toString());
        expect(ready.status).toBe(503);
        expect(ready.contentType).toMatch(/^application\/json/);
        expect((await fetch(new URL('/healthz', other.url))).status).toBe(200);
      } finally {
        await other.close();
      }
    });
  });

  describe('unexpected errors', () => {
    it('are masked as INTERNAL_SERVER_ERROR with no detail, and logged', async () => {
      const broken = await startHub(dialect);
      const logged = captureLog();
      try {
        const goal = ok(await broken.as('sme', CreateGoalDocument, { input: { title: 'Keep comments', businessQuestion: 'Will comments load?' } }))
          .createGoal.goal;
        await broken.db.knex.raw(dialect === 'postgresql' ? 'drop table comments cascade' : 'drop table comments');

        const res = await postJson(broken.url, JSON.stringify({ query: print(GoalDocument), variables: { id: goal.id } }), broken.users.sme.token);
        expect(errorCode({ status: res.status, data: res.json.data, errors: res.json.errors })).toBe('INTERNAL_SERVER_ERROR');
        for (const error of res.json.errors ?? []) {
          expect(error.message).toBe('Internal server error');
          expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
        }
        expect(res.text).not.toMatch(/select|sqlite|relation|no such table|does not exist|knex|mikro/i);
        expect(res.text).not.toMatch(/stacktrace/i);
        expectNoInternals(res.text);
        // The detail goes to the log instead.
        expect(logged.text()).toMatch(/comments/);
      } finally {
        logged.restore();
        await broken.close();
      }
    });
  });
});
