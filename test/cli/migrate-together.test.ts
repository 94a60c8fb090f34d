import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { createTestDatabase, PG_URL } from '../helpers/db';
import { ROOT } from '../helpers/schema';

/** How a `hub` process ended, with what it printed. */
interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `hub <args>` on `databaseUrl`; a `serve` is stopped with SIGTERM once it listens. Resolves
 * when the process has exited.
 */
function hub(args: string[], databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<Ended> {
  const child = spawn(process.execPath, ['bin/hub.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env },
  });
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (args[0] === 'serve' && stdout.includes('listening on') && !stopping) stopping = child.kill('SIGTERM');
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Several instances of a release starting together on a new PostgreSQL database (the migration lock). */
describe.runIf(PG_URL)('migrating one new PostgreSQL database from several processes at once', () => {
  it('three `hub migrate` and two `hub serve` started together all succeed, and migrate it once', async () => {
    const { target, drop } = await createTestDatabase('postgresql');
    const url = (target as { url: string }).url;
    try {
      const runs = await Promise.all([hub(['migrate'], url), hub(['migrate'], url), hub(['migrate'], url), hub(['serve'], url), hub(['serve'], url)]);
      for (const run of runs) expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const migrated = runs.filter((r) => /\d+ migration\(s\) applied/.test(r.stdout));
      expect(migrated.length).toBeLessThanOrEqual(1);
      const db = await initOrm({ target: parseDatabaseUrl(url), poolMax: 1 });
      try {
        expect(await db.orm.getMigrator().getPendingMigrations()).toEqual([]);
        const executed = (await db.orm.getMigrator().getExecutedMigrations()).map((m) => m.name);
        expect(new Set(executed).size).toBe(executed.length);
      } finally {
        await db.close();
      }
    } finally {
      await drop();
    }
  }, 180_000);

  it('with MIGRATE_ON_START=false, `hub serve` refuses a database with pending migrations and says what to run', async () => {
    const { target, drop } = await createTestDatabase('postgresql');
    try {
      const run = await hub(['serve'], (target as { url: string }).url, { MIGRATE_ON_START: 'false' });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/pending and MIGRATE_ON_START=false: run "hub migrate" first/);
    } finally {
      await drop();
    }
  }, 60_000);
});
