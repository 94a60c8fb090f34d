import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateExperimentDocument,
  CreateGoalDocument,
  ExperimentDocument,
  LogRunDocument,
  MdlGoalExperimentsDocument,
  MdlRunDocument,
  UpdateRunDocument,
} from '../../src/generated/operations';
import { errorCode, having, ok, post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

forEachDialect((dialect) => {
  let hub: TestHub;
  let goalId: string;

  beforeAll(async () => {
    hub = await startHub(dialect);
    goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Reduce churn', businessQuestion: 'Who will cancel next month?' } }))
      .createGoal.goal.id;
  });
  afterAll(() => hub?.close());

  const experimentCount = async () =>
    having(ok(await hub.as('sme', MdlGoalExperimentsDocument, { id: goalId })).node, 'experiments').experiments.totalCount;

  async function newExperiment(name = 'Gradient boosting'): Promise<string> {
    return ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId, name } })).createExperiment.experiment.id;
  }

  async function runsOf(experimentId: string, first?: number, after?: string | null) {
    return having(ok(await hub.as('risk', ExperimentDocument, { id: experimentId, first, after })).node, 'runs').runs;
  }

  async function runById(runId: string) {
    return having(ok(await hub.as('risk', MdlRunDocument, { id: runId })).node, 'status');
  }

  describe('createExperiment', () => {
    it.each<Person>(['scientist', 'dataEngineer', 'mlEngineer', 'admin'])('lets %s create an experiment they own under the goal', async (who) => {
      const { experiment } = ok(
        await hub.as(who, CreateExperimentDocument, { input: { goalId, name: `XGBoost by ${who}`, hypothesis: 'Tenure matters most.' } }),
      ).createExperiment;
      expect(experiment).toMatchObject({
        name: `XGBoost by ${who}`,
        hypothesis: 'Tenure matters most.',
        goal: { id: goalId },
        owner: { name: hub.users[who].name },
      });
      const listed = having(ok(await hub.as('sme', MdlGoalExperimentsDocument, { id: goalId })).node, 'experiments').experiments.nodes;
      expect(listed.map((e) => e.id)).toContain(experiment.id);
    });

    it.each<Person>(['sme', 'risk'])('refuses %s with FORBIDDEN and writes nothing', async (who) => {
      const before = await experimentCount();
      expect(errorCode(await hub.as(who, CreateExperimentDocument, { input: { goalId, name: 'Not mine to run' } }))).toBe('FORBIDDEN');
      expect(await experimentCount()).toBe(before);
    });

    it('answers NOT_FOUND for an unknown goal', async () => {
      expect(errorCode(await hub.as('scientist', CreateExperimentDocument, { input: { goalId: unknownId('Goal'), name: 'Orphan' } }))).toBe(
        'NOT_FOUND',
      );
    });

    it.each([
      ['an empty name', '   '],
      ['a name over 200 characters', 'x'.repeat(201)],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_what, name) => {
      const before = await experimentCount();
      expect(errorCode(await hub.as('scientist', CreateExperimentDocument, { input: { goalId, name } }))).toBe('BAD_USER_INPUT');
      expect(await experimentCount()).toBe(before);
    });
  });

  describe('logRun', () => {
    it('defaults to RUNNING with empty params and no finishedAt', async () => {
      const experimentId = await newExperiment();
      const { run } = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId } })).logRun;
      expect(run).toMatchObject({ status: 'RUNNING', params: {}, metrics: [], finishedAt: null, author: { name: hub.users.scientist.name } });
      expect(new Date(run.startedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('stores params, metrics, dataset and code version', async () => {
      const experimentId = await newExperiment();
      const input = {
        experimentId,
        name: 'baseline',
        params: { maxDepth: 6, learningRate: 0.1, features: ['tenure', 'plan'], early: { stop: true } },
        metrics: [
          { key: 'auc', value: 0.81 },
          { key: 'logloss', value: 0.42 },
        ],
        datasetUri: 's3://lake/churn/2026-01.parquet',
        codeVersion: 'a1b2c3d',
      };
      const { run } = ok(await hub.as('mlEngineer', LogRunDocument, { input })).logRun;
      expect(await runById(run.id)).toMatchObject({ name: 'baseline', params: input.params, metrics: input.metrics });
      expect(run).toMatchObject({ datasetUri: input.datasetUri, codeVersion: input.codeVersion });
    });

    it.each(['FINISHED', 'FAILED'] as const)('sets finishedAt when the run is logged %s', async (status) => {
      const experimentId = await newExperiment();
      const { run } = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId, status } })).logRun;
      expect(run.status).toBe(status);
      expect(run.finishedAt).not.toBeNull();
      expect(new Date(run.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(run.startedAt).getTime());
    });

    it.each([
      ['an array', [1, 2, 3]],
      ['a string', 'maxDepth=6'],
      ['a number', 42],
    ])('refuses params that is %s with BAD_USER_INPUT and writes nothing', async (_what, params) => {
      const experimentId = await newExperiment();
      const result = await hub.as('scientist', LogRunDocument, { input: { experimentId, params: params as never } });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect((await runsOf(experimentId)).totalCount).toBe(0);
    });

    it('refuses a metric value that is not finite (1e400 in the JSON body) with BAD_USER_INPUT and writes nothing', async () => {
      const experimentId = await newExperiment();
      const body = `{"query":${JSON.stringify(print(LogRunDocument))},"variables":{"input":{"experimentId":${JSON.stringify(experimentId)},"metrics":[{"key":"auc","value":1e400}]}}}`;
      const result = await post(hub.url, body, hub.users.scientist.token);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect((await runsOf(experimentId)).totalCount).toBe(0);
    });

    it('keeps the last value of a metric key given twice', async () => {
      const experimentId = await newExperiment();
      const metrics = [
        { key: 'loss', value: 0.9 },
        { key: 'auc', value: 0.7 },
        { key: 'loss', value: 0.4 },
      ];
      const { run } = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId, metrics } })).logRun;
      expect(run.metrics).toEqual([
        { key: 'loss', value: 0.4 },
        { key: 'auc', value: 0.7 },
      ]);
      expect((await runById(run.id)).metrics).toEqual(run.metrics);
    });

    it('refuses an SME with FORBIDDEN', async () => {
      const experimentId = await newExperiment();
      expect(errorCode(await hub.as('sme', LogRunDocument, { input: { experimentId } }))).toBe('FORBIDDEN');
      expect((await runsOf(experimentId)).totalCount).toBe(0);
    });
  });

  describe('updateRun', () => {
    it('replaces values of the same key, keeps the others and appends new keys', async () => {
      const experimentId = await newExperiment();
      const metrics = [
        { key: 'loss', value: 0.9 },
        { key: 'auc', value: 0.7 },
      ];
      const { run } = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId, metrics } })).logRun;
      const updated = ok(
        await hub.as('scientist', UpdateRunDocument, {
          input: {
            runId: run.id,
            metrics: [
              { key: 'f1', value: 0.55 },
              { key: 'loss', value: 0.3 },
            ],
          },
        }),
      ).updateRun.run;
      const expected = [
        { key: 'loss', value: 0.3 },
        { key: 'auc', value: 0.7 },
        { key: 'f1', value: 0.55 },
      ];
      expect(updated.metrics).toEqual(expected);
      expect((await runById(run.id)).metrics).toEqual(expected);
    });

    it('sets finishedAt when a RUNNING run finishes', async () => {
      const experimentId = await newExperiment();
      const { run } = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId } })).logRun;
      const updated = ok(await hub.as('scientist', UpdateRunDocument, { input: { runId: run.id, status: 'FINISHED' } })).updateRun.run;
      expect(updated.status).toBe('FINISHED');
      expect(updated.finishedAt).not.toBeNull();
      expect(new Date(updated.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(run.startedAt).getTime());
    });

    it('refuses FINISHED back to RUNNING with CONFLICT and changes nothing', async () => {
      const experimentId = await newExperiment();
      const { run } = ok(
        await hub.as('scientist', LogRunDocument, { input: { experimentId, status: 'FINISHED', metrics: [{ key: 'auc', value: 0.8 }] } }),
      ).logRun;
      const before = await runById(run.id);
      const result = await hub.as('scientist', UpdateRunDocument, {
        input: { runId: run.id, status: 'RUNNING', metrics: [{ key: 'auc', value: 0.99 }] },
      });
      expect(errorCode(result)).toBe('CONFLICT');
      expect(await runById(run.id)).toEqual(before);
      expect(before).toMatchObject({ status: 'FINISHED', metrics: [{ key: 'auc', value: 0.8 }] });
    });
  });

  describe('Experiment.runs and Run', () => {
    it('lists runs newest first and pages with after cursors', async () => {
      const experimentId = await newExperiment();
      for (const name of ['r1', 'r2', 'r3', 'r4', 'r5']) {
        ok(await hub.as('scientist', LogRunDocument, { input: { experimentId, name } }));
      }
      const first = await runsOf(experimentId, 2);
      expect(first.nodes.map((r) => r.name)).toEqual(['r5', 'r4']);
      expect(first).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
      const second = await runsOf(experimentId, 2, first.pageInfo.endCursor);
      expect(second.nodes.map((r) => r.name)).toEqual(['r3', 'r2']);
      expect(second.pageInfo.hasNextPage).toBe(true);
      const last = await runsOf(experimentId, 2, second.pageInfo.endCursor);
      expect(last.nodes.map((r) => r.name)).toEqual(['r1']);
      expect(last).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: false } });
      expect(first.nodes.every((r) => r.experiment.id === experimentId)).toBe(true);
    });

    it("resolves the run's experiment (with its goal) and author", async () => {
      const experimentId = await newExperiment('Lineage check');
      const { run } = ok(await hub.as('dataEngineer', LogRunDocument, { input: { experimentId } })).logRun;
      expect(await runById(run.id)).toMatchObject({
        experiment: { id: experimentId, name: 'Lineage check', goal: { id: goalId } },
        author: { id: hub.users.dataEngineer.id, name: hub.users.dataEngineer.name },
      });
    });
  });
});
