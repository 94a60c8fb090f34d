/**
 * What every drill shares: hub processes (`node bin/hub.js serve`), a GraphQL client over HTTP, graphql-ws
 * subscribers, checks, tables, RSS samples and a clean-up list that runs even when a drill fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const ROOT = join(__dirname, '..');
const HUB = join(ROOT, 'bin', 'hub.js');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options every drill gets from the command line. */
export interface DrillOptions {
  short: boolean;
  /** Known server bugs fail the run too (`--strict`). */
  strict: boolean;
  /** Soak length in minutes (`--minutes N`, default 5; `--short`: 0.5). */
  minutes: number;
}

// ---------------------------------------------------------------------------------------------
// Checks and tables

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** A server bug this check is known to find (file: what happens), reported but not failing the run unless --strict. */
  known?: string;
}

/** The figures and invariants of one drill; the runner prints them and fails on a broken invariant. */
export class Report {
  readonly figures: [string, string | number][] = [];
  readonly checks: Check[] = [];
  constructor(readonly drill: string) {}

  figure(name: string, value: string | number): void {
    this.figures.push([name, value]);
  }

  check(name: string, ok: boolean, detail: string | number = '', known?: string): boolean {
    this.checks.push({ name, ok, detail: String(detail), known });
    return ok;
  }

  /** Broken invariants; with `strict`, known server bugs count too. */
  failed(strict: boolean): Check[] {
    return this.checks.filter((c) => !c.ok && (strict || !c.known));
  }

  /** Known server bugs that this run reproduced. */
  get knownBugs(): Check[] {
    return this.checks.filter((c) => !c.ok && c.known);
  }

  print(): void {
    const rows: [string, string, string][] = [
      ...this.figures.map(([n, v]): [string, string, string] => [n, String(v), '']),
      ...this.checks.map((c): [string, string, string] => [c.name, c.detail, c.ok ? 'ok' : c.known ? 'KNOWN' : 'FAILED']),
    ];
    const w0 = Math.max(6, ...rows.map((r) => r[0].length));
    const w1 = Math.max(8, ...rows.map((r) => r[1].length));
    const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+--------+`;
    console.log(`\n${this.drill}`);
    console.log(line);
    console.log(`| ${'what'.padEnd(w0)} | ${'measured'.padEnd(w1)} | check  |`);
    console.log(line);
    for (const [a, b, c] of rows) console.log(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c.padEnd(6)} |`);
    console.log(line);
  }
}

// ---------------------------------------------------------------------------------------------
// Clean-up that runs on success, failure and Ctrl-C

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers a clean-up; returns a function that runs it now (once) and forgets it. */
export function onCleanup(fn: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    const i = cleanups.indexOf(once);
    if (i >= 0) cleanups.splice(i, 1);
    await fn();
  };
  cleanups.push(once);
  return once;
}

/** Runs every registered clean-up, newest first; errors are logged, never thrown. */
export async function cleanUpAll(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups[cleanups.length - 1];
    try {
      await fn();
    } catch (err) {
      console.error(`clean-up failed: ${(err as Error).message}`);
    }
    if (cleanups[cleanups.length - 1] === fn) cleanups.pop();
  }
}

// ---------------------------------------------------------------------------------------------
// Hub processes

export interface Hub {
  name: string;
  child: ChildProcess;
  pid: number;
  url: string;
  wsUrl: string;
  base: string;
  /** stdout and stderr, for the post-mortem of a failure. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** Sends a signal; resolves when the process is gone. */
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/** Starts `node bin/hub.js serve` with `env` (on top of quiet defaults and PORT=0) and waits until it listens. */
export async function startHub(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Hub> {
  const child = spawn(process.execPath, [HUB, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const forget = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  void exited.then(() => forget());
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${out.slice(-3000)}`)), timeoutMs);
    const look = () => {
      const found = /listening on (http:\/\/\S+\/graphql)/.exec(out)?.[1];
      if (found) {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        resolve(found);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${out.slice(-3000)}`));
    });
  });
  return {
    name,
    child,
    pid: child.pid!,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    base: url.replace(/\/graphql$/, ''),
    output: () => out,
    exited,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a `hub` CLI command (e.g. `user create …`) and returns its stdout's last line as JSON. */
export async function hubCli<T = Record<string, unknown>>(args: string[], env: Record<string, string>): Promise<T> {
  const child = spawn(process.execPath, [HUB, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`hub ${args.join(' ')} exited ${code}: ${err}${out}`);
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** The resident set size of a process in MB (VmRSS in /proc/<pid>/status). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}

// ---------------------------------------------------------------------------------------------
// GraphQL over HTTP

export interface GqlError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GqlResult<T = any> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
  /** Set when there was no HTTP answer at all (connection refused or reset, timeout). */
  networkError?: string;
  /** The raw body, for checks on what leaks. */
  text: string;
}

/** One GraphQL request; never throws: a network failure comes back as `networkError`. */
export async function gql<T = any>(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  timeoutMs = 15_000,
): Promise<GqlResult<T>> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: { data?: T | null; errors?: GqlError[] } = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
    }
    return { status: res.status, data: json.data, errors: json.errors, text };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, networkError: cause?.code ?? cause?.message ?? (err as Error).message, text: '' };
  }
}

/** The data of a request that must succeed. */
export async function must<T = any>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await gql<T>(url, token, query, variables);
  if (result.networkError || result.errors?.length || !result.data) {
    throw new Error(
      `expected success from ${url}, got ${result.networkError ?? `HTTP ${result.status} ${JSON.stringify(result.errors)}`}\nquery: ${query.slice(0, 200)}`,
    );
  }
  return result.data;
}

/** Retries `fn` until it returns true or `timeoutMs` passes; resolves with the time taken, or null on a timeout. */
export async function until(fn: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      if (await fn()) return Date.now() - started;
    } catch {
      // not yet
    }
    await sleep(everyMs);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The workspace the drills write into

export const ROLES_ALL = ['ADMIN', 'SME', 'DATA_SCIENTIST', 'ML_ENGINEER', 'RISK_MANAGER'];

export interface Workspace {
  adminToken: string;
  /** A user who may do everything the drills do (every role). */
  token: string;
  userId: string;
  goalId: string;
  kpiId: string;
  models: { id: string; name: string; versionId: string }[];
}

/**
 * Creates a user of every role (through the first ADMIN, whose token `hub user create` printed), a
 * goal with a KPI, and `modelCount` models with one version each: what the drills' writes need.
 */
export async function createWorkspace(url: string, adminToken: string, modelCount: number, tag = 'drill'): Promise<Workspace> {
  const created = await must(url, adminToken, `mutation ($input: CreateUserInput!) { createUser(input: $input) { token user { id } } }`, {
    input: { name: 'Drill Worker', email: `worker-${tag}-${Date.now()}@drill.example`, roles: ROLES_ALL },
  });
  const token = created.createUser.token as string;
  const goal = await must(url, token, `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { goal { id } } }`, {
    input: { title: `Drill goal ${tag}`, businessQuestion: 'Does the hub keep every event?' },
  });
  const goalId = goal.createGoal.goal.id as string;
  const kpi = await must(url, token, `mutation ($input: AddKpiInput!) { addKpi(input: $input) { kpi { id } } }`, {
    input: { goalId, name: 'kept', direction: 'HIGHER_IS_BETTER', unit: '%' },
  });
  const models: Workspace['models'] = [];
  for (let i = 1; i <= modelCount; i++) {
    const name = `${tag}-m${i}`;
    const model = await must(url, token, `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { model { id } } }`, {
      input: { goalId, name },
    });
    const id = model.registerModel.model.id as string;
    const version = await must(
      url,
      token,
      `mutation ($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { id } } }`,
      { input: { modelId: id } },
    );
    models.push({ id, name, versionId: version.createModelVersion.modelVersion.id });
  }
  return { adminToken, token, userId: created.createUser.user.id, goalId, kpiId: kpi.addKpi.kpi.id, models };
}

export const ADD_COMMENT = `mutation ($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }`;
export const RECORD_KPI = `mutation ($input: RecordKpiValueInput!) { recordKpiValue(input: $input) { kpi { id } } }`;

export interface EventNode {
  id: string;
  type: string;
  summary: string;
  goal: { id: string } | null;
  model: { id: string } | null;
}

const EVENT_FIELDS = 'id type summary goal { id } model { id }';

/**
 * The catch-up recipe of README "Reliability": `events(filter)` newest first, page after page, until
 * the page that holds `stopAt` (the last event id a client saw), or the beginning. Returns the newer
 * events, oldest first (the order they were committed in).
 */
export async function eventsSince(url: string, token: string, filter: Record<string, unknown> | null, stopAt: string | null): Promise<EventNode[]> {
  const newestFirst: EventNode[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await must(
      url,
      token,
      `query ($filter: EventFilter, $after: String) { events(filter: $filter, first: 100, after: $after) { nodes { ${EVENT_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
      { filter, after },
    );
    for (const node of data.events.nodes as EventNode[]) {
      if (node.id === stopAt) return newestFirst.reverse();
      newestFirst.push(node);
    }
    if (!data.events.pageInfo.hasNextPage) return newestFirst.reverse();
    after = data.events.pageInfo.endCursor;
  }
}

/** The id of the newest event (null when there is none). */
export async function newestEventId(url: string, token: string): Promise<string | null> {
  const data = await must(url, token, '{ events(first: 1) { nodes { id } } }');
  return data.events.nodes[0]?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// graphql-ws subscribers

export interface Subscriber {
  index: number;
  filter: Record<string, unknown> | null;
  /** Event ids in the order received. */
  received: string[];
  /** The close code, once the socket closed. */
  closeCode: number | null;
  closeReason: string;
  errors: string[];
  client: Client;
  dispose(): void;
}

/**
 * A graphql-ws client subscribed to `lifecycleEvents(filter)` that records what it gets and how its
 * socket closed; it does not reconnect (a drill wants to see the close). graphql-transport-ws does
 * not acknowledge a subscription, so a drill knows it is live once it has received an event.
 */
export function subscribe(
  wsUrl: string,
  token: string,
  filter: Record<string, unknown> | null,
  index = 0,
  onEvent?: (id: string) => void,
): Subscriber {
  const sub: Subscriber = {
    index,
    filter,
    received: [],
    closeCode: null,
    closeReason: '',
    errors: [],
    client: createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      keepAlive: 0,
      // The close is what the drill looks at (on.closed); graphql-ws would print it to the console.
      onNonLazyError: () => undefined,
      on: {
        closed: (event) => {
          sub.closeCode = (event as { code?: number }).code ?? -1;
          sub.closeReason = String((event as { reason?: string }).reason ?? '');
        },
      },
    }),
    dispose: () => void sub.client.dispose(),
  };
  sub.client.subscribe<{ lifecycleEvents: { id: string } }>(
    { query: 'subscription ($filter: EventFilter) { lifecycleEvents(filter: $filter) { id } }', variables: { filter } },
    {
      next: (msg) => {
        const id = msg.data?.lifecycleEvents.id;
        if (id) {
          sub.received.push(id);
          onEvent?.(id);
        } else if (msg.errors) sub.errors.push(JSON.stringify(msg.errors));
      },
      error: (err) => sub.errors.push(err instanceof Error ? err.message : `closed ${(err as { code?: number }).code ?? ''}`),
      complete: () => undefined,
    },
  );
  return sub;
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx ? sxy / sxx : 0;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
