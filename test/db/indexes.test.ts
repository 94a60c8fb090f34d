import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, migrate, type Database } from '../../src/db/orm';
import { createTestDatabase, PG_URL } from '../helpers/db';

/**
 * What the API filters and sorts by, per table: each list must be the leading columns of an index,
 * so that no connection or filter scans a table. Foreign keys are checked from the catalogue.
 */
const ACCESS_PATHS: Record<string, string[][]> = {
  goals: [['status']],
  kpis: [['goal_id']],
  kpi_observations: [['kpi_id', 'observed_at', 'id']],
  experiments: [['goal_id']],
  runs: [['experiment_id']],
  models: [['goal_id'], ['name']],
  model_versions: [
    ['model_id', 'version'],
    ['stage', 'model_id'],
  ],
  comments: [['subject_type', 'subject_id', 'id']],
  promotion_requests: [['model_version_id', 'status'], ['model_id'], ['status', 'id']],
  reviews: [['promotion_request_id']],
  drift_flags: [
    ['model_version_id', 'status'],
    ['model_id', 'status'],
    ['status', 'severity_rank', 'id'],
  ],
  feedback: [['goal_id'], ['model_version_id']],
  lifecycle_events: [
    ['goal_id', 'id'],
    ['model_id', 'id'],
    ['subject_type', 'subject_id', 'id'],
    ['type', 'id'],
  ],
  api_tokens: [['token_hash']],
  users: [['email'], ['slack_user_id']],
  slack_follows: [
    ['subject_type', 'subject_id'],
    ['channel_id', 'subject_type', 'subject_id'],
  ],
  slack_deliveries: [['status', 'channel_id', 'id']],
  slack_threads: [
    ['channel_id', 'ts'],
    ['channel_id', 'thread_key'],
  ],
};

describe.skipIf(!PG_URL)(`PostgreSQL indexes${PG_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  let db: Database;
  let drop: () => Promise<void>;
  let indexes: Map<string, string[][]>;

  beforeAll(async () => {
    const database = await createTestDatabase('postgresql');
    drop = database.drop;
    db = await initOrm({ target: database.target, poolMax: 2 });
    await migrate(db);
    const rows: { table: string; columns: string[] }[] = (
      await db.knex.raw(`
      select t.relname as table, array_agg(a.attname::text order by k.ord) as columns
      from pg_index i
      join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
      cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      group by i.indexrelid, t.relname`)
    ).rows;
    indexes = new Map();
    for (const row of rows) indexes.set(row.table, [...(indexes.get(row.table) ?? []), row.columns]);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const covered = (table: string, columns: string[]) => (indexes.get(table) ?? []).some((index) => columns.every((c, i) => index[i] === c));

  it('has an index for every filter and sort order the API offers', () => {
    const missing = Object.entries(ACCESS_PATHS).flatMap(([table, paths]) =>
      paths.filter((p) => !covered(table, p)).map((p) => `${table}(${p.join(', ')})`),
    );
    expect(missing).toEqual([]);
  });

  it('has an index led by every foreign key column', async () => {
    const fks: { table: string; column: string }[] = (
      await db.knex.raw(`
      select c.conrelid::regclass::text as table, a.attname::text as column
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and array_length(c.conkey, 1) = 1`)
    ).rows;
    expect(fks.length).toBeGreaterThan(20);
    expect(fks.filter((fk) => !covered(fk.table.replace(/"/g, ''), [fk.column])).map((fk) => `${fk.table}.${fk.column}`)).toEqual([]);
  });
});
