import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGoalDocument,
  CreateModelVersionDocument,
  EnsureExperimentDocument,
  EnsureModelDocument,
  LogMetricsDocument,
  LogRunDocument,
  PipeExperimentRunsDocument,
  PipeGoalCountsDocument,
  PipeModelVersionsDocument,
  PipeRunHistoryDocument,
  PrEventsDocument,
  UpdateRunDocument,
} from '../../src/generated/operations';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';

forEachDialect((dialect) => {
  let hub: TestHub;
  let goals = 0;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  async function newGoal(): Promise<string> {
    return ok(await hub.as('sme', CreateGoalDocument, { input: { title: `Pipeline goal ${++goals}`, businessQuestion: 'Does it run twice?' } }))
      .createGoal.goal.id;
  }

  async function counts(goalId: string) {
    const goal = having(ok(await hub.as('risk', PipeGoalCountsDocument, { id: goalId })).node, 'experiments');
    return { experiments: goal.experiments.totalCount, models: goal.models.totalCount };
  }

  async function eventsAbout(subjectId: string) {
    return ok(await hub.as('risk', PrEventsDocument, { first: 100, filter: { subjectId } })).events.nodes.map((e) => e.type);
  }

  async function history(runId: string, key: string) {
    return having(ok(await hub.as('risk', PipeRunHistoryDocument, { id: runId, key })).node, 'metricHistory');
  }

  async function newRun(externalId?: string): Promise<string> {
    const goalId = await newGoal();
    const experimentId = ok(await hub.as('scientist', EnsureExperimentDocument, { input: { goalId, name: 'training' } })).ensureExperiment.experiment
      .id;
    return ok(await hub.as('scientist', LogRunDocument, { input: { experimentId, externalId } })).logRun.run.id;
  }

  describe('ensureExperiment', () => {
    it('creates the experiment once and then answers the same one, with created false and no second event', async () => {
      const goalId = await newGoal();
      const first = ok(
        await hub.as('scientist', EnsureExperimentDocument, { input: { goalId, name: 'nightly', hypothesis: 'Tenure matters.' } }),
      ).ensureExperiment;
      const second = ok(
        await hub.as('mlEngineer', EnsureExperimentDocument, { input: { goalId, name: '  nightly ', hypothesis: 'Ignored.' } }),
      ).ensureExperiment;
      expect(first).toMatchObject({
        created: true,
        experiment: { name: 'nightly', hypothesis: 'Tenure matters.', owner: { name: hub.users.scientist.name } },
      });
      expect(second).toMatchObject({ created: false, experiment: { id: first.experiment.id, hypothesis: 'Tenure matters.' } });
      expect(await counts(goalId)).toMatchObject({ experiments: 1 });
      expect(await eventsAbout(first.experiment.id)).toEqual(['EXPERIMENT_CREATED']);
    });

    it('creates one experiment when ten pipelines ensure it at the same time', async () => {
      const goalId = await newGoal();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => hub.as('scientist', EnsureExperimentDocument, { input: { goalId, name: 'race' } })),
      );
      const ids = new Set(answers.map((a) => ok(a).ensureExperiment.experiment.id));
      expect(ids.size).toBe(1);
      expect(answers.filter((a) => ok(a).ensureExperiment.created)).toHaveLength(1);
      expect(await counts(goalId)).toMatchObject({ experiments: 1 });
    });

    it('refuses an SME with FORBIDDEN and creates nothing', async () => {
      const goalId = await newGoal();
      expect(errorCode(await hub.as('sme', EnsureExperimentDocument, { input: { goalId, name: 'not mine' } }))).toBe('FORBIDDEN');
      expect(await counts(goalId)).toMatchObject({ experiments: 0 });
    });
  });

  describe('ensureModel', () => {
    it('registers the model once and then answers it; a name taken under another goal is a CONFLICT', async () => {
      const goalId = await newGoal();
      const name = `pipeline-model-${goals}`;
      const first = ok(await hub.as('scientist', EnsureModelDocument, { input: { goalId, name, description: 'v1' } })).ensureModel;
      const second = ok(await hub.as('scientist', EnsureModelDocument, { input: { goalId, name } })).ensureModel;
      expect(first.created).toBe(true);
      expect(second).toMatchObject({ created: false, model: { id: first.model.id, description: 'v1' } });
      expect(await eventsAbout(first.model.id)).toEqual(['MODEL_REGISTERED']);
      const other = await newGoal();
      expect(errorCode(await hub.as('scientist', EnsureModelDocument, { input: { goalId: other, name } }))).toBe('CONFLICT');
      expect(await counts(other)).toMatchObject({ models: 0 });
    });

    it('registers one model when ten pipelines ensure it at the same time', async () => {
      const goalId = await newGoal();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => hub.as('scientist', EnsureModelDocument, { input: { goalId, name: `raced-model-${dialect}` } })),
      );
      expect(new Set(answers.map((a) => ok(a).ensureModel.model.id)).size).toBe(1);
      expect(answers.filter((a) => ok(a).ensureModel.created)).toHaveLength(1);
      expect(await counts(goalId)).toMatchObject({ models: 1 });
    });
  });

  describe('logRun with an externalId', () => {
    it('answers the existing run, unchanged, for a known externalId; tags are kept', async () => {
      const goalId = await newGoal();
      const experimentId = ok(await hub.as('scientist', EnsureExperimentDocument, { input: { goalId, name: 'exp' } })).ensureExperiment.experiment.id;
      const input = {
        experimentId,
        externalId: 'mlflow-run-1',
        name: 'first',
        tags: [
          { key: 'git', value: 'abc' },
          { key: 'git', value: 'def' },
          { key: 'team', value: 'churn' },
        ],
      };
      const first = ok(await hub.as('scientist', LogRunDocument, { input })).logRun.run;
      const again = ok(await hub.as('scientist', LogRunDocument, { input: { ...input, name: 'renamed' } })).logRun.run;
      expect(first).toMatchObject({
        externalId: 'mlflow-run-1',
        tags: [
          { key: 'git', value: 'def' },
          { key: 'team', value: 'churn' },
        ],
      });
      expect(again).toMatchObject({ id: first.id, name: 'first' });
      const runs = having(ok(await hub.as('risk', PipeExperimentRunsDocument, { id: experimentId })).node, 'runs').runs;
      expect(runs.totalCount).toBe(1);
      // The same externalId in another experiment is another run.
      const otherExperiment = ok(await hub.as('scientist', EnsureExperimentDocument, { input: { goalId, name: 'exp 2' } })).ensureExperiment
        .experiment.id;
      const other = ok(await hub.as('scientist', LogRunDocument, { input: { ...input, experimentId: otherExperiment } })).logRun.run;
      expect(other.id).not.toBe(first.id);
    });

    it('logs one run when eight pipelines log the same externalId at the same time', async () => {
      const goalId = await newGoal();
      const experimentId = ok(await hub.as('scientist', EnsureExperimentDocument, { input: { goalId, name: 'race' } })).ensureExperiment.experiment
        .id;
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => hub.as('scientist', LogRunDocument, { input: { experimentId, externalId: 'same' } })),
      );
      expect(new Set(answers.map((a) => ok(a).logRun.run.id)).size).toBe(1);
      expect(having(ok(await hub.as('risk', PipeExperimentRunsDocument, { id: experimentId })).node, 'runs').runs.totalCount).toBe(1);
    });

    it('refuses more than 100 tags with BAD_USER_INPUT', async () => {
      const goalId = await newGoal();
      const experimentId = ok(await hub.as('scientist', EnsureExperimentDocument, { input: { goalId, name: 'tags' } })).ensureExperiment.experiment
        .id;
      const tags = Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
      expect(errorCode(await hub.as('scientist', LogRunDocument, { input: { experimentId, tags } }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('createModelVersion with an externalId', () => {
    it('answers the existing version for a known externalId and numbers the next one without a gap', async () => {
      const goalId = await newGoal();
      const modelId = ok(await hub.as('scientist', EnsureModelDocument, { input: { goalId, name: `versioned-${dialect}` } })).ensureModel.model.id;
      const runId = await newRun();
      const input = { modelId, runId, externalId: 'mlflow:versioned/1', tags: [{ key: 'source', value: 'ci' }] };
      const first = ok(await hub.as('scientist', CreateModelVersionDocument, { input })).createModelVersion.modelVersion;
      const again = ok(await hub.as('mlEngineer', CreateModelVersionDocument, { input })).createModelVersion.modelVersion;
      expect(first).toMatchObject({ version: 1, externalId: 'mlflow:versioned/1', tags: [{ key: 'source', value: 'ci' }], run: { id: runId } });
      expect(again.id).toBe(first.id);
      const next = ok(await hub.as('scientist', CreateModelVersionDocument, { input: { modelId } })).createModelVersion.modelVersion;
      expect(next.version).toBe(2);
      expect(await eventsAbout(first.id)).toEqual(['MODEL_VERSION_CREATED']);
    });

    it('creates one version when eight pipelines create the same externalId at the same time', async () => {
      const goalId = await newGoal();
      const modelId = ok(await hub.as('scientist', EnsureModelDocument, { input: { goalId, name: `raced-version-${dialect}` } })).ensureModel.model
        .id;
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => hub.as('scientist', CreateModelVersionDocument, { input: { modelId, externalId: 'build-7' } })),
      );
      expect(new Set(answers.map((a) => ok(a).createModelVersion.modelVersion.id)).size).toBe(1);
      const versions = having(ok(await hub.as('risk', PipeModelVersionsDocument, { id: modelId })).node, 'versions').versions;
      expect(versions.nodes.map((v) => v.version)).toEqual([1]);
    });
  });

  describe('logMetrics', () => {
    it('appends to the history in step order while Run.metrics keeps the latest value per key', async () => {
      const runId = await newRun();
      const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
      const metrics = [
        { key: 'loss', value: 0.9, step: 1, timestamp: t(1) },
        { key: 'loss', value: 0.5, step: 3, timestamp: t(3) },
        { key: 'loss', value: 0.7, step: 2, timestamp: t(2) },
        { key: 'auc', value: 0.8 },
      ];
      const { run } = ok(await hub.as('scientist', LogMetricsDocument, { input: { runId, metrics } })).logMetrics;
      expect(run.metrics).toEqual([
        { key: 'loss', value: 0.5 },
        { key: 'auc', value: 0.8 },
      ]);
      const loss = await history(runId, 'loss');
      expect(loss.metricHistory.map((p) => [p.step, p.value])).toEqual([
        [1, 0.9],
        [2, 0.7],
        [3, 0.5],
      ]);
      expect(loss.metricHistory[0].timestamp).toBe(t(1));
      expect((await history(runId, 'auc')).metricHistory).toMatchObject([{ key: 'auc', value: 0.8, step: 0 }]);
      expect((await history(runId, 'nothing')).metricHistory).toEqual([]);
      // A late point of an earlier step joins the history but is not the latest.
      ok(await hub.as('scientist', LogMetricsDocument, { input: { runId, metrics: [{ key: 'loss', value: 0.1, step: 0 }] } }));
      expect((await history(runId, 'loss')).metrics).toContainEqual({ key: 'loss', value: 0.5 });
      expect((await history(runId, 'loss')).metricHistory.map((p) => p.step)).toEqual([0, 1, 2, 3]);
    });

    it('appends nothing and records no event when a pipeline sends the same points again', async () => {
      const runId = await newRun();
      const metrics = [
        { key: 'loss', value: 0.9, step: 1 },
        { key: 'loss', value: 0.4, step: 2 },
        { key: 'auc', value: 0.7, step: 2, timestamp: '2026-01-01T00:00:00.000Z' },
      ];
      ok(await hub.as('scientist', LogMetricsDocument, { input: { runId, metrics } }));
      ok(await hub.as('scientist', LogMetricsDocument, { input: { runId, metrics } }));
      expect((await history(runId, 'loss')).metricHistory).toHaveLength(2);
      expect((await history(runId, 'auc')).metricHistory).toHaveLength(1);
      expect((await eventsAbout(runId)).filter((t) => t === 'METRICS_LOGGED')).toHaveLength(1);
    });

    it('keeps updateRun replacing a value: the history gets each new value', async () => {
      const runId = await newRun();
      for (const value of [0.5, 0.6, 0.5]) ok(await hub.as('scientist', UpdateRunDocument, { input: { runId, metrics: [{ key: 'auc', value }] } }));
      const run = await history(runId, 'auc');
      expect(run.metrics).toEqual([{ key: 'auc', value: 0.5 }]);
      expect(run.metricHistory.map((p) => p.value)).toEqual([0.5, 0.6, 0.5]);
    });

    it.each([
      ['a negative step', [{ key: 'loss', value: 1, step: -1 }]],
      ['an empty key', [{ key: ' ', value: 1 }]],
      ['more than 1,000 points', Array.from({ length: 1001 }, (_, i) => ({ key: 'loss', value: i, step: i }))],
    ])('refuses %s with BAD_USER_INPUT and appends nothing', async (_what, metrics) => {
      const runId = await newRun();
      expect(errorCode(await hub.as('scientist', LogMetricsDocument, { input: { runId, metrics } }))).toBe('BAD_USER_INPUT');
      expect((await history(runId, 'loss')).metricHistory).toEqual([]);
    });

    it('refuses an SME and a risk manager with FORBIDDEN', async () => {
      const runId = await newRun();
      for (const who of ['sme', 'risk'] as const) {
        expect(errorCode(await hub.as(who, LogMetricsDocument, { input: { runId, metrics: [{ key: 'loss', value: 1 }] } }))).toBe('FORBIDDEN');
      }
      expect((await history(runId, 'loss')).metricHistory).toEqual([]);
    });
  });
});
