/**
 * The MLflow bridge against a local stand-in that follows MLflow's REST API docs: a sync mirrors
 * registered models, versions, runs and experiments (through page_token paging), a second sync
 * changes nothing, a new MLflow version appears as a new hub version, and an approval in the hub
 * sets the stage's alias and the hub.approval tag in MLflow, retried through an outage.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateGoalDocument,
  MfCountsDocument,
  MfModelDocument,
  RequestPromotionDocument,
  ReviewPromotionDocument,
} from '../../src/generated/operations';
import { syncMlflow } from '../../src/mlflow/bridge';
import { MlflowClient } from '../../src/mlflow/client';
import { ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { mutateForId } from '../helpers/mutations';
import { startHub, type TestHub } from '../helpers/hub';
import { MlflowStandIn } from '../helpers/mlflow-stand-in';
import { until } from '../helpers/wait';

function run(id: string, experimentId: string, name: string, auc: number) {
  return {
    info: { run_id: id, experiment_id: experimentId, run_name: name, status: 'FINISHED' },
    data: {
      metrics: [
        { key: 'auc', value: auc, step: 3, timestamp: 1764400000000 },
        { key: 'loss', value: Number.NaN, step: 3, timestamp: 1764400000000 },
      ],
      params: [
        { key: 'max_depth', value: '6' },
        { key: 'lr', value: '0.1' },
      ],
      tags: [
        { key: 'team', value: 'risk' },
        { key: 'mlflow.user', value: 'ada' },
      ],
    },
  };
}

/** Three registered models (two pages of two), one tagged with a hub goal; four versions. */
function populate(mlflow: MlflowStandIn, goalId: string): void {
  mlflow.addExperiment('1', 'churn-training');
  mlflow.addExperiment('2', 'fraud-training');
  mlflow.addRun(run('r1', '1', 'churn-xgb', 0.81));
  mlflow.addRun(run('r2', '1', 'churn-xgb-tuned', 0.84));
  mlflow.addRun(run('r3', '2', 'fraud-gbm', 0.9));
  const churn = mlflow.addModel('churn', [{ key: 'hub.goal', value: goalId }], 'Who leaves next month');
  churn.versions.push(
    { version: '1', run_id: 'r1', source: 'runs:/r1/model', tags: [{ key: 'validated', value: 'yes' }] },
    { version: '2', run_id: 'r2', source: 'runs:/r2/model' },
  );
  mlflow.addModel('fraud/cards').versions.push({ version: '1', run_id: 'r3', source: 's3://models/fraud/1' });
  mlflow.addModel('orphan').versions.push({ version: '1', source: 's3://models/orphan/1' });
}

forEachDialect((dialect) => {
  let hub: TestHub;
  let mlflow: MlflowStandIn;
  let goalId: string;

  beforeAll(async () => {
    mlflow = await new MlflowStandIn().start();
    mlflow.token = 'mlflow-secret';
    hub = await startHub(dialect, {
      mlflow: {
        url: mlflow.url,
        token: 'mlflow-secret',
        syncIntervalS: 0,
        aliases: { production: 'champion', staging: 'challenger' },
        pollMs: 20,
        minBackoffMs: 20,
      },
    });
    goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Keep customers', businessQuestion: 'Who leaves?' } })).createGoal.goal.id;
    populate(mlflow, goalId);
  });
  afterAll(async () => {
    await hub?.close();
    await mlflow?.stop();
  });
  beforeEach(() => {
    mlflow.outage = 0;
  });

  const client = () => new MlflowClient({ url: mlflow.url, token: 'mlflow-secret' });
  const model = async (name: string) => ok(await hub.as('scientist', MfModelDocument, { name })).modelByName;

  describe('sync', () => {
    it('mirrors every registered model, its versions and their runs, following page tokens', async () => {
      const report = await syncMlflow(hub.domain, client());
      expect(report).toEqual({ models: 3, modelsCreated: 3, versions: 4, versionsCreated: 4, errors: [] });
      expect(mlflow.calls.filter((c) => c.path === 'registered-models/search').map((c) => Boolean(c.params.page_token))).toEqual([false, true]);

      const churn = (await model('churn'))!;
      expect(churn).toMatchObject({ description: 'Who leaves next month', goal: { id: goalId } });
      expect(churn.versions.totalCount).toBe(2);
      const [v2, v1] = churn.versions.nodes;
      expect(v1).toMatchObject({
        version: 1,
        externalId: 'mlflow:churn/1',
        artifactUri: 'runs:/r1/model',
        stage: 'NONE',
        tags: [{ key: 'validated', value: 'yes' }],
      });
      expect(v1.run).toMatchObject({
        name: 'churn-xgb',
        status: 'FINISHED',
        externalId: 'mlflow:r1',
        params: { max_depth: '6', lr: '0.1' },
        metrics: [{ key: 'auc', value: 0.81 }],
        tags: [{ key: 'team', value: 'risk' }],
        experiment: { name: 'churn-training', goal: { id: goalId } },
      });
      expect(v2).toMatchObject({
        version: 2,
        externalId: 'mlflow:churn/2',
        run: { externalId: 'mlflow:r2', experiment: { name: 'churn-training' } },
      });

      // Without a hub.goal tag, models wait under "Needs triage"; a model with no run gets a version without one.
      const fraud = (await model('fraud/cards'))!;
      expect(fraud.goal.title).toBe('Needs triage');
      expect(fraud.versions.nodes[0]).toMatchObject({
        externalId: 'mlflow:fraud/cards/1',
        run: { externalId: 'mlflow:r3', experiment: { name: 'fraud-training' } },
      });
      const orphan = (await model('orphan'))!;
      expect(orphan.goal.id).toBe(fraud.goal.id);
      expect(orphan.versions.nodes[0]).toMatchObject({ externalId: 'mlflow:orphan/1', run: null });
    });

    it('changes nothing when run a second time', async () => {
      const before = ok(await hub.as('admin', MfCountsDocument, {}));
      const report = await syncMlflow(hub.domain, client());
      expect(report).toEqual({ models: 3, modelsCreated: 0, versions: 4, versionsCreated: 0, errors: [] });
      expect(ok(await hub.as('admin', MfCountsDocument, {}))).toEqual(before);
    });

    it('adds a new MLflow version as a new hub version, and only that', async () => {
      mlflow.models
        .get('churn')!
        .versions.push({ version: '3', run_id: 'r2', source: 'runs:/r2/model-b', tags: [{ key: 'hub.artifactDigest', value: 'b'.repeat(64) }] });
      const report = await syncMlflow(hub.domain, client());
      expect(report).toMatchObject({ versions: 5, versionsCreated: 1, modelsCreated: 0, errors: [] });
      const churn = (await model('churn'))!;
      expect(churn.versions.nodes.map((v) => [v.version, v.externalId])).toEqual([
        [3, 'mlflow:churn/3'],
        [2, 'mlflow:churn/2'],
        [1, 'mlflow:churn/1'],
      ]);
      // The same MLflow run is one hub run.
      expect(churn.versions.nodes[0].run!.id).toBe(churn.versions.nodes[1].run!.id);
    });

    it('reports what MLflow refused and goes on with the other models', async () => {
      mlflow.addModel('broken').versions.push({ version: '1', run_id: 'no-such-run' });
      const report = await syncMlflow(hub.domain, client());
      expect(report.errors).toEqual([{ model: 'broken', error: expect.stringContaining('RESOURCE_DOES_NOT_EXIST') }]);
      expect(report.models).toBe(4);
      mlflow.models.delete('broken');
    });

    it('fails as a whole, changing nothing, when MLflow is down or refuses the token', async () => {
      const before = ok(await hub.as('admin', MfCountsDocument, {}));
      mlflow.outage = 1;
      await expect(syncMlflow(hub.domain, client())).rejects.toThrow(/TEMPORARILY_UNAVAILABLE/);
      await expect(syncMlflow(hub.domain, new MlflowClient({ url: mlflow.url, token: 'wrong' }))).rejects.toThrow(/UNAUTHENTICATED/);
      expect(ok(await hub.as('admin', MfCountsDocument, {}))).toEqual(before);
    });
  });

  describe('decisions back to MLflow', () => {
    it('sets the challenger alias and the hub.approval tag when a version reaches STAGING, retried through an outage', async () => {
      const version = (await model('churn'))!.versions.nodes.find((v) => v.version === 2)!;
      const request = ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: version.id, toStage: 'STAGING' } }))
        .requestPromotion.promotionRequest;
      mlflow.outage = 3;
      ok(await hub.as('mlEngineer', ReviewPromotionDocument, { input: { promotionRequestId: request.id, decision: 'APPROVE' } }));
      await until(() => mlflow.models.get('churn')!.aliases.challenger === '2', 'the challenger alias', 15_000);
      await until(
        () =>
          mlflow.models
            .get('churn')!
            .versions.find((v) => v.version === '2')!
            .tags?.some((t) => t.key === 'hub.approval'),
        'the approval tag',
      );
      expect(mlflow.models.get('churn')!.versions.find((v) => v.version === '2')!.tags).toContainEqual({ key: 'hub.approval', value: request.id });
      const attempts = mlflow.calls.filter((c) => c.path === 'registered-models/alias');
      expect(attempts.map((c) => c.status)).toEqual([503, 503, 503, 200]);
      expect(attempts[3].params).toEqual({ name: 'churn', alias: 'challenger', version: '2' });
    });

    it('moves the champion alias to the version approved for PRODUCTION', async () => {
      const version = (await model('churn'))!.versions.nodes.find((v) => v.version === 3)!;
      const request = ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: version.id, toStage: 'PRODUCTION' } }))
        .requestPromotion.promotionRequest;
      for (const who of ['sme', 'risk'] as const)
        ok(await hub.as(who, ReviewPromotionDocument, { input: { promotionRequestId: request.id, decision: 'APPROVE' } }));
      await until(() => mlflow.models.get('churn')!.aliases.champion === '3', 'the champion alias');
    });

    it('writes nothing back for a version that did not come from MLflow', async () => {
      const decisions = async () => Number(((await hub.db.knex('mlflow_decisions').count({ n: '*' }))[0] as { n: number | string }).n);
      const before = await decisions();
      const modelId = await mutateForId(hub, 'scientist', 'registerModel', { goalId, name: 'hub-native' });
      const versionId = await mutateForId(hub, 'mlEngineer', 'createModelVersion', { modelId });
      const requestId = await mutateForId(hub, 'scientist', 'requestPromotion', { modelVersionId: versionId, toStage: 'STAGING' });
      ok(await hub.as('mlEngineer', ReviewPromotionDocument, { input: { promotionRequestId: requestId, decision: 'APPROVE' } }));
      expect((await model('hub-native'))!.versions.nodes[0].stage).toBe('STAGING');
      // The outbox row would have been written in the approval's transaction: there is none.
      expect(await decisions()).toBe(before);
    });
  });
});
