import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/schema';
import { post } from '../helpers/client';
import { until } from '../helpers/wait';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function hub(args: string[], databaseUrl: string): Promise<Run> {
  const child = spawn(process.execPath, ['bin/hub.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** `hub serve` on `databaseUrl`: its URL and the SME demo token (or `token`, for a restored database). */
async function serve(databaseUrl: string) {
  const child = spawn(process.execPath, ['bin/hub.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO: 'true', NODE_ENV: '' },
  });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(stdout);
      if (match && (/Need a token|No users yet/.test(stdout) || /Sam Expert.*mh_\S+/.test(stdout))) resolve(match[1]);
    });
    child.once('close', (code) => reject(new Error(`hub serve exited with ${code}: ${stdout}`)));
  });
  const stopped = new Promise((resolve) => child.once('close', resolve));
  return {
    url,
    smeToken: /Sam Expert\s+\S+\s+(mh_\S+)/.exec(stdout)?.[1],
    stop: () => (child.kill('SIGTERM'), stopped),
  };
}

/** Every goal title, page by page. */
async function titles(url: string, token: string): Promise<Set<string>> {
  type Page = { goals: { nodes: { title: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
  const all = new Set<string>();
  let after: string | null = null;
  do {
    const res: { data?: Page | null } = await post<Page>(
      url,
      {
        query: 'query($after: String) { goals(first: 100, after: $after) { nodes { title } pageInfo { hasNextPage endCursor } } }',
        variables: { after },
      },
      token,
    );
    for (const goal of res.data!.goals.nodes) all.add(goal.title);
    after = res.data!.goals.pageInfo.hasNextPage ? res.data!.goals.pageInfo.endCursor : null;
  } while (after);
  return all;
}

describe('hub backup and hub restore (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('back up a hub under write load; the restored hub has every write acknowledged before the backup began', async () => {
    const live = `sqlite:${join(dir, 'live.sqlite')}`;
    const first = await serve(live);
    const token = first.smeToken!;
    const acknowledged: string[] = [];
    let writing = true;
    let n = 0;
    const load = (async () => {
      while (writing) {
        const title = `Write ${++n}`;
        const res = await post(
          first.url,
          {
            query: 'mutation($input: CreateGoalInput!) { createGoal(input: $input) { goal { id } } }',
            variables: { input: { title, businessQuestion: 'Kept?' } },
          },
          token,
        );
        if (res.status === 200 && !res.errors) acknowledged.push(title);
      }
    })();
    try {
      await until(() => acknowledged.length >= 20, '20 acknowledged writes', 60_000);
      const beforeBackup = [...acknowledged];
      const file = join(dir, 'copy.sqlite');
      const backup = await hub(['backup', '--out', file], live);
      expect(backup.code, backup.stderr).toBe(0);
      expect(JSON.parse(backup.stdout)).toEqual({ file, bytes: expect.any(Number) });
      const during = acknowledged.length - beforeBackup.length;
      expect(during).toBeGreaterThan(0);
      writing = false;
      await load;

      const again = await hub(['backup', '--out', file], live);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already exists/);

      const restoredUrl = `sqlite:${join(dir, 'restored.sqlite')}`;
      const restore = await hub(['restore', file], restoredUrl);
      expect(restore.code, restore.stderr).toBe(0);
      // A copy taken mid-write is consistent: the restored trail's hash chain verifies.
      const verify = await hub(['audit', 'verify'], restoredUrl);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, firstBrokenEventId: null });
      const refused = await hub(['restore', file], live);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/already holds a database.*--force/);

      const restored = await serve(restoredUrl);
      try {
        const kept = await titles(restored.url, token);
        for (const title of beforeBackup) expect(kept).toContain(title);
        for (const title of kept) if (title.startsWith('Write ')) expect(acknowledged.concat(`Write ${n}`)).toContain(title);
      } finally {
        await restored.stop();
      }
    } finally {
      writing = false;
      await load;
      await first.stop();
    }
  }, 180_000);

  it('restore refuses a file that is not a hub backup and leaves the database alone', async () => {
    const target = join(dir, 'untouched.sqlite');
    const run = await hub(['restore', join(ROOT, 'package.json')], `sqlite:${target}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a hub backup/);
    expect(existsSync(target)).toBe(false);
  }, 60_000);
});
