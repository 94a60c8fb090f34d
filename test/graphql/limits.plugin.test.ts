import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';

/** A valid query exactly `levels` fields deep: goals → nodes → models → nodes → goal → models → … */
function nested(levels: number): string {
  const path = ['goals(first: 1)', 'nodes'];
  while (path.length < levels - 1) path.push('models(first: 1)', 'nodes', 'goal');
  const fields = path.slice(0, levels - 1);
  const leaf = fields[fields.length - 1].startsWith('models') ? 'totalCount' : 'id';
  return `{ ${fields.map((f) => `${f} {`).join(' ')} ${leaf} ${'}'.repeat(fields.length)} }`;
}

forEachDialect((dialect) => {
  let hub: TestHub;
  let strict: TestHub;
  beforeAll(async () => {
    hub = await startHub(dialect);
    strict = await startHub(dialect, { limits: { maxDepth: 5, costBudget: 500, pointsPerMinute: 1_000 } });
  });
  afterAll(async () => {
    await hub?.close();
    await strict?.close();
  });

  describe('every response', () => {
    it('reports its cost in extensions.cost, requested and budget', async () => {
      const res = await rawResponse(hub, '{ goals(first: 5) { nodes { id owner { name } } } }');
      expect(res.status).toBe(200);
      expect(res.body.extensions).toEqual({ cost: { requested: 11, budget: 10_000 } });
    });
  });

  describe('depth', () => {
    it('refuses a query deeper than the limit with BAD_USER_INPUT, before running it', async () => {
      const { result, statements } = await strict.countStatements(() => raw(strict, nested(7)));
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxDepth: 5 });
      expect(result.data).toBeUndefined();
      expect(statements).toBe(1); // authentication only
    });

    it('answers a query at the limit', async () => {
      const result = await raw(strict, nested(5));
      expect(result.errors).toBeUndefined();
    });

    it('refuses 13 levels with the default limit of 12', async () => {
      expect((await raw(hub, nested(13))).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await raw(hub, nested(12))).errors).toBeUndefined();
    });
  });

  describe('cost', () => {
    it('refuses a query that could return more objects than the budget, naming both numbers', async () => {
      const query = '{ goals(first: 100) { nodes { models(first: 100) { nodes { id } } } } }';
      const { result, statements } = await hub.countStatements(() => raw(hub, query));
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', cost: { requested: 10_201, budget: 10_000 } });
      expect(statements).toBe(1);
    });

    it('counts page sizes given as variables', async () => {
      const query = 'query ($n: Int) { goals(first: $n) { nodes { models(first: $n) { nodes { id } } } } }';
      expect((await raw(strict, query, { n: 30 })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await raw(strict, query, { n: 10 })).errors).toBeUndefined();
    });
  });

  describe('rate', () => {
    it('refuses a token past its points per minute with RATE_LIMITED, HTTP 429 and Retry-After; other tokens go on', async () => {
      const query = '{ goals(first: 100) { nodes { id owner { name } } } }';
      let last: Awaited<ReturnType<typeof rawResponse>> | undefined;
      for (let i = 0; i < 10 && last?.status !== 429; i++) last = await rawResponse(strict, query, {}, strict.users.risk.token);
      expect(last?.status).toBe(429);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last?.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect((await rawResponse(strict, query, {}, strict.users.sme.token)).status).toBe(200);
    });
  });

  describe('requests', () => {
    it('refuses a batched array of operations', async () => {
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users.sme.token}` },
        body: JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { name } }' }]),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('"viewer"');
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users.sme.token}` },
        body: JSON.stringify({ query: `{ viewer { id } } # ${'x'.repeat(1024 * 1024)}` }),
      });
      expect(res.status).toBe(413);
    });
  });
});

interface RawResult {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

async function rawResponse(hub: TestHub, query: string, variables: Record<string, unknown> = {}, token = hub.users.sme.token) {
  const res = await fetch(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as RawResult };
}

async function raw(hub: TestHub, query: string, variables: Record<string, unknown> = {}): Promise<RawResult> {
  return (await rawResponse(hub, query, variables)).body;
}
