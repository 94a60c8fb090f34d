import { afterAll, beforeAll, expect, it } from 'vitest';
import { initOrm } from '../../src/db/orm';
import { createTestDatabase, forEachDialect } from '../helpers/db';

interface KnexClient {
  pool: { on(event: 'destroyRequest', listener: () => void): void };
  /** What every query and transaction calls first. */
  acquireConnection(): Promise<unknown>;
}

forEachDialect((dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(() => database?.drop());

  // A worker may ask for a connection while the pool is being closed (the outbox relay between
  // its look and its transaction, say). The pool library leaves such a request waiting for its
  // acquire timeout (60 s) once it has aborted the waiting ones (Vincit/tarn.js#81): shutdown and
  // the worker's stop would hang for that long.
  it('refuses, at once, a query that asks for a connection while the pool closes', async () => {
    const db = await initOrm({ target: database.target, poolMax: 2 });
    await db.knex.raw('select 1');
    const client = db.knex.client as KnexClient;
    let late: Promise<unknown> | undefined;
    // The pool closes its idle connections after it has aborted the requests waiting then.
    client.pool.on('destroyRequest', () => {
      late ??= client.acquireConnection();
    });
    await db.close();
    expect(late).toBeDefined();
    await expect(late).rejects.toThrow();
  });
});
