/**
 * The limits of README "Limits", attacked from angles test/graphql/limits.plugin.test.ts and
 * test/server/http.test.ts do not take: depth hidden in fragments, cost multiplied by aliases or by
 * a variable's default value, page sizes past 100, bodies that grow past 1 MiB only once inflated
 * or arrive chunked, batches, production mode (no introspection, no suggestions, over HTTP and
 * over WebSocket), and cross-site requests a browser could send (text/plain, form, GET) that
 * must be refused without changing anything. SQLite: none of this is about the database.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CreateGoalDocument } from '../../src/generated/operations';
import { fetchJson, ok, type Answer } from '../helpers/client';
import { startHub, type TestHub } from '../helpers/hub';
import { snapshotTables, tablesOf } from '../helpers/tables';

/** Asks for application/graphql-response+json, whose refusals keep their 4xx status (the legacy type's are 200). */
function post(hub: TestHub, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return fetchJson(hub.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${hub.users.admin.token}`,
      ...headers,
    },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
}

/** Every row of every table but the outbox, hashed: "nothing changed" means exactly that. */
async function snapshot(hub: TestHub): Promise<Record<string, string>> {
  return (await snapshotTables(hub, await tablesOf(hub))).hashes;
}

const code = (a: Answer) => a.json.errors?.[0]?.extensions?.code;

/** A refusal of the query's shape, before anything runs: BAD_USER_INPUT, no data, no SQL. */
function expectRefusedBeforeRunning(answer: Answer, sql: string[]): void {
  expect(code(answer), answer.text.slice(0, 300)).toBe('BAD_USER_INPUT');
  expect(answer.json.data ?? undefined).toBeUndefined();
  // The outbox relay polls on its own timer; everything else would be the query running.
  expect(
    sql.filter((q) => !/event_outbox/.test(q)),
    'only the token lookup ran',
  ).toHaveLength(1);
}

/** `goals → nodes → models → nodes → goal → …` as a chain of named fragments, `levels` fields deep. */
function fragmentChain(levels: number): string {
  // Fragment i selects one more level; the last one selects `id`.
  const steps = ['goals(first: 1)', 'nodes'];
  while (steps.length < levels - 1) steps.push('models(first: 1)', 'nodes', 'goal');
  const fields = steps.slice(0, levels - 1);
  const onType = (i: number) =>
    i === 0
      ? 'Query'
      : fields[i - 1].startsWith('goals')
        ? 'GoalConnection'
        : fields[i - 1].startsWith('models')
          ? 'ModelConnection'
          : fields[i - 1] === 'nodes'
            ? fields[i - 2]?.startsWith('goals')
              ? 'Goal'
              : 'Model'
            : 'Goal';
  const leaf = fields[fields.length - 1].startsWith('models') ? 'totalCount' : 'id';
  const fragments = fields.map((f, i) => `fragment F${i} on ${onType(i)} { ${f} { ${i + 1 < fields.length ? `...F${i + 1}` : leaf} } }`);
  return `query AdvDeep { ...F0 } ${fragments.join(' ')}`;
}

function inlineChain(levels: number): string {
  const steps = ['goals(first: 1)', 'nodes'];
  while (steps.length < levels - 1) steps.push('models(first: 1)', 'nodes', 'goal');
  const fields = steps.slice(0, levels - 1);
  const leaf = fields[fields.length - 1].startsWith('models') ? 'totalCount' : 'id';
  return `{ ${fields.map((f) => `... { ${f} {`).join(' ')} ${leaf} ${'} }'.repeat(fields.length)} }`;
}

describe('limits, attacked (SQLite)', () => {
  let hub: TestHub;
  let prod: TestHub;
  beforeAll(async () => {
    [hub, prod] = await Promise.all([startHub('sqlite'), startHub('sqlite', { production: true })]);
    // One goal, so that nested connections under it are resolved at all.
    ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Limits', businessQuestion: 'How far?' } }));
  });
  afterAll(async () => {
    await Promise.all([hub?.close(), prod?.close()]);
  });

  describe('depth (default 12)', () => {
    it('refuses 13 levels reached through a chain of named fragments, before running it', async () => {
      const { result, sql } = await hub.countStatements(() => post(hub, { query: fragmentChain(13) }));
      expectRefusedBeforeRunning(result, sql);
      expect(result.json.errors?.[0].extensions).toMatchObject({ depth: 13, maxDepth: 12 });
    });

    it('accepts 12 levels through the same fragments', async () => {
      const answer = await post(hub, { query: fragmentChain(12) });
      expect(answer.json.errors, answer.text).toBeUndefined();
    });

    it('refuses 13 levels of inline fragments', async () => {
      const { result, sql } = await hub.countStatements(() => post(hub, { query: inlineChain(13) }));
      expectRefusedBeforeRunning(result, sql);
    });

    it('refuses a deep introspection query (the classic ofType chain) like any other', async () => {
      const ofType = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofType(n - 1)} }`);
      const { result, sql } = await hub.countStatements(() => post(hub, { query: `{ __schema { types { fields { type { ${ofType(10)} } } } } }` }));
      expectRefusedBeforeRunning(result, sql);
    });

    it('answers a query nested past what the parser can take with a 4xx, not a crash', async () => {
      const answer = await post(hub, { query: `{${'viewer{'.repeat(20_000)}id${'}'.repeat(20_001)}` });
      expect(answer.status).toBe(400);
      expect(code(answer)).not.toBe('INTERNAL_SERVER_ERROR');
      const list = await post(hub, { query: `{ nodes(ids: ${'['.repeat(50_000)}${']'.repeat(50_000)}) { id } }` });
      expect(list.status).toBe(400);
      expect((await post(hub, { query: '{ viewer { id } }' })).status, 'the hub still answers').toBe(200);
    });
  });

  describe('cost (default budget 10,000)', () => {
    it('refuses 50 aliases of an expensive field (each up to 201 objects), before running it', async () => {
      const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: goals(first: 100) { nodes { id owner { id } } }`).join(' ');
      const { result, sql } = await hub.countStatements(() => post(hub, { query: `{ ${aliases} }` }));
      expectRefusedBeforeRunning(result, sql);
      expect((result.json.errors?.[0].extensions?.cost as { requested: number }).requested).toBeGreaterThanOrEqual(50 * 201);
    });

    it('refuses 50 aliases of the same expensive field hidden behind one fragment spread 50 times', async () => {
      const spreads = Array.from({ length: 50 }, (_, i) => `a${i}: goals(first: 100) { ...G }`).join(' ');
      const { result, sql } = await hub.countStatements(() =>
        post(hub, { query: `{ ${spreads} } fragment G on GoalConnection { nodes { id owner { id } } }` }),
      );
      expectRefusedBeforeRunning(result, sql);
    });

    it("counts a page size that comes from a variable's default value (a query that could return 1,010,100 objects)", async () => {
      const query =
        'query AdvDefault($n: Int = 100) { goals(first: $n) { nodes { models(first: $n) { nodes { versions(first: $n) { nodes { id } } } } } } }';
      const { result, sql } = await hub.countStatements(() => post(hub, { query }));
      expectRefusedBeforeRunning(result, sql);
    });

    it('refuses an over-budget query over WebSocket too, and the socket stays usable', async () => {
      const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: goals(first: 100) { nodes { id owner { id } } }`).join(' ');
      const socket = await wsConnect(hub, hub.users.admin.token);
      try {
        const refused = await socket.run(`{ ${aliases} }`);
        expect(refused.type, JSON.stringify(refused)).toBe('error');
        expect(refused.payload).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
        const fine = await socket.run('{ viewer { id } }');
        expect(fine).toMatchObject({ type: 'next', payload: { data: { viewer: { id: hub.users.admin.id } } } });
      } finally {
        socket.close();
      }
    });
  });

  describe('the HTTP status of a refusal', () => {
    it.each([
      ['too deep', () => fragmentChain(13)],
      ['too costly', () => '{ goals(first: 100) { nodes { models(first: 100) { nodes { id } } } } }'],
    ])('is 400 for a query %s (a client mistake, not a server error)', async (_what, query) => {
      const answer = await post(hub, { query: query() });
      expect(code(answer)).toBe('BAD_USER_INPUT');
      expect(answer.status, answer.text.slice(0, 200)).toBe(400);
    });
  });

  describe('page sizes (0 to 100)', () => {
    it.each([
      ['goals(first: 101)', '{ goals(first: 101) { nodes { id } } }'],
      ['events(first: 101)', '{ events(first: 101) { nodes { id } } }'],
      ['users(first: 101)', '{ users(first: 101) { nodes { id } } }'],
      ['a nested Goal.models(first: 101)', '{ goals(first: 1) { nodes { models(first: 101) { nodes { id } } } } }'],
      ['goals(first: -1)', '{ goals(first: -1) { nodes { id } } }'],
    ])('refuses %s with BAD_USER_INPUT on `first`', async (_what, query) => {
      const answer = await post(hub, { query });
      expect(code(answer), answer.text).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(answer.json.errors)).toMatch(/first/);
    });

    it('refuses first: 101 given as a variable', async () => {
      const answer = await post(hub, { query: 'query ($n: Int) { goals(first: $n) { nodes { id } } }', variables: { n: 101 } });
      expect(code(answer)).toBe('BAD_USER_INPUT');
    });

    it('refuses a first past 32 bits as a client mistake, not an internal error', async () => {
      for (const body of [
        { query: '{ goals(first: 2147483648) { nodes { id } } }' },
        { query: 'query ($n: Int) { goals(first: $n) { nodes { id } } }', variables: { n: 2 ** 31 } },
      ]) {
        const answer = await post(hub, body);
        expect(answer.status).toBe(400);
        expect(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(code(answer));
      }
    });

    it('accepts first: 0 and first: 100', async () => {
      for (const n of [0, 100]) expect((await post(hub, { query: `{ goals(first: ${n}) { nodes { id } } }` })).json.errors).toBeUndefined();
    });

    it('refuses nodes(ids:) with 101 IDs', async () => {
      const answer = await post(hub, {
        query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids: Array.from({ length: 101 }, () => hub.users.sme.id) },
      });
      expect(code(answer)).toBe('BAD_USER_INPUT');
    });
  });

  describe('request bodies', () => {
    it('refuses a gzip body of 5 KB that inflates past 1 MiB with 413, as JSON', async () => {
      const bomb = gzipSync(JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } }));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const answer = await post(hub, bomb, { 'content-encoding': 'gzip' });
      expect(answer.status).toBe(413);
      expect(answer.contentType).toMatch(/^application\/json/);
    });

    it('refuses a chunked body (no Content-Length) over 1 MiB with 413', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"query":"{ viewer { id } }","variables":{"pad":"'));
        },
        pull(controller) {
          if (sent++ < 20) controller.enqueue(chunk);
          else {
            controller.enqueue(new TextEncoder().encode('"}}'));
            controller.close();
          }
        },
      });
      const answer = await fetchJson(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users.admin.token}` },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(answer.status).toBe(413);
    });

    it.each([
      ['an unknown Content-Encoding', { 'content-encoding': 'compress' }, '{}'],
      ['a body that is not gzip but says so', { 'content-encoding': 'gzip' }, 'not gzip at all'],
      ['a charset other than UTF-8', { 'content-type': 'application/json; charset=latin1' }, '{"query":"{ viewer { id } }"}'],
      ['JSON that is not an object', {}, '"just a string"'],
      ['a query that is not a string', {}, '{"query": 42}'],
    ])('answers %s with a 4xx JSON error, never a 5xx', async (_what, headers, body) => {
      const answer = await post(hub, body, headers);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(code(answer)).not.toBe('INTERNAL_SERVER_ERROR');
    });

    it('does not offer automatic persisted queries: a hash alone is refused as unsupported, a wrong hash never fails the server', async () => {
      const hashOnly = await post(hub, { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
      // The APQ protocol answers this with HTTP 200, so that clients fall back to sending the query.
      expect(hashOnly.status).toBe(200);
      expect(code(hashOnly), hashOnly.text).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
      const wrongHash = await post(hub, { query: '{ viewer { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
      expect(wrongHash.status).toBeLessThan(500);
      expect(code(wrongHash), wrongHash.text).not.toBe('INTERNAL_SERVER_ERROR');
    });

    it('answers a subscription sent over HTTP as a client mistake, not INTERNAL_SERVER_ERROR', async () => {
      const answer = await post(hub, { query: 'subscription { lifecycleEvents { id } }' });
      expect(code(answer), answer.text).not.toBe('INTERNAL_SERVER_ERROR');
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    });
  });

  describe('batching', () => {
    it('refuses a batch of one operation with 400', async () => {
      const answer = await post(hub, [{ query: '{ viewer { id } }' }]);
      expect(answer.status).toBe(400);
      expect(answer.text).not.toContain('"viewer"');
    });

    it('refuses a batch of mutations with 400 and writes nothing', async () => {
      const before = await snapshot(hub);
      const mutation = { query: 'mutation { createGoal(input: { title: "Batched", businessQuestion: "Two at once?" }) { goal { id } } }' };
      const answer = await post(hub, [mutation, mutation]);
      expect(answer.status).toBe(400);
      expect(await snapshot(hub)).toEqual(before);
    });
  });

  describe('production: true (NODE_ENV=production)', () => {
    const asAdmin = (body: unknown) => post(prod, body);

    it.each([
      ['__schema', '{ __schema { queryType { name } } }'],
      ['__type', '{ __type(name: "Goal") { fields { name } } }'],
      ['__schema behind a fragment', '{ ...I } fragment I on Query { __schema { types { name } } }'],
    ])('refuses introspection (%s) over HTTP', async (_what, query) => {
      const answer = await asAdmin({ query });
      expect(answer.status).toBe(400);
      expect(code(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.json.data ?? undefined).toBeUndefined();
      expect(answer.text).not.toContain('"queryType"');
    });

    it('still answers __typename', async () => {
      expect((await asAdmin({ query: '{ __typename }' })).json.data).toEqual({ __typename: 'Query' });
    });

    it.each([
      ['a misspelled field', '{ viewr { id } }', {}],
      ['a misspelled argument', '{ goals(frist: 1) { nodes { id } } }', {}],
      ['a misspelled enum literal', '{ goals(status: ACTIV) { nodes { id } } }', {}],
      ['a misspelled type in a fragment', '{ ...F } fragment F on Qeury { viewer { id } }', {}],
      [
        'a misspelled input field in a variable',
        'mutation ($i: CreateGoalInput!) { createGoal(input: $i) { goal { id } } }',
        { i: { titel: 'x', businessQuestion: 'y' } },
      ],
      [
        'a misspelled enum value in a variable',
        'mutation ($i: CreateGoalInput!) { createGoal(input: $i) { goal { id } } }',
        { i: { title: 'x', businessQuestion: 'y', status: 'ACTIV' } },
      ],
      ['a misspelled variable type', 'mutation ($i: CreateGoalInpt!) { createGoal(input: $i) { goal { id } } }', { i: {} }],
    ])('gives no field suggestions for %s', async (_what, query, variables) => {
      const answer = await asAdmin({ query, variables });
      expect(answer.json.errors?.length).toBeGreaterThan(0);
      expect(answer.text).not.toMatch(/Did you mean/i);
      expect(code(answer)).not.toBe('INTERNAL_SERVER_ERROR');
    });

    it('refuses introspection over WebSocket as over HTTP', async () => {
      const socket = await wsConnect(prod, prod.users.admin.token);
      try {
        const answer = await socket.run('{ __schema { queryType { name } types { name } } }');
        expect(JSON.stringify(answer)).not.toContain('"queryType"');
        expect(answer.type, JSON.stringify(answer).slice(0, 300)).toBe('error');
      } finally {
        socket.close();
      }
    });

    it('gives no field suggestions over WebSocket', async () => {
      const socket = await wsConnect(prod, prod.users.admin.token);
      try {
        const answer = await socket.run('{ viewr { id } }');
        expect(answer.type).toBe('error');
        expect(JSON.stringify(answer)).not.toMatch(/Did you mean/i);
      } finally {
        socket.close();
      }
    });
  });

  describe('cross-site requests a browser can send without a preflight', () => {
    const mutation = 'mutation { createGoal(input: { title: "Cross-site", businessQuestion: "Forged?" }) { goal { id } } }';

    // A browser attaches no Authorization header cross-site, but the refusal must not depend on
    // that: these carry a valid token and are still refused.
    it.each<[string, () => RequestInit & { url?: string }]>([
      [
        'a text/plain POST with a JSON mutation',
        () => ({
          method: 'POST',
          headers: { 'content-type': 'text/plain', authorization: `Bearer ${hub.users.sme.token}` },
          body: JSON.stringify({ query: mutation }),
        }),
      ],
      [
        'a text/plain POST without the Authorization header',
        () => ({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: mutation }) }),
      ],
      [
        'a form POST (application/x-www-form-urlencoded)',
        () => ({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${hub.users.sme.token}` },
          body: new URLSearchParams({ query: mutation }).toString(),
        }),
      ],
      [
        'a multipart/form-data POST',
        () => ({
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x', authorization: `Bearer ${hub.users.sme.token}` },
          body: `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${mutation}\r\n--x--\r\n`,
        }),
      ],
      [
        'a GET with the mutation in the query string (no preflight header)',
        () => ({
          method: 'GET',
          headers: { authorization: `Bearer ${hub.users.sme.token}` },
          url: `${hub.url}?query=${encodeURIComponent(mutation)}`,
        }),
      ],
      [
        'a GET picking the mutation by operationName',
        () => ({
          method: 'GET',
          headers: { authorization: `Bearer ${hub.users.sme.token}` },
          url: `${hub.url}?query=${encodeURIComponent(`query Q { viewer { id } } ${mutation.replace('mutation', 'mutation M')}`)}&operationName=M`,
        }),
      ],
      [
        'a POST with an empty JSON body and the mutation in the URL',
        () => ({
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users.sme.token}` },
          body: '{}',
          url: `${hub.url}?query=${encodeURIComponent(mutation)}`,
        }),
      ],
    ])('refuses %s and changes nothing', async (_what, make) => {
      const before = await snapshot(hub);
      const { url = hub.url, ...init } = make();
      const res = await fetch(url, init);
      const text = await res.text();
      expect(res.status, text.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(text).not.toContain('"createGoal"');
      expect(await snapshot(hub)).toEqual(before);
    });
  });
});

// ── A minimal graphql-transport-ws client over raw `ws` ─────────────────────────────────────

interface WsMessage {
  /** `closed` when the server closed the socket instead of answering. */
  type: string;
  id?: string;
  code?: number;
  reason?: string;
  payload?: { data?: unknown; extensions?: Record<string, unknown> }[] & { data?: unknown };
}

async function wsConnect(hub: TestHub, token: string): Promise<{ run(query: string): Promise<WsMessage>; close(): void }> {
  const socket = new WebSocket(hub.server.wsUrl, 'graphql-transport-ws');
  const inbox: WsMessage[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data) => {
    inbox.push(JSON.parse(String(data)));
    wake?.();
  });
  socket.on('close', (c: number, reason: Buffer) => {
    inbox.push({ type: 'closed', code: c, reason: String(reason) });
    wake?.();
  });
  const next = async (): Promise<WsMessage> => {
    while (!inbox.length) await new Promise<void>((resolve) => (wake = resolve));
    return inbox[0].type === 'closed' ? inbox[0] : inbox.shift()!;
  };
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  expect((await next()).type).toBe('connection_ack');
  let ids = 0;
  return {
    async run(query) {
      const id = String(++ids);
      socket.send(JSON.stringify({ type: 'subscribe', id, payload: { query } }));
      const first = await next();
      if (first.type === 'next') expect((await next()).type).toBe('complete');
      return first;
    },
    close: () => socket.close(),
  };
}
