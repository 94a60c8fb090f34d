import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SrvDemoGoalsDocument, SrvUserCountDocument, ViewerDocument } from '../../src/generated/operations';
import { ok, post, request } from '../helpers/client';
import { children, demoTokens, listeningUrl, serve, START_TIMEOUT, stop, STOP_TIMEOUT, type Served } from '../helpers/serve';

/**
 * The newcomer's path: `npm start` (`hub serve`) on a new SQLite file migrates it, seeds the demo
 * workspace, prints the demo tokens once and serves them; a second start on the same file does not
 * seed again; SIGTERM shuts down cleanly.
 */

describe('hub serve on a new SQLite file', () => {
  let dir: string;
  let databaseUrl: string;
  let first: Served;
  let url: string;
  let demo: { name: string; roles: string; token: string }[];
  let smeToken: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-start-'));
    databaseUrl = `sqlite:${join(dir, 'hub.sqlite')}`;
    first = serve(databaseUrl);
    url = await first.waitFor('the "listening" line with a real port', listeningUrl);
    demo = await first.waitFor('six demo users with tokens', demoTokens);
    smeToken = demo.find((u) => u.roles === 'SME')!.token;
  }, START_TIMEOUT + 5_000);

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints one demo user per role, each with a distinct token', () => {
    expect(demo.map((u) => u.roles).sort()).toEqual(['ADMIN', 'DATA_ENGINEER', 'DATA_SCIENTIST', 'ML_ENGINEER', 'RISK_MANAGER', 'SME']);
    expect(new Set(demo.map((u) => u.token)).size).toBe(6);
  });

  it('serves the demo goal to the SME: churn-model with three versions, KPIs with current values', async () => {
    const { goals } = ok(await request(url, SrvDemoGoalsDocument, {}, smeToken));
    expect(goals.totalCount).toBe(1);
    const [goal] = goals.nodes;
    expect(goal.title).toBe('Reduce customer churn');
    expect(goal.owner.name).toBe(demo.find((u) => u.roles === 'SME')!.name);
    expect(goal.models.nodes.map((m) => m.name)).toEqual(['churn-model']);
    const [model] = goal.models.nodes;
    expect(model.versions.totalCount).toBe(3);
    expect(model.versions.nodes.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(model.latestVersion?.version).toBe(3);
    expect(goal.kpis.length).toBeGreaterThan(0);
    for (const kpi of goal.kpis) expect(kpi.current, kpi.name).toEqual(expect.any(Number));
  });

  it('lets every printed token in as the user it was printed for', async () => {
    for (const u of demo) {
      const { viewer } = ok(await request(url, ViewerDocument, {}, u.token));
      expect(viewer.name).toBe(u.name);
      expect(viewer.roles.join(',')).toBe(u.roles);
    }
  });

  it('prints a curl example that works as printed', async () => {
    const data = first.lines.map((l) => /^\s+-d '(.*)'$/.exec(l)?.[1]).find((d) => d !== undefined);
    const curl = first.lines.find((l) => l.trimStart().startsWith('curl '));
    expect(curl).toContain(url);
    expect(curl).toContain(`authorization: Bearer ${smeToken}`);
    expect(data).toBeDefined();
    const result = await post<{ goals: { nodes: { title: string }[] } }>(url, data!, smeToken);
    expect(ok(result).goals.nodes.map((g) => g.title)).toEqual(['Reduce customer churn']);
  });

  it('answers GET /healthz and GET /readyz with 200', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(new URL(path, url));
      expect(res.status, path).toBe(200);
    }
  });

  it(
    'exits with code 0 on SIGTERM',
    async () => {
      expect(await stop(first)).toEqual({ code: 0, signal: null });
    },
    STOP_TIMEOUT + 5_000,
  );

  it(
    'a second start on the same file does not seed again',
    async () => {
      const second = serve(databaseUrl);
      const secondUrl = await second.waitFor('the "listening" line with a real port', listeningUrl);
      // The hub prints its whole start-up message before it waits for signals.
      await second.waitFor('the hint after the "listening" line', (lines) => lines.find((l) => /token create/.test(l)));

      const { goals } = ok(await request(secondUrl, SrvDemoGoalsDocument, {}, smeToken));
      expect(goals.nodes.map((g) => g.title)).toEqual(['Reduce customer churn']);
      expect(ok(await request(secondUrl, SrvUserCountDocument, {}, smeToken)).users.totalCount).toBe(6);

      const exit = await stop(second);
      const stdout = second.lines.join('\n');
      expect(stdout).not.toContain('Demo users');
      expect(stdout).not.toMatch(/mh_[A-Za-z0-9_-]{20,}/);
      expect(exit).toEqual({ code: 0, signal: null });
    },
    START_TIMEOUT + STOP_TIMEOUT,
  );
});
