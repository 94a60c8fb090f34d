import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { parseDatabaseUrl, type DatabaseTarget } from '../../src/config';
import { initOrm, type Dialect } from '../../src/db/orm';

export const PG_URL = process.env.TEST_DATABASE_URL;

/** A database of its own for one test file: a fresh SQLite file in memory, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { target: { dialect: 'sqlite', path: ':memory:' }, drop: async () => undefined };
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  const admin = await initOrm({ target: parseDatabaseUrl(PG_URL), poolMax: 1 });
  await admin.knex.raw(`create database "${name}"`);
  await admin.close();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    target: { dialect: 'postgresql', url: url.toString() },
    drop: async () => {
      const again = await initOrm({ target: parseDatabaseUrl(PG_URL), poolMax: 1 });
      await again.knex.raw(`drop database if exists "${name}" with (force)`);
      await again.close();
    },
  };
}

/**
 * Runs a suite once per database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
 * Without it the PostgreSQL suite shows up as skipped, with the reason in its name.
 */
export function forEachDialect(suite: (dialect: Dialect) => void): void {
  describe('sqlite', () => suite('sqlite'));
  if (PG_URL) describe('postgresql', () => suite('postgresql'));
  else describe.skip('postgresql (skipped: TEST_DATABASE_URL is not set)', () => it('needs PostgreSQL', () => undefined));
}

export const REDIS_URL = process.env.TEST_REDIS_URL;
