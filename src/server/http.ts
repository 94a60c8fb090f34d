import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createSlackBot, type SlackBot, type SlackSettings } from '../../bots/slack/app';
import { DEFAULTS } from '../config';
import { isReady, type Database } from '../db/orm';
import type { Viewer } from '../domain/context';
import { Domain } from '../domain/domain';
import type { PromotionPolicy } from '../domain/promotion/promotion-policy';
import { createInProcessBus, type EventBus } from '../events/bus';
import { OutboxRelay } from '../events/outbox-relay';
import { WebhookSender, type WebhookSettings } from '../events/webhook-sender';
import { createContext, type ContextShared, type GraphQLContext } from '../graphql/context';
import { createFormatError } from '../graphql/errors';
import { DEFAULT_LIMITS, parseWithinLimits } from '../graphql/limits';
import { compiledExecution, Lru } from '../graphql/executor';
import { queryPlanner } from '../graphql/planner';
import { checkOperation, limitsPlugin, operationCost, type LimitOptions } from '../graphql/limits.plugin';
import { RECORD_PROTOTYPES } from '../graphql/modules';
import { memoryRateLimiter, rateLimited } from '../graphql/rate-limit';
import { buildSchema } from '../graphql/schema';
import { querySources, sharedSubscribe } from '../graphql/shared-subscribe';
import { eventRepository } from '../domain/event/event.repository';
import { slackRepository } from '../domain/slack/slack.repository';
import { annotateRequest, log } from '../logger';
import { addScrapeSource, wsConnections, wsSubscriptions } from '../metrics';
import { MlflowBridge, type MlflowSettings } from '../mlflow/bridge';
import { faultCounts, guarded } from '../faults';
import { authenticate, bearerToken, cachedAuthenticator, unauthenticatedError } from './auth';
import { mountAuditRoute } from './audit-route';
import { mountDashboard } from './dashboard';
import { countOperation, metricsRoute, observePlugin, requestLogging, requestScope, startMetricsServer } from './observe';

/** What a WebSocket keeps: its user, the token re-check, an id for its log lines, its subscriptions. */
export interface ServerOptions {
  db: Database;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Turns off introspection and field suggestions. */
  production?: boolean;
  /** A schema built once and shared (tests start many servers). */
  schema?: GraphQLSchema;
  /** Where committed events are published; default: an in-process bus that the server closes. A given bus is the caller's to close. */
  bus?: EventBus;
  /** Default `DEFAULT_PROMOTION_POLICY`. */
  policy?: PromotionPolicy;
  /** The outbox relay's poll interval (default `OUTBOX_POLL_MS`'s). */
  outboxPollMs?: number;
  /** How often a WebSocket's token is checked again (default `WS_AUTH_RECHECK_MS`'s); a revoked token closes the socket. */
  wsAuthRecheckMs?: number;
  /** Enables the Slack bot on POST /slack/events (or Socket Mode). */
  slack?: SlackSettings;
  /** Depth and cost limits and the per-token rate (defaults: `MAX_QUERY_DEPTH`, `QUERY_COST_BUDGET`, `RATE_LIMIT_POINTS_PER_MINUTE`, in memory). */
  limits?: Partial<LimitOptions>;
  /** How long a PRODUCTION version may go without a successful deployment before it shows as not deployed (default `DEPLOYMENT_GRACE_S`'s). */
  deploymentGraceS?: number;
  /** How long shutdown may take in all (default `SHUTDOWN_GRACE_MS`'s); in-flight requests get it less the outbox flush's 2 s. */
  shutdownGraceMs?: number;
  /** Webhook delivery (defaults: `WEBHOOK_ALLOW_PRIVATE`, `WEBHOOK_TIMEOUT_MS`, `WEBHOOK_MAX_ATTEMPTS`). */
  webhooks?: WebhookSettings;
  /** Enables the MLflow bridge: periodic sync and decisions written back. */
  mlflow?: MlflowSettings;
  /** Prometheus text at `/metrics`: on its own port (`METRICS_PORT`), or on the hub's port for a bearer token (`METRICS_TOKEN`); off without either. */
  metrics?: { port?: number; token?: string };
  /** Events a live subscriber may fall behind on the default bus (default `SUBSCRIBER_BUFFER`'s). */
  subscriberBuffer?: number;
  /** How long a request's headers and body may take to arrive (default `HTTP_REQUEST_TIMEOUT_MS`'s). */
  httpRequestTimeoutMs?: number;
  /** Defaults: `WS_MAX_SUBSCRIPTIONS_PER_SOCKET`'s and `WS_MAX_SOCKETS_PER_TOKEN`'s. */
  webSocketCaps?: { subscriptionsPerSocket?: number; socketsPerToken?: number };
  /** GraphQL operations over HTTP that execute at once (default `MAX_CONCURRENT_EXECUTIONS`'s). */
  maxConcurrentExecutions?: number;
  /** Whether the queries the planner knows are answered by one statement (`QUERY_PLANNER`; default: with PostgreSQL, and SQLite in a file). */
  queryPlanner?: boolean;
}

export interface HubServer {
  url: string;
  wsUrl: string;
  port: number;
  http: Server;
  relay: OutboxRelay;
  webhooks: WebhookSender;
  mlflow: MlflowBridge | null;
  slack: SlackBot | null;
  /** Where `/metrics` is served on its own port, if it is. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** How long shutdown waits for the outbox relay to publish what is left. */
const FLUSH_TIMEOUT_MS = 2_000;

/** The close code of a socket whose subscriber fell a whole `SUBSCRIBER_BUFFER` behind (README "Live updates"). */
export const SLOW_SUBSCRIBER_CLOSE = 4503;

/** The close code of a socket opened past `WS_MAX_SOCKETS_PER_TOKEN` (README "Live updates"). */
export const TOO_MANY_SOCKETS_CLOSE = 4290;

/** How long an idle keep-alive connection stays open. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** How long a WebSocket may act on a token's roles and validity as last read. */
const WS_AUTH_CACHE_MS = 1_000;

type SocketState = {
  authorization?: unknown;
  viewer?: Viewer;
  recheck?: NodeJS.Timeout;
  /** Names the socket in logs. */
  connectionId?: string;
  /** The token counted against `WS_MAX_SOCKETS_PER_TOKEN`, once the socket is accepted. */
  token?: string;
  /** Ids of the live subscriptions on this socket. */
  subscriptions?: Set<string>;
  /** Each live subscription's cost: charged again for every event it receives. */
  costs?: Map<string, number>;
};

/** Largest request body accepted on /graphql. */
const MAX_BODY = '1mb';

/** Operations estimated at most this cost (a viewer query, one page of a list) execute at once, however busy the hub. */
const LIGHT_OPERATION_COST = 100;

/** Characters of query documents kept compiled by graphql-jit: about 170 bytes each, so about 45 MB at most. */
const COMPILED_SOURCE = 256 * 1024;

/** Characters of WebSocket operation documents kept parsed and validated, least recently used dropped first. */
const VALID_DOCUMENT_SOURCE = 256 * 1024;

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/**
 * Whether the client prefers `application/graphql-response+json` to the legacy `application/json`
 * (Apollo answers a tie, or no Accept, with the legacy type): the most specific matching range's q.
 */
export function wantsGraphQLResponseJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { range, q: q ? Number(q.slice(2)) || 0 : 1 };
  });
  const quality = (type: string) => {
    const match = [type, 'application/*', '*/*'].map((r) => ranges.find((x) => x.range === r)).find(Boolean);
    return match ? match.q : 0;
  };
  return quality(GRAPHQL_RESPONSE_JSON) > quality('application/json');
}

/**
 * GraphQL over HTTP: with the legacy `application/json`, a well-formed request that fails to
 * parse, validate or coerce is answered 200 (the errors say why); 400 stays for
 * `application/graphql-response+json`.
 */
const legacyJsonStatusPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart({ request }) {
    return {
      async willSendResponse({ response }) {
        if (response.http.status !== 400 || response.body.kind !== 'single' || response.body.singleResult.data) return;
        // A malformed request (no query string, say) is not well-formed: it stays 400.
        if (response.body.singleResult.errors?.some((e) => e.extensions?.code === ApolloServerErrorCode.BAD_REQUEST)) return;
        if (!wantsGraphQLResponseJson(request.http?.headers.get('accept'))) response.http.status = 200;
      },
    };
  },
};

/** One HTTP server: GraphQL over HTTP and WebSocket on /graphql, health probes beside it. */
export async function startServer(options: ServerOptions): Promise<HubServer> {
  const { db, host = DEFAULTS.host, port = DEFAULTS.port, production = false } = options;
  const schema = options.schema ?? (await buildSchema());
  const deploymentGraceMs = (options.deploymentGraceS ?? DEFAULTS.deploymentGraceS) * 1000;
  const domain = new Domain(db, {
    policy: options.policy,
    prototypes: RECORD_PROTOTYPES,
    deploymentGraceMs,
    allowPrivateTargets: options.webhooks?.allowPrivate,
  });
  const bus = options.bus ?? createInProcessBus({ subscriberBuffer: options.subscriberBuffer ?? DEFAULTS.subscriberBuffer });
  const shared: ContextShared = { domain, bus };
  const relay = new OutboxRelay(domain, bus, { pollMs: options.outboxPollMs ?? DEFAULTS.outboxPollMs });
  relay.start();
  const webhooks = new WebhookSender(domain, options.webhooks);
  webhooks.start();
  const mlflow = options.mlflow ? new MlflowBridge(domain, options.mlflow) : null;
  mlflow?.start();
  const wsAuthRecheckMs = options.wsAuthRecheckMs ?? DEFAULTS.wsAuthRecheckMs;
  const pointsPerMinute = options.limits?.pointsPerMinute ?? DEFAULTS.rateLimitPointsPerMinute;
  const limits: LimitOptions = {
    ...DEFAULT_LIMITS,
    limiter: memoryRateLimiter(pointsPerMinute),
    ...options.limits,
    pointsPerMinute,
  };
  const checkLimits = checkOperation(schema, limits);

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging());
  // Slow clients are cut off: headers and the whole body within the request timeout (checked every
  // second), idle keep-alive connections after 5 s.
  const requestTimeout = options.httpRequestTimeoutMs ?? DEFAULTS.httpRequestTimeoutMs;
  const httpServer = createServer(
    {
      requestTimeout,
      headersTimeout: requestTimeout,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: 1_000,
    },
    app,
  );
  const untrackMetrics = addScrapeSource({
    outbox: () => eventRepository.outboxStats(domain.reader),
    deliveryQueue: () => slackRepository.queueStats(domain.reader),
    pool: () => db.poolStats(),
  });
  if (options.metrics?.token) app.get('/metrics', metricsRoute(options.metrics.token));
  const metricsServer = options.metrics?.port !== undefined ? await startMetricsServer(host, options.metrics.port) : undefined;

  app.get('/healthz', (_req, res) => void res.status(200).json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const ready = await isReady(db);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable', faults: faultCounts() });
  });

  mountAuditRoute(app, domain);
  await mountDashboard(app, production);
  const slack = options.slack ? await createSlackBot(options.slack, domain, app) : null;

  const formatError = createFormatError(production);
  const format = (err: GraphQLError) => formatError(err.toJSON(), err);
  /** graphql-ws wants GraphQLError instances back from its hooks, not formatted objects. */
  const asErrors = (errors: readonly GraphQLError[]) =>
    errors.map((err) => {
      const shaped = format(err);
      return new GraphQLError(shaped.message, { extensions: shaped.extensions });
    });
  const wsRules = production ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  const validDocuments = new Lru<DocumentNode>(VALID_DOCUMENT_SOURCE);

  const subscriptionsPerSocket = options.webSocketCaps?.subscriptionsPerSocket ?? DEFAULTS.wsMaxSubscriptionsPerSocket;
  const socketsPerToken = options.webSocketCaps?.socketsPerToken ?? DEFAULTS.wsMaxSocketsPerToken;
  const openSockets = new Map<string, number>();
  const currentViewer = cachedAuthenticator(domain, WS_AUTH_CACHE_MS);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>, SocketState>(
    {
      schema,
      // Authenticate the socket, then every operation again (roles and validity as of the last
      // second); a timer also closes the socket of a revoked token that runs nothing.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const viewer = await authenticate(domain, authorization).catch((err: Error) => {
          // E.g. the database is down: say nothing about it to the client (graphql-ws closes with 4500).
          log.error({ err }, 'could not authenticate a WebSocket');
          throw new Error('Internal server error');
        });
        if (!viewer) return false;
        // The socket may have closed while we looked the token up: then there is nothing to watch.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        const token = bearerToken(authorization)!;
        const open = openSockets.get(token) ?? 0;
        if (open >= socketsPerToken) {
          ctx.extra.socket.close(TOO_MANY_SOCKETS_CLOSE, `Too many sockets for this token (at most ${socketsPerToken})`);
          return false;
        }
        openSockets.set(token, open + 1);
        ctx.extra.token = token;
        ctx.extra.authorization = authorization;
        ctx.extra.viewer = viewer;
        ctx.extra.connectionId = randomUUID();
        ctx.extra.subscriptions = new Set();
        wsConnections.inc();
        log.info({ connectionId: ctx.extra.connectionId, userId: viewer.id }, 'websocket connected');
        ctx.extra.recheck = setInterval(
          // Through the one-second cache: sockets sharing a token share one lookup, not one each.
          guarded('websocket auth recheck', async () => {
            if (!(await currentViewer(authorization).catch(() => viewer))) ctx.extra.socket.close(4403, 'Forbidden');
          }),
          wsAuthRecheckMs,
        );
        ctx.extra.recheck.unref();
        return true;
      },
      onClose: (ctx, code) => {
        clearInterval(ctx.extra.recheck);
        const { token } = ctx.extra;
        if (token !== undefined) {
          const left = (openSockets.get(token) ?? 1) - 1;
          if (left > 0) openSockets.set(token, left);
          else openSockets.delete(token);
        }
        if (!ctx.extra.connectionId) return;
        wsConnections.dec();
        log.info({ connectionId: ctx.extra.connectionId, code }, 'websocket closed');
      },
      onComplete: (ctx, id) => {
        if (ctx.extra.subscriptions?.delete(id)) wsSubscriptions.dec();
        ctx.extra.costs?.delete(id);
      },
      // Errors over the socket are shaped exactly as over HTTP: codes kept, internals masked.
      // A validation error (no cause, no code) is the client's, as GRAPHQL_VALIDATION_FAILED over HTTP.
      onError: (ctx, id, _payload, errors) => {
        ctx.extra.subscriptions?.delete(id);
        ctx.extra.costs?.delete(id);
        return errors.map((err) =>
          format(
            err.originalError || err.extensions.code
              ? err
              : new GraphQLError(err.message, {
                  nodes: err.nodes,
                  extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
                }),
          ),
        );
      },
      // A subscription spends its cost again on every event; out of points, it gets RATE_LIMITED and ends.
      // Without a rate limit nothing is awaited: this runs once per subscriber per event.
      onNext: (ctx, id, _payload, _args, result) => {
        const formatted = () => (result.errors ? { ...result, errors: result.errors.map(format) } : undefined);
        const cost = ctx.extra.costs?.get(id);
        const { limiter } = limits;
        if (cost === undefined || !limiter || limits.pointsPerMinute <= 0) return formatted();
        return limiter.take(`user:${ctx.extra.viewer!.id}`, Math.max(1, cost)).then(({ allowed, retryAfterSeconds }) => {
          if (allowed) return formatted();
          ctx.extra.costs?.delete(id);
          void (ctx.subscriptions[id] as AsyncGenerator | null | undefined)?.return?.(undefined);
          return { errors: [format(rateLimited(retryAfterSeconds, limits.pointsPerMinute))] };
        });
      },
      // Parsing, validation (introspection off in production) and the same depth, cost and rate
      // limits as over HTTP, before the subscription starts; a refusal ends that operation only.
      onSubscribe: async (ctx, id, payload) => {
        const viewer = await currentViewer(ctx.extra.authorization).catch((err: Error) => {
          log.error({ err }, 'could not authenticate a WebSocket operation');
          throw new Error('Internal server error');
        });
        if (!viewer) {
          ctx.extra.socket.close(4403, 'Forbidden');
          return asErrors([unauthenticatedError()]);
        }
        ctx.extra.viewer = viewer;
        // Subscribers sending the same document share its parse and validation (as Apollo's
        // document store does over HTTP): 0.3 ms and ~15 KB each for the live feed's.
        let document = validDocuments.get(payload.query);
        if (!document) {
          try {
            document = parseWithinLimits(payload.query, limits);
          } catch (err) {
            return asErrors([err as GraphQLError]);
          }
          const invalid = validate(schema, document, wsRules);
          if (invalid.length) {
            return asErrors(
              invalid.map(
                (err) => new GraphQLError(err.message, { nodes: err.nodes, extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED } }),
              ),
            );
          }
          validDocuments.set(payload.query, document, payload.query.length);
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return undefined;
        const report = { operation: payload.operationName ?? operation.name?.value, type: operation.operation };
        const requestId = `${ctx.extra.connectionId}/${id}`;
        let cost: number;
        try {
          cost = await checkLimits(document, operation, payload.variables ?? {}, viewer.id);
        } catch (err) {
          const errors = asErrors([err as GraphQLError]);
          const errorCodes = errors.map((e) => String(e.extensions.code));
          countOperation({ ...report, errorCodes });
          log.info({ requestId, ...report, errorCodes }, `websocket ${report.type} refused`);
          return errors;
        }
        if (operation.operation === 'subscription') {
          const live = (ctx.extra.subscriptions ??= new Set());
          if (live.size >= subscriptionsPerSocket) {
            return asErrors([
              new GraphQLError(
                `This socket has ${subscriptionsPerSocket} live subscriptions, the most one may hold; complete one or open another socket.`,
                {
                  extensions: { code: 'BAD_USER_INPUT', maxSubscriptions: subscriptionsPerSocket },
                },
              ),
            ]);
          }
          live.add(id);
          (ctx.extra.costs ??= new Map()).set(id, cost);
          wsSubscriptions.inc();
        }
        countOperation({ ...report, errorCodes: [], cost });
        log.info({ requestId, ...report, cost }, `websocket ${report.type}`);
        // Parsed and validated once, here: graphql-ws runs these arguments as they are.
        querySources.set(document, payload.query);
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      // Subscribers of one event with the same operation, variables and viewer share its execution.
      subscribe: sharedSubscribe,
      // Each subscription gets its own context (fresh EntityManager), each event's execution fresh loaders.
      context: (ctx): GraphQLContext => ({
        ...createContext(shared, ctx.extra.viewer!),
        dropSlowSubscriber: () => ctx.extra.socket.close(SLOW_SUBSCRIBER_CLOSE, 'Subscriber too slow'),
      }),
    },
    wsServer,
  );

  // SQLite in memory has no read worker: one statement building a whole dashboard would hold every other client (and Slack's acknowledgements) for its length.
  const plan = options.queryPlanner ?? (domain.reader.dialect === 'postgresql' || domain.reader.readWorker !== undefined);
  const planner = plan ? queryPlanner(schema, domain.reader) : undefined;
  const apollo = new ApolloServer<GraphQLContext>({
    gateway: compiledExecution(schema, {
      concurrency: options.maxConcurrentExecutions ?? DEFAULTS.maxConcurrentExecutions,
      lightCost: LIGHT_OPERATION_COST,
      compiledSource: COMPILED_SOURCE,
      costOf: operationCost,
      plan: planner ? (request) => planner(request, (request.context as GraphQLContext).reader) : undefined,
    }),
    formatError,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // Automatic persisted queries are not offered: every request carries its document.
    persistedQueries: false,
    // Credentials are bearer tokens, which a browser never attaches on its own, so cross-site
    // requests cannot act as anyone; Apollo's CSRF guard would only stop plain `curl` GET queries.
    // text/plain and form POSTs still fail (the body is not parsed) and GET mutations are refused.
    csrfPrevention: false,
    // The preflight below has parsed within these limits already; this is the same bound again.
    parseOptions: { maxTokens: limits.maxTokens },
    // main.ts owns shutdown: Apollo's own handler would re-raise SIGTERM and skip closing the database.
    stopOnTerminationSignals: false,
    plugins: [
      // Apollo's cache-control plugin walks every resolved field for hints the hub never gives and
      // then only says `no-store` (7 % of W1's time, 13 MB per answer): /graphql says it itself.
      ApolloServerPluginCacheControlDisabled(),
      // In-flight requests get the grace period less what flushing the outbox may take afterwards.
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: Math.max(0, (options.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs) - FLUSH_TIMEOUT_MS),
      }),
      limitsPlugin(schema, limits),
      observePlugin(annotateRequest),
      legacyJsonStatusPlugin,
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
              // Publish what was committed, but do not hang on a database that is already gone.
              const flushed = await Promise.race([
                relay.flush().then(
                  () => true,
                  (err: Error) => log.warn(`outbox not flushed at shutdown: ${err.message}`),
                ),
                new Promise<false>((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS, false).unref()),
              ]);
              if (flushed === false)
                log.warn(`outbox not flushed within ${FLUSH_TIMEOUT_MS} ms; another instance or the next start publishes the rest`);
              relay.stop();
              await webhooks.stop();
              await mlflow?.stop();
              await slack?.stop();
              if (!options.bus) await bus.close();
              untrackMetrics();
              await new Promise((resolve) => (metricsServer ? metricsServer.server.close(resolve) : resolve(undefined)));
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    // No answer of /graphql may be cached: data, errors and refusals are the viewer's, as of now.
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
    express.json({ limit: MAX_BODY }),
    requestScope(),
    // Tokens and aliases are counted while parsing, before Apollo validates anything.
    (req, res, next) => {
      const query: unknown = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
      if (typeof query !== 'string') return next();
      try {
        parseWithinLimits(query, limits);
      } catch (err) {
        const strict = wantsGraphQLResponseJson(req.headers.accept);
        res
          .status(strict ? 400 : 200)
          .type(strict ? GRAPHQL_RESPONSE_JSON : 'application/json')
          .json({ errors: [format(err as GraphQLError)] });
        return;
      }
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = await authenticate(domain, req.headers.authorization);
        if (!viewer) {
          // Apollo answers without running plugins: report the refusal here.
          countOperation({ operation: req.body?.operationName, type: 'unknown', errorCodes: ['UNAUTHENTICATED'] });
          annotateRequest({ errorCodes: ['UNAUTHENTICATED'] });
          throw unauthenticatedError();
        }
        annotateRequest({ userId: viewer.id });
        return { ...createContext(shared, viewer), clientGone: () => req.socket.destroyed };
      },
    }),
  );

  // Body-parser refusals (too large, malformed JSON) answer as GraphQL errors, never as HTML with a stack.
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'internal error while serving an HTTP request');
    const message =
      status === 413 ? `Request body is larger than ${MAX_BODY}.` : status === 500 ? 'Internal server error' : 'Malformed request body.';
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const actual = (httpServer.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  log.debug(`listening on ${shownHost}:${actual}`);
  return {
    url: `http://${shownHost}:${actual}/graphql`,
    wsUrl: `ws://${shownHost}:${actual}/graphql`,
    port: actual,
    http: httpServer,
    relay,
    webhooks,
    mlflow,
    slack,
    metricsUrl: metricsServer ? `http://${shownHost}:${metricsServer.port}/metrics` : undefined,
    close: () => apollo.stop(),
  };
}
