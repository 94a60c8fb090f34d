import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrationsList } from '../../migrations';
import { initOrm, migrate, type Database } from '../../src/db/orm';
import { createTestDatabase, forEachDialect } from '../helpers/db';
import { ROOT } from '../helpers/schema';

const MIGRATIONS = join(ROOT, 'migrations');

forEachDialect((dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let applied: string[];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await initOrm({ target: database.target, poolMax: 2 });
    applied = (await migrate(db)).applied;
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('lists every migration file of the dialect in migrations/index.ts, oldest first', () => {
    const files = readdirSync(join(MIGRATIONS, dialect))
      .filter((f) => /^Migration\d+.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    expect(migrationsList[dialect].map((m) => m.name)).toEqual(files);
  });

  it('applies all of them to a new database, in order', async () => {
    expect(applied).toEqual(migrationsList[dialect].map((m) => m.name));
    expect(await db.orm.getMigrator().getPendingMigrations()).toEqual([]);
  });

  it('leaves no difference between the entities and the migrated schema', async () => {
    const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('applies nothing when run a second time', async () => {
    const executed = await db.orm.getMigrator().getExecutedMigrations();
    expect((await migrate(db)).applied).toEqual([]);
    expect(await db.orm.getMigrator().getExecutedMigrations()).toEqual(executed);
  });
});
