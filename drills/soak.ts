/**
 * Drill 4, soak: the peak of a mixed load (nine reads to one write, autocannon, 16 connections) is
 * measured first; then half of it is held for `--minutes` (default 5; --short: 1) with 20 live
 * subscribers, while the hub's RSS is sampled from /proc/<pid>/status.
 *
 * Invariant: no obviously unbounded growth, i.e. not both a least-squares slope above
 * SLOPE_LIMIT_MB_PER_MIN and a growth above GROWTH_LIMIT_MB (from the lowest RSS of the first third
 * to the lowest of the last) after the warm-up (the first fifth of the soak, while JIT and caches
 * settle): a steady leak of ~10 MB/min would take a hub with 512 MB to
 * its limit within the hour; a 1-minute run only fails on a far steeper climb (> 64 MB in 48 s; in
 * 30 s the heap's first growth before its first full collection could pass for one). And
 * no errors under a load the hub can carry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ADD_COMMENT, createWorkspace, hubCli, onCleanup, Report, round, rssMb, sleep, slope, startHub, subscribe, type DrillOptions } from './lib';

export const SLOPE_LIMIT_MB_PER_MIN = 10;
export const GROWTH_LIMIT_MB = 64;
const CONNECTIONS = 16;
const SUBSCRIBERS = 20;

const READS = [
  `{ goals(first: 10) { nodes { title owner { name } kpis { name current target } models(first: 5) { totalCount nodes { name latestVersion { version stage } } } } } }`,
  `{ models(first: 10) { nodes { name versions(first: 5) { nodes { version stage card { intendedUse } } } comments(first: 5) { nodes { body author { name } } } } } }`,
  `{ events(first: 20) { nodes { type summary occurredAt actor { name } } } }`,
];

export async function soak(opts: DrillOptions): Promise<Report> {
  const seconds = Math.round(opts.minutes * 60);
  const report = new Report(
    `Drill 4: soak, ${seconds >= 120 ? `${round(seconds / 60)} min` : `${seconds} s`} at half the measured peak (9 reads : 1 write, ${SUBSCRIBERS} subscribers)`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'hub-drill-soak-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  // Every subscriber of the drill uses one token: lift the sockets-per-token cap (WS_MAX_SOCKETS_PER_TOKEN) for it.
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'hub.sqlite')}`,
    RATE_LIMIT_POINTS_PER_MINUTE: '0',
    NODE_ENV: 'production',
    WS_MAX_SOCKETS_PER_TOKEN: '100000',
  };
  const admin = await hubCli<{ token: string }>(
    ['user', 'create', '--name', 'Drill Admin', '--email', 'admin@drill.example', '--roles', 'ADMIN'],
    env,
  );
  const hub = await startHub('hub', env);
  const ws = await createWorkspace(hub.url, admin.token, 3, 'soak');
  const subs = Array.from({ length: SUBSCRIBERS }, (_, i) => subscribe(hub.wsUrl, ws.token, null, i));
  onCleanup(() => subs.forEach((s) => s.dispose()));
  await sleep(500);

  const requests = Array.from({ length: 10 }, (_, i) => ({
    method: 'POST' as const,
    body: JSON.stringify(
      i === 9
        ? { query: ADD_COMMENT, variables: { input: { subjectId: ws.models[i % 3].id, body: 'soak: still here' } } }
        : { query: READS[i % READS.length] },
    ),
  }));
  const load = (duration: number, overallRate?: number) =>
    autocannon({
      url: hub.url,
      connections: CONNECTIONS,
      duration,
      requests,
      ...(overallRate ? { overallRate } : {}),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token}` },
    });
  await load(2);
  const peak = await load(opts.short ? 5 : 10);
  const peakRps = Math.round(peak.requests.average);
  const rate = Math.max(1, Math.round(peakRps / 2));

  const samples: { x: number; y: number }[] = [];
  const started = Date.now();
  let died: string | null = null;
  void hub.exited.then((code) => (died ??= `exited (${code}) during the soak:\n${hub.output().slice(-2000)}`));
  const sample = () => {
    try {
      samples.push({ x: (Date.now() - started) / 60_000, y: rssMb(hub.pid) });
    } catch {
      died ??= 'gone from /proc during the soak';
    }
  };
  sample();
  const timer = setInterval(sample, opts.short ? 2_000 : 5_000);
  const delivered = () => subs.reduce((s, x) => s + x.received.length, 0);
  const deliveredBefore = delivered();
  const held = await load(seconds, rate);
  clearInterval(timer);
  sample();
  const deliveredDuring = delivered() - deliveredBefore;
  if (died) throw new Error(`the hub ${died}`);
  const exit = await hub.kill('SIGTERM');

  // The first fifth is warm-up (JIT, caches, SQLite's page cache filling); the verdict is on the rest.
  const settled = samples.filter((s) => s.x >= samples[samples.length - 1].x / 5);
  const first = settled[0].y;
  const last = settled[settled.length - 1].y;
  // Growth is measured between floors, the lowest RSS of the first and of the last third: one
  // sample rides the collector's sawtooth (the 64 MB young generation swings RSS by ~100 MB
  // between two samples), while a leak raises the level the collector comes back down to.
  const third = Math.max(1, Math.floor(settled.length / 3));
  const floorGrowth = Math.min(...settled.slice(-third).map((s) => s.y)) - Math.min(...settled.slice(0, third).map((s) => s.y));
  const max = Math.max(...samples.map((s) => s.y));
  const mbPerMin = slope(settled);
  const secondHalf = slope(samples.slice(Math.floor(samples.length / 2)));
  const errors = held.errors + held.non2xx + held.timeouts;
  const writes = Math.round(held.requests.total / 10);
  report.figure('peak (16 connections, mixed)', `${peakRps} req/s, p99 ${peak.latency.p99} ms`);
  report.figure(
    'held',
    `${round(held.requests.average)} req/s for ${seconds} s (target ${rate}): ${held.requests.total} requests, ~${writes} writes; p50 ${held.latency.p50} ms, p99 ${held.latency.p99} ms`,
  );
  report.figure('events pushed to subscribers', `${deliveredDuring} (${SUBSCRIBERS} subscribers)`);
  report.figure(
    'RSS at start / after warm-up / end / max',
    `${round(samples[0].y)} / ${round(first)} / ${round(last)} / ${round(max)} MB (${samples.length} samples)`,
  );
  report.figure('RSS slope after warm-up / second half', `${round(mbPerMin, 2)} / ${round(secondHalf, 2)} MB/min`);
  report.check(
    `no unbounded growth (not both > ${SLOPE_LIMIT_MB_PER_MIN} MB/min and > ${GROWTH_LIMIT_MB} MB from floor to floor)`,
    !(mbPerMin > SLOPE_LIMIT_MB_PER_MIN && floorGrowth > GROWTH_LIMIT_MB),
    `${round(mbPerMin, 2)} MB/min, ${round(floorGrowth)} MB`,
  );
  report.check('errors at half the peak', errors === 0, `${errors} (${held.errors} errors, ${held.non2xx} non-2xx, ${held.timeouts} timeouts)`);
  report.check(
    'subscribers still connected',
    subs.every((s) => s.closeCode === null || s.closeCode === 1001),
    subs.filter((s) => s.closeCode !== null && s.closeCode !== 1001).length,
  );
  report.check('SIGTERM exit code', exit === 0, exit);
  return report;
}
