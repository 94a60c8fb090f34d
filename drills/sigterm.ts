/**
 * Drill 2, SIGTERM under load: mixed reads and writes over HTTP and 200 graphql-ws subscribers
 * (four kinds of filter), then SIGTERM while the load goes on; the hub is started again on the
 * same database to check the outcome.
 *
 * Invariants: every acknowledged write is in the database; every subscriber got each committed
 * event it matched once and in commit order, or was closed with 1001 and then caught up without
 * a gap through the `events` query (README "Reliability": newest first down to the last id seen);
 * no subscriber got an event that was not committed; the hub exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADD_COMMENT,
  createWorkspace,
  eventsSince,
  gql,
  hubCli,
  must,
  newestEventId,
  onCleanup,
  RECORD_KPI,
  Report,
  round,
  sleep,
  startHub,
  subscribe,
  until,
  type DrillOptions,
  type EventNode,
  type Subscriber,
} from './lib';

const SUBSCRIBERS = 200;
const WRITERS = 6;
const READERS = 6;
const READ = `{ goals(first: 5) { nodes { title kpis { name current } models(first: 5) { nodes { name latestVersion { version stage } comments(first: 3) { nodes { body } } } } } }
  events(first: 10) { nodes { summary } } }`;

export async function sigterm(opts: DrillOptions): Promise<Report> {
  const report = new Report(`Drill 2: SIGTERM under load (${SUBSCRIBERS} graphql-ws subscribers, ${WRITERS} writers, ${READERS} readers)`);
  const dir = mkdtempSync(join(tmpdir(), 'hub-drill-sigterm-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  // Every subscriber of the drill uses one token: lift the sockets-per-token cap (WS_MAX_SOCKETS_PER_TOKEN) for it.
  const env = { DATABASE_URL: `sqlite:${join(dir, 'hub.sqlite')}`, RATE_LIMIT_POINTS_PER_MINUTE: '0', WS_MAX_SOCKETS_PER_TOKEN: '100000' };
  const admin = await hubCli<{ token: string }>(
    ['user', 'create', '--name', 'Drill Admin', '--email', 'admin@drill.example', '--roles', 'ADMIN'],
    env,
  );
  let hub = await startHub('hub', env);
  const ws = await createWorkspace(hub.url, admin.token, 2, 'sigterm');
  const [m1, m2] = ws.models;

  // Four kinds of subscriber: everything, one model, the other model, comments and KPI values.
  const filters: (Record<string, unknown> | null)[] = [null, { modelId: m1.id }, { modelId: m2.id }, { types: ['COMMENT_ADDED', 'KPI_RECORDED'] }];
  const matches = (filter: Record<string, unknown> | null, e: EventNode): boolean => {
    if (!filter) return true;
    if (filter.modelId) return e.model?.id === filter.modelId;
    return (filter.types as string[]).includes(e.type);
  };
  const subs: Subscriber[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) subs.push(subscribe(hub.wsUrl, ws.token, filters[i % filters.length], i));
  onCleanup(() => subs.forEach((s) => s.dispose()));
  // A subscription is live once it has received something: comment on both models until all have.
  const live = await until(
    async () => {
      await must(hub.url, ws.token, ADD_COMMENT, { input: { subjectId: m1.id, body: 'canary' } });
      await must(hub.url, ws.token, ADD_COMMENT, { input: { subjectId: m2.id, body: 'canary' } });
      await sleep(100);
      return subs.every((s) => s.received.length > 0);
    },
    30_000,
    0,
  );
  if (live === null)
    throw new Error(
      `subscribers not live: ${subs.filter((s) => !s.received.length).length} got nothing; errors: ${subs.flatMap((s) => s.errors).slice(0, 3)}`,
    );
  const watermark = await newestEventId(hub.url, ws.token);

  // The load: writers (comments, versions, KPI values) and readers, until the hub is gone.
  let running = true;
  let seq = 0;
  const acked: { kind: 'comment' | 'version' | 'kpi'; id: string }[] = [];
  let writesRefused = 0;
  let writesAfterSigterm = 0;
  let readsOk = 0;
  let readsFailed = 0;
  let sigtermAt = 0;
  const writer = async () => {
    while (running) {
      const n = ++seq;
      const model = n % 2 ? m1 : m2;
      const kind = n % 3 === 0 ? 'kpi' : n % 3 === 1 ? 'comment' : 'version';
      const res =
        kind === 'comment'
          ? await gql(hub.url, ws.token, ADD_COMMENT, { input: { subjectId: model.id, body: `load ${n}` } })
          : kind === 'kpi'
            ? await gql(hub.url, ws.token, RECORD_KPI, { input: { kpiId: ws.kpiId, value: n } })
            : await gql(
                hub.url,
                ws.token,
                `mutation ($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { id } } }`,
                { input: { modelId: model.id } },
              );
      if (res.data && !res.errors) {
        acked.push({
          kind,
          id: kind === 'comment' ? res.data.addComment.comment.id : kind === 'kpi' ? `kept = ${n} %` : res.data.createModelVersion.modelVersion.id,
        });
        if (sigtermAt) writesAfterSigterm++;
      } else {
        writesRefused++;
        if (!sigtermAt) throw new Error(`a write failed before SIGTERM: ${res.networkError ?? JSON.stringify(res.errors)}`);
        await sleep(20);
      }
    }
  };
  const reader = async () => {
    while (running) {
      const res = await gql(hub.url, ws.token, READ);
      if (res.data && !res.errors) readsOk++;
      else {
        readsFailed++;
        if (!sigtermAt) throw new Error(`a read failed before SIGTERM: ${res.networkError ?? JSON.stringify(res.errors)}`);
        await sleep(20);
      }
    }
  };
  const load = Promise.all([...Array.from({ length: WRITERS }, writer), ...Array.from({ length: READERS }, reader)]);
  await sleep(opts.short ? 5_000 : 20_000);
  const ackedBeforeSigterm = acked.length;
  const readsBeforeSigterm = readsOk;
  sigtermAt = Date.now();
  const exit = await hub.kill('SIGTERM');
  const shutdownMs = Date.now() - sigtermAt;
  running = false;
  await load;
  await until(() => subs.every((s) => s.closeCode !== null), 5_000, 50);

  // The same database, a new process: what survived? Changes made after the restart are what a
  // closed subscriber must catch up on, with the ones it missed during the shutdown.
  hub = await startHub('hub (after SIGTERM)', env);
  const lastBeforeRestart = await newestEventId(hub.url, ws.token);
  for (let i = 0; i < 10; i++) {
    await must(hub.url, ws.token, ADD_COMMENT, { input: { subjectId: (i % 2 ? m1 : m2).id, body: `after restart ${i}` } });
  }
  let writesFound = 0;
  const ids = acked.filter((a) => a.kind !== 'kpi').map((a) => a.id);
  for (let i = 0; i < ids.length; i += 100) {
    const data = await must(hub.url, ws.token, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(i, i + 100) });
    writesFound += (data.nodes as ({ id: string } | null)[]).filter(Boolean).length;
  }
  const all = await eventsSince(hub.url, ws.token, null, null);
  const rank = new Map(all.map((e, i) => [e.id, i]));
  const watermarkRank = watermark ? rank.get(watermark)! : -1;
  const committed = all.filter((e) => rank.get(e.id)! > watermarkRank);
  const summaries = new Set(committed.map((e) => e.summary));
  writesFound += acked.filter((a) => a.kind === 'kpi' && [...summaries].some((s) => s.endsWith(a.id))).length;

  let expectedTotal = 0;
  let delivered = 0;
  let duplicates = 0;
  let phantoms = 0;
  let outOfOrder = 0;
  let gaps = 0;
  let missedWithout1001 = 0;
  let caughtUpEvents = 0;
  let caughtUpSubscribers = 0;
  let catchUpFailures = 0;
  const closeCodes = new Map<string, number>();
  for (const sub of subs) {
    closeCodes.set(String(sub.closeCode), (closeCodes.get(String(sub.closeCode)) ?? 0) + 1);
    const expected = committed.filter((e) => matches(sub.filter, e));
    const live = expected.filter((e) => rank.get(e.id)! <= rank.get(lastBeforeRestart!)!);
    expectedTotal += live.length;
    const seen = new Set<string>();
    let last = -1;
    for (const id of sub.received) {
      if (seen.has(id)) duplicates++;
      seen.add(id);
      const r = rank.get(id);
      if (r === undefined) {
        phantoms++;
        continue;
      }
      if (r < last) outOfOrder++;
      last = Math.max(last, r);
    }
    delivered += live.filter((e) => seen.has(e.id)).length;
    const missing = expected.filter((e) => !seen.has(e.id));
    if (missing.some((e) => rank.get(e.id)! < last)) gaps++;
    if (sub.closeCode !== 1001) {
      missedWithout1001 += missing.length;
      continue;
    }
    // The catch-up recipe, for every subscriber closed with 1001: events(filter) newest first, down
    // to the last id it saw; what comes back must be exactly what it missed.
    const lastSeen = sub.received[sub.received.length - 1];
    const caught = await eventsSince(hub.url, ws.token, sub.filter, lastSeen);
    const caughtIds = new Set(caught.map((e) => e.id));
    caughtUpSubscribers++;
    caughtUpEvents += caught.length;
    if (missing.some((e) => !caughtIds.has(e.id)) || caught.some((e) => seen.has(e.id))) catchUpFailures++;
  }
  await hub.kill('SIGTERM');

  const writeRate = ackedBeforeSigterm / (opts.short ? 5 : 20);
  report.figure(
    'load before SIGTERM',
    `${opts.short ? 5 : 20} s: ${ackedBeforeSigterm} writes (${round(writeRate)}/s), ${readsBeforeSigterm} reads (${round(readsBeforeSigterm / (opts.short ? 5 : 20))}/s)`,
  );
  report.figure('SIGTERM to exit', `${shutdownMs} ms`);
  report.figure('writes acknowledged / refused during shutdown', `${acked.length} (${writesAfterSigterm} after SIGTERM) / ${writesRefused}`);
  report.figure('reads ok / refused during shutdown', `${readsOk} / ${readsFailed}`);
  report.figure('events committed under load (+10 after the restart)', committed.length - 10);
  report.figure(
    'events delivered live / matched (before the restart)',
    `${delivered} / ${expectedTotal} (${round((100 * delivered) / Math.max(1, expectedTotal))}%)`,
  );
  report.figure('subscribers by close code', [...closeCodes].map(([code, count]) => `${code}: ${count}`).join(', '));
  report.figure('caught up through events', `${caughtUpEvents} events for ${caughtUpSubscribers} subscribers`);
  report.check('acknowledged writes found in the database', writesFound === acked.length, `${writesFound} / ${acked.length}`);
  report.check('subscribers closed with 1001', (closeCodes.get('1001') ?? 0) === SUBSCRIBERS, `${closeCodes.get('1001') ?? 0} / ${SUBSCRIBERS}`);
  report.check('events missed without a 1001 close', missedWithout1001 === 0, missedWithout1001);
  report.check('gaps (a missed event before one received)', gaps === 0, gaps);
  report.check('catch-ups incomplete or overlapping', catchUpFailures === 0, catchUpFailures);
  report.check('duplicates delivered', duplicates === 0, duplicates);
  report.check('events delivered out of order', outOfOrder === 0, outOfOrder);
  report.check('events delivered but not committed', phantoms === 0, phantoms);
  report.check('SIGTERM exit code', exit === 0, exit);
  return report;
}
