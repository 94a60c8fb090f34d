import 'reflect-metadata';
import { join } from 'node:path';
import { defineConfig as defineSqlite } from '@mikro-orm/better-sqlite';
import { defineConfig as definePostgres } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { DEFAULTS, type DatabaseTarget } from '../config';
import { migrationsList } from '../../migrations';
import { ENTITIES } from '../domain/aggregates';
import { log } from '../logger';

export const MIGRATIONS_ROOT = join(__dirname, '..', '..', 'migrations');

export interface OrmOptions {
  target: DatabaseTarget;
  /** PostgreSQL pool size (default `DB_POOL_MAX`'s). SQLite always uses its one connection. */
  poolMax?: number;
}

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

/** Prepared statements kept per connection (the read path repeats a few dozen SQL shapes). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Knex prepares every statement anew, which costs more than running it for the small queries the
 * read path makes. Statements are run to completion synchronously, so one per SQL text can be reused.
 */
function cachePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

/** The MikroORM options for one database; `initOrm` and `scripts/create-migration.ts` use it (the hub has no MikroORM CLI config: `hub migrate` and `npm run migration:create` do its work). */
export function ormConfig({ target, poolMax = DEFAULTS.dbPoolMax }: OrmOptions): Options {
  const common = {
    entities: [...ENTITIES],
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    forceUtcTimezone: true,
    // MikroORM's own messages (the migrator's progress) go to the hub's log at debug level.
    logger: (message: string) => log.debug(message),
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
    migrations: {
      path: join(MIGRATIONS_ROOT, target.dialect),
      pathTs: join(MIGRATIONS_ROOT, target.dialect),
      // Listed, not globbed: MikroORM's own require cannot load .ts files under Vitest.
      migrationsList: migrationsList[target.dialect],
      transactional: true,
      allOrNothing: true,
      // Applying migrations would rewrite a snapshot in the source tree; new migrations are diffed
      // against a scratch database migrated to the latest state instead (scripts/create-migration.ts).
      snapshot: false,
      emit: 'ts' as const,
    },
  };
  if (target.dialect === 'sqlite') {
    return defineSqlite({
      ...common,
      dbName: target.path,
      pool: {
        min: 1,
        max: 1,
        // WAL lets the CLI read while the server writes; busy_timeout makes a second process wait, not fail.
        afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
          cachePreparedStatements(conn);
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
    });
  }
  return definePostgres({
    ...common,
    clientUrl: target.url,
    schema: target.schema,
    pool: { min: 0, max: poolMax },
  });
}
