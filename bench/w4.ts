/**
 * W4, writes: `logRun` (a data scientist logging a finished run with params and metrics) for a
 * fixed time at 16 connections, and `reviewPromotion`: NONE → STAGING requests are made first (as a
 * data scientist; their rate is reported too), then an ML engineer approves each one, which moves the
 * version to STAGING in the same transaction, with 16 reviews in flight.
 */
import { randomBytes } from 'node:crypto';
import { load, type Throughput } from './w1';
import { gql, round, runAll, summarize } from './lib';

export interface WriteRate {
  per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  n: number;
  first_error?: string;
}

export interface WritesResult {
  logRun: Throughput & { per_s: number };
  requestPromotion: WriteRate;
  reviewPromotion: WriteRate;
}

const LOG_RUN = `mutation ($input: LogRunInput!) { logRun(input: $input) { run { id status } } }`;
const REQUEST = `mutation ($input: RequestPromotionInput!) { requestPromotion(input: $input) { promotionRequest { id status } } }`;
const REVIEW = `mutation ($input: ReviewPromotionInput!) { reviewPromotion(input: $input) { promotionRequest { id status } } }`;

async function user(url: string, adminToken: string, role: string): Promise<string> {
  const email = `bench-${role.toLowerCase().replace(/_/g, '-')}-${randomBytes(4).toString('hex')}@bench.modelops.dev`;
  const { createUser } = await gql<{ createUser: { token: string } }>(
    url,
    adminToken,
    'mutation ($input: CreateUserInput!) { createUser(input: $input) { token } }',
    {
      input: { name: `Bench ${role}`, email, roles: [role] },
    },
  );
  return createUser.token;
}

function rate(result: { latencies: number[]; errors: string[]; elapsedMs: number }): WriteRate {
  const l = summarize(result.latencies);
  return {
    per_s: round(result.latencies.length / (result.elapsedMs / 1000), 1),
    p50_ms: l.p50_ms,
    p99_ms: l.p99_ms,
    errors: result.errors.length,
    n: result.latencies.length,
    ...(result.errors.length ? { first_error: result.errors[0] } : {}),
  };
}

/** NONE versions to promote, spread over the models; makes new versions when there are too few. */
async function versionsToPromote(url: string, token: string, count: number): Promise<string[]> {
  const perModel: string[][] = [];
  const models: string[] = [];
  let after: string | null = null;
  do {
    const page: {
      models: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string; versions: { nodes: { id: string }[] } }[] };
    } = await gql(
      url,
      token,
      'query ($after: String) { models(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id versions(first: 20, stage: NONE) { nodes { id } } } } }',
      { after },
    );
    for (const m of page.models.nodes) {
      models.push(m.id);
      perModel.push(m.versions.nodes.map((v) => v.id));
    }
    after = page.models.pageInfo.hasNextPage ? page.models.pageInfo.endCursor : null;
  } while (after && perModel.flat().length < count * 3);
  const picked: string[] = [];
  for (let round = 0; picked.length < count && perModel.some((l) => l.length > round); round++) {
    for (const list of perModel) if (list[round] && picked.length < count) picked.push(list[round]);
  }
  const missing = count - picked.length;
  if (missing > 0) {
    const made = await runAll(
      Array.from({ length: missing }, (_, i) => models[i % models.length]),
      8,
      async (modelId) => {
        const { createModelVersion } = await gql<{ createModelVersion: { modelVersion: { id: string } } }>(
          url,
          token,
          'mutation ($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { id } } }',
          { input: { modelId, description: 'Made by the benchmark to be promoted.', metrics: [{ key: 'auc', value: 0.8 }] } },
        );
        picked.push(createModelVersion.modelVersion.id);
      },
    );
    if (made.errors.length) throw new Error(`could not make versions to promote: ${made.errors[0]}`);
  }
  return picked;
}

/** logRun per second for `seconds` at 16 connections, as a new data scientist: a quick probe of a hub's write path. */
export async function logRunProbe(url: string, adminToken: string, seconds: number): Promise<Throughput> {
  const scientist = await user(url, adminToken, 'DATA_SCIENTIST');
  const input = await logRunInput(url, adminToken);
  await gql(url, scientist, LOG_RUN, { input });
  return load(url, JSON.stringify({ query: LOG_RUN, variables: { input } }), { authorization: `Bearer ${scientist}` }, seconds, 16);
}

async function logRunInput(url: string, token: string) {
  const { goals } = await gql<{ goals: { nodes: { experiments: { nodes: { id: string }[] } }[] } }>(
    url,
    token,
    '{ goals(first: 1) { nodes { experiments(first: 1) { nodes { id } } } } }',
  );
  return {
    experimentId: goals.nodes[0].experiments.nodes[0].id,
    name: 'bench-run',
    status: 'FINISHED',
    params: { learning_rate: 0.05, max_depth: 6, n_estimators: 400 },
    metrics: [
      { key: 'auc', value: 0.84 },
      { key: 'recall_at_5pct', value: 0.7 },
    ],
    datasetUri: 's3://lake/bench/snapshot.parquet',
    codeVersion: 'git:bench',
  };
}

export async function writes(
  url: string,
  adminToken: string,
  options: { seconds: number; reviews: number; connections?: number },
): Promise<WritesResult> {
  const connections = options.connections ?? 16;
  const [scientist, engineer] = [await user(url, adminToken, 'DATA_SCIENTIST'), await user(url, adminToken, 'ML_ENGINEER')];
  const input = await logRunInput(url, adminToken);
  await gql(url, scientist, LOG_RUN, { input }); // fails loudly here rather than as 200s with errors under load
  const body = JSON.stringify({ query: LOG_RUN, variables: { input } });
  const logRun = await load(url, body, { authorization: `Bearer ${scientist}` }, options.seconds, connections);

  const versions = await versionsToPromote(url, scientist, options.reviews);
  const requestIds: string[] = [];
  const requested = await runAll(versions, 8, async (modelVersionId) => {
    const { requestPromotion } = await gql<{ requestPromotion: { promotionRequest: { id: string } } }>(url, scientist, REQUEST, {
      input: { modelVersionId, toStage: 'STAGING', justification: 'Benchmark promotion.' },
    });
    requestIds.push(requestPromotion.promotionRequest.id);
  });
  const reviewed = await runAll(requestIds, connections, async (promotionRequestId) => {
    const { reviewPromotion } = await gql<{ reviewPromotion: { promotionRequest: { status: string } } }>(url, engineer, REVIEW, {
      input: { promotionRequestId, decision: 'APPROVE', comment: 'Checked by the benchmark.' },
    });
    if (reviewPromotion.promotionRequest.status !== 'APPROVED')
      throw new Error(`request is ${reviewPromotion.promotionRequest.status} after the review`);
  });
  return { logRun: { ...logRun, per_s: logRun.rps }, requestPromotion: rate(requested), reviewPromotion: rate(reviewed) };
}

export interface KpiImportResult {
  values: number;
  ms: number;
  per_s: number;
  recorded: number;
  monitors: number;
}

const CREATE_MONITOR = 'mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { monitor { id } } }';
const RECORD_VALUES = 'mutation ($input: RecordKpiValuesInput!) { recordKpiValues(input: $input) { recorded skipped } }';

/**
 * Bulk KPI import with monitor evaluation: an SME records `count` values in one `recordKpiValues`
 * call on a KPI that two monitors watch (one breached by every value, one never); the call commits
 * the values and evaluates every one of them against both monitors before it answers.
 */
export async function kpiImport(url: string, adminToken: string, count: number): Promise<KpiImportResult> {
  const sme = await user(url, adminToken, 'SME');
  const { goals } = await gql<{ goals: { nodes: { id: string; kpis: { id: string }[] }[] } }>(
    url,
    sme,
    '{ goals(first: 1) { nodes { id kpis { id } } } }',
  );
  const goal = goals.nodes[0];
  const monitors = [
    { name: 'Bench: always breached', condition: 'ABOVE', threshold: -1e12 },
    { name: 'Bench: never breached', condition: 'BELOW', threshold: -1e12 },
  ];
  for (const m of monitors) {
    await gql(url, sme, CREATE_MONITOR, { input: { ...m, goalId: goal.id, source: 'KPI', kpiId: goal.kpis[0].id, severity: 'LOW' } });
  }
  const nonce = randomBytes(4).toString('hex');
  const start = Date.now() - count * 1000;
  const values = Array.from({ length: count }, (_, i) => ({
    value: 40 + (i % 17),
    observedAt: new Date(start + i * 1000).toISOString(),
    sourceKey: `bench-${nonce}-${i}`,
  }));
  const started = performance.now();
  const { recordKpiValues } = await gql<{ recordKpiValues: { recorded: number } }>(url, sme, RECORD_VALUES, {
    input: { kpiId: goal.kpis[0].id, values },
  });
  const ms = performance.now() - started;
  return { values: count, ms: round(ms, 0), per_s: round(count / (ms / 1000), 0), recorded: recordKpiValues.recorded, monitors: monitors.length };
}
