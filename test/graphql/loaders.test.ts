import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentDocument,
  AddKpiDocument,
  CreateExperimentDocument,
  CreateGoalDocument,
  CreateModelVersionDocument,
  DashboardDocument,
  LogRunDocument,
  RecordKpiValueDocument,
  RegisterModelDocument,
} from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';

const GOALS = 20;
const MODELS_PER_GOAL = 2;

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    // The dashboard query charges each plain list at its cap (metrics: 100): more than the default budget at 20 goals.
    hub = await startHub(dialect, { limits: { costBudget: 50_000 } });
    for (let g = 0; g < GOALS; g++) {
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: { title: `Goal ${g}`, businessQuestion: `Question ${g}?` } })).createGoal.goal;
      const { kpi } = ok(await hub.as('sme', AddKpiDocument, { input: { goalId: goal.id, name: `KPI ${g}`, direction: 'HIGHER_IS_BETTER' } })).addKpi;
      ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId: kpi.id, value: g } }));
      const { experiment } = ok(
        await hub.as('scientist', CreateExperimentDocument, { input: { goalId: goal.id, name: `Experiment ${g}` } }),
      ).createExperiment;
      for (let m = 0; m < MODELS_PER_GOAL; m++) {
        const { run } = ok(
          await hub.as('scientist', LogRunDocument, { input: { experimentId: experiment.id, metrics: [{ key: 'auc', value: 0.8 }] } }),
        ).logRun;
        const { model } = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: goal.id, name: `model-${g}-${m}` } })).registerModel;
        ok(
          await hub.as('mlEngineer', CreateModelVersionDocument, {
            input: { modelId: model.id, runId: run.id, metrics: [{ key: 'auc', value: 0.81 }] },
          }),
        );
        ok(await hub.as('risk', AddCommentDocument, { input: { subjectId: model.id, body: `Looks fine ${g}-${m}` } }));
      }
    }
  }, 120_000);
  afterAll(() => hub?.close());

  describe('the dashboard query', () => {
    it('answers every level it asks for', async () => {
      const { goals } = ok(await hub.as('sme', DashboardDocument, { first: 3 }));
      expect(goals.nodes).toHaveLength(3);
      const [goal] = goals.nodes;
      expect(goal.owner.name).toBe(hub.users.sme.name);
      expect(goal.kpis).toEqual([{ name: 'KPI 19', current: 19 }]);
      expect(goal.models.totalCount).toBe(MODELS_PER_GOAL);
      expect(goal.models.nodes[0]).toMatchObject({
        owner: { name: hub.users.scientist.name },
        latestVersion: { version: 1, metrics: [{ key: 'auc', value: 0.81 }], run: { experiment: { name: 'Experiment 19' } } },
        comments: { nodes: [{ author: { name: hub.users.risk.name }, body: 'Looks fine 19-1' }] },
      });
    });

    it('runs the same number of SQL statements for 2 goals as for 20', async () => {
      const small = await hub.countStatements(() => hub.as('sme', DashboardDocument, { first: 2 }));
      const large = await hub.countStatements(() => hub.as('sme', DashboardDocument, { first: GOALS }));
      expect(ok(small.result).goals.nodes).toHaveLength(2);
      expect(ok(large.result).goals.nodes).toHaveLength(GOALS);
      expect(large.statements).toBe(small.statements);
      // One statement per level plus authentication: far fewer than one per goal.
      expect(large.statements).toBeLessThan(GOALS);
    });
  });

  describe('a page per parent', () => {
    interface Page {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: { body: string }[];
    }
    const models = parse(`query ($after: String) { goals(first: 2) { nodes { models(first: 2) { nodes { id name
      comments(first: 5, after: $after) { pageInfo { hasNextPage endCursor } nodes { body } } } } } } }`);
    const modelsOf = async (after: string | null) =>
      (
        ok(await hub.as('sme', models as never, { after } as never)) as {
          goals: { nodes: { models: { nodes: { id: string; name: string; comments: Page }[] } }[] };
        }
      ).goals.nodes.flatMap((g) => g.models.nodes);

    // Each parent's page is its own: a model with many comments neither crowds out nor pads the others.
    it("gives each model its own newest comments, whatever the others have, and pages on from a model's cursor", async () => {
      const [busy] = await modelsOf(null);
      const added = Array.from({ length: 12 }, (_, i) => `Busy ${i}`);
      for (const body of added) ok(await hub.as('risk', AddCommentDocument, { input: { subjectId: busy.id, body } }));
      const everything = [...added].reverse().concat(busy.comments.nodes.map((c) => c.body));

      const first = await modelsOf(null);
      expect(first).toHaveLength(4);
      const [mine, ...others] = first;
      expect(mine.comments.nodes.map((c) => c.body)).toEqual(everything.slice(0, 5));
      expect(mine.comments.pageInfo.hasNextPage).toBe(true);
      for (const other of others) {
        expect(other.comments.nodes.map((c) => c.body)).toEqual([`Looks fine ${other.name.slice('model-'.length)}`]);
        expect(other.comments.pageInfo.hasNextPage).toBe(false);
      }

      const second = (await modelsOf(mine.comments.pageInfo.endCursor))[0];
      expect(second.comments.nodes.map((c) => c.body)).toEqual(everything.slice(5, 10));
      expect(second.comments.pageInfo.hasNextPage).toBe(true);
      const third = (await modelsOf(second.comments.pageInfo.endCursor))[0];
      expect(third.comments.nodes.map((c) => c.body)).toEqual(everything.slice(10));
      expect(third.comments.pageInfo.hasNextPage).toBe(false);
    });
  });
});
