import { resolve } from 'node:path';
import { loadPromotionPolicy, PolicyError, type PromotionPolicy } from './domain/promotion/promotion-policy';

/** Every setting's default, written once: `loadConfig` and every component that takes the setting use these. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4000,
  databaseUrl: 'sqlite:./data/hub.sqlite',
  dbPoolMax: 10,
  logLevel: 'info',
  redisChannel: 'modelops-hub:lifecycle-events',
  outboxPollMs: 500,
  wsAuthRecheckMs: 10_000,
  slackCommand: '/mlops',
  slackMinIntervalMs: 1000,
  maxQueryDepth: 12,
  queryCostBudget: 10_000,
  maxQueryTokens: 5_000,
  maxQueryAliases: 50,
  maxMutationsPerRequest: 20,
  rateLimitPointsPerMinute: 10_000_000,
  shutdownGraceMs: 10_000,
  deploymentGraceS: 86_400,
  webhookTimeoutMs: 10_000,
  webhookMaxAttempts: 15,
  mlflowSyncIntervalS: 300,
  mlflowAliasProduction: 'champion',
  mlflowAliasStaging: 'challenger',
  slackDeliveryRetentionDays: 7,
  subscriberBuffer: 1000,
  httpRequestTimeoutMs: 30_000,
  wsMaxSubscriptionsPerSocket: 20,
  wsMaxSocketsPerToken: 10,
  maxConcurrentExecutions: 2,
} as const;

/** Where the hub keeps its data and how it listens. Every setting is an environment variable. */
export interface Config {
  /** `HOST`, default `127.0.0.1`. */
  host: string;
  /** `PORT`, default `4000`; `0` picks a free port. */
  port: number;
  /** `DATABASE_URL`, default `sqlite:./data/hub.sqlite`. */
  databaseUrl: string;
  /** `DB_POOL_MAX`, PostgreSQL connection pool size, default `10`. */
  dbPoolMax: number;
  /** `NODE_ENV=production` hides introspection and stack traces. */
  production: boolean;
  /** `LOG_LEVEL`: `debug`, `info` (default), `warn`, `error` or `silent`. */
  logLevel: LogLevel;
  /** `SEED_DEMO`: seed demo data into a new database on start (default `true` for SQLite, `false` for PostgreSQL). */
  seedDemo: boolean;
  /** `PROMOTION_POLICY` (JSON) or `PROMOTION_POLICY_FILE`: roles that must approve each target stage. */
  promotionPolicy: PromotionPolicy;
  /** `REDIS_URL`: share the live feed between hub instances through Redis (default: in-process only). */
  redisUrl: string | undefined;
  /** `REDIS_CHANNEL`, default `modelops-hub:lifecycle-events`: one per deployment sharing a Redis. */
  redisChannel: string;
  /** `OUTBOX_POLL_MS`, default `500`: how often the relay looks for events committed by other instances. */
  outboxPollMs: number;
  /** `WS_AUTH_RECHECK_MS`, default `10000`: how often a WebSocket's token is checked again. */
  wsAuthRecheckMs: number;
  /** The Slack bot, when `SLACK_SIGNING_SECRET` and `SLACK_BOT_TOKEN` are both set. */
  slack: SlackConfig | undefined;
  /** `MAX_QUERY_DEPTH`, default `12`. */
  maxQueryDepth: number;
  /** `QUERY_COST_BUDGET`, default `10000`: the most objects one query may ask for. */
  queryCostBudget: number;
  /** `MAX_QUERY_TOKENS`, default `5000`: a longer document is refused while it is parsed. */
  maxQueryTokens: number;
  /** `MAX_QUERY_ALIASES`, default `50`: aliased fields in one document, refused before validation. */
  maxQueryAliases: number;
  /** `MAX_MUTATIONS_PER_REQUEST`, default `20`: root mutation fields in one operation (each its own transaction). */
  maxMutationsPerRequest: number;
  /** `RATE_LIMIT_POINTS_PER_MINUTE`, default `10000000`; `0` turns it off. Shared through Redis when `REDIS_URL` is set. */
  rateLimitPointsPerMinute: number;
  /** `SHUTDOWN_GRACE_MS`, default `10000`: how long SIGTERM waits for in-flight work before closing. */
  shutdownGraceMs: number;
  /** `DEPLOYMENT_GRACE_S`, default `86400`: how long a PRODUCTION version may go without a successful deployment before it shows as not deployed. */
  deploymentGraceS: number;
  /** Webhook deliveries. */
  webhooks: {
    /** `WEBHOOK_ALLOW_PRIVATE`, default `false`: let webhooks target private, loopback and link-local addresses. */
    allowPrivate: boolean;
    /** `WEBHOOK_TIMEOUT_MS`, default `10000`: how long one delivery attempt may take. */
    timeoutMs: number;
    /** `WEBHOOK_MAX_ATTEMPTS`, default `15`: attempts (backing off from 1 s to an hour) before a delivery is FAILED. */
    maxAttempts: number;
  };
  /** `METRICS_PORT`: serve `/metrics` on this port of `HOST` (no token; keep it private). Unset: not on a port of its own. */
  metricsPort: number | undefined;
  /** `METRICS_TOKEN`: serve `/metrics` on the hub's port to `Authorization: Bearer <token>`. Unset: not there. */
  metricsToken: string | undefined;
  /** `MIGRATE_ON_START`, default `true`: every command but `hub migrate` applies pending migrations first; `false` refuses to start with any pending. */
  migrateOnStart: boolean;
  /** `SUBSCRIBER_BUFFER`, default `1000`: events one live subscriber may fall behind before its socket is closed with 4503. */
  subscriberBuffer: number;
  /** `HTTP_REQUEST_TIMEOUT_MS`, default `30000`: a request's headers and body must arrive within it, else 408. */
  httpRequestTimeoutMs: number;
  /** `WS_MAX_SUBSCRIPTIONS_PER_SOCKET`, default `20`: live subscriptions one WebSocket may hold. */
  wsMaxSubscriptionsPerSocket: number;
  /** `WS_MAX_SOCKETS_PER_TOKEN`, default `10`: WebSockets open at once with one token, per instance (the next is closed with 4290). */
  wsMaxSocketsPerToken: number;
  /** `MAX_CONCURRENT_EXECUTIONS`, default `2`: GraphQL operations over HTTP that execute at once; the rest wait in arrival order (cheap ones never wait). */
  maxConcurrentExecutions: number;
  /**
   * `QUERY_PLANNER`: queries the planner knows (the dashboard's) are answered by one SQL statement;
   * `false` runs every query through the resolvers. Unset: on, except for SQLite in memory, which has
   * no read worker (its statement would hold the event loop for its whole length).
   */
  queryPlanner: boolean | undefined;
  /** The MLflow bridge, when `MLFLOW_TRACKING_URI` is set. */
  mlflow: MlflowConfig | undefined;
}

export interface MlflowConfig {
  /** `MLFLOW_TRACKING_URI`: the tracking server, e.g. `http://mlflow:5000`. */
  url: string;
  /** `MLFLOW_TRACKING_TOKEN`: a bearer token for it, if it asks for one. */
  token?: string;
  /** `MLFLOW_SYNC_INTERVAL_S`, default `300`; `0` turns the periodic sync off (decisions are still written back). */
  syncIntervalS: number;
  /** `MLFLOW_ALIAS_PRODUCTION` (default `champion`) and `MLFLOW_ALIAS_STAGING` (default `challenger`). */
  aliases: { production: string; staging: string };
}

export interface SlackConfig {
  signingSecret: string;
  botToken: string;
  /** `SLACK_API_URL`: the Web API base URL (default Slack's own). */
  apiUrl?: string;
  /** `SLACK_APP_TOKEN`: use Socket Mode instead of POST /slack/events. */
  appToken?: string;
  /** `SLACK_COMMAND`, default `/mlops`. */
  command: string;
  /** `SLACK_MIN_INTERVAL_MS` and `SLACK_DELIVERY_RETENTION_DAYS` (default 7: sent and failed messages are then deleted). */
  notifier: { minIntervalMs: number; retentionMs: number };
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export class ConfigError extends Error {}

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgresql'; url: string; schema?: string };

/** Parses `sqlite:<path>`, `sqlite::memory:`, `postgres://…` and `postgresql://…`. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url === 'sqlite::memory:' || url === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError('DATABASE_URL: sqlite: needs a path, e.g. sqlite:./data/hub.sqlite');
    return { dialect: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL: not a valid postgres:// URL');
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { dialect: 'postgresql', url: parsed.toString(), schema };
  }
  throw new ConfigError('DATABASE_URL must start with sqlite:, postgres:// or postgresql://');
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function slack(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  const { SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: botToken } = env;
  if (!signingSecret && !botToken) return undefined;
  if (!signingSecret || !botToken) throw new ConfigError('Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN');
  const command = env.SLACK_COMMAND || DEFAULTS.slackCommand;
  if (!/^\/[a-z0-9_-]+$/.test(command)) throw new ConfigError('SLACK_COMMAND must look like /mlops');
  if (env.SLACK_API_URL && !/^https?:\/\//.test(env.SLACK_API_URL)) throw new ConfigError('SLACK_API_URL must be an http(s) URL');
  return {
    signingSecret,
    botToken,
    apiUrl: env.SLACK_API_URL || undefined,
    appToken: env.SLACK_APP_TOKEN || undefined,
    command,
    notifier: {
      minIntervalMs: int(env, 'SLACK_MIN_INTERVAL_MS', DEFAULTS.slackMinIntervalMs, 0, 60_000),
      retentionMs: int(env, 'SLACK_DELIVERY_RETENTION_DAYS', DEFAULTS.slackDeliveryRetentionDays, 1, 3650) * 24 * 60 * 60 * 1000,
    },
  };
}

/** MLflow's rule for aliases: letters, digits, `_` and `-`, not `latest` nor `v<number>` (those name versions). */
const MLFLOW_ALIAS = /^(?!latest$)(?!v\d+$)[A-Za-z0-9_-]{1,255}$/;

function mlflow(env: NodeJS.ProcessEnv): MlflowConfig | undefined {
  const url = env.MLFLOW_TRACKING_URI;
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]/.test(url)) throw new ConfigError('MLFLOW_TRACKING_URI must be an http(s) URL, e.g. http://mlflow:5000');
  const alias = (name: string, fallback: string) => {
    const value = env[name] || fallback;
    if (!MLFLOW_ALIAS.test(value)) throw new ConfigError(`${name} must be letters, digits, _ and - (not "latest" or v<number>), got "${value}"`);
    return value;
  };
  return {
    url,
    token: env.MLFLOW_TRACKING_TOKEN || undefined,
    syncIntervalS: int(env, 'MLFLOW_SYNC_INTERVAL_S', DEFAULTS.mlflowSyncIntervalS, 0, 86_400),
    aliases: {
      production: alias('MLFLOW_ALIAS_PRODUCTION', DEFAULTS.mlflowAliasProduction),
      staging: alias('MLFLOW_ALIAS_STAGING', DEFAULTS.mlflowAliasStaging),
    },
  };
}

function redisUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  return url;
}

function metricsToken(token: string | undefined): string | undefined {
  if (!token) return undefined;
  if (token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return token;
}

function policy(env: NodeJS.ProcessEnv): PromotionPolicy {
  try {
    return loadPromotionPolicy(env);
  } catch (err) {
    if (err instanceof PolicyError) throw new ConfigError(err.message);
    throw err;
  }
}

/** Reads and validates the whole configuration; throws `ConfigError` with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || DEFAULTS.databaseUrl;
  const target = parseDatabaseUrl(databaseUrl);
  const logLevel = (env.LOG_LEVEL || DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    host: env.HOST || DEFAULTS.host,
    port: int(env, 'PORT', DEFAULTS.port, 0, 65535),
    databaseUrl,
    dbPoolMax: int(env, 'DB_POOL_MAX', DEFAULTS.dbPoolMax, 1, 1000),
    production: env.NODE_ENV === 'production',
    logLevel,
    seedDemo: bool(env, 'SEED_DEMO', target.dialect === 'sqlite' && env.NODE_ENV !== 'production'),
    promotionPolicy: policy(env),
    redisUrl: redisUrl(env.REDIS_URL),
    redisChannel: env.REDIS_CHANNEL || DEFAULTS.redisChannel,
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', DEFAULTS.outboxPollMs, 10, 60_000),
    wsAuthRecheckMs: int(env, 'WS_AUTH_RECHECK_MS', DEFAULTS.wsAuthRecheckMs, 100, 3_600_000),
    slack: slack(env),
    maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', DEFAULTS.maxQueryDepth, 1, 1000),
    queryCostBudget: int(env, 'QUERY_COST_BUDGET', DEFAULTS.queryCostBudget, 1, 100_000_000),
    maxQueryTokens: int(env, 'MAX_QUERY_TOKENS', DEFAULTS.maxQueryTokens, 100, 1_000_000),
    maxQueryAliases: int(env, 'MAX_QUERY_ALIASES', DEFAULTS.maxQueryAliases, 0, 100_000),
    maxMutationsPerRequest: int(env, 'MAX_MUTATIONS_PER_REQUEST', DEFAULTS.maxMutationsPerRequest, 1, 1000),
    rateLimitPointsPerMinute: int(env, 'RATE_LIMIT_POINTS_PER_MINUTE', DEFAULTS.rateLimitPointsPerMinute, 0, 1_000_000_000),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', DEFAULTS.shutdownGraceMs, 0, 600_000),
    deploymentGraceS: int(env, 'DEPLOYMENT_GRACE_S', DEFAULTS.deploymentGraceS, 1, 31_536_000),
    webhooks: {
      allowPrivate: bool(env, 'WEBHOOK_ALLOW_PRIVATE', false),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', DEFAULTS.webhookTimeoutMs, 100, 120_000),
      maxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', DEFAULTS.webhookMaxAttempts, 1, 100),
    },
    mlflow: mlflow(env),
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 0, 65535) : undefined,
    metricsToken: metricsToken(env.METRICS_TOKEN),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    subscriberBuffer: int(env, 'SUBSCRIBER_BUFFER', DEFAULTS.subscriberBuffer, 1, 1_000_000),
    httpRequestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', DEFAULTS.httpRequestTimeoutMs, 1_000, 600_000),
    wsMaxSubscriptionsPerSocket: int(env, 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET', DEFAULTS.wsMaxSubscriptionsPerSocket, 1, 10_000),
    wsMaxSocketsPerToken: int(env, 'WS_MAX_SOCKETS_PER_TOKEN', DEFAULTS.wsMaxSocketsPerToken, 1, 100_000),
    maxConcurrentExecutions: int(env, 'MAX_CONCURRENT_EXECUTIONS', DEFAULTS.maxConcurrentExecutions, 1, 1_000),
    queryPlanner: env.QUERY_PLANNER === undefined || env.QUERY_PLANNER === '' ? undefined : bool(env, 'QUERY_PLANNER', false),
  };
}
