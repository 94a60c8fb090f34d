import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  GraphQLError, NoSchemaIntrospectionCustomRule, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema,
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
import { createContext, type ContextShared, type GraphQLContext } from '../graphql/context';
import { createFormatError } from '../graphql/errors';
import { DEFAULT_LIMITS } from '../graphql/limits';
import { checkOperation, limitsPlugin, type LimitOptions } from '../graphql/limits.plugin';
import { RECORD_PROTOTYPES } from '../graphql/modules';
import { memoryRateLimiter } from '../graphql/rate-limit';
import { buildSchema } from '../graphql/schema';
import { log } from '../logger';
import { mountAuditRoute } from './audit-route';
import { authenticate, unauthenticatedError } from './auth';
import { mountDashboard } from './dashboard';

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
  /** How long shutdown waits for in-flight requests before closing them (default `SHUTDOWN_GRACE_MS`'s). */
  shutdownGraceMs?: number;
}

export interface HubServer {
  url: string;
  wsUrl: string;
  port: number;
  http: Server;
  relay: OutboxRelay;
  slack: SlackBot | null;
  close(): Promise<void>;
}

/** How long shutdown waits for the outbox relay to publish what is left. */
const FLUSH_TIMEOUT_MS = 2_000;

/** Largest request body accepted on /graphql. */
const MAX_BODY = '1mb';

/** One HTTP server: GraphQL over HTTP and WebSocket on /graphql, health probes beside it. */
export async function startServer(options: ServerOptions): Promise<HubServer> {
  const { db, host = DEFAULTS.host, port = DEFAULTS.port, production = false } = options;
  const schema = options.schema ?? (await buildSchema());
  const domain = new Domain(db, { policy: options.policy, prototypes: RECORD_PROTOTYPES });
  const bus = options.bus ?? createInProcessBus();
  const shared: ContextShared = { domain, bus };
  const relay = new OutboxRelay(domain, bus, { pollMs: options.outboxPollMs ?? DEFAULTS.outboxPollMs });
  relay.start();
  const wsAuthRecheckMs = options.wsAuthRecheckMs ?? DEFAULTS.wsAuthRecheckMs;
  const pointsPerMinute = options.limits?.pointsPerMinute ?? DEFAULTS.rateLimitPointsPerMinute;
  const limits: LimitOptions = {
    ...DEFAULT_LIMITS, limiter: memoryRateLimiter(pointsPerMinute), ...options.limits, pointsPerMinute,
  };
  const checkLimits = checkOperation(schema, limits);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  app.get('/healthz', (_req, res) => void res.status(200).json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const ready = await isReady(db);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
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

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>, { viewer?: Viewer; recheck?: NodeJS.Timeout }>(
    {
      schema,
      // Authenticate once per socket, then keep checking: a revoked token ends the socket.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const viewer = await authenticate(domain, authorization).catch((err: Error) => {
          // E.g. the database is down: say nothing about it to the client (graphql-ws closes with 4500).
          log.error('could not authenticate a WebSocket', err);
          throw new Error('Internal server error');
        });
        if (!viewer) return false;
        // The socket may have closed while we looked the token up: then there is nothing to watch.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        ctx.extra.viewer = viewer;
        ctx.extra.recheck = setInterval(async () => {
          if (!(await authenticate(domain, authorization).catch(() => viewer))) ctx.extra.socket.close(4403, 'Forbidden');
        }, wsAuthRecheckMs);
        ctx.extra.recheck.unref();
        return true;
      },
      onClose: (ctx) => clearInterval(ctx.extra.recheck),
      // Errors over the socket are shaped exactly as over HTTP: codes kept, internals masked.
      // A validation error (no cause, no code) is the client's, as GRAPHQL_VALIDATION_FAILED over HTTP.
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((err) => format(err.originalError || err.extensions.code ? err : new GraphQLError(err.message, {
          nodes: err.nodes, extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
        }))),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(format) } : undefined),
      // Parsing, validation (introspection off in production) and the same depth, cost and rate
      // limits as over HTTP, before the subscription starts; a refusal ends that operation only.
      onSubscribe: async (ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (err) {
          return asErrors([new GraphQLError((err as Error).message, { extensions: { code: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED } })]);
        }
        const invalid = validate(schema, document, wsRules);
        if (invalid.length) {
          return asErrors(invalid.map((err) => new GraphQLError(err.message, { nodes: err.nodes, extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED } })));
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return undefined;
        try {
          await checkLimits(document, operation, payload.variables ?? {}, ctx.extra.viewer!.id);
        } catch (err) {
          return asErrors([err as GraphQLError]);
        }
        return undefined;
      },
      // Each subscription gets its own context (fresh EntityManager and loaders), not each event.
      context: (ctx): GraphQLContext => createContext(shared, ctx.extra.viewer!),
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
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
    // main.ts owns shutdown: Apollo's own handler would re-raise SIGTERM and skip closing the database.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs }),
      limitsPlugin(schema, limits),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
              // Publish what was committed, but do not hang on a database that is already gone.
              const flushed = await Promise.race([
                relay.flush().then(() => true, (err: Error) => log.warn(`outbox not flushed at shutdown: ${err.message}`)),
                new Promise<false>((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS, false).unref()),
              ]);
              if (flushed === false) log.warn(`outbox not flushed within ${FLUSH_TIMEOUT_MS} ms; another instance or the next start publishes the rest`);
              relay.stop();
              await slack?.stop();
              if (!options.bus) await bus.close();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = await authenticate(domain, req.headers.authorization);
        if (!viewer) throw unauthenticatedError();
        return createContext(shared, viewer);
      },
    }),
  );

  // Body-parser refusals (too large, malformed JSON) answer as GraphQL errors, never as HTML with a stack.
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error('internal error while serving an HTTP request', err);
    const message = status === 413 ? `Request body is larger than ${MAX_BODY}.` : status === 500 ? 'Internal server error' : 'Malformed request body.';
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
    slack,
    close: () => apollo.stop(),
  };
}
