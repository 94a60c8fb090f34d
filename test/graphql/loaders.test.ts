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
});
