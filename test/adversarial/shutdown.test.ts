/**
 * Shutdown always completes: a SIGTERM that arrives while requests are still executing for clients
 * that hung up mid-query ends `hub serve` within `SHUTDOWN_GRACE_MS`, without logging the abandoned
 * requests as internal errors. The requests are held by a lock the test takes on the goals table, so
 * they execute (wait in PostgreSQL) for as long as the test wants.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, type Database } from '../../src/db/orm';
import { createTestDatabase } from '../helpers/db';
import { PG_URL } from '../helpers/db';
import { children, demoTokens, listeningUrl, serve, START_TIMEOUT, type Served } from '../helpers/serve';
import { until, within } from '../helpers/wait';

const GRACE_MS = 3_000;
/** A Node process's own exit, and the signal's delivery, on a loaded machine. */
const MARGIN_MS = 1_500;
const ABANDONED = 6;

describe.skipIf(!PG_URL)(`SIGTERM with abandoned requests still executing${PG_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let hub: Served;
  let url: string;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    if (database.target.dialect !== 'postgresql') throw new Error('expected PostgreSQL');
    hub = serve(database.target.url, { SEED_DEMO: 'true', SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'info' });
    url = await hub.waitFor('the "listening" line with a real port', listeningUrl);
    token = (await hub.waitFor('six demo users with tokens', demoTokens))[1].token;
    db = await initOrm({ target: database.target, poolMax: 2 });
  }, START_TIMEOUT + 30_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await db?.close();
    await database?.drop();
  });

  it(
    `exits within SHUTDOWN_GRACE_MS (${GRACE_MS} ms) while abandoned requests wait on a lock`,
    async () => {
      const locked = await db.knex.transaction();
      try {
        await locked.raw('lock table goals in access exclusive mode');
        const body = JSON.stringify({ query: '{ goals(first: 5) { nodes { title } } }' });
        const requests = Array.from({ length: ABANDONED }, () => {
          const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
          req.on('error', () => undefined);
          req.end(body);
          return req;
        });
        // Every request is executing: its query waits for the test's lock.
        await until(async () => {
          const { rows } = await db.knex.raw(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          );
          return (rows as { n: number }[])[0].n >= ABANDONED;
        }, 'the requests to wait on the lock');
        // The clients hang up mid-query.
        for (const req of requests) req.destroy();

        const started = performance.now();
        hub.child.kill('SIGTERM');
        const exit = await within(hub.exited, GRACE_MS + 10_000, () => `the hub to exit\n${hub.stderr()}`);
        const elapsed = performance.now() - started;
        const output = `${hub.lines.join('\n')}\n${hub.stderr()}`;
        expect(elapsed, output).toBeLessThan(GRACE_MS + MARGIN_MS);
        expect(exit.signal).toBeNull();
        expect(output).not.toMatch(/aborted|internal error/i);
      } finally {
        await locked.rollback();
      }
    },
    START_TIMEOUT + 30_000,
  );
});
