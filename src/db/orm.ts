import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Knex } from '@mikro-orm/knex';
import { log } from '../logger';
import { ormConfig, type OrmOptions } from './mikro-orm.config';
import { ReadWorker } from './read-worker';

export type Dialect = 'sqlite' | 'postgresql';

/** The ORM plus what the read path needs: the query builder and the dialect. */
export interface Database {
  orm: MikroORM;
  dialect: Dialect;
  /** A fresh EntityManager for one request or job; never use the global one. */
  fork(): EntityManager;
  knex: Knex;
  /** The connection pool's state: connections in use, idle, and requests waiting for one. */
  poolStats(): { used: number; free: number; pending: number } | null;
  /** SQLite in a file: long read-only statements run in a worker thread (see `ReadWorker`). */
  readWorker?: ReadWorker;
  close(): Promise<void>;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  pendingAcquires: { abort(): void }[];
}

/**
 * Closes the pool and refuses what asked for a connection while it closed. The pool library aborts
 * the requests waiting when it starts closing, but one made after that (a worker between two
 * statements) waits out its acquire timeout, 60 s (Vincit/tarn.js#81): shutdown would hang on it.
 */
async function closePool(orm: MikroORM, em: EntityManager): Promise<void> {
  // The pool empties this list for a new one when it has closed: keep the one late requests join.
  const waiting = (em.getKnex().client as { pool?: TarnPool }).pool?.pendingAcquires ?? [];
  await orm.close(true);
  for (const request of waiting) request.abort();
}

/** Connects to the database; tests pass their own target. Does not migrate (see `migrate`). */
export async function initOrm(options: OrmOptions): Promise<Database> {
  const orm = await MikroORM.init(ormConfig(options));
  const em = orm.em as unknown as EntityManager;
  const { target } = options;
  const readWorker = target.dialect === 'sqlite' && target.path !== ':memory:' ? new ReadWorker(target.path) : undefined;
  return {
    orm,
    dialect: options.target.dialect,
    fork: () => em.fork(),
    knex: em.getKnex(),
    poolStats: () => {
      const pool = (em.getKnex().client as { pool?: TarnPool }).pool;
      return pool ? { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() } : null;
    },
    readWorker,
    close: async () => {
      await readWorker?.close();
      await closePool(orm, em);
    },
  };
}

/** The PostgreSQL advisory lock key that instances migrating one database take in turn ("hubmigr"). */
export const MIGRATION_LOCK_KEY = 0x6875626d69677200n;

interface PgConnection {
  query(sql: string, values?: unknown[]): Promise<unknown>;
}

/**
 * Runs `fn` while holding the database's migration lock: on PostgreSQL a session advisory lock on a
 * connection of its own (outside the pool, so that a pool of one still migrates), so that instances
 * starting together on a new database migrate one after the other instead of racing to create the
 * same tables. The lock goes with the session if the process dies. SQLite serialises writers itself.
 */
async function withMigrationLock<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgresql') return fn();
  const client = db.knex.client as { acquireRawConnection(): Promise<PgConnection>; destroyRawConnection(conn: PgConnection): Promise<void> };
  const conn = await client.acquireRawConnection();
  try {
    await conn.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      return await fn();
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    await client.destroyRawConnection(conn);
  }
}

/** What `migrate` did: the migrations applied, and whether the database had none before (it was new). */
export interface Migrated {
  applied: string[];
  fresh: boolean;
}

/** Applies pending migrations under the migration lock. */
export async function migrate(db: Database): Promise<Migrated> {
  return withMigrationLock(db, async () => {
    const migrator = db.orm.getMigrator();
    const fresh = (await migrator.getExecutedMigrations()).length === 0;
    const applied = await migrator.up();
    for (const m of applied) log.info(`migration applied: ${m.name}`);
    return { applied: applied.map((m) => m.name), fresh };
  });
}

/** Whether migrations are pending (an instance that does not migrate at start refuses to serve then). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  return (await db.orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}

/** True when the database answers a trivial query. */
export async function isReady(db: Database): Promise<boolean> {
  try {
    await db.knex.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
