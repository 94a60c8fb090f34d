/** Small helpers shared by the benchmark's workloads: child processes, latency summaries, GraphQL calls. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

export interface Latency {
  p50_ms: number;
  p99_ms: number;
  n: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50_ms: round(percentile(sorted, 50)), p99_ms: round(percentile(sorted, 99)), n: samples.length };
}

export function round(value: number, digits = 2): number {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The message of anything thrown, on one line. */
export function reason(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]
    .slice(0, 500);
}

/** A process the benchmark started, and how to reach and stop it. */
export interface Service {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The first URL the process printed as `listening on <url>`. */
  url: string;
  stdout: string;
  /** The last few kilobytes of stderr, for error reports. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts a process and waits until it prints `listening on <url>` (and whatever else `ready` needs). */
export function startService(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number; ready?: (stdout: string) => boolean } = {},
): Promise<Service> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8192);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not start within ${(options.timeoutMs ?? 90_000) / 1000} s: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    }, options.timeoutMs ?? 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (https?:\/\/\S+)/.exec(stdout)?.[1];
      if (url && (options.ready?.(stdout) ?? true)) {
        clearTimeout(timer);
        resolve({ name, child, pid: child.pid!, url, stdout, stderr: () => stderr, stop });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** Runs a command to completion; resolves with stdout, rejects with the tail of stderr. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4096)));
    // A command that cannot start at all (not installed) is a rejection, not an unhandled 'error' event.
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) return resolve(out);
      // Some tools (tsc) say what went wrong on stdout: the last lines of both.
      const tail = [out, err].flatMap((text) => text.trim().split('\n').slice(-2)).filter(Boolean);
      reject(new Error(`${[command, ...args].join(' ')} exited ${code}: ${tail.join(' | ')}`));
    });
  });
}

/** Peak resident set size (VmHWM) of a process, in MiB; null where /proc is not there. */
/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc (clock ticks of
 * 10 ms: Linux's USER_HZ of 100); null where there is no /proc.
 */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3, utime 14 and stime 15 (proc(5)).
    return (Number(fields[14 - 3]) + Number(fields[15 - 3])) * 10;
  } catch {
    return null;
  }
}

export function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export interface GqlResult<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One GraphQL call over HTTP; GraphQL errors become exceptions unless `allowErrors`. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: GqlResult<T>;
  try {
    body = JSON.parse(text) as GqlResult<T>;
  } catch {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw new Error(`${body.errors[0].message} (${String(body.errors[0].extensions?.code ?? res.status)})`);
  return body.data as T;
}

/** Runs `fn` over `items` with `concurrency` workers; returns each call's latency (ms) and the errors. */
export async function runAll<I>(
  items: readonly I[],
  concurrency: number,
  fn: (item: I) => Promise<void>,
): Promise<{ latencies: number[]; errors: string[]; elapsedMs: number }> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        try {
          await fn(item);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors.push(reason(err));
        }
      }
    }),
  );
  return { latencies, errors, elapsedMs: performance.now() - started };
}
