/**
 * Drill 5, hostile: for 60 s (--short: 20 s) one subscriber that stops reading, alias, mutation and
 * nesting bombs at the limits, sockets and subscriptions at the caps (set to 5 sockets × 10
 * subscriptions, SUBSCRIBER_BUFFER 200, so that a short run fills them), and one socket past, while 20
 * ordinary clients query and mutate. Reports the ordinary clients' p50/p99 and errors, /healthz's
 * p99 while the bombs run, the hub's peak RSS, and that the process never died.
 *
 * Invariants: the hub stays up; ordinary clients see no error; the stalled subscriber is closed
 * with 4503 and the socket past the cap with 4290.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ADD_COMMENT, createWorkspace, gql, hubCli, onCleanup, Report, round, rssMb, sleep, startHub, type DrillOptions } from './lib';

const ORDINARY = 20;
const SOCKETS_PER_TOKEN = 5;
const SUBSCRIPTIONS_PER_SOCKET = 10;
const SUBSCRIBER_BUFFER = 200;
const BODY = 'x'.repeat(8_000);

const SMALL_QUERY = '{ goals(first: 5) { nodes { title kpis { name current } models(first: 3) { nodes { name } } } } }';
/** 50 aliases (the limit), each a page of 100 goals: within the cost budget. */
const ALIAS_BOMB = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: goals(first: 100) { nodes { id title } }`).join(' ')} }`;
/** 12 levels (the limit) through connections that cycle back (goal → models → goal → …). */
const NESTING_BOMB =
  '{ goals(first: 3) { nodes { models(first: 3) { nodes { goal { models(first: 3) { nodes { goal { models(first: 3) { nodes { name } } } } } } } } } } }';
const TOKEN_BOMB = `{ viewer { ${'id '.repeat(6_000)} } }`;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

/** A raw graphql-transport-ws socket: resolves once acknowledged; `closed` settles with the close code. */
async function rawSocket(wsUrl: string, token: string): Promise<{ ws: WebSocket; closed: Promise<number>; acked: Promise<boolean> }> {
  const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const acked = new Promise<boolean>((resolve) => {
    ws.on('message', (data) => {
      if (String(data).includes('"connection_ack"')) resolve(true);
    });
    void closed.then(() => resolve(false));
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  onCleanup(() => ws.terminate());
  return { ws, closed, acked };
}

export async function hostile(opts: DrillOptions): Promise<Report> {
  const seconds = opts.short ? 20 : 60;
  const report = new Report(`Drill 5: hostile clients for ${seconds} s beside ${ORDINARY} ordinary ones`);
  const dir = mkdtempSync(join(tmpdir(), 'hub-drill-hostile-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'hub.sqlite')}`,
    RATE_LIMIT_POINTS_PER_MINUTE: '0',
    NODE_ENV: 'production',
    WS_MAX_SOCKETS_PER_TOKEN: String(SOCKETS_PER_TOKEN),
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(SUBSCRIPTIONS_PER_SOCKET),
    SUBSCRIBER_BUFFER: String(SUBSCRIBER_BUFFER),
  };
  const admin = await hubCli<{ token: string }>(
    ['user', 'create', '--name', 'Drill Admin', '--email', 'admin@drill.example', '--roles', 'ADMIN'],
    env,
  );
  const hub = await startHub('hub', env);
  const ws = await createWorkspace(hub.url, admin.token, 3, 'hostile');
  let died: string | null = null;
  void hub.exited.then((code) => (died ??= `exited (${code}):\n${hub.output().slice(-2000)}`));

  // The stalled subscriber: subscribes to the events' largest fields, then stops reading.
  const stalled = await rawSocket(hub.wsUrl, ws.token);
  await stalled.acked;
  // As many subscriptions as a socket may hold: each event is sent once per subscription.
  for (let i = 0; i < SUBSCRIPTIONS_PER_SOCKET; i++) {
    stalled.ws.send(
      JSON.stringify({ id: `flood${i}`, type: 'subscribe', payload: { query: 'subscription { lifecycleEvents { id summary data } }' } }),
    );
  }
  await sleep(200);
  stalled.ws.pause();

  // Sockets and subscriptions at the caps, and one socket past them.
  const capped = await Promise.all(Array.from({ length: SOCKETS_PER_TOKEN }, () => rawSocket(hub.wsUrl, admin.token)));
  for (const [s, socket] of capped.entries()) {
    if (!(await socket.acked)) continue;
    for (let i = 0; i < SUBSCRIPTIONS_PER_SOCKET; i++) {
      socket.ws.send(JSON.stringify({ id: `s${s}-${i}`, type: 'subscribe', payload: { query: 'subscription { lifecycleEvents { id } }' } }));
    }
  }
  const pastCap = await rawSocket(hub.wsUrl, admin.token);

  const deadline = Date.now() + seconds * 1000;
  const running = () => Date.now() < deadline && !died;
  const latencies: number[] = [];
  let ordinaryErrors = 0;
  const errorKinds = new Map<string, number>();
  let ordinaryWrites = 0;
  const ordinary = async (i: number) => {
    for (let n = 0; running(); n++) {
      const started = performance.now();
      const write = n % 5 === 4;
      const result = write
        ? await gql(hub.url, ws.token, ADD_COMMENT, { input: { subjectId: ws.models[i % 3].id, body: `ordinary ${i}.${n}` } })
        : await gql(hub.url, ws.token, SMALL_QUERY);
      latencies.push(performance.now() - started);
      if (result.networkError || result.errors?.length || result.status !== 200) {
        ordinaryErrors += 1;
        const what = result.networkError ?? `HTTP ${result.status} ${result.errors?.[0]?.extensions?.code ?? ''}`.trim();
        errorKinds.set(what, (errorKinds.get(what) ?? 0) + 1);
      } else if (write) ordinaryWrites += 1;
    }
  };
  const bombs = { alias: 0, nesting: 0, tokens: 0, mutations: 0 };
  const bomber = async (kind: keyof typeof bombs, query: () => string) => {
    while (running()) {
      await gql(hub.url, ws.token, query(), {}, 30_000);
      bombs[kind] += 1;
    }
  };
  /** 20 root mutations (the limit), each an 8,000-character comment: the stalled subscriber's flood. */
  const mutationBomb = () =>
    `mutation { ${Array.from({ length: 20 }, (_, i) => `c${i}: addComment(input: { subjectId: "${ws.models[i % 3].id}", body: "${BODY}" }) { comment { id } }`).join(' ')} }`;
  const health: number[] = [];
  const healthz = async () => {
    while (running()) {
      const started = performance.now();
      const ok = await fetch(`${hub.base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      health.push(ok ? performance.now() - started : Number.POSITIVE_INFINITY);
      await sleep(100);
    }
  };
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, rssMb(hub.pid));
    } catch {
      died ??= 'gone from /proc';
    }
  }, 500);
  await Promise.all([
    ...Array.from({ length: ORDINARY }, (_, i) => ordinary(i)),
    bomber('alias', () => ALIAS_BOMB),
    bomber('nesting', () => NESTING_BOMB),
    bomber('tokens', () => TOKEN_BOMB),
    bomber('mutations', mutationBomb),
    bomber('mutations', mutationBomb),
    bomber('mutations', mutationBomb),
    healthz(),
  ]);
  clearInterval(sampler);

  // It reads again, to find the close frame the hub queued behind what it had sent.
  stalled.ws.resume();
  const stalledCode = await Promise.race([stalled.closed, sleep(10_000).then(() => null)]);
  const pastCapCode = await Promise.race([pastCap.closed, sleep(5_000).then(() => null)]);
  const sorted = [...latencies].sort((a, b) => a - b);
  const healthSorted = [...health].sort((a, b) => a - b);
  report.figure(
    'ordinary clients',
    `${ORDINARY}: ${latencies.length} requests (${ordinaryWrites} writes), p50 ${round(percentile(sorted, 50))} ms, p99 ${round(percentile(sorted, 99))} ms`,
  );
  report.figure(
    '/healthz while bombed',
    `${health.length} probes, p50 ${round(percentile(healthSorted, 50))} ms, p99 ${round(percentile(healthSorted, 99))} ms`,
  );
  report.figure(
    'bombs sent',
    `${bombs.alias} alias (50), ${bombs.nesting} nesting (12 levels), ${bombs.tokens} token (6,000), ${bombs.mutations} mutation (20 × 8 kB comments, 3 at a time)`,
  );
  report.figure('events published', ordinaryWrites + bombs.mutations * 20);
  report.figure('sockets at the cap', `${capped.length} × ${SUBSCRIPTIONS_PER_SOCKET} subscriptions`);
  report.figure('peak RSS', `${round(peakRss)} MB`);
  report.check('the hub stayed up', died === null, died ?? 'alive');
  report.check(
    'ordinary clients saw no error',
    ordinaryErrors === 0,
    ordinaryErrors ? `${ordinaryErrors}: ${[...errorKinds].map(([k, v]) => `${v} × ${k}`).join(', ')}` : 0,
  );
  // 1006: the hub closed it with 4503 more than 30 s before it read again, and ws's close timeout
  // then dropped the connection (the full run); the short run reads the 4503 itself.
  report.check(
    'the stalled subscriber was closed (4503)',
    stalledCode === 4503 || (!opts.short && stalledCode === 1006),
    stalledCode ?? 'still open',
  );
  report.check('the socket past the cap was closed with 4290', pastCapCode === 4290, pastCapCode ?? 'still open');
  const exit = await hub.kill('SIGTERM');
  report.check('SIGTERM exit code', exit === 0, exit);
  return report;
}
