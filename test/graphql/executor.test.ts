import http from 'node:http';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config';
import { initOrm, type Database } from '../../src/db/orm';
import { Domain } from '../../src/domain/domain';
import { createContext } from '../../src/graphql/context';
import { Slots } from '../../src/graphql/executor';
import { executionsSkipped, graphqlExecutions } from '../../src/metrics';
import { RECORD_PROTOTYPES } from '../../src/graphql/modules';
import { buildSchema } from '../../src/graphql/schema';
import { createInProcessBus } from '../../src/events/bus';
import { seedDemo } from '../../src/seed/demo';
import { authenticate } from '../../src/server/auth';
import { post } from '../helpers/client';
import { forEachDialect, PG_URL } from '../helpers/db';
import { until } from '../helpers/wait';
import { startHub, type Person, type TestHub } from '../helpers/hub';

/** What the dashboard and API clients ask, including abstract types, connections, variables, directives and errors. */
const QUERIES: { name: string; query: string; variables?: Record<string, unknown>; as: Person }[] = [
  {
    name: 'the dashboard',
    as: 'risk',
    query: `{ goals(first: 5) { totalCount nodes { id title owner { name } kpis { name current target }
      models(first: 5) { totalCount nodes { name owner { name }
        latestVersion { version stage metrics { key value } run { experiment { name } } }
        productionVersion { version card { featureImportance { feature importance } } }
        openDriftFlags { severity description }
        comments(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { author { name } body } } } } } } } }`,
  },
  {
    name: 'nodes of every type through the Node interface',
    as: 'risk',
    query: `query ($first: Int!, $withCards: Boolean!) { events(first: $first) { edges { node { type summary
      subject { __typename id ... on ModelVersion { version card @include(if: $withCards) { intendedUse } } ... on Comment { body }
        ... on DriftFlag { severity } ... on Discussable { comments(first: 1) { totalCount } } } } } } }`,
    variables: { first: 40, withCards: true },
  },
  {
    name: 'a field the viewer may not see: the error nulls its non-null parent',
    as: 'sme',
    query: '{ viewer { name roles } auditVerification { ok } }',
  },
  {
    name: 'a document too long to compile (it runs on graphql-js)',
    as: 'risk',
    query: `{ viewer { name roles } goals(first: 2) { nodes { title } } }\n# ${'padding '.repeat(1200)}`,
  },
  {
    // graphql-jit writes each answer object as a literal, where a key "__proto__" sets the prototype instead.
    name: 'an alias named __proto__',
    as: 'risk',
    query: '{ __proto__: viewer { __proto__: name } goals(first: 2) { nodes { __proto__: title owner { __proto__: name } } } }',
  },
  {
    name: 'unknown and malformed IDs',
    as: 'scientist',
    query: '{ nodes(ids: ["VXNlcjox", "nope", "R29hbDo5OTk5"]) { __typename id } node(id: "") { id } }',
  },
];

/** 100 goals with their KPIs: cost 1,100, over the cheap lane's 100, so it takes an execution slot. */
const HEAVY = JSON.stringify({ query: '{ goals(first: 100) { nodes { id title kpis { name } } } }' });

/** The `hub_graphql_executions` gauge for one state. */
const executions = async (state: 'running' | 'queued') => (await graphqlExecutions.get()).values.find((v) => v.labels.state === state)?.value ?? 0;

forEachDialect((dialect) => {
  let hub: TestHub;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    // The resolvers' executors (graphql-jit and graphql-js) compared, and their slots watched: the planner (planner.test.ts) stays out.
    hub = await startHub(dialect, { queryPlanner: false });
    await seedDemo(hub.domain);
    schema = await buildSchema();
  });
  afterAll(() => hub?.close());

  describe('compiled execution (graphql-jit)', () => {
    it.each(QUERIES)('answers $name exactly as graphql-js does, first asked and compiled after', async ({ query, variables, as }) => {
      const token = hub.users[as].token;
      const viewer = (await authenticate(hub.domain, `Bearer ${token}`))!;
      const reference = await execute({
        schema,
        document: parse(query),
        variableValues: variables,
        // The server's domain decodes rows into the GraphQL types, as here.
        contextValue: createContext({ domain: new Domain(hub.db, { prototypes: RECORD_PROTOTYPES }), bus: createInProcessBus() }, viewer),
      });
      const expected = {
        data: reference.data,
        errors: reference.errors?.map((e) => ({ message: e.message, path: e.path, locations: e.locations })),
      };
      for (let asked = 0; asked < 3; asked++) {
        const answer = await post(hub.url, { query, variables }, token);
        expect(answer.status).toBe(200);
        expect(JSON.stringify(answer.data)).toBe(JSON.stringify(expected.data));
        expect(answer.errors?.map(({ message, path, locations }) => ({ message, path, locations }))).toEqual(expected.errors);
      }
      // The comparison means something: data for the others, a FORBIDDEN that nulls the non-null root for the SME.
      if (as === 'sme') expect(reference).toMatchObject({ data: null, errors: [{ path: ['auditVerification'] }] });
      else expect(reference.data).toBeTruthy();
    });
  });

  describe(`at most MAX_CONCURRENT_EXECUTIONS (default ${DEFAULTS.maxConcurrentExecutions}) at once`, () => {
    it('queues the rest, answers every one, and the gauge shows it', async () => {
      const asked = Array.from({ length: 16 }, () => post(hub.url, HEAVY, hub.users.sme.token));
      let most = 0;
      let settled = false;
      const all = Promise.all(asked).finally(() => (settled = true));
      while (!settled) {
        most = Math.max(most, await executions('running'));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const answers = await all;
      expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(DEFAULTS.maxConcurrentExecutions);
      expect([await executions('running'), await executions('queued')]).toEqual([0, 0]);
    });
  });
});

describe('Slots', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most its limit at once and the rest in arrival order', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = Array.from({ length: 6 }, (_, i) =>
      slots.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(slots.queued).toBe(4);
    while (releases.length) {
      releases.shift()!();
      await tick();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(slots.queued).toBe(0);
  });

  it('frees the slot of a task that fails', async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(() => 'next')).resolves.toBe('next');
  });
});

describe.skipIf(!PG_URL)(`a query whose client left while it waited for a slot${PG_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  let hub: TestHub;
  let db: Database;
  beforeAll(async () => {
    hub = await startHub('postgresql');
    db = await initOrm({ target: hub.target, poolMax: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await hub?.close();
  });

  const skipped = async () => (await executionsSkipped.get()).values[0]?.value ?? 0;
  const connections = () => new Promise<number>((resolve, reject) => hub.server.http.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  const send = () => {
    const req = http.request(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users.sme.token}` },
    });
    const answered = new Promise<number>((resolve) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
    });
    req.end(HEAVY);
    return { req, answered };
  };

  it('is not executed when its turn comes, and the queries that wait for their answers still get them', async () => {
    const before = await skipped();
    const locked = await db.knex.transaction();
    let released = false;
    try {
      await locked.raw('lock table goals in access exclusive mode');
      // Both slots wait on the lock (taken first: requests sent together reach the slots in any order); behind them three clients that will leave and one that stays.
      const running = Array.from({ length: DEFAULTS.maxConcurrentExecutions }, send);
      await until(async () => (await executions('running')) >= running.length, 'the first queries to take every slot');
      const leaving = [send(), send(), send()];
      const staying = send();
      await until(async () => (await executions('queued')) >= 4, 'four queries to queue for a slot');
      const open = await connections();
      for (const { req } of leaving) req.destroy();
      await until(async () => (await connections()) <= open - leaving.length, 'the server to see the three clients leave');
      await locked.rollback();
      released = true;
      expect(await Promise.all(running.map((r) => r.answered))).toEqual(Array(running.length).fill(200));
      expect(await staying.answered).toBe(200);
      expect((await skipped()) - before).toBe(3);
    } finally {
      if (!released) await locked.rollback();
    }
  });
});
