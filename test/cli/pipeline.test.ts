import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGoalDocument,
  CreateServiceAccountDocument,
  PipeExperimentRunsDocument,
  PipeGoalCountsDocument,
  PipeModelVersionsDocument,
  PipeRunHistoryDocument,
  PipeVersionDeploymentsDocument,
  PipeViewerDocument,
} from '../../src/generated/operations';
import { expectRefusal, expectUsageError, hub, lines, type Run } from '../helpers/cli';
import { having, ok } from '../helpers/client';
import { startHub, type TestHub } from '../helpers/hub';
import { ROOT } from '../helpers/schema';

/** The one JSON line a command printed. */
function json(run: Run): Record<string, unknown> {
  expect(run.code, run.stderr).toBe(0);
  const out = lines(run.stdout);
  expect(out, run.stdout).toHaveLength(1);
  return JSON.parse(out[0]) as Record<string, unknown>;
}

describe('hub service-account, on a SQLite file', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hub-sa-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'hub.sqlite')}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates an account (one JSON line), rotates its token and revokes them all', async () => {
    const created = json(
      await hub(['service-account', 'create', '--name', 'training-pipeline', '--roles', 'DATA_SCIENTIST', '--expires-in', '90d'], env),
    );
    expect(created).toEqual({ id: expect.any(String), token: expect.stringMatching(/^mh_/) });
    const rotated = json(await hub(['service-account', 'rotate', '--name', 'training-pipeline', '--grace', '1h'], env));
    expect(rotated).toEqual({ id: created.id, token: expect.stringMatching(/^mh_/), retiring: 1 });
    expect(json(await hub(['service-account', 'revoke', '--name', 'training-pipeline'], env))).toEqual({ id: created.id, revoked: 2 });
    expectRefusal(await hub(['service-account', 'rotate', '--name', 'nobody'], env), /does not exist/);
  }, 120_000);

  it('refuses wrong usage with exit 2', async () => {
    expectUsageError(await hub(['service-account', 'create', '--name', 'x'], env), /--roles/);
    expectUsageError(await hub(['service-account', 'rotate', '--name', 'x', '--grace', 'soon'], env), /--grace/);
    expectUsageError(await hub(['service-account', 'revoke', '--name', 'x', '--roles', 'SME'], env), /--roles/);
  }, 120_000);
});

describe('a pipeline against a running hub (HUB_URL, HUB_TOKEN)', () => {
  let server: TestHub;
  let env: Record<string, string>;
  let goalId: string;

  beforeAll(async () => {
    server = await startHub('sqlite');
    const { token } = ok(
      await server.as('admin', CreateServiceAccountDocument, { input: { name: 'ci', roles: ['DATA_SCIENTIST'] } }),
    ).createServiceAccount;
    env = { HUB_URL: server.url.replace(/\/graphql$/, ''), HUB_TOKEN: token, DATABASE_URL: 'mysql://never-opened' };
    goalId = ok(await server.as('sme', CreateGoalDocument, { input: { title: 'Pipelines', businessQuestion: 'Does CI report?' } })).createGoal.goal
      .id;
  }, 60_000);
  afterAll(() => server?.close());

  const counts = async () => having(ok(await server.as('risk', PipeGoalCountsDocument, { id: goalId })).node, 'experiments');

  it('logs, appends metrics, creates a version, requests a promotion and records a deployment; a rerun adds nothing', async () => {
    const log = [
      'run',
      'log',
      '--goal',
      goalId,
      '--experiment-name',
      'nightly',
      '--external-id',
      'build-42',
      '--status',
      'finished',
      '--param',
      'depth=6',
      '--param',
      'model=gbm',
      '--metric',
      'auc=0.8',
      '--tag',
      'git=abc123',
    ];
    const run = json(await hub(log, env));
    expect(run).toMatchObject({ id: expect.any(String), externalId: 'build-42', status: 'FINISHED' });
    expect(json(await hub(log, env)).id).toBe(run.id);

    const metrics = ['run', 'metrics', '--run', String(run.id), '--metric', 'loss=0.5@1', '--metric', 'loss=0.3@2'];
    expect(json(await hub(metrics, env))).toMatchObject({
      id: run.id,
      metrics: [
        { key: 'auc', value: 0.8 },
        { key: 'loss', value: 0.3 },
      ],
    });
    json(await hub(metrics, env));
    const history = having(ok(await server.as('risk', PipeRunHistoryDocument, { id: String(run.id), key: 'loss' })).node, 'metricHistory');
    expect(history.metricHistory.map((p) => p.value)).toEqual([0.5, 0.3]);
    expect(history.tags).toEqual([{ key: 'git', value: 'abc123' }]);

    const create = [
      'version',
      'create',
      '--goal',
      goalId,
      '--model-name',
      'cli-model',
      '--run',
      String(run.id),
      '--external-id',
      'cli-model:42',
      '--metric',
      'auc=0.8',
    ];
    const version = json(await hub(create, env));
    expect(version).toMatchObject({ version: 1, externalId: 'cli-model:42' });
    expect(json(await hub(create, env)).id).toBe(version.id);

    expect(json(await hub(['promote', 'request', '--version', String(version.id), '--to', 'staging'], env))).toMatchObject({
      status: 'PENDING',
      toStage: 'STAGING',
    });
    expect(
      json(await hub(['deploy', 'record', '--version', String(version.id), '--environment', 'canary', '--status', 'started'], env)),
    ).toMatchObject({ environment: 'canary', status: 'STARTED' });
    const deployments = having(ok(await server.as('risk', PipeVersionDeploymentsDocument, { id: String(version.id) })).node, 'deployments');
    expect(deployments.deployments).toMatchObject([{ environment: 'canary', recordedBy: { name: 'ci', kind: 'SERVICE' } }]);
    expect(await counts()).toMatchObject({ experiments: { totalCount: 1 }, models: { totalCount: 1 } });
  }, 120_000);

  it('says what is wrong: exit 2 for usage, 1 for what the hub refuses or an unreachable hub', async () => {
    expectUsageError(await hub(['run', 'log', '--experiment-name', 'x'], env), /--goal/);
    expectUsageError(await hub(['deploy', 'record', '--version', 'v', '--environment', 'prod', '--status', 'DONE'], env), /--status takes/);
    expectUsageError(await hub(['run', 'metrics', '--run', 'r', '--metric', 'loss'], env), /key=value/);
    expectUsageError(await hub(['version', 'create', '--model', 'm'], { ...env, HUB_URL: '' }), /HUB_URL/);
    expectRefusal(await hub(['run', 'metrics', '--run', 'UnVuOjk5OTk5OQ', '--metric', 'loss=1'], env), /NOT_FOUND/);
    expectRefusal(await hub(['run', 'log', '--experiment', 'x'], { ...env, HUB_TOKEN: 'mh_wrong' }), /UNAUTHENTICATED/);
    expectRefusal(await hub(['run', 'log', '--experiment', 'x'], { ...env, HUB_URL: 'http://127.0.0.1:1' }), /cannot reach the hub/);
  }, 120_000);

  it('runs examples/python/train_and_register.py twice with python3: the second run reports the same objects and adds nothing', async () => {
    const pyEnv = { ...env, HUB_GOAL_ID: goalId, MODEL_NAME: 'python-model', DATA_VERSION: '2026-02' };
    const first = json(await python(pyEnv));
    expect(first).toMatchObject({ version: 1 });
    const before = await counts();
    expect(json(await python(pyEnv))).toEqual(first);
    expect(await counts()).toEqual(before);
    const runs = having(ok(await server.as('risk', PipeExperimentRunsDocument, { id: String(first.experimentId) })).node, 'runs').runs;
    expect(runs.nodes.filter((r) => r.externalId === 'train-2026-02')).toHaveLength(1);
    const loss = having(ok(await server.as('risk', PipeRunHistoryDocument, { id: String(first.runId), key: 'loss' })).node, 'metricHistory');
    expect(loss.metricHistory.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    const versions = having(ok(await server.as('risk', PipeModelVersionsDocument, { id: String(first.modelId) })).node, 'versions').versions;
    expect(versions.nodes).toMatchObject([{ version: 1, externalId: 'python-model:2026-02', run: { id: first.runId } }]);
    // The token it used is the service account's: events name it.
    expect(ok(await server.as({ token: env.HUB_TOKEN }, PipeViewerDocument, {})).viewer.kind).toBe('SERVICE');
  }, 60_000);

  it("the Python example exits 1 with the hub's reason when the hub refuses", async () => {
    const run = await python({ ...env, HUB_GOAL_ID: 'R29hbDo5OTk5OTk', DATA_VERSION: 'x' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/NOT_FOUND/);
  }, 60_000);
});

/** Runs the Python example with `env` and collects its output. */
function python(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(ROOT, 'examples', 'python', 'train_and_register.py')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
