import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SrvDemoGoalsDocument, SrvUserCountDocument, ViewerDocument } from '../../src/generated/operations';
import { ok, post, request } from '../helpers/client';
import { ROOT } from '../helpers/schema';
import { within } from '../helpers/wait';

/**
 * The newcomer's path: `npm start` (`hub serve`) on a new SQLite file migrates it, seeds the demo
 * workspace, prints the demo tokens once and serves them; a second start on the same file does not
 * seed again; SIGTERM shuts down cleanly.
 */

/** Start-up is a fresh Node process loading the sources through tsx, then migrations and the seed. */
const START_TIMEOUT = 45_000;
const STOP_TIMEOUT = 15_000;

interface Served {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  lines: string[];
  stderr(): string;
  /** Resolves with the first non-undefined `pick(lines)`; rejects on timeout or when the process ends first. */
  waitFor<T>(what: string, pick: (lines: string[]) => T | undefined, ms?: number): Promise<T>;
  /** Resolves when the process has exited and its output is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcessWithoutNullStreams>();

/** Starts `node bin/hub.js serve` with a clean environment for the hub's own settings. */
function serve(databaseUrl: string): Served {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  // As after `npm install && npm start`: no SEED_DEMO, no NODE_ENV (Vitest sets NODE_ENV=test, which changes Apollo's defaults).
  delete env.SEED_DEMO;
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['bin/hub.js', 'serve'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const lines: string[] = [];
  let stderr = '';
  let closed = false;
  const listeners = new Set<() => void>();
  const notify = () => [...listeners].forEach((l) => l());
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      closed = true;
      children.delete(child);
      notify();
      resolve({ code, signal });
    });
  });
  // Stack frames in a child's output would be taken for the assertion's own by Vitest.
  const output = () => `stdout:\n${lines.join('\n')}\nstderr:\n${stderr.replace(/^(\s+)at /gm, '$1@ ')}`;
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor: (what, pick, ms = START_TIMEOUT) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out after ${ms} ms waiting for ${what}\n${output()}`)), ms);
        function finish(err: Error | null, value?: unknown) {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(value as never);
        }
        function check() {
          const value = pick(lines);
          if (value !== undefined) finish(null, value);
          else if (closed) finish(new Error(`the hub exited before ${what}\n${output()}`));
        }
        listeners.add(check);
        check();
      }),
  };
}

/** The GraphQL URL from "ModelOps Hub is listening on http://127.0.0.1:<port>/graphql ...". */
function listeningUrl(lines: string[]): string | undefined {
  for (const line of lines) {
    const match = /^ModelOps Hub is listening on (http:\/\/127\.0\.0\.1:(\d+)\/graphql)\b/.exec(line);
    if (match && Number(match[2]) > 0) return match[1];
  }
  return undefined;
}

/** The demo users' lines after "Demo users", once all six are there. */
function demoTokens(lines: string[]): { name: string; roles: string; token: string }[] | undefined {
  const start = lines.findIndex((l) => l.startsWith('Demo users'));
  if (start < 0) return undefined;
  const users = lines
    .slice(start + 1, start + 7)
    .map((l) => /^\s+(\S.*?)\s+([A-Z_,]+)\s+(mh_[A-Za-z0-9_-]+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], roles: m[2], token: m[3] }));
  return users.length === 6 ? users : undefined;
}

function stop(hub: Served): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  hub.child.kill('SIGTERM');
  return within(hub.exited, STOP_TIMEOUT, () => `the hub to exit on SIGTERM\nstderr:\n${hub.stderr()}`);
}

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

  it('exits with code 0 on SIGTERM', async () => {
    expect(await stop(first)).toEqual({ code: 0, signal: null });
  }, STOP_TIMEOUT + 5_000);

  it('a second start on the same file does not seed again', async () => {
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
  }, START_TIMEOUT + STOP_TIMEOUT);
});
