import type { EntityManager } from '@mikro-orm/knex';

/**
 * Takes the row lock of `table`'s row `id` for the rest of the transaction with a no-op update:
 * PostgreSQL makes concurrent transactions on the same row wait; SQLite serialises every write
 * transaction anyway. Returns false when there is no such row.
 */
export async function lockRow(em: EntityManager, table: string, id: number): Promise<boolean> {
  const result = await em.execute<{ affectedRows: number }>(`update "${table}" set "id" = "id" where "id" = ?`, [id], 'run');
  return result.affectedRows > 0;
}

/** `lockRow` that also returns the row as it is now, in the same statement; null when there is no such row. */
export async function lockAndRead(em: EntityManager, table: string, id: number): Promise<Record<string, unknown> | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(`update "${table}" set "id" = "id" where "id" = ? returning *`, [id], 'all');
  return row ?? null;
}
