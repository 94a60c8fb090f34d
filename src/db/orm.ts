import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Knex } from '@mikro-orm/knex';
import { log } from '../logger';
import { ormConfig, type OrmOptions } from './mikro-orm.config';

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
  close(): Promise<void>;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** Connects to the database; tests pass their own target. Does not migrate (see `migrate`). */
export async function initOrm(options: OrmOptions): Promise<Database> {
  const orm = await MikroORM.init(ormConfig(options));
  const em = orm.em as unknown as EntityManager;
  return {
    orm,
    dialect: options.target.dialect,
    fork: () => em.fork(),
    knex: em.getKnex(),
    poolStats: () => {
      const pool = (em.getKnex().client as { pool?: TarnPool }).pool;
      return pool ? { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() } : null;
    },
    close: () => orm.close(true),
  };
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(db: Database): Promise<string[]> {
  const applied = await db.orm.getMigrator().up();
  for (const m of applied) log.info(`migration applied: ${m.name}`);
  return applied.map((m) => m.name);
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
