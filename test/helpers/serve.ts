import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from './schema';
import { within } from './wait';

/** `hub serve` as a child process, as an operator starts it. */

/** Start-up is a fresh Node process loading the sources through tsx, then migrations and the seed. */
export const START_TIMEOUT = 45_000;
export const STOP_TIMEOUT = 15_000;

export interface Served {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  lines: string[];
  stderr(): string;
  /** Resolves with the first non-undefined `pick(lines)`; rejects on timeout or when the process ends first. */
  waitFor<T>(what: string, pick: (lines: string[]) => T | undefined, ms?: number): Promise<T>;
  /** Resolves when the process has exited and its output is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const children = new Set<ChildProcessWithoutNullStreams>();

/** Starts `node bin/hub.js serve` with a clean environment for the hub's own settings. */
export function serve(databaseUrl: string, settings: NodeJS.ProcessEnv = {}): Served {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  // As after `npm install && npm start`: no SEED_DEMO, no NODE_ENV (Vitest sets NODE_ENV=test, which changes Apollo's defaults).
  delete env.SEED_DEMO;
  delete env.NODE_ENV;
  Object.assign(env, settings);
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
export function listeningUrl(lines: string[]): string | undefined {
  for (const line of lines) {
    const match = /^ModelOps Hub is listening on (http:\/\/127\.0\.0\.1:(\d+)\/graphql)\b/.exec(line);
    if (match && Number(match[2]) > 0) return match[1];
  }
  return undefined;
}

/** The demo users' lines after "Demo users", once all six are there. */
export function demoTokens(lines: string[]): { name: string; roles: string; token: string }[] | undefined {
  const start = lines.findIndex((l) => l.startsWith('Demo users'));
  if (start < 0) return undefined;
  const users = lines
    .slice(start + 1, start + 7)
    .map((l) => /^\s+(\S.*?)\s+([A-Z_,]+)\s+(mh_[A-Za-z0-9_-]+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], roles: m[2], token: m[3] }));
  return users.length === 6 ? users : undefined;
}

export function stop(hub: Served): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  hub.child.kill('SIGTERM');
  return within(hub.exited, STOP_TIMEOUT, () => `the hub to exit on SIGTERM\nstderr:\n${hub.stderr()}`);
}
