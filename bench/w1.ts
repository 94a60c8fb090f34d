/**
 * W1: the dashboard query (goals with owners and KPIs, ten models each with owner, latest version,
 * metrics and lineage, the production version's feature importance, open drift flags and the last
 * three comments), asked of the hub, of PostGraphile and of the hand-written SQL floor.
 */
import autocannon from 'autocannon';
import { deepStrictEqual } from 'node:assert';
import 'reflect-metadata';
import { parseDatabaseUrl } from '../src/config';
import { initOrm } from '../src/db/orm';
import { buildSchema } from '../src/graphql/schema';
import { setLogLevel } from '../src/logger';
import { startServer } from '../src/server/http';
import { gql, round, sleep } from './lib';

/** The cost budget the benchmark's hubs run with: W1's query, every plain list charged at its cap, costs more than the default 10,000. */
export const W1_BUDGET = 100_000;

export const HUB_QUERY = `{ goals(first: 20) { nodes { title owner { name } kpis { name current }
  models(first: 10) { totalCount nodes { name owner { name }
    latestVersion { version metrics { key value } run { experiment { name } } }
    productionVersion { version card { featureImportance { feature importance } } }
    openDriftFlags { severity description }
    comments(first: 3) { nodes { author { name } body } } } } } } }`;

/**
 * The same question in PostGraphile v5's Amber naming. What the hub's schema has as fields are
 * relations or conditions here: latest and production version are the first version by number
 * (all, or in PRODUCTION), `driftFlagsByModelId` and `commentsBySubjectId` follow relations that
 * bench/postgraphile.mjs declares with smart tags (the hub keeps drift_flags.model_id denormalised
 * and comments polymorphic, without foreign keys), and `unresolved` is a condition it adds. JSON
 * columns come back whole: `metrics` as in the hub, but `card` with all its fields, not only
 * featureImportance.
 */
export const POSTGRAPHILE_QUERY = `{ allGoals(first: 20, orderBy: ROW_ID_DESC) { nodes { title userByOwnerId { name } kpisByGoalId(orderBy: ROW_ID_ASC) { nodes { name current } }
  modelsByGoalId(first: 10, orderBy: ROW_ID_DESC) { totalCount nodes { name userByOwnerId { name }
    latest: modelVersionsByModelId(first: 1, orderBy: VERSION_DESC) { nodes { version metrics runByRunId { experimentByExperimentId { name } } } }
    production: modelVersionsByModelId(first: 1, orderBy: VERSION_DESC, condition: { stage: "PRODUCTION" }) { nodes { version card } }
    openDriftFlags: driftFlagsByModelId(orderBy: [SEVERITY_RANK_DESC, ROW_ID_DESC], condition: { unresolved: true }) { nodes { severity description } }
    comments: commentsBySubjectId(first: 3, orderBy: ROW_ID_DESC, condition: { subjectType: "Model" }) { nodes { userByAuthorId { name } body } } } } } } }`;

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One answer, whoever gave it, in one canonical shape, so that the answers can be compared. */
export function canonical(body: J): unknown {
  if (body.data?.allGoals) {
    return body.data.allGoals.nodes.map((g: J) => ({
      title: g.title,
      owner: g.userByOwnerId?.name,
      kpis: g.kpisByGoalId.nodes,
      totalCount: g.modelsByGoalId.totalCount,
      models: g.modelsByGoalId.nodes.map((m: J) => {
        const latest = m.latest.nodes[0];
        const production = m.production.nodes[0];
        return {
          name: m.name,
          owner: m.userByOwnerId?.name,
          latest: latest
            ? { version: latest.version, metrics: latest.metrics, experiment: latest.runByRunId?.experimentByExperimentId?.name ?? null }
            : null,
          production: production ? { version: production.version, featureImportance: production.card?.featureImportance ?? null } : null,
          flags: m.openDriftFlags.nodes,
          comments: m.comments.nodes.map((c: J) => ({ author: c.userByAuthorId?.name, body: c.body })),
        };
      }),
    }));
  }
  return body.data.goals.nodes.map((g: J) => ({
    title: g.title,
    owner: g.owner?.name,
    kpis: g.kpis,
    totalCount: g.models.totalCount,
    models: g.models.nodes.map((m: J) => ({
      name: m.name,
      owner: m.owner?.name,
      latest: m.latestVersion
        ? { version: m.latestVersion.version, metrics: m.latestVersion.metrics, experiment: m.latestVersion.run?.experiment?.name ?? null }
        : null,
      production: m.productionVersion
        ? { version: m.productionVersion.version, featureImportance: m.productionVersion.card?.featureImportance ?? null }
        : null,
      flags: m.openDriftFlags,
      comments: m.comments.nodes.map((c: J) => ({ author: c.author?.name, body: c.body })),
    })),
  }));
}

/** How much one answer holds: to show that every target answered the same question. */
export function answerSize(body: J): Record<string, number> {
  const goals = canonical(body) as J[];
  const models = goals.flatMap((g) => g.models as J[]);
  return {
    goals: goals.length,
    models: models.length,
    production_versions: models.filter((m) => m.production).length,
    open_drift_flags: models.reduce((n, m) => n + m.flags.length, 0),
    comments: models.reduce((n, m) => n + m.comments.length, 0),
  };
}

/** Whether two answers hold the same data (key order aside); the first difference otherwise. */
export function sameAnswer(a: J, b: J): true | string {
  try {
    deepStrictEqual(canonical(a), canonical(b));
    return true;
  } catch (err) {
    return String((err as Error).message)
      .split('\n')
      .slice(0, 12)
      .join(' ')
      .slice(0, 400);
  }
}

export interface Throughput {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  requests: number;
  bytes_per_response: number;
}

/** autocannon at `connections` for `seconds` (optionally paced to `rate` requests/s overall). */
export async function load(
  url: string,
  body: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
  rate?: number,
): Promise<Throughput> {
  const result = await autocannon({
    // A slow answer is measured, not dropped: autocannon's default 10 s timeout would count it as an error.
    url,
    method: 'POST',
    connections,
    duration: seconds,
    timeout: 120,
    ...(rate ? { overallRate: rate } : {}),
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const requests = result.requests.total;
  return {
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests,
    bytes_per_response: requests ? Math.round(result.throughput.total / requests) : 0,
  };
}

/**
 * SQL statements per request of the hub, counted in this process: the hub's own code (initOrm,
 * startServer) on the same database, each statement seen by Knex's `query` event, averaged over
 * `samples` sequential requests after two warm-ups: the W1 query, and a logRun. Nothing is added to
 * the API for it.
 */
export async function countHubStatements(databaseUrl: string, token: string, samples: number): Promise<Record<string, number>> {
  // The hub runs in this process here: its access log would drown the benchmark's own lines.
  setLogLevel('warn');
  const db = await initOrm({ target: parseDatabaseUrl(databaseUrl) });
  let statements = 0;
  db.knex.on('query', () => (statements += 1));
  const server = await startServer({
    db,
    port: 0,
    production: true,
    schema: await schemaOnce(),
    limits: { pointsPerMinute: 0, costBudget: W1_BUDGET },
    outboxPollMs: 60_000,
  });
  const result: Record<string, number> = {};
  try {
    const { goals } = await gql<{ goals: { nodes: { experiments: { nodes: { id: string }[] } }[] } }>(
      server.url,
      token,
      '{ goals(first: 1) { nodes { experiments(first: 1) { nodes { id } } } } }',
    );
    const logRun = {
      query: 'mutation ($input: LogRunInput!) { logRun(input: $input) { run { id } } }',
      variables: {
        input: {
          experimentId: goals.nodes[0].experiments.nodes[0].id,
          name: 'sql-count',
          status: 'FINISHED',
          params: { lr: 0.1 },
          metrics: [{ key: 'auc', value: 0.8 }],
        },
      },
    };
    for (const [name, { query, variables }] of Object.entries({ w1: { query: HUB_QUERY, variables: {} }, logRun })) {
      for (let i = 0; i < 2; i++) await gql(server.url, token, query, variables);
      await sleep(300);
      statements = 0;
      for (let i = 0; i < samples; i++) await gql(server.url, token, query, variables);
      await sleep(300); // what a write's commit sets off (the outbox relay publishing its event) counts too
      result[name] = round(statements / samples, 1);
    }
  } finally {
    await server.close();
    await db.close();
  }
  return result;
}

let schema: ReturnType<typeof buildSchema> | null = null;
function schemaOnce() {
  schema ??= buildSchema();
  return schema;
}
