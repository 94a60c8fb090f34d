// Starts a hub command on a new SQLite database and a free port, waits until /healthz answers, then
// sends a query as a demo user and fetches the dashboard's bundle; exits 0 only if all of it worked
// and the hub then shut down cleanly on SIGTERM. CI runs it against the compiled hub:
//   node scripts/smoke.mjs node dist/src/main.js serve
// With --ready-only it stops at /healthz (how README's cold-start figures were measured).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const readyOnly = args[0] === '--ready-only';
const command = readyOnly ? args.slice(1) : args;
if (!command.length) {
  process.stderr.write('usage: node scripts/smoke.mjs [--ready-only] <command> [args...]\n');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'hub-smoke-'));
const child = spawn(command[0], command.slice(1), {
  env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'hub.sqlite')}`, PORT: '0', SEED_DEMO: 'true', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
let stopping = false;
child.once('exit', (code) => {
  if (!stopping) fail(`the hub exited early with ${code}`);
});

function fail(message) {
  process.stderr.write(`smoke: ${message}\n${out}`);
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}

const timer = setTimeout(() => fail('no answer within 60 s'), 60_000);

/** Resolves with the hub's URL and a demo token once the start-up lines are printed. */
const started = new Promise((resolve) => {
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const url = /listening on (http:\/\/\S+\/graphql)/.exec(out)?.[1];
    const token = /^\s+Sam Expert\s+\S+\s+(mh_\S+)$/m.exec(out)?.[1];
    if (url && token) resolve({ url, token });
  });
});

const { url, token } = await started;
const base = url.replace(/\/graphql$/, '');
const health = await fetch(`${base}/healthz`);
if (health.status !== 200) fail(`/healthz answered ${health.status}`);
if (!readyOnly) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { name } goals { nodes { title } } }' }),
  });
  const body = await res.json();
  if (res.status !== 200 || body.data?.viewer?.name !== 'Sam Expert' || !body.data.goals.nodes.length)
    fail(`unexpected answer ${res.status} ${JSON.stringify(body)}`);
  const app = await fetch(`${base}/app.js`);
  if (app.status !== 200 || !(await app.text()).length) fail(`/app.js answered ${app.status}`);
}
stopping = true;
const code = await new Promise((resolve) => {
  child.once('exit', (c) => resolve(c));
  child.kill('SIGTERM');
});
clearTimeout(timer);
rmSync(dir, { recursive: true, force: true });
if (code !== 0) fail(`the hub exited with ${code} after SIGTERM`);
process.stdout.write(`smoke: ${readyOnly ? 'ready' : 'query and dashboard answered'}, clean shutdown (${command.join(' ')})\n`);
