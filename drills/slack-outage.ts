/**
 * Drill 1, Slack outage: the fake Web API fails 30% of calls (half 429 with Retry-After, half 5xx)
 * and answers slowly, while events are generated on followed models through the API and signed
 * slash commands; the hub is killed with SIGKILL mid-run and restarted on the same database.
 *
 * In the full run a second SIGKILL lands while the fake Slack is taking a message, to measure the
 * at-least-once window that SECURITY.md names ("Known limits").
 *
 * Invariants: every committed event that a channel follows is posted to it (lost = 0), once
 * (duplicates other than the documented SIGKILL window = 0), in commit order; no call to a
 * channel before the Retry-After it was given; no two calls to one channel less than ~1 s apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOT_TOKEN, FakeSlack, SIGNING_SECRET, slashCommand, type Fault, type SlackCall } from '../test/helpers/slack';
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
  until,
  type DrillOptions,
  type EventNode,
  type Hub,
} from './lib';

/** better-sqlite3 (the hub's SQLite driver) has no type declarations here; this drill only counts rows. */
interface ReadOnlyDb {
  prepare(sql: string): { get(): unknown };
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => ReadOnlyDb;

const FAILURE_RATE = 0.3;
/** Calls to one channel closer than this count as faster than "about one per second" (SLACK_MIN_INTERVAL_MS is 1000). */
const MIN_GAP_MS = 950;
const SLACK_USER = 'UDRILL01';

/** Slack's mrkdwn escaping, as bots/slack/notifier/render.ts applies it to a summary. */
const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function slackOutage(opts: DrillOptions): Promise<Report> {
  const report = new Report(`Drill 1: Slack outage (${FAILURE_RATE * 100}% of Web API calls fail, SIGKILL mid-run)`);
  const eventTarget = opts.short ? 16 : 60;
  const kills = opts.short ? 1 : 2;
  const dir = mkdtempSync(join(tmpdir(), 'hub-drill-slack-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const fake = await new FakeSlack().start();
  onCleanup(() => fake.stop());
  // Slack answers in 30-200 ms; 30% of calls fail: half 429 with Retry-After 1-2 s, half 500/502/503.
  // `killOnPost` kills the hub while Slack is taking a message (the at-least-once window).
  let chaosOn = true;
  let killOnPost: (() => void) | null = null;
  let slowNext = false;
  fake.latencyMs = () => {
    if (!slowNext) return 30 + Math.random() * 170;
    slowNext = false;
    return 500;
  };
  fake.chaos = (method) => {
    if (killOnPost && method === 'chat.postMessage') {
      const kill = killOnPost;
      killOnPost = null;
      slowNext = true;
      kill();
      return undefined;
    }
    if (!chaosOn || Math.random() >= FAILURE_RATE) return undefined;
    if (Math.random() < 0.5) return { status: 429, retryAfter: 1 + Math.floor(Math.random() * 2) };
    return { status: ([500, 502, 503] as const)[Math.floor(Math.random() * 3)] } as Fault;
  };

  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'hub.sqlite')}`,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.url,
    RATE_LIMIT_POINTS_PER_MINUTE: '0',
  };
  const admin = await hubCli<{ token: string }>(
    ['user', 'create', '--name', 'Drill Admin', '--email', 'admin@drill.example', '--roles', 'ADMIN'],
    env,
  );
  let hub: Hub = await startHub('hub', env);
  const ws = await createWorkspace(hub.url, admin.token, 2, 'slack');
  await must(hub.url, admin.token, `mutation ($input: UpdateUserInput!) { updateUser(input: $input) { user { id } } }`, {
    input: { userId: ws.userId, slackUserId: SLACK_USER },
  });

  // Four channels: one per model, one for both models, one for the goal (everything under it).
  const [m1, m2] = ws.models;
  const follows: Record<string, string[]> = { CDRILL1: [m1.name], CDRILL2: [m2.name], CDRILL3: [m1.name, m2.name], CDRILL4: [ws.goalId] };
  const followedIds: Record<string, Set<string>> = {
    CDRILL1: new Set([m1.id]),
    CDRILL2: new Set([m2.id]),
    CDRILL3: new Set([m1.id, m2.id]),
    CDRILL4: new Set([ws.goalId]),
  };
  const eventsUrl = () => `${hub.base}/slack/events`;
  for (const [channel, refs] of Object.entries(follows)) {
    for (const ref of refs) {
      const res = await slashCommand(eventsUrl(), fake, SLACK_USER, `follow ${ref}`, channel);
      if (res.status !== 200 || !/now gets the lifecycle events/.test(String(res.json?.text)))
        throw new Error(`follow ${ref} in ${channel}: ${res.status} ${res.text}`);
    }
  }
  const watermark = await newestEventId(hub.url, ws.token);

  // Generate events: comments, new versions, KPI values (API) and feedback (signed slash commands).
  let acknowledged = 0;
  let refused = 0;
  let n = 0;
  const acknowledgedKeys: string[] = [];
  const write = async (): Promise<void> => {
    const k = `k${++n}`;
    const model = ws.models[Math.floor(n / 4) % 2];
    const kind = n % 4;
    if (kind === 0) {
      const res = await slashCommand(eventsUrl(), fake, SLACK_USER, `feedback ${model.name}@1 meets ${k}`, n % 3 ? 'CDRILL3' : 'CDRILL1').catch(
        () => null,
      );
      if (res?.status === 200 && /^Thanks: recorded/.test(String(res.json?.text))) {
        acknowledged++;
        acknowledgedKeys.push(`— ${k}`);
      } else refused++;
      return;
    }
    const [query, variables, key] =
      kind === 1
        ? [ADD_COMMENT, { input: { subjectId: model.id, body: `drill ${k}` } }, `commented: drill ${k}`]
        : kind === 2
          ? [RECORD_KPI, { input: { kpiId: ws.kpiId, value: n } }, `kept = ${n} %`]
          : [
              `mutation ($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { version } } }`,
              { input: { modelId: model.id, description: k } },
              null,
            ];
    const res = await gql(hub.url, ws.token, query, variables);
    if (res.data && !res.errors) {
      acknowledged++;
      acknowledgedKeys.push(key ?? `created ${model.name} v${res.data.createModelVersion.modelVersion.version}`);
    } else refused++;
  };

  const started = Date.now();
  const killTimes: number[] = [];
  let restartMs = 0;
  const killAndRestart = async () => {
    const at = Date.now();
    killTimes.push(at);
    await hub.kill('SIGKILL');
    hub = await startHub('hub (restarted)', env);
    restartMs = Math.max(restartMs, Date.now() - at);
  };
  // Writes go on while the hub is killed (refused then) and restarted; kill once when half of them are
  // acknowledged, and (full run) once more while the backlog drains.
  const generator = (async () => {
    while (acknowledged < eventTarget) {
      await write();
      await sleep(opts.short ? 150 : 250);
    }
  })();
  await until(() => acknowledged >= eventTarget / 2, 120_000, 20);
  await killAndRestart();
  await generator;

  // Expected: for every committed event since the watermark, one post per channel following its goal or model.
  const committed = await eventsSince(hub.url, ws.token, null, watermark);
  const rank = new Map(committed.map((e, i) => [e.id, i]));
  const expected = new Map<string, EventNode[]>();
  for (const channel of Object.keys(follows)) {
    expected.set(
      channel,
      committed.filter((e) => (e.model && followedIds[channel].has(e.model.id)) || (e.goal && followedIds[channel].has(e.goal.id))),
    );
  }
  const bySummary = new Map<string, EventNode>();
  for (const e of committed) {
    if (bySummary.has(escapeMrkdwn(e.summary))) throw new Error(`drill bug: two events with the summary "${e.summary}"`);
    bySummary.set(escapeMrkdwn(e.summary), e);
  }
  const expectedPairs = [...expected.values()].reduce((s, l) => s + l.length, 0);
  const posted = () => fake.calls.filter((c) => c.method === 'chat.postMessage');
  const pairKey = (c: SlackCall) => `${String(c.args.channel)}|${String(c.args.text).replace(/^\S+ /, '')}`;
  // Drained: Slack has every expected message and the hub's Slack outbox has nothing left to send
  // (a message re-sent after a SIGKILL may come after the last new one).
  const outbox = new Database(join(dir, 'hub.sqlite'), { readonly: true, fileMustExist: true });
  onCleanup(() => outbox.close());
  const pending = () => (outbox.prepare(`select count(*) as n from slack_deliveries where status = 'PENDING'`).get() as { n: number }).n;
  const drained = () => {
    const have = new Set(posted().map(pairKey));
    return [...expected].every(([channel, list]) => list.every((e) => have.has(`${channel}|${escapeMrkdwn(e.summary)}`))) && pending() === 0;
  };
  const drainStarted = Date.now();
  if (kills > 1) {
    // The second kill (full run) lands while Slack is taking a message: the hub never records that it
    // was sent, so it is sent again once its 30 s lease runs out (SECURITY.md "Known limits").
    await until(() => posted().length >= expectedPairs * 0.5, 120_000, 50);
    await new Promise<void>((resolve) => {
      killOnPost = () => void killAndRestart().then(resolve);
    });
  }
  const drainMs = (await until(drained, opts.short ? 120_000 : 240_000, 200)) === null ? null : Date.now() - drainStarted;
  const writesMs = drainStarted - started;
  await sleep(1_000);
  chaosOn = false;
  const exit = await hub.kill('SIGTERM');
  const totalMs = Date.now() - started;

  // What Slack saw, per channel.
  let lost = 0;
  let duplicatesAfterKill = 0;
  let resentAfterMs = 0;
  let duplicatesOther = 0;
  let unexpected = 0;
  let outOfOrder = 0;
  let retryAfterViolations = 0;
  let fastGaps = 0;
  let minGap = Infinity;
  let maxGap = 0;
  const calls = [...fake.calls].sort((a, b) => a.at - b.at);
  for (const [channel, list] of expected) {
    const inChannel = calls.filter((c) => c.args.channel === channel && c.method.startsWith('chat.'));
    const posts = inChannel.filter((c) => c.method === 'chat.postMessage');
    const counts = new Map<string, SlackCall[]>();
    for (const post of posts) {
      const text = String(post.args.text).replace(/^\S+ /, '');
      const event = bySummary.get(text);
      if (!event || !list.includes(event)) {
        unexpected++;
        continue;
      }
      counts.set(event.id, [...(counts.get(event.id) ?? []), post]);
    }
    for (const event of list) {
      const copies = counts.get(event.id) ?? [];
      if (!copies.length) lost++;
      for (const copy of copies.slice(1)) {
        // A copy that Slack took while the hub was being killed is the documented at-least-once window.
        const first = copies[0].at;
        const killed = killTimes.some((k) => first <= k && k - first < 2_000 && copy.at > k);
        if (killed) {
          duplicatesAfterKill++;
          resentAfterMs = Math.max(resentAfterMs, copy.at - first);
        } else duplicatesOther++;
      }
    }
    const firstPosts = list
      .map((e) => counts.get(e.id)?.[0])
      .filter((c): c is SlackCall => !!c)
      .sort((a, b) => a.at - b.at);
    for (let i = 1; i < firstPosts.length; i++) {
      const a = rank.get(bySummary.get(String(firstPosts[i - 1].args.text).replace(/^\S+ /, ''))!.id)!;
      const b = rank.get(bySummary.get(String(firstPosts[i].args.text).replace(/^\S+ /, ''))!.id)!;
      if (b < a) outOfOrder++;
    }
    for (let i = 0; i < inChannel.length; i++) {
      const call = inChannel[i];
      const next = inChannel[i + 1];
      if (!next) continue;
      const gap = next.at - call.at;
      const acrossKill = killTimes.some((k) => call.at <= k && next.at >= k);
      if (!acrossKill) {
        minGap = Math.min(minGap, gap);
        maxGap = Math.max(maxGap, gap);
        if (gap < MIN_GAP_MS) fastGaps++;
      }
      const match = /!429$/.test(call.method) ? inChannel.find((c) => c.at > call.at) : undefined;
      if (match) {
        // The fault's Retry-After, as answered: the hub must not call this channel again sooner.
        const retryAfter = call.fault && 'retryAfter' in call.fault ? call.fault.retryAfter : 1;
        if (match.at - call.at < retryAfter * 1000 - 5) retryAfterViolations++;
      }
    }
  }
  const apiCalls = calls;
  const failedCalls = apiCalls.filter((c) => c.method.includes('!'));
  const committedKeys = committed.map((e) => e.summary);
  const writesFound = acknowledgedKeys.filter((k) => committedKeys.some((s) => s.endsWith(k))).length;

  report.figure('writes tried (API + slash commands)', `${n}: ${acknowledged} acknowledged, ${refused} refused while the hub was down`);
  report.figure('events committed / messages expected', `${committed.length} / ${expectedPairs} (4 channels)`);
  report.figure(
    'Web API calls / failed (429 + 5xx)',
    `${apiCalls.length} / ${failedCalls.length} (${failedCalls.filter((c) => c.method.endsWith('!429')).length} × 429, ${Math.round((100 * failedCalls.length) / Math.max(1, apiCalls.length))}%)`,
  );
  report.figure(
    'SIGKILLs, slowest restart',
    `${killTimes.length}${kills > 1 ? ' (one while Slack took a message)' : ''}, ${round(restartMs / 1000)} s`,
  );
  report.figure(
    'writes, then backlog drained in',
    `${round(writesMs / 1000)} s, ${drainMs === null ? 'timed out' : `${round(drainMs / 1000)} s`} (${round(totalMs / 1000)} s in all)`,
  );
  report.figure('gap between calls to one channel, min / max', `${minGap === Infinity ? '-' : Math.round(minGap)} ms / ${round(maxGap / 1000)} s`);
  report.figure(
    'duplicates from a SIGKILL (at-least-once window)',
    `${duplicatesAfterKill}${duplicatesAfterKill ? `, sent again ${round(resentAfterMs / 1000)} s after the first copy` : ''}`,
  );
  report.check('acknowledged writes committed', writesFound === acknowledged, `${writesFound} / ${acknowledged}`);
  report.check('lost (expected, never posted)', lost === 0, lost);
  report.check('duplicates outside a SIGKILL window', duplicatesOther === 0, duplicatesOther);
  report.check('posts of events a channel does not follow', unexpected === 0, unexpected);
  report.check('posts out of commit order', outOfOrder === 0, outOfOrder);
  report.check('calls before their Retry-After', retryAfterViolations === 0, retryAfterViolations);
  report.check(`calls < ${MIN_GAP_MS} ms apart in one channel`, fastGaps === 0, fastGaps);
  report.check('SIGTERM exit code', exit === 0, exit);
  return report;
}
