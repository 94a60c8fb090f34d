/** `hub mlflow sync`, in process against a SQLite file and the MLflow stand-in. */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/main';
import { MlflowStandIn } from '../helpers/mlflow-stand-in';

describe('hub mlflow sync', () => {
  const path = join(tmpdir(), `hub-mlflow-cli-${randomBytes(6).toString('hex')}.db`);
  let mlflow: MlflowStandIn;
  const saved = { ...process.env };

  beforeAll(async () => {
    mlflow = await new MlflowStandIn().start();
    mlflow.token = 'from-the-environment';
    mlflow.addModel('cli-model').versions.push({ version: '1', source: 's3://models/cli/1' }, { version: '2', source: 's3://models/cli/2' });
    Object.assign(process.env, {
      DATABASE_URL: `sqlite:${path}`,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      MLFLOW_TRACKING_TOKEN: 'from-the-environment',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await mlflow.stop();
    for (const suffix of ['', '-wal', '-shm']) await rm(`${path}${suffix}`, { force: true });
  });

  /** Runs the CLI in process; returns its exit code and what it printed. */
  async function hub(...argv: string[]): Promise<{ code: number; stdout: string[]; stderr: string }> {
    const out: string[] = [];
    let err = '';
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    try {
      return { code: await main(argv), stdout: out.join('').split('\n').filter(Boolean), stderr: err };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  it('mirrors the registry, then changes nothing on a second run, printing one JSON line each', async () => {
    const first = await hub('mlflow', 'sync', '--url', mlflow.url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.map((l) => JSON.parse(l))).toEqual([{ models: 1, modelsCreated: 1, versions: 2, versionsCreated: 2, errors: [] }]);
    const second = await hub('mlflow', 'sync', '--url', mlflow.url);
    expect(second.stdout.map((l) => JSON.parse(l))).toEqual([{ models: 1, modelsCreated: 0, versions: 2, versionsCreated: 0, errors: [] }]);
  });

  it('exits 1 with the reason when MLflow refuses, and 2 on wrong usage', async () => {
    const refused = await hub('mlflow', 'sync', '--url', mlflow.url, '--token', 'wrong');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/UNAUTHENTICATED/);
    expect((await hub('mlflow', 'sync')).code).toBe(2);
    expect((await hub('mlflow', 'sync', '--url', 'ftp://mlflow')).code).toBe(2);
    expect((await hub('mlflow', 'pull')).code).toBe(2);
  });
});
