import 'reflect-metadata';
import { ConfigError, loadConfig, parseDatabaseUrl, type Config } from './config';
import { BackupError, backupSqlite, restoreSqlite } from './db/backup';
import { initOrm, migrate, pendingMigrations, type Database, type Migrated } from './db/orm';
import { seedScale } from './db/scale-seed';
import { Domain } from './domain/domain';
import { Origin, Role } from './domain/enums';
import { DomainError } from './domain/errors';
import { auditService } from './domain/event/audit.service';
import { toGlobalId } from './domain/ids';
import { userRepository } from './domain/user/user.repository';
import { serviceAccountEmail, userService } from './domain/user/user.service';
import { log, setLogLevel } from './logger';
import { seedDemo, type DemoUser } from './seed/demo';
import Redis from 'ioredis';
import { eventSource, lastEventId } from './events/outbox-relay';
import { createRedisBus } from './events/redis-bus';
import { memoryRateLimiter, redisRateLimiter } from './graphql/rate-limit';
import { startServer } from './server/http';
import { duration, parse, parseWithFile, required, UsageError } from './cli/args';
import { remote, REMOTE_HELP, REMOTE_SUBCOMMANDS, RemoteError } from './cli/remote';
import { syncMlflow } from './mlflow/bridge';
import { MlflowClient } from './mlflow/client';
import { parseKpiCsv } from './cli/kpi-csv';
import { goalService } from './domain/goal/goal.service';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditPackByName } from './domain/event/audit-pack';
import { renderAuditHtml } from './server/audit-page';

const HELP: Record<string, string> = {
  main: `Usage: hub <command> [options]

Commands:
  serve                 start the hub (migrates, and seeds demo data into a new SQLite database)
  migrate               apply pending database migrations
  seed --demo           add the demo workspace and print its users' tokens
  seed --scale N        add a benchmark-sized workspace (N = 1: 200 models, 20,000 runs…)
  user create           create a user and print {"id","token"} as one JSON line
  token create          create a new token for a user and print {"id","token"}
  token revoke          revoke every token of a user (their open WebSockets close too)
  service-account create|rotate|revoke
                        a non-human principal for pipelines and CI, and its tokens
  mlflow sync --url URL mirror an MLflow server's registered models and versions into the hub
  backup --out FILE     copy a SQLite hub's database to FILE, consistently, while it serves
  restore FILE          put a backup in place as the database (--force to replace one)
  audit verify          walk the event chain; exit 1 naming the first broken event
  audit export          write a model version's audit pack (audit.json, audit.html)
  kpi import            record a KPI's values from a CSV export, all or nothing

Pipeline commands (talk to a running hub at HUB_URL with HUB_TOKEN, never to its database):
  run log               log a run (idempotent with --external-id)
  run metrics           append metric values to a run's history
  version create        create a model version (idempotent with --external-id)
  promote request       request a promotion of a version
  deploy record         report a deployment of a version

The other commands read DATABASE_URL (default sqlite:./data/hub.sqlite). "hub <command> --help" tells more.`,
  serve: `Usage: hub serve

Starts the hub on HOST:PORT (default 127.0.0.1:4000): GraphQL over HTTP and WebSocket on /graphql,
/healthz and /readyz. Applies pending migrations first; a new database gets the demo workspace
unless SEED_DEMO=false (default true for SQLite, false for PostgreSQL).`,
  migrate: `Usage: hub migrate

Applies pending migrations to DATABASE_URL and prints the names applied.`,
  seed: `Usage: hub seed --demo
       hub seed --scale N

--demo: adds the demo workspace (users of every role, a goal with KPIs, an experiment with runs, a
model with three versions) and prints the demo users' tokens. Fails if the demo users already exist.

--scale N: adds a generated workspace for benchmarks, N a positive number (fractions like 0.1 work).
At N = 1: 50 users of every role, 20 goals with KPIs, 100 experiments, 20,000 runs with metrics, 200
models with 2,000 versions and model cards (some in PRODUCTION, some with open drift flags or a
pending promotion), 5,000 comments and 50,000 lifecycle events; counts scale with N. Written with
bulk inserts in one transaction. Prints {"scale","counts","admin":{"id","email","token"},"ms"} as one
JSON line; the ADMIN token is shown once.`,
  backup: `Usage: hub backup --out FILE

Writes a consistent copy of the SQLite database at DATABASE_URL to FILE (a new file) while hubs
keep serving and writing: the copy holds every write committed when it began. Prints
{"file","bytes"}. For PostgreSQL use pg_dump (README "Backups").`,
  restore: `Usage: hub restore FILE [--force]

Checks that FILE is an intact hub backup and puts it in place as the SQLite database at
DATABASE_URL. Refuses to replace an existing database without --force: stop every hub on it
first. Pending migrations are applied at the next start. Prints {"database","migrations"}.`,
  user: `Usage: hub user create --name NAME --email EMAIL --roles ROLE[,ROLE...] [--slack-id U123]

Roles: ${Object.values(Role).join(', ')}. Prints {"id": "...", "token": "..."}; the token is shown once.`,
  'service-account': `Usage: hub service-account create --name NAME --roles ROLE[,ROLE...] [--expires-in 90d]
       hub service-account rotate --name NAME [--expires-in 90d] [--grace 1h]
       hub service-account revoke --name NAME

A service account is a principal for a pipeline or a CI job: it acts under its roles with its own
tokens, events name it as the actor, and it never reviews a promotion.
create: prints {"id": "...", "token": "..."}; the token is shown once.
rotate: a new token, printed as {"id", "token", "retiring"}; the account's other tokens keep working
        for --grace (default 0: they stop now), so a pipeline can switch over.
revoke: revokes every token of the account; prints {"id": "...", "revoked": N}.
--expires-in: the token stops working after that long (s, m, h or d; default never).`,
  token: `Usage: hub token create --email EMAIL
       hub token revoke --email EMAIL

create: a new token for the user with that email; prints {"id": "...", "token": "..."}.
revoke: revokes every token of that user; prints {"id": "...", "revoked": N}.`,
  mlflow: `Usage: hub mlflow sync [--url URL] [--token TOKEN]

Reads every registered model of the MLflow tracking server at URL (default MLFLOW_TRACKING_URI;
the token defaults to MLFLOW_TRACKING_TOKEN) with its versions, their runs and experiments, and
mirrors what is new into the hub as the "MLflow bridge" user: a model under the goal its hub.goal
tag names (else "Needs triage"), a version with externalId mlflow:NAME/VERSION linked to its run.
Running it again changes nothing. Prints {"models","modelsCreated","versions","versionsCreated","errors"}.`,
  audit: `Usage: hub audit verify
       hub audit export --model NAME --version N --out DIR

verify: walks the tamper-evident chain of lifecycle events. Prints {"ok","checkedEvents",
"firstBrokenEventId","reason"} as one JSON line; exits 0 when the chain holds, 1 naming the first
event that was changed, deleted or inserted out of order.

export: writes DIR/audit.json and DIR/audit.html (self-contained, prints on A4) for version N of
model NAME: its frozen evidence and digest, lineage, promotion requests and reviews, drift flags,
feedback and every event about it with the chain check. Prints {"json","html"} as one JSON line.`,
  kpi: `Usage: hub kpi import --kpi ID --as EMAIL FILE.csv

Records the values of the KPI with global ID ID from FILE.csv, whose header is observedAt,value or
observedAt,value,sourceKey. All or nothing: a bad row is named by its line and nothing is written.
Values whose sourceKey the KPI already holds are skipped, so importing the same export again changes
nothing. Each value is credited to the model version in PRODUCTION at its observedAt. The values are
recorded by the user with email EMAIL, who must be allowed to record KPI values. Prints
{"kpi","recorded","skipped"} as one JSON line.`,
};

const SUBCOMMANDS: Record<string, readonly string[]> = {
  user: ['create'],
  token: ['create', 'revoke'],
  'service-account': ['create', 'rotate', 'revoke'],
  mlflow: ['sync'],
  audit: ['verify', 'export'],
  kpi: ['import'],
};

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Connects and applies pending migrations (unless `MIGRATE_ON_START=false`: then pending migrations
 * are refused, not applied); tells whether the database was new.
 */
async function openDatabase(config: Config, migrateNow = config.migrateOnStart): Promise<{ db: Database } & Migrated> {
  const db = await initOrm({ target: parseDatabaseUrl(config.databaseUrl), poolMax: config.dbPoolMax });
  try {
    if (migrateNow) return { db, ...(await migrate(db)) };
    const pending = await pendingMigrations(db);
    if (pending.length) throw new Error(`${pending.length} migration(s) pending and MIGRATE_ON_START=false: run "hub migrate" first`);
    return { db, applied: [], fresh: false };
  } catch (err) {
    await db.close();
    throw err;
  }
}

function printDemoUsers(users: DemoUser[], url?: string): void {
  print('Demo users (tokens are shown once; keep them):');
  for (const u of users) print(`  ${u.name.padEnd(16)} ${u.roles.join(',').padEnd(15)} ${u.token}`);
  if (url) {
    print('');
    print('Try:');
    print(`  curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${users[1].token}' \\`);
    print(`    -d '{"query":"{ goals { nodes { title models { nodes { name latestVersion { version stage } } } } } }"}'`);
  }
}

async function serve(config: Config): Promise<number> {
  const { db, fresh } = await openDatabase(config);
  const domain = new Domain(db, { policy: config.promotionPolicy });
  const demo = fresh && config.seedDemo ? await seedDemo(domain) : null;
  const bus = config.redisUrl
    ? await createRedisBus(config.redisUrl, {
        channel: config.redisChannel,
        subscriberBuffer: config.subscriberBuffer,
        events: eventSource(() => domain),
        lastEventId: await lastEventId(domain),
      })
    : undefined;
  // Fail fast while Redis is away: the limiter then counts in this process.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false }) : undefined;
  redis?.on('error', (err: Error) => log.warn(`redis rate limiter: ${err.message}`));
  const pointsPerMinute = config.rateLimitPointsPerMinute;
  const server = await startServer({
    db,
    bus,
    host: config.host,
    port: config.port,
    production: config.production,
    policy: config.promotionPolicy,
    outboxPollMs: config.outboxPollMs,
    wsAuthRecheckMs: config.wsAuthRecheckMs,
    slack: config.slack,
    shutdownGraceMs: config.shutdownGraceMs,
    webhooks: config.webhooks,
    mlflow: config.mlflow,
    deploymentGraceS: config.deploymentGraceS,
    metrics: { port: config.metricsPort, token: config.metricsToken },
    subscriberBuffer: config.subscriberBuffer,
    httpRequestTimeoutMs: config.httpRequestTimeoutMs,
    webSocketCaps: { subscriptionsPerSocket: config.wsMaxSubscriptionsPerSocket, socketsPerToken: config.wsMaxSocketsPerToken },
    maxConcurrentExecutions: config.maxConcurrentExecutions,
    queryPlanner: config.queryPlanner,
    limits: {
      maxDepth: config.maxQueryDepth,
      costBudget: config.queryCostBudget,
      pointsPerMinute,
      maxTokens: config.maxQueryTokens,
      maxAliases: config.maxQueryAliases,
      maxMutations: config.maxMutationsPerRequest,
      limiter: redis ? redisRateLimiter(redis, pointsPerMinute, config.redisChannel) : memoryRateLimiter(pointsPerMinute),
    },
  });
  // Listen for signals before saying where we listen: a supervisor may stop us right after.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal} received, shutting down`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  print(`ModelOps Hub is listening on ${server.url} (WebSocket ${server.wsUrl})`);
  if (server.metricsUrl) print(`Metrics on ${server.metricsUrl}`);
  if (config.slack)
    print(
      config.slack.appToken ? 'Slack bot connected through Socket Mode' : `Slack bot listening on ${server.url.replace(/graphql$/, 'slack/events')}`,
    );
  if (demo) printDemoUsers(demo, server.url);
  else if (await userService.anyUser(domain.as(null))) print('Need a token? npx hub token create --email <email>');
  else print('No users yet: npx hub user create --name "Ada" --email ada@example.com --roles ADMIN');
  await stopped;
  // Stop accepting, let in-flight requests finish, close sockets with 1001, flush the outbox. Work
  // still running at SHUTDOWN_GRACE_MS (a request whose client hung up while its query waits on a
  // lock, say) is abandoned: the process exits then rather than hang an orchestrator.
  const deadline = setTimeout(() => {
    log.warn(`shutdown: work still running after SHUTDOWN_GRACE_MS (${config.shutdownGraceMs} ms) is abandoned; exiting`);
    process.exit(1);
  }, config.shutdownGraceMs);
  deadline.unref();
  await server.close();
  await bus?.close();
  redis?.disconnect();
  await db.close();
  clearTimeout(deadline);
  log.info('shut down cleanly');
  return 0;
}

async function withDatabase(config: Config, fn: (domain: Domain, applied: string[]) => Promise<void>, migrateNow?: boolean): Promise<number> {
  const { db, applied } = await openDatabase(config, migrateNow);
  try {
    await fn(new Domain(db, { policy: config.promotionPolicy }), applied);
  } finally {
    await db.close();
  }
  return 0;
}

function parseRoles(value: string): Role[] {
  const roles = value
    .split(',')
    .map((r) => r.trim().toUpperCase())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(Object.values(Role) as string[]).includes(r));
  if (!roles.length || unknown.length) {
    throw new UsageError(
      `--roles takes a comma-separated list of ${Object.values(Role).join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  }
  return roles as Role[];
}

/** `hub service-account create|rotate|revoke`. */
async function serviceAccount(sub: string, args: string[], help: string): Promise<number> {
  const values = parse(args, {
    name: { type: 'string' },
    roles: { type: 'string' },
    'expires-in': { type: 'string' },
    grace: { type: 'string' },
  });
  if (values.help) return (print(help), 0);
  const name = required(values, 'name');
  const allowed = { create: ['roles', 'expires-in'], rotate: ['expires-in', 'grace'], revoke: [] }[sub] ?? [];
  const stray = ['roles', 'expires-in', 'grace'].find((o) => values[o as keyof typeof values] !== undefined && !allowed.includes(o));
  if (stray) throw new UsageError(`service-account ${sub} does not take --${stray}`);
  const expiresIn = values['expires-in'] === undefined ? undefined : duration('expires-in', values['expires-in']);
  const expiresAt = expiresIn === undefined ? null : new Date(Date.now() + expiresIn * 1000);
  if (sub === 'create') {
    const roles = parseRoles(required(values, 'roles'));
    return withDatabase(loadConfig(), async (domain) => {
      const { user, token } = await userService.createServiceAccount(domain.operator(Origin.CLI), { name, roles, expiresAt });
      print(JSON.stringify({ id: toGlobalId('User', user.id), token }));
    });
  }
  if (sub === 'rotate') {
    const graceSeconds = values.grace === undefined ? 0 : duration('grace', values.grace);
    return withDatabase(loadConfig(), async (domain) => {
      const { user, token, retiring } = await userService.rotateServiceAccountToken(domain.operator(Origin.CLI), name, { expiresAt, graceSeconds });
      print(JSON.stringify({ id: toGlobalId('User', user.id), token, retiring }));
    });
  }
  return withDatabase(loadConfig(), async (domain) => {
    const { user, revoked } = await userService.revokeTokens(domain.operator(Origin.CLI), serviceAccountEmail(name));
    print(JSON.stringify({ id: toGlobalId('User', user.id), revoked }));
  });
}

/** Runs one CLI invocation and returns the exit code: 0 done, 1 refused or failed, 2 wrong usage. */
export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      print(HELP.main);
      return command ? 0 : 2;
    }
    const remoteSubs = Object.hasOwn(REMOTE_SUBCOMMANDS, command) ? REMOTE_SUBCOMMANDS[command] : undefined;
    if (remoteSubs) {
      if (sub === undefined || sub === '--help' || sub === '-h') return (print(REMOTE_HELP[command]), sub === undefined ? 2 : 0);
      if (!remoteSubs.includes(sub)) throw new UsageError(`unknown subcommand "${command} ${sub}"; run "hub ${command} --help"`);
      return await remote(command, sub, rest);
    }
    const help = HELP[command];
    if (!help) throw new UsageError(`unknown command "${command}"; run "hub --help"`);
    const needsSub = Object.hasOwn(SUBCOMMANDS, command);
    if (needsSub && (sub === '--help' || sub === '-h' || sub === undefined)) {
      print(help);
      return sub === undefined ? 2 : 0;
    }
    if (needsSub && !SUBCOMMANDS[command].includes(sub)) throw new UsageError(`unknown subcommand "${command} ${sub}"; run "hub ${command} --help"`);
    const args = needsSub ? rest : [sub, ...rest].filter((a): a is string => a !== undefined);

    if (command === 'serve' || command === 'migrate') {
      if (parse(args, {}).help) return (print(help), 0);
      const config = loadConfig();
      setLogLevel(config.logLevel);
      if (command === 'serve') return await serve(config);
      return await withDatabase(
        config,
        async (_db, applied) => {
          for (const name of applied) print(`applied ${name}`);
          print(applied.length ? `${applied.length} migration(s) applied` : 'migrations are up to date');
        },
        true,
      );
    }
    if (command === 'backup') {
      const values = parse(args, { out: { type: 'string' } });
      if (values.help) return (print(help), 0);
      const out = resolve(required(values, 'out'));
      const config = loadConfig();
      const db = await initOrm({ target: parseDatabaseUrl(config.databaseUrl), poolMax: 1 });
      try {
        const { bytes } = await backupSqlite(db, out);
        print(JSON.stringify({ file: out, bytes }));
      } finally {
        await db.close();
      }
      return 0;
    }
    if (command === 'restore') {
      const { values, positionals } = parseWithFile(args, { force: { type: 'boolean' } });
      if (values.help) return (print(help), 0);
      if (positionals.length !== 1) throw new UsageError('restore takes one backup FILE');
      const target = parseDatabaseUrl(loadConfig().databaseUrl);
      if (target.dialect !== 'sqlite' || target.path === ':memory:')
        throw new UsageError('hub restore puts a SQLite file in place; for PostgreSQL use pg_restore (README "Backups")');
      const { migrations } = restoreSqlite(resolve(positionals[0]), target.path, Boolean(values.force));
      print(JSON.stringify({ database: target.path, migrations }));
      return 0;
    }
    if (command === 'seed') {
      const values = parse(args, { demo: { type: 'boolean' }, scale: { type: 'string' } });
      if (values.help) return (print(help), 0);
      if (values.demo && values.scale !== undefined) throw new UsageError('seed takes --demo or --scale N, not both');
      if (values.scale !== undefined) {
        const scale = Number(values.scale);
        if (!values.scale.trim() || !Number.isFinite(scale) || scale <= 0) throw new UsageError('--scale needs a positive number, e.g. 1 or 0.1');
        return await withDatabase(loadConfig(), async (domain) => print(JSON.stringify(await seedScale(domain.db, scale))));
      }
      if (!values.demo) throw new UsageError('seed needs --demo or --scale N');
      return await withDatabase(loadConfig(), async (domain) => printDemoUsers(await seedDemo(domain)));
    }
    if (command === 'mlflow') {
      const values = parse(args, { url: { type: 'string' }, token: { type: 'string' } });
      if (values.help) return (print(help), 0);
      const config = loadConfig();
      const url = values.url ?? config.mlflow?.url;
      if (!url || !/^https?:\/\/[^/]/.test(url)) throw new UsageError('mlflow sync needs --url http(s)://… or MLFLOW_TRACKING_URI');
      const client = new MlflowClient({ url, token: values.token ?? config.mlflow?.token ?? process.env.MLFLOW_TRACKING_TOKEN });
      let failed = false;
      await withDatabase(config, async (domain) => {
        const report = await syncMlflow(domain, client);
        print(JSON.stringify(report));
        failed = report.errors.length > 0;
      });
      return failed ? 1 : 0;
    }
    if (command === 'user') {
      const values = parse(args, { name: { type: 'string' }, email: { type: 'string' }, roles: { type: 'string' }, 'slack-id': { type: 'string' } });
      if (values.help) return (print(help), 0);
      const input = {
        name: required(values, 'name'),
        email: required(values, 'email'),
        roles: parseRoles(required(values, 'roles')),
        slackUserId: values['slack-id'] as string | undefined,
      };
      return await withDatabase(loadConfig(), async (domain) => {
        const { user, token } = await userService.create(domain.operator(Origin.CLI), input);
        print(JSON.stringify({ id: toGlobalId('User', user.id), token }));
      });
    }
    if (command === 'service-account') return await serviceAccount(sub, args, help);
    if (command === 'kpi') {
      const { values, positionals } = parseWithFile(args, { kpi: { type: 'string' }, as: { type: 'string' } });
      if (values.help) return (print(help), 0);
      const kpiId = required(values, 'kpi');
      const email = required(values, 'as');
      if (positionals.length !== 1) throw new UsageError('kpi import takes one FILE.csv');
      const file = positionals[0];
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
      }
      const rows = parseKpiCsv(text, file);
      return await withDatabase(loadConfig(), async (domain) => {
        const viewer = await userRepository.byEmail(domain.as(null), email);
        if (!viewer) throw new DomainError('NOT_FOUND', `There is no user with email ${email}.`);
        try {
          const { recorded, skipped } = await goalService.recordKpiValues(domain.as(viewer, Origin.CLI), { kpiId, values: rows });
          print(JSON.stringify({ kpi: kpiId, recorded, skipped }));
        } catch (err) {
          // The service names values[i]; the person at the terminal knows lines.
          const at = err instanceof DomainError ? /^values\[(\d+)\]/.exec(err.field ?? '') : null;
          if (at && err instanceof DomainError)
            throw new DomainError(err.code, `${file} line ${rows[Number(at[1])].line}: ${err.message}`, err.field);
          throw err;
        }
      });
    }
    if (command === 'audit' && sub === 'export') {
      const values = parse(args, { model: { type: 'string' }, version: { type: 'string' }, out: { type: 'string' } });
      if (values.help) return (print(help), 0);
      const name = required(values, 'model');
      const number = Number(required(values, 'version'));
      if (!Number.isInteger(number) || number < 1) throw new UsageError('--version needs a version number, e.g. 3');
      const dir = resolve(required(values, 'out'));
      return await withDatabase(loadConfig(), async (domain) => {
        const pack = await auditPackByName(domain.operator(), name, number);
        mkdirSync(dir, { recursive: true });
        const json = join(dir, 'audit.json');
        const html = join(dir, 'audit.html');
        writeFileSync(json, `${JSON.stringify(pack, null, 2)}\n`);
        writeFileSync(html, renderAuditHtml(pack));
        print(JSON.stringify({ json, html }));
      });
    }
    if (command === 'audit') {
      if (parse(args, {}).help) return (print(help), 0);
      let intact = false;
      await withDatabase(loadConfig(), async (domain) => {
        const result = await auditService.verify(domain.operator());
        intact = result.ok;
        print(JSON.stringify(result));
      });
      return intact ? 0 : 1;
    }
    const values = parse(args, { email: { type: 'string' } });
    if (values.help) return (print(help), 0);
    const email = required(values, 'email');
    if (sub === 'revoke') {
      return await withDatabase(loadConfig(), async (domain) => {
        const { user, revoked } = await userService.revokeTokens(domain.operator(Origin.CLI), email);
        print(JSON.stringify({ id: toGlobalId('User', user.id), revoked }));
      });
    }
    return await withDatabase(loadConfig(), async (domain) => {
      const { user, token } = await userService.createToken(domain.operator(Origin.CLI), email, 'hub token create');
      print(JSON.stringify({ id: toGlobalId('User', user.id), token }));
    });
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`hub: ${err.message}\n`);
      return 2;
    }
    if (err instanceof DomainError || err instanceof RemoteError || err instanceof BackupError) {
      process.stderr.write(`hub: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`hub: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
