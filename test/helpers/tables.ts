import { createHash } from 'node:crypto';
import type { TestHub } from './hub';

/**
 * Every table of the hub's database but the outboxes the background workers change on their own
 * (the relay empties event_outbox, the webhook sender settles webhook_deliveries) and the migration log.
 */
export async function tablesOf(hub: TestHub): Promise<string[]> {
  const knex = hub.db.knex;
  const names: string[] =
    hub.dialect === 'sqlite'
      ? (await knex.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")).map((r: { name: string }) => r.name)
      : (await knex.raw("select tablename as name from pg_tables where schemaname = 'public'")).rows.map((r: { name: string }) => r.name);
  return names.filter((t) => t !== 'event_outbox' && t !== 'webhook_deliveries' && !t.startsWith('mikro_orm')).sort();
}

export interface TableSnapshot {
  /** Per table, its row count and a hash of every row: equal hashes mean nothing changed. */
  hashes: Record<string, string>;
  /** The newest lifecycle event's id (0 for none): what was written after it is new. */
  lastEventId: number;
}

/** A hash of every row of each of `tables` (tablesOf), and where the audit trail stands. */
export async function snapshotTables(hub: TestHub, tables: string[]): Promise<TableSnapshot> {
  const knex = hub.db.knex;
  const hashes: Record<string, string> = {};
  if (hub.dialect === 'postgresql') {
    const sql = tables
      .map((t) => `select '${t}' as t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x.id)), '') as h from "${t}" x`)
      .join(' union all ');
    for (const row of (await knex.raw(sql)).rows as { t: string; h: string }[]) hashes[row.t] = row.h;
  } else {
    for (const t of tables) {
      const rows = await knex(t).select('*').orderBy('id');
      hashes[t] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
    }
  }
  const [{ last }] = await knex('lifecycle_events').max({ last: 'id' });
  return { hashes, lastEventId: Number(last ?? 0) };
}
