import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsList } from '../../migrations';
import { parseDatabaseUrl } from '../../src/config';
import { initOrm, type Database } from '../../src/db/orm';
import { SrvUserCountDocument, ViewerDocument } from '../../src/generated/operations';
import { startServer, type HubServer } from '../../src/server/http';
import { hub, lines, expectRefusal, expectUsageError, type Run } from '../helpers/cli';
import { ok, request } from '../helpers/client';

/** What `user create` / `token create` printed last: {id, token}. */
function idAndToken(run: Run): { id: string; token: string } {
  expect(run.code, run.stderr).toBe(0);
  const parsed = JSON.parse(lines(run.stdout).at(-1) ?? 'null') as Record<string, unknown>;
  expect(parsed.id).toEqual(expect.any(String));
  expect(parsed.token).toMatch(/^mh_[A-Za-z0-9_-]{43}$/);
  return parsed as { id: string; token: string };
}

/** Scripts read stdout as one JSON object with exactly these keys, on one line, and nothing else. */
function expectOneJsonLine(run: Run): void {
  const out = lines(run.stdout);
  expect(out, run.stdout).toHaveLength(1);
  expect(Object.keys(JSON.parse(out[0]) as object).sort()).toEqual(['id', 'token']);
}

/** The demo users `printDemoUsers` lists: "  <name>  <ROLES>  mh_...". */
function demoUsers(stdout: string): { name: string; roles: string; token: string }[] {
  return lines(stdout)
    .map((l) => /^\s+(\S.*?)\s+([A-Z_,]+)\s+(mh_\S+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], roles: m[2], token: m[3] }));
}

const dirs: string[] = [];
function tmpDatabase(): { url: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
  dirs.push(dir);
  const file = join(dir, 'hub.sqlite');
  return { url: `sqlite:${file}`, file };
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('hub: help and wrong usage (no database needed)', () => {
  // These runs exit before opening a database, so they can share one that is never created.
  let env: { DATABASE_URL: string };
  let file: string;
  beforeAll(() => {
    const db = tmpDatabase();
    env = { DATABASE_URL: db.url };
    file = db.file;
  });

  describe.concurrent('each run', () => {
    it('hub --help prints the commands and exits 0', async ({ expect }) => {
      const run = await hub(['--help'], env);
      expect(run.code).toBe(0);
      for (const command of ['serve', 'migrate', 'seed --demo', 'user create', 'token create']) expect(run.stdout).toContain(command);
    });

    it('works when started from another directory', async ({ expect }) => {
      const run = await hub(['--help'], env, tmpdir());
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('user create');
    });

    it('hub alone prints the usage and exits 2', async ({ expect }) => {
      const run = await hub([], env);
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('Usage: hub <command>');
    });

    it('an unknown command exits 2 with a one-line reason', async () => {
      expectUsageError(await hub(['frobnicate'], env), /unknown command "frobnicate"/);
    });

    it('hub user create --help prints the options and roles and exits 0', async ({ expect }) => {
      const run = await hub(['user', 'create', '--help'], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('--email');
      expect(run.stdout).toContain('RISK_MANAGER');
    });

    it('user create without --email exits 2', async () => {
      expectUsageError(await hub(['user', 'create', '--name', 'Bob', '--roles', 'SME'], env), /--email/);
    });

    it('user create with an unknown role exits 2 and names it', async () => {
      expectUsageError(await hub(['user', 'create', '--name', 'Bob', '--email', 'bob@x.org', '--roles', 'SME,KING'], env), /KING/);
    });

    it('user create with an unknown option exits 2 and names it', async () => {
      expectUsageError(await hub(['user', 'create', '--name', 'Bob', '--email', 'bob@x.org', '--roles', 'SME', '--bogus'], env), /--bogus/);
    });

    it('seed without --demo exits 2', async () => {
      expectUsageError(await hub(['seed'], env), /--demo/);
    });

    it('DATABASE_URL=mysql://x exits 2 with a one-line reason naming DATABASE_URL', async () => {
      expectUsageError(await hub(['migrate'], { DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    });
  });

  it('none of them created the database', () => {
    expect(existsSync(file)).toBe(false);
  });
});

describe('hub: users, tokens, migrations and the demo on one SQLite file', () => {
  let env: { DATABASE_URL: string };
  let url: string;
  let ada: { id: string; token: string };
  let second: { id: string; token: string };
  let demo: { name: string; roles: string; token: string }[];

  beforeAll(() => {
    url = tmpDatabase().url;
    env = { DATABASE_URL: url };
  });

  it('user create on a new database migrates it and prints exactly one JSON line {id, token}', async () => {
    const run = await hub(['user', 'create', '--name', 'Ada', '--email', 'ada@x.org', '--roles', 'SME,RISK_MANAGER', '--slack-id', 'U123ABC'], env);
    ada = idAndToken(run);
    expectOneJsonLine(run);
  });

  it('refuses a second user with the same email: exit 1, a reason about the email', async () => {
    expectRefusal(await hub(['user', 'create', '--name', 'Ada Again', '--email', 'ada@x.org', '--roles', 'SME'], env), /email/i);
  });

  it('token create prints {id, token}: the same user, a different token', async () => {
    const run = await hub(['token', 'create', '--email', 'ada@x.org'], env);
    second = idAndToken(run);
    expectOneJsonLine(run);
    expect(second.id).toBe(ada.id);
    expect(second.token).not.toBe(ada.token);
  });

  it('token create for an unknown email exits 1', async () => {
    expectRefusal(await hub(['token', 'create', '--email', 'nobody@x.org'], env), /nobody@x\.org/);
  });

  it('seed --demo prints the tokens of six demo users, one per role; a second seed is refused', async () => {
    const run = await hub(['seed', '--demo'], env);
    expect(run.code, run.stderr).toBe(0);
    demo = demoUsers(run.stdout);
    expect(demo.map((u) => u.roles).sort()).toEqual(['ADMIN', 'DATA_ENGINEER', 'DATA_SCIENTIST', 'ML_ENGINEER', 'RISK_MANAGER', 'SME']);
    expect(new Set(demo.map((u) => u.token)).size).toBe(6);
    for (const u of demo) expect(u.token).toMatch(/^mh_[A-Za-z0-9_-]{43}$/);

    const again = await hub(['seed', '--demo'], env);
    expect(again.code, again.stderr).toBe(1);
    expect(demoUsers(again.stdout)).toEqual([]);
  });

  describe('the tokens work against a server on the same file', () => {
    let db: Database;
    let server: HubServer;
    beforeAll(async () => {
      db = await initOrm({ target: parseDatabaseUrl(url) });
      server = await startServer({ db, port: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it('both CLI tokens authenticate as Ada, with her roles and Slack ID', async () => {
      for (const token of [ada.token, second.token]) {
        const { viewer } = ok(await request(server.url, ViewerDocument, {}, token));
        expect(viewer).toMatchObject({ id: ada.id, name: 'Ada', email: 'ada@x.org', slackUserId: 'U123ABC' });
        expect([...viewer.roles].sort()).toEqual(['RISK_MANAGER', 'SME']);
      }
    });

    it('every demo token authenticates as its user', async () => {
      for (const u of demo) {
        const { viewer } = ok(await request(server.url, ViewerDocument, {}, u.token));
        expect(viewer.name).toBe(u.name);
        expect(viewer.roles.join(',')).toBe(u.roles);
      }
    });

    it('the refused commands wrote nothing: Ada and the six demo users only', async () => {
      expect(ok(await request(server.url, SrvUserCountDocument, {}, ada.token)).users.totalCount).toBe(7);
    });
  });
});

describe('hub migrate', () => {
  it('applies every migration to a new database, then nothing on a second run', async () => {
    const { url, file } = tmpDatabase();
    const expected = migrationsList.sqlite.map((m) => m.name);
    expect(expected.length).toBeGreaterThan(0);

    const first = await hub(['migrate'], { DATABASE_URL: url, LOG_LEVEL: 'info' });
    expect(first.code, first.stderr).toBe(0);
    for (const name of expected) expect(first.stdout + first.stderr).toContain(name);

    const second = await hub(['migrate'], { DATABASE_URL: url, LOG_LEVEL: 'info' });
    expect(second.code, second.stderr).toBe(0);
    for (const name of expected) expect(second.stdout + second.stderr).not.toContain(name);

    const db = await initOrm({ target: { dialect: 'sqlite', path: file } });
    try {
      const rows: { name: string }[] = await db.knex('mikro_orm_migrations').select('name').orderBy('id');
      expect(rows.map((r) => r.name.replace(/\.[jt]s$/, ''))).toEqual(expected);
    } finally {
      await db.close();
    }
  });
});
