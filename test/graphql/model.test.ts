import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateExperimentDocument,
  CreateGoalDocument,
  CreateModelVersionDocument,
  LogRunDocument,
  MdlModelDocument,
  ModelByNameDocument,
  ModelsDocument,
  ModelVersionDocument,
  RegisterModelDocument,
  UpdateModelDocument,
  UpdateModelVersionDocument,
} from '../../src/generated/operations';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

forEachDialect((dialect) => {
  let hub: TestHub;
  let goalId: string;
  let named = 0;

  beforeAll(async () => {
    hub = await startHub(dialect);
    goalId = await newGoal('Reduce churn');
  });
  afterAll(() => hub?.close());

  const uniqueName = (base: string) => `${base}-${++named}`;

  async function newGoal(title: string): Promise<string> {
    return ok(await hub.as('sme', CreateGoalDocument, { input: { title, businessQuestion: 'Who will cancel next month?' } })).createGoal.goal.id;
  }

  async function newModel(name = uniqueName('churn'), onGoal = goalId): Promise<{ id: string; name: string }> {
    const { model } = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: onGoal, name } })).registerModel;
    return model;
  }

  async function newVersion(modelId: string, who: Person = 'mlEngineer') {
    return ok(await hub.as(who, CreateModelVersionDocument, { input: { modelId } })).createModelVersion.modelVersion;
  }

  async function newRun(): Promise<{ runId: string; experimentId: string }> {
    const { experiment } = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId, name: 'Gradient boosting' } })).createExperiment;
    const { run } = ok(
      await hub.as('scientist', LogRunDocument, {
        input: { experimentId: experiment.id, name: 'final', params: { maxDepth: 6 }, datasetUri: 's3://lake/churn.parquet', codeVersion: 'a1b2c3d' },
      }),
    ).logRun;
    return { runId: run.id, experimentId: experiment.id };
  }

  async function model(id: string, number = 1, first?: number, after?: string | null) {
    return having(ok(await hub.as('risk', MdlModelDocument, { id, number, first, after })).node, 'versions');
  }

  async function modelByName(name: string) {
    return ok(await hub.as('risk', ModelByNameDocument, { name, number: 1 })).modelByName;
  }

  async function version(id: string) {
    return having(ok(await hub.as('risk', ModelVersionDocument, { id })).node, 'card');
  }

  describe('registerModel', () => {
    it.each<Person>(['scientist', 'dataEngineer', 'mlEngineer', 'admin'])('lets %s register a model they own under the goal', async (who) => {
      const name = uniqueName(`churn-${who}`);
      const { model: registered } = ok(
        await hub.as(who, RegisterModelDocument, { input: { goalId, name, description: 'Monthly churn classifier' } }),
      ).registerModel;
      expect(registered).toMatchObject({
        name,
        description: 'Monthly churn classifier',
        goal: { id: goalId },
        owner: { name: hub.users[who].name },
        latestVersion: null,
      });
      expect((await modelByName(name))?.id).toBe(registered.id);
    });

    it.each<Person>(['sme', 'risk'])('refuses %s with FORBIDDEN and writes nothing', async (who) => {
      const name = uniqueName('not-allowed');
      expect(errorCode(await hub.as(who, RegisterModelDocument, { input: { goalId, name } }))).toBe('FORBIDDEN');
      expect(await modelByName(name)).toBeNull();
    });

    it('refuses a name that is already taken with CONFLICT', async () => {
      const existing = await newModel();
      const before = ok(await hub.as('risk', ModelsDocument, { goalId })).models.totalCount;
      expect(errorCode(await hub.as('dataEngineer', RegisterModelDocument, { input: { goalId, name: existing.name } }))).toBe('CONFLICT');
      expect(ok(await hub.as('risk', ModelsDocument, { goalId })).models.totalCount).toBe(before);
    });

    it('refuses a name containing "@" with BAD_USER_INPUT and writes nothing', async () => {
      const name = uniqueName('churn@3');
      expect(errorCode(await hub.as('scientist', RegisterModelDocument, { input: { goalId, name } }))).toBe('BAD_USER_INPUT');
      expect(await modelByName(name)).toBeNull();
    });

    it('answers NOT_FOUND for an unknown goal', async () => {
      const name = uniqueName('orphan');
      expect(errorCode(await hub.as('scientist', RegisterModelDocument, { input: { goalId: unknownId('Goal'), name } }))).toBe('NOT_FOUND');
      expect(await modelByName(name)).toBeNull();
    });
  });

  describe('createModelVersion', () => {
    it('numbers versions 1, 2, 3 per model, independently for each model', async () => {
      const a = await newModel();
      const b = await newModel();
      const numbers: [string, number][] = [];
      for (const m of [a, b, a, b, a]) numbers.push([m.name, (await newVersion(m.id)).version]);
      expect(numbers).toEqual([
        [a.name, 1],
        [b.name, 1],
        [a.name, 2],
        [b.name, 2],
        [a.name, 3],
      ]);
    });

    it('hands out exactly 1..20 to 20 concurrent calls on one model', async () => {
      const m = await newModel();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => hub.as(i % 2 ? 'scientist' : 'mlEngineer', CreateModelVersionDocument, { input: { modelId: m.id } })),
      );
      const numbers = results.map((r) => ok(r).createModelVersion.modelVersion.version).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const after = await model(m.id, 20, 100);
      expect(after.versions.totalCount).toBe(20);
      expect(after.latestVersion?.version).toBe(20);
      expect(new Set(after.versions.nodes.map((v) => v.version)).size).toBe(20);
    });

    it('links the run and stores the card with feature importance, metrics and creator', async () => {
      const m = await newModel();
      const { runId } = await newRun();
      const input = {
        modelId: m.id,
        runId,
        artifactUri: 's3://models/churn/1',
        description: 'First candidate',
        metrics: [{ key: 'auc', value: 0.83 }],
        card: {
          intendedUse: 'Retention campaigns',
          featureImportance: [
            { feature: 'tenure', importance: 0.6 },
            { feature: 'plan', importance: 0.4 },
          ],
        },
      };
      const { modelVersion } = ok(await hub.as('mlEngineer', CreateModelVersionDocument, { input })).createModelVersion;
      expect(modelVersion).toMatchObject({
        version: 1,
        stage: 'NONE',
        description: 'First candidate',
        artifactUri: 's3://models/churn/1',
        metrics: [{ key: 'auc', value: 0.83 }],
        run: { id: runId },
        model: { id: m.id },
        createdBy: { name: hub.users.mlEngineer.name },
      });
      expect(await version(modelVersion.id)).toMatchObject({
        card: { intendedUse: 'Retention campaigns', limitations: null, featureImportance: input.card.featureImportance },
        run: { id: runId },
      });
    });

    it('answers NOT_FOUND for an unknown run and writes nothing', async () => {
      const m = await newModel();
      await newVersion(m.id);
      const result = await hub.as('mlEngineer', CreateModelVersionDocument, { input: { modelId: m.id, runId: unknownId('Run') } });
      expect(errorCode(result)).toBe('NOT_FOUND');
      const after = await model(m.id);
      expect(after.latestVersion?.version).toBe(1);
      expect(after.versions.totalCount).toBe(1);
      expect((await newVersion(m.id)).version).toBe(2);
    });
  });

  describe('Model', () => {
    it('lists versions highest number first, pages with after cursors and counts them', async () => {
      const m = await newModel();
      for (let i = 0; i < 5; i++) await newVersion(m.id);
      const first = await model(m.id, 1, 2);
      expect(first.versions.nodes.map((v) => v.version)).toEqual([5, 4]);
      expect(first.versions).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
      const second = await model(m.id, 1, 2, first.versions.pageInfo.endCursor);
      expect(second.versions.nodes.map((v) => v.version)).toEqual([3, 2]);
      expect(second.versions.pageInfo.hasNextPage).toBe(true);
      const last = await model(m.id, 1, 2, second.versions.pageInfo.endCursor);
      expect(last.versions.nodes.map((v) => v.version)).toEqual([1]);
      expect(last.versions).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: false } });
    });

    it('finds one version by number, null for a number that does not exist', async () => {
      const m = await newModel();
      const created = [await newVersion(m.id), await newVersion(m.id), await newVersion(m.id)];
      expect((await model(m.id, 2)).version).toEqual({ id: created[1].id, version: 2 });
      expect((await model(m.id, 4)).version).toBeNull();
      expect((await model(m.id, 0)).version).toBeNull();
    });

    it('has the highest version as latestVersion and no productionVersion before any promotion', async () => {
      const m = await newModel();
      expect(await model(m.id)).toMatchObject({ latestVersion: null, productionVersion: null });
      await newVersion(m.id);
      const second = await newVersion(m.id);
      expect(await model(m.id)).toMatchObject({ latestVersion: { id: second.id, version: 2 }, productionVersion: null });
    });

    it('updates the description and keeps the name', async () => {
      const m = await newModel();
      const { model: updated } = ok(
        await hub.as('dataEngineer', UpdateModelDocument, { input: { modelId: m.id, description: 'Scores every customer weekly' } }),
      ).updateModel;
      expect(updated.description).toBe('Scores every customer weekly');
      expect(await model(m.id)).toMatchObject({ name: m.name, description: 'Scores every customer weekly' });
    });
  });

  describe('models and modelByName', () => {
    it('answers null, not an error, for a name no model can have (NUL, a lone surrogate)', async () => {
      expect(await modelByName('churn\u0000')).toBeNull();
      expect(await modelByName('\ud800')).toBeNull();
    });

    it('filters models by goal, newest first', async () => {
      const otherGoal = await newGoal('Cut fraud losses');
      const older = await newModel(uniqueName('fraud'), otherGoal);
      const newer = await newModel(uniqueName('fraud'), otherGoal);
      await newModel();
      const { models } = ok(await hub.as('sme', ModelsDocument, { goalId: otherGoal }));
      expect(models.nodes.map((n) => n.id)).toEqual([newer.id, older.id]);
      expect(models.totalCount).toBe(2);
    });

    it('filters models by the stage of their versions', async () => {
      const withVersion = await newModel();
      await newVersion(withVersion.id);
      const withoutVersion = await newModel();
      const none = ok(await hub.as('sme', ModelsDocument, { stage: 'NONE', first: 100 })).models;
      expect(none.nodes.map((n) => n.id)).toContain(withVersion.id);
      expect(none.nodes.map((n) => n.id)).not.toContain(withoutVersion.id);
      const production = ok(await hub.as('sme', ModelsDocument, { stage: 'PRODUCTION', first: 100 })).models;
      expect(production).toMatchObject({ totalCount: 0, nodes: [] });
    });

    it('finds a model by its exact name, null for a prefix or an unknown name', async () => {
      const name = uniqueName('retention');
      const exact = await newModel(name);
      await newModel(`${name}-v2`);
      expect(await modelByName(name)).toMatchObject({ id: exact.id, name, goal: { id: goalId }, owner: { name: hub.users.scientist.name } });
      expect(await modelByName(name.slice(0, -1))).toBeNull();
      expect(await modelByName('no-such-model')).toBeNull();
    });
  });

  describe('updateModelVersion', () => {
    it('keeps the fields left out and replaces the whole card when one is given', async () => {
      const m = await newModel();
      const { modelVersion: created } = ok(
        await hub.as('mlEngineer', CreateModelVersionDocument, {
          input: {
            modelId: m.id,
            description: 'Candidate',
            artifactUri: 's3://models/churn/1',
            card: {
              intendedUse: 'Retention campaigns',
              limitations: 'Not for B2B',
              featureImportance: [
                { feature: 'tenure', importance: 0.6 },
                { feature: 'plan', importance: 0.4 },
              ],
            },
          },
        }),
      ).createModelVersion;

      const replaced = ok(
        await hub.as('scientist', UpdateModelVersionDocument, {
          input: {
            modelVersionId: created.id,
            card: { trainingData: 'Jan-Jun 2026 customers', featureImportance: [{ feature: 'support_calls', importance: 0.9 }] },
          },
        }),
      ).updateModelVersion.modelVersion;
      const expectedCard = {
        intendedUse: null,
        limitations: null,
        trainingData: 'Jan-Jun 2026 customers',
        evaluationData: null,
        ethicalConsiderations: null,
        featureImportance: [{ feature: 'support_calls', importance: 0.9 }],
      };
      expect(replaced).toMatchObject({ description: 'Candidate', artifactUri: 's3://models/churn/1', card: expectedCard });

      ok(await hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: created.id, description: 'Approved candidate' } }));
      expect(await version(created.id)).toMatchObject({ description: 'Approved candidate', artifactUri: 's3://models/churn/1', card: expectedCard });
    });
  });

  describe('lineage and refusals', () => {
    it('traces a version to its run, experiment and goal', async () => {
      const m = await newModel();
      const { runId, experimentId } = await newRun();
      const { modelVersion } = ok(await hub.as('mlEngineer', CreateModelVersionDocument, { input: { modelId: m.id, runId } })).createModelVersion;
      expect((await version(modelVersion.id)).run).toEqual({
        id: runId,
        name: 'final',
        params: { maxDepth: 6 },
        datasetUri: 's3://lake/churn.parquet',
        codeVersion: 'a1b2c3d',
        experiment: { id: experimentId, name: 'Gradient boosting', goal: { id: goalId, title: 'Reduce churn' } },
      });
    });

    it('refuses an SME every model mutation with FORBIDDEN and changes nothing', async () => {
      const m = await newModel();
      const v = await newVersion(m.id);
      const name = uniqueName('sme-model');
      expect(errorCode(await hub.as('sme', RegisterModelDocument, { input: { goalId, name } }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('sme', CreateModelVersionDocument, { input: { modelId: m.id } }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('sme', UpdateModelDocument, { input: { modelId: m.id, description: 'Mine' } }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('sme', UpdateModelVersionDocument, { input: { modelVersionId: v.id, description: 'Mine' } }))).toBe('FORBIDDEN');
      expect(await modelByName(name)).toBeNull();
      expect(await model(m.id)).toMatchObject({ description: null, latestVersion: { version: 1 }, versions: { totalCount: 1 } });
      expect((await version(v.id)).description).toBeNull();
    });
  });
});
