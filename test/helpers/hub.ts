import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLSchema } from 'graphql';
import { initOrm, migrate, type Database, type Dialect } from '../../src/db/orm';
import { Domain } from '../../src/domain/domain';
import { Role } from '../../src/domain/enums';
import { toGlobalId } from '../../src/domain/ids';
import { userService } from '../../src/domain/user/user.service';
import { buildSchema } from '../../src/graphql/schema';
import { startServer, type HubServer, type ServerOptions } from '../../src/server/http';
import type { DatabaseTarget } from '../../src/config';
import { request, type Result } from './client';
import { createTestDatabase } from './db';

/** The test users, one per role plus a second SME, named for what they do. */
export const PEOPLE = {
  admin: [Role.ADMIN],
  sme: [Role.SME],
  sme2: [Role.SME],
  scientist: [Role.DATA_SCIENTIST],
  dataEngineer: [Role.DATA_ENGINEER],
  mlEngineer: [Role.ML_ENGINEER],
  risk: [Role.RISK_MANAGER],
} as const;
export type Person = keyof typeof PEOPLE;
/** Every test user. */
export const EVERYONE = Object.keys(PEOPLE) as Person[];

export interface TestUser {
  id: string;
  dbId: number;
  token: string;
  name: string;
}

/** Server options a test may set (the rest are the test hub's own). */
export type HubOptions = Pick<
  ServerOptions,
  | 'bus'
  | 'policy'
  | 'outboxPollMs'
  | 'wsAuthRecheckMs'
  | 'production'
  | 'slack'
  | 'limits'
  | 'deploymentGraceS'
  | 'webhooks'
  | 'mlflow'
  | 'metrics'
  | 'webSocketCaps'
  | 'shutdownGraceMs'
  | 'httpRequestTimeoutMs'
  | 'queryPlanner'
>;

export interface TestHub {
  dialect: Dialect;
  /** The database, for a second instance on it (`startInstance`). */
  target: DatabaseTarget;
  db: Database;
  /** The domain on the hub's database, for what a test does as the operator (the CLI's way in). */
  domain: Domain;
  server: HubServer;
  url: string;
  users: Record<Person, TestUser>;
  /** Sends an operation as a test user (or with a raw token, or anonymously). */
  as<T, V>(who: Person | { token: string } | null, document: TypedDocumentNode<T, V>, variables: V): Promise<Result<T>>;
  /** Counts the SQL statements run while `fn` runs (the background workers' polling left out); `fn` sees them as they come. */
  countStatements<T>(fn: (sql: readonly string[]) => Promise<T>): Promise<{ result: T; statements: number; sql: string[] }>;
  close(): Promise<void>;
}

let schema: Promise<GraphQLSchema> | undefined;

/** A hub on its own fresh database and an ephemeral port, with one user per role. */
export async function startHub(dialect: Dialect, options: HubOptions = {}): Promise<TestHub> {
  const database = await createTestDatabase(dialect);
  return startHubAt(database.target, options, database.drop);
}

/** `startHub` on a database of the caller's (e.g. a SQLite file); `drop` runs when the hub closes. */
export async function startHubAt(
  target: DatabaseTarget,
  options: HubOptions = {},
  drop: () => Promise<void> = async () => undefined,
): Promise<TestHub> {
  const hub = await serve(target, options, drop);
  const operator = hub.domain.operator();
  for (const [key, roles] of Object.entries(PEOPLE) as [Person, readonly Role[]][]) {
    const { user, token } = await userService.create(operator, { name: `Test ${key}`, email: `${key}@test.example`, roles: [...roles] });
    hub.users[key] = { id: toGlobalId('User', user.id), dbId: user.id, token, name: user.name };
  }
  return hub;
}

/**
 * Another hub instance on the same database (PostgreSQL), with the same users: what runs behind a
 * load balancer. Closing it leaves the database to the first hub.
 */
export async function startInstance(first: TestHub, options: HubOptions = {}): Promise<TestHub> {
  const hub = await serve(first.target, options, async () => undefined);
  Object.assign(hub.users, first.users);
  return hub;
}

async function serve(target: DatabaseTarget, options: HubOptions, drop: () => Promise<void>): Promise<TestHub> {
  const db = await initOrm({ target, poolMax: 20 });
  await migrate(db);
  schema ??= buildSchema();
  const server = await startServer({ db, port: 0, schema: await schema, ...options });
  const users = {} as Record<Person, TestUser>;
  const dialect = target.dialect;
  let listeners: ((sql: string) => void)[] = [];
  // The outbox relay, the Slack notifier and the webhook sender poll in the background; their statements are not the request's.
  const background = /event_outbox|slack_deliveries|webhook/;
  db.knex.on('query', (q: { sql: string }) => {
    if (!background.test(q.sql)) listeners.forEach((l) => l(q.sql));
  });
  return {
    dialect,
    target,
    db,
    domain: new Domain(db, { policy: options.policy }),
    server,
    url: server.url,
    users,
    as: (who, document, variables) =>
      request(server.url, document, variables, who === null ? undefined : typeof who === 'string' ? users[who].token : who.token),
    async countStatements(fn) {
      const sql: string[] = [];
      const listener = (s: string) => sql.push(s);
      listeners.push(listener);
      try {
        const result = await fn(sql);
        return { result, statements: sql.length, sql };
      } finally {
        listeners = listeners.filter((l) => l !== listener);
      }
    },
    async close() {
      await server.close();
      await db.close();
      await drop();
    },
  };
}
