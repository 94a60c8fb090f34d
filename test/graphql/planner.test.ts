import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/domain/ids';
import { buildSchema } from '../../src/graphql/schema';
import { seedDemo } from '../../src/seed/demo';
import { startServer, type HubServer } from '../../src/server/http';
import { post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, startHubAt, type HubOptions, type TestHub } from '../helpers/hub';

const USER = 'id __typename name email handle roles kind slackUserId createdAt';
const COMMENTS = `comments(first: 2) { __typename totalCount nodes { id body origin createdAt isQuestion answeredAt author { ${USER} } } }`;
const RUN = `run { id __typename name externalId tags { key value } status params metrics { key value } datasetUri codeVersion startedAt finishedAt
  experiment { id name hypothesis createdAt comments { totalCount } } ${COMMENTS} }`;
const VERSION = `id __typename version stage externalId tags { key value } description artifactUri artifactDigest metrics { key value }
  card { __typename intendedUse limitations trainingData evaluationData ethicalConsiderations featureImportance { feature importance } }
  createdAt model { name } createdBy { name } ${COMMENTS} ${RUN}`;
const FLAG = `id __typename kind severity description metric observed expected status resolution origin createdAt acknowledgedAt resolvedAt occurrences
  raisedBy { name } ${COMMENTS}`;
const MODEL = `id __typename name description createdAt goal { id title } owner { ${USER} } latestVersion { ${VERSION} }
  productionVersion { ${VERSION} } openDriftFlags { ${FLAG} } ${COMMENTS}`;
const KPI = `id __typename name description unit direction baseline target current goal { title } ${COMMENTS}`;

/** Every field the planner knows, on every type it knows, asked together: the dashboard's question and more. */
const EVERY_FIELD = `{ goals(first: 10) { __typename totalCount nodes { id __typename title businessQuestion description status createdAt updatedAt
  owner { ${USER} } kpis { ${KPI} } ${COMMENTS} models(first: 10) { totalCount nodes { ${MODEL} } } } } }`;

/** Queries the planner answers: each must answer exactly what the resolvers answer. */
const PLANNED: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  { name: 'every field it knows', query: EVERY_FIELD },
  {
    name: "the benchmark's dashboard",
    query: `{ goals(first: 20) { nodes { title owner { name } kpis { name current } models(first: 10) { totalCount nodes { name owner { name }
      latestVersion { version metrics { key value } run { experiment { name } } } productionVersion { version card { featureImportance { feature importance } } }
      openDriftFlags { severity description } comments(first: 3) { nodes { author { name } body } } } } } } }`,
  },
  {
    name: 'aliases, fragments and variables',
    query: `query ($n: Int, $s: GoalStatus) { a: goals(first: $n, status: $s) { count: totalCount items: nodes { ...G ... on Goal { heading: title } } }
      b: goals(first: 0) { totalCount nodes { id } } }
      fragment G on Goal { key: id models(first: 2) { nodes { ... on Model { n: name v: latestVersion { ...V } } } } }
      fragment V on ModelVersion { number: version card { featureImportance { f: feature } } }`,
    variables: { n: 3, s: 'ACTIVE' },
  },
  { name: 'a count alone', query: '{ goals { totalCount } }' },
  {
    name: 'an alias named __proto__ on each kind of object (root, connection, row, plain data)',
    query: `{ __proto__: goals(first: 2) { __proto__: totalCount nodes { __proto__: title owner { __proto__: name }
      models(first: 2) { nodes { latestVersion { metrics { __proto__: key value } } } } } } }`,
  },
];

/** Queries it leaves to the resolvers (a field, argument or directive it does not follow, or an error): answered as before. */
const NOT_PLANNED: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  { name: 'a cursor', query: '{ goals(first: 1, after: "WzFd") { nodes { title } } }' },
  { name: 'a cursor that is not one', query: '{ goals(after: "not a cursor") { nodes { title } } }' },
  { name: 'first out of range', query: '{ goals(first: 101) { nodes { title } } }' },
  { name: 'a negative first, nested', query: '{ goals(first: 2) { nodes { models(first: -1) { nodes { name } } } } }' },
  { name: 'pageInfo', query: '{ goals(first: 2) { pageInfo { hasNextPage endCursor } nodes { title } } }' },
  { name: 'edges', query: '{ goals(first: 2) { edges { cursor node { title } } } }' },
  { name: 'a directive', query: 'query ($x: Boolean!) { goals(first: 2) { nodes { title @include(if: $x) } } }', variables: { x: false } },
  {
    name: 'a field with rules of its own',
    query: '{ goals(first: 2) { nodes { models(first: 2) { nodes { latestVersion { evidenceDigest } } } } } }',
  },
  { name: 'another root beside', query: '{ goals(first: 1) { nodes { title } } viewer { name } }' },
  {
    name: 'a row of 150 values (more than a SQL function takes)',
    query: `{ goals(first: 2) { nodes { ${Array.from({ length: 150 }, (_, i) => `o${i}: owner { name }`).join(' ')} } } }`,
  },
  {
    name: '101 roots (more than a statement is given)',
    query: `{ ${Array.from({ length: 101 }, (_, i) => `g${i}: goals(first: 1) { totalCount }`).join(' ')} }`,
  },
  { name: '101 counts of one connection', query: `{ goals { ${Array.from({ length: 101 }, (_, i) => `c${i}: totalCount`).join(' ')} } }` },
  { name: 'a bad variable', query: 'query ($n: Int) { goals(first: $n) { nodes { title } } }', variables: { n: 'ten' } },
];

/**
 * The planner's suite on one hub (`start`); `worker`: its planned statements run in the SQLite
 * read worker, where the statement listener does not see them.
 */
function suite(start: (options: HubOptions) => Promise<TestHub>, worker: boolean) {
  let hub: TestHub;
  let resolvers: HubServer;
  let offThread = 0;

  beforeAll(async () => {
    // The dashboard's question needs the benchmark's budget (README "Limits"); more aliases than the default let a row ask for 150 values.
    hub = await start({ limits: { costBudget: 200_000, maxAliases: 500 }, queryPlanner: true });
    expect(hub.db.readWorker !== undefined).toBe(worker);
    const row = hub.db.readWorker?.row.bind(hub.db.readWorker);
    if (hub.db.readWorker && row) {
      hub.db.readWorker.row = (sql, bindings) => {
        offThread += 1;
        return row(sql, bindings);
      };
    }
    await seedDemo(hub.domain);
    // The same database and users, every query through the resolvers.
    resolvers = await startServer({
      db: hub.db,
      port: 0,
      schema: await buildSchema(),
      queryPlanner: false,
      limits: { costBudget: 200_000, maxAliases: 500 },
    });
    const version = await hub.domain.reader.knex('model_versions').first('id');
    // A flag with every column given and a question, beside the demo's.
    const flagged = await post(
      hub.url,
      {
        query: `mutation ($v: ID!) { flagDrift(input: { modelVersionId: $v, kind: DATA, severity: HIGH, description: "PSI up \\"quoted\\" ✓",
          metric: "psi", observed: 0.30000000000000004, expected: 1e-7 }) { driftFlag { id } } }`,
        variables: { v: toGlobalId('ModelVersion', version.id) },
      },
      hub.users.sme.token,
    );
    expect(flagged.errors).toBeUndefined();
  });
  afterAll(async () => {
    await resolvers?.close();
    await hub?.close();
  });

  /** The raw answer of the hub (planner on) and of the same hub without it, and the statements the first ran. */
  async function both(query: string, variables?: Record<string, unknown>, token: string | null = hub.users.risk.token) {
    const init = (): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const before = offThread;
    const { result: planned, sql: statements } = await hub.countStatements(() =>
      fetch(hub.url, init()).then(async (r) => ({ status: r.status, text: await r.text() })),
    );
    // What ran in the read worker counts as a planned statement (its first column is "j0").
    const sql = [...statements, ...Array.from({ length: offThread - before }, () => 'select … as "j0" (read worker)')];
    const resolved = await fetch(resolvers.url, init()).then(async (r) => ({ status: r.status, text: await r.text() }));
    return { planned, resolved, sql };
  }

  describe('the query planner', () => {
    it.each(PLANNED)('answers $name byte for byte as the resolvers do, in one statement', async ({ query, variables }) => {
      const { planned, resolved, sql } = await both(query, variables);
      expect(planned.status).toBe(200);
      expect(JSON.parse(planned.text)).not.toHaveProperty('errors');
      expect(planned.text).toBe(resolved.text);
      // Authentication, then the whole answer, and nothing else: a planned statement that failed would leave the resolvers' statements too.
      // (A COMMIT of the seed may still arrive in the window.)
      expect(sql.filter((s) => / as "j0"/.test(s))).toHaveLength(1);
      expect(sql.filter((s) => !/^commit;?$/i.test(s)).length).toBeLessThanOrEqual(2);
    });

    it('answers a connection asked only for its __typename without a statement', async () => {
      const { planned, resolved, sql } = await both('{ goals { __typename } }');
      expect(planned.status).toBe(200);
      expect(planned.text).toBe(resolved.text);
      // Authentication only: nothing to read, so nothing planned and nothing left to the resolvers.
      expect(sql).toHaveLength(1);
    });

    it('answers with data: every field of every type it knows shows something', async () => {
      const { planned } = await both(EVERY_FIELD);
      const text = planned.text;
      for (const shown of [
        '"featureImportance":[{',
        '"metrics":[{',
        '"openDriftFlags":[{',
        '"author":{',
        '"experiment":{',
        '0.30000000000000004',
        '1e-7',
        'PSI up \\"quoted\\" ✓',
      ]) {
        expect(text).toContain(shown);
      }
    });

    it.each(NOT_PLANNED)('leaves $name to the resolvers, which answer as before', async ({ query, variables }) => {
      const { planned, resolved, sql } = await both(query, variables);
      expect(planned.text).toBe(resolved.text);
      expect(planned.status).toBe(resolved.status);
      expect(sql.filter((s) => / as "j0"/.test(s))).toHaveLength(0);
    });

    it.runIf(worker)('reads a write at once, and starts a new read worker when its worker died', async () => {
      const goals = await post<{ goals: { nodes: { id: string }[] } }>(
        hub.url,
        { query: '{ goals(first: 1) { nodes { id } } }' },
        hub.users.risk.token,
      );
      const added = await post(
        hub.url,
        {
          query: 'mutation ($s: ID!) { addComment(input: { subjectId: $s, body: "written a moment ago" }) { comment { id } } }',
          variables: { s: goals.data!.goals.nodes[0].id },
        },
        hub.users.sme.token,
      );
      expect(added.errors).toBeUndefined();
      const query = '{ goals(first: 1) { nodes { comments(first: 1) { totalCount nodes { body } } } } }';
      const fresh = await both(query);
      expect(fresh.planned.text).toContain('written a moment ago');
      expect(fresh.planned.text).toBe(fresh.resolved.text);
      // The worker ends as a crash would end it: the next planned query starts another.
      const running = (hub.db.readWorker as unknown as { current: { worker: Worker } | null }).current;
      expect(running).not.toBeNull();
      await running!.worker.terminate();
      const again = await both(query);
      expect(again.planned.text).toBe(fresh.planned.text);
      expect(again.sql.filter((s) => /read worker/.test(s))).toHaveLength(1);
    });

    it('leaves a stored value its type cannot show to the resolvers, which report it as before', async () => {
      const flags = () => hub.domain.reader.knex('drift_flags').where('description', 'like', 'PSI up%');
      await flags().update({ severity: 'SEVERE' });
      try {
        const { planned, resolved } = await both('{ goals(first: 10) { nodes { models(first: 10) { nodes { openDriftFlags { severity } } } } } }');
        expect(planned.text).toBe(resolved.text);
        // An internal error, masked: the same answer either way, with null where the flags were.
        expect(JSON.parse(planned.text).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        await flags().update({ severity: 'HIGH' });
      }
    });

    it('still asks who is asking: no token, no answer', async () => {
      const { planned, resolved, sql } = await both('{ goals { nodes { title } } }', undefined, null);
      expect(planned.text).toBe(resolved.text);
      expect(JSON.parse(planned.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(sql.filter((s) => / as "j0"/.test(s))).toHaveLength(0);
    });

    it('keeps the cost limit: a query over budget is refused before it is planned', async () => {
      const wide = `{ goals(first: 100) { nodes { models(first: 100) { nodes { comments(first: 100) { nodes { author { name } } } } } } } }`;
      const { planned, resolved, sql } = await both(wide);
      expect(planned.text).toBe(resolved.text);
      expect(JSON.parse(planned.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(sql.filter((s) => / as "j0"/.test(s))).toHaveLength(0);
    });
  });
}

forEachDialect((dialect) => suite((options) => startHub(dialect, options), false));

describe('sqlite in a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-planner-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  suite((options) => startHubAt({ dialect: 'sqlite', path: join(dir, 'hub.sqlite') }, options), true);
});
