/**
 * `npm run bench [-- --quick]`: starts a hub as its own process on a fresh SQLite database with the
 * demo workspace and the Slack bot (its Web API answered by a local fake), then measures
 * - W1: the dashboard query, requests/s and latency at 32 connections (autocannon, after a warm-up);
 * - W3: how fast signed slash commands are acknowledged, alone and while W1 runs at half its peak.
 * Prints a table and writes bench/results/latest.json. Numbers, never assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BOT_TOKEN, FakeSlack, SIGNING_SECRET, sign } from '../test/helpers/slack';

const quick = process.argv.includes('--quick');
const ROOT = join(__dirname, '..');
const DASHBOARD = `{ goals(first: 20) { nodes { owner { name } kpis { name current } models(first: 10) { totalCount nodes { owner { name }
  latestVersion { version metrics { key value } run { experiment { name } } } comments(first: 3) { nodes { author { name } body } } } } } } }`;

interface Latency {
  p50_ms: number;
  p99_ms: number;
  n: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50_ms: +percentile(sorted, 50).toFixed(2), p99_ms: +percentile(sorted, 99).toFixed(2), n: samples.length };
}

async function startHub(dir: string, fake: FakeSlack): Promise<{ child: ChildProcess; url: string; token: string; adminToken: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'hub.js'), 'serve'], {
    env: {
      ...process.env, NODE_ENV: 'production', SEED_DEMO: 'true', RATE_LIMIT_POINTS_PER_MINUTE: '0', LOG_LEVEL: 'warn', PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'hub.sqlite')}`,
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.url,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+\/graphql)/.exec(out)?.[1];
      const token = /Sam Expert\s+SME\s+(\S+)/.exec(out)?.[1];
      const adminToken = /Ada Admin\s+ADMIN\s+(\S+)/.exec(out)?.[1];
      if (url && token && adminToken) {
        clearTimeout(timer);
        resolve({ child, url, token, adminToken });
      }
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${out}`)));
  });
}

async function linkSlackUser(url: string, adminToken: string, email: string, slackId: string): Promise<void> {
  const call = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data: Record<string, { nodes: { id: string; email: string }[] }> };
  };
  const users = await call('{ users(first: 100) { nodes { id email } } }', {});
  const user = users.data.users.nodes.find((u) => u.email === email)!;
  await call('mutation ($input: UpdateUserInput!) { updateUser(input: $input) { user { id } } }', { input: { userId: user.id, slackUserId: slackId } });
}

async function w1(url: string, token: string, seconds: number, connections: number, rate?: number) {
  const result = await autocannon({
    url, method: 'POST', connections, duration: seconds, ...(rate ? { overallRate: rate } : {}),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: DASHBOARD }),
  });
  return { rps: Math.round(result.requests.average), p50_ms: result.latency.p50, p99_ms: result.latency.p99, errors: result.errors + result.non2xx };
}

async function ackTimes(eventsUrl: string, count: number): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = i % 2 ? 'status churn-model' : 'whoami';
    const body = new URLSearchParams({ command: '/mlops', text, user_id: 'UBENCH', channel_id: 'CBENCH', team_id: 'T1', response_url: 'http://127.0.0.1:9/r', trigger_id: 't' }).toString();
    const started = performance.now();
    const res = await fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) }, body });
    await res.text();
    if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const fake = await new FakeSlack().start();
  const { child, url, token, adminToken } = await startHub(dir, fake);
  try {
    await linkSlackUser(url, adminToken, 'sam@demo.modelops.dev', 'UBENCH');
    const eventsUrl = url.replace(/graphql$/, 'slack/events');
    const seconds = quick ? 3 : 15;
    await w1(url, token, quick ? 1 : 5, 32);
    const peak = await w1(url, token, seconds, 32);
    const ackAlone = await ackTimes(eventsUrl, quick ? 40 : 300);
    const [underLoad, ackLoaded] = await Promise.all([
      w1(url, token, seconds, 16, Math.max(1, Math.round(peak.rps / 2))),
      ackTimes(eventsUrl, quick ? 40 : 300),
    ]);
    const results = {
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version, at: new Date().toISOString(), quick },
      w1: { hub_sqlite: peak, hub_sqlite_half_load: underLoad },
      w3: { ack_p50_ms: ackLoaded.p50_ms, ack_p99_ms: ackLoaded.p99_ms, samples: ackLoaded.n, ack_unloaded: ackAlone },
    };
    console.log('\nModelOps Hub benchmark', quick ? '(quick)' : '');
    console.table({
      'W1 dashboard, hub on SQLite (32 conn)': { 'req/s': peak.rps, 'p50 ms': peak.p50_ms, 'p99 ms': peak.p99_ms, errors: peak.errors },
      'W3 slash command ack, idle': { 'req/s': '', 'p50 ms': ackAlone.p50_ms, 'p99 ms': ackAlone.p99_ms, errors: 0 },
      'W3 slash command ack, W1 at half peak': { 'req/s': underLoad.rps, 'p50 ms': ackLoaded.p50_ms, 'p99 ms': ackLoaded.p99_ms, errors: underLoad.errors },
    });
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('written to bench/results/latest.json');
  } finally {
    child.kill('SIGTERM');
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exitCode = 1;
});
