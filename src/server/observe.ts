import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { inRequest, rootLogger, type RequestScope } from '../logger';
import { boundedLabel, graphqlCost, graphqlDuration, graphqlOperations, httpRequests, registry } from '../metrics';

/** An incoming `x-request-id` is kept when it looks like an id; anything else gets a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Routes named in metrics and access lines; any other path counts as `other` (paths are the client's to invent). */
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/slack/events', '/', '/app.js', '/app.css']);
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

const pathOf = (url: string | undefined) => (url ?? '/').split('?')[0];
/** The path as the client sent it (Express rewrites `req.url` inside mounted routers). */
const requestPath = (req: IncomingMessage & { originalUrl?: string }) => pathOf(req.originalUrl ?? req.url);
const routeOf = (url: string | undefined) => (ROUTES.has(pathOf(url)) ? pathOf(url) : 'other');

/** Fields each request's access line gets besides method, path, status and duration. */
const accessFields = new WeakMap<ServerResponse, Record<string, unknown>>();

/**
 * One JSON access line per HTTP request (probes at debug level) with its request id, echoed in the
 * `x-request-id` response header, and `hub_http_requests_total`.
 */
export function requestLogging(): RequestHandler {
  const logger = pinoHttp({
    logger: rootLogger(),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // Method and path only: headers carry credentials and GET query strings carry whole documents.
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, path: requestPath(req) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
    customProps: (_req, res) => accessFields.get(res) ?? {},
    customLogLevel: (req, res, err) => (err || res.statusCode >= 500 ? 'error' : PROBES.has(requestPath(req)) ? 'debug' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
  });
  return (req, res, next) => {
    // Read now: Express rewrites req.url inside mounted routers.
    const route = routeOf(req.url);
    res.once('finish', () => httpRequests.inc({ route, method: req.method, status: String(res.statusCode) }));
    logger(req, res, next);
  };
}

/** Runs the rest of the request with its own logger as `log` and an access line to annotate. */
export function requestScope(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const access: Record<string, unknown> = {};
    accessFields.set(res, access);
    const scope: RequestScope = { log: req.log, access };
    inRequest(scope, next);
  };
}

const operationLabel = boundedLabel();

/** What one GraphQL operation reports, over HTTP or WebSocket. */
export interface OperationReport {
  operation: string | null | undefined;
  type: string;
  errorCodes: string[];
  cost?: number;
  seconds?: number;
}

/** Counts one operation (and its duration and cost when known) in the metrics. */
export function countOperation({ operation, type, errorCodes, cost, seconds }: OperationReport): void {
  const name = operationLabel(operation || 'anonymous');
  graphqlOperations.inc({ operation: name, type, outcome: errorCodes[0] ?? 'ok' });
  if (seconds !== undefined) graphqlDuration.observe({ operation: name, type }, seconds);
  if (cost !== undefined) graphqlCost.observe({ operation: name }, cost);
}

/** Puts the operation's name, cost and error codes on the access line and into the metrics. */
export function observePlugin(annotate: (fields: Record<string, unknown>) => void): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errorCodes = [...new Set((result?.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          const cost = (result?.extensions?.cost as { requested?: number } | undefined)?.requested;
          const report = {
            operation: operationName ?? request.operationName,
            type: operation?.operation ?? 'unknown',
            errorCodes,
            cost,
            seconds: (performance.now() - started) / 1000,
          };
          countOperation(report);
          annotate({ operation: report.operation ?? null, operationType: report.type, cost: cost ?? null, errorCodes });
        },
      };
    },
  };
}

/** True when the request carries `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function answerMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized\n');
    return;
  }
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType }).end(body);
}

/** `/metrics` on the hub's own port, for a scraper with the token. */
export function metricsRoute(token: string): RequestHandler {
  return (req, res, next) => void answerMetrics(req, res, token).catch(next);
}

/** A separate listener that serves only `/metrics` (no token: keep the port private). */
export async function startMetricsServer(host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (pathOf(req.url) !== '/metrics' || req.method !== 'GET') return void res.writeHead(404).end();
    answerMetrics(req, res, undefined).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
