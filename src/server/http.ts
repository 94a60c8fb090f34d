import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { isReady, type Database } from '../db/orm';
import { Reader } from '../db/reader';
import type { Viewer } from '../domain/context';
import { createContext, type GraphQLContext } from '../graphql/context';
import { formatError } from '../graphql/errors';
import { buildSchema } from '../graphql/schema';
import { log } from '../logger';
import { authenticate, unauthenticatedError } from './auth';

export interface ServerOptions {
  db: Database;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Turns off introspection and field suggestions. */
  production?: boolean;
  /** A schema built once and shared (tests start many servers). */
  schema?: GraphQLSchema;
}

export interface HubServer {
  url: string;
  wsUrl: string;
  port: number;
  http: Server;
  close(): Promise<void>;
}

/** Largest request body accepted on /graphql. */
const MAX_BODY = '1mb';

/** One HTTP server: GraphQL over HTTP and WebSocket on /graphql, health probes beside it. */
export async function startServer(options: ServerOptions): Promise<HubServer> {
  const { db, host = '127.0.0.1', port = 4000, production = false } = options;
  const schema = options.schema ?? (await buildSchema());
  const reader = new Reader(db.knex, db.dialect, db.orm.getMetadata());

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  app.get('/healthz', (_req, res) => void res.status(200).json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const ready = await isReady(db);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>, { viewer?: Viewer }>(
    {
      schema,
      // Authenticate once per socket; each subscription then gets its own context.
      onConnect: async (ctx) => {
        const viewer = await authenticate(db, ctx.connectionParams?.authorization);
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        return true;
      },
      context: (ctx): GraphQLContext => createContext(db, reader, ctx.extra.viewer!),
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown: Apollo's own handler would re-raise SIGTERM and skip closing the database.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = await authenticate(db, req.headers.authorization);
        if (!viewer) throw unauthenticatedError();
        return createContext(db, reader, viewer);
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
    close: () => apollo.stop(),
  };
}
