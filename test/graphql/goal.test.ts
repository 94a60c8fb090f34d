import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddKpiDocument,
  CreateGoalDocument,
  GoalDocument,
  GoalsDocument,
  KpiHistoryDocument,
  RecordKpiValueDocument,
  UpdateGoalDocument,
} from '../../src/generated/operations';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

forEachDialect((dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  const goalInput = { title: 'Cut fraud losses', businessQuestion: 'Which card payments are fraudulent?' };

  describe('createGoal', () => {
    it('lets an SME create a goal they own, ACTIVE by default', async () => {
      const { createGoal } = ok(await hub.as('sme', CreateGoalDocument, { input: { ...goalInput, description: '  Chargebacks cost 2M a year.  ' } }));
      expect(createGoal.goal).toMatchObject({
        title: 'Cut fraud losses',
        status: 'ACTIVE',
        description: 'Chargebacks cost 2M a year.',
        owner: { id: hub.users.sme.id },
      });
      expect(new Date(createGoal.goal.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('refuses a data scientist with FORBIDDEN and writes nothing', async () => {
      const before = ok(await hub.as('sme', GoalsDocument, {})).goals.totalCount;
      expect(errorCode(await hub.as('scientist', CreateGoalDocument, { input: goalInput }))).toBe('FORBIDDEN');
      expect(ok(await hub.as('sme', GoalsDocument, {})).goals.totalCount).toBe(before);
    });

    it.each([
      ['an empty title', { ...goalInput, title: '   ' }],
      ['a title over 200 characters', { ...goalInput, title: 'x'.repeat(201) }],
      ['a business question over 10,000 characters', { ...goalInput, businessQuestion: 'x'.repeat(10_001) }],
    ])('refuses %s with BAD_USER_INPUT', async (_what, input) => {
      const before = ok(await hub.as('sme', GoalsDocument, {})).goals.totalCount;
      expect(errorCode(await hub.as('sme', CreateGoalDocument, { input }))).toBe('BAD_USER_INPUT');
      expect(ok(await hub.as('sme', GoalsDocument, {})).goals.totalCount).toBe(before);
    });

    it('refuses an unknown status value with BAD_USER_INPUT', async () => {
      const result = await hub.as('sme', CreateGoalDocument, { input: { ...goalInput, status: 'SOMEDAY' as never } });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    });
  });

  describe('updateGoal', () => {
    it('lets the owner change fields and leaves the others as they are', async () => {
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: goalInput })).createGoal.goal;
      const { updateGoal } = ok(await hub.as('sme', UpdateGoalDocument, { input: { goalId: goal.id, status: 'ACHIEVED' } }));
      expect(updateGoal.goal).toMatchObject({ title: goalInput.title, businessQuestion: goalInput.businessQuestion, status: 'ACHIEVED' });
      expect(new Date(updateGoal.goal.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(goal.updatedAt).getTime());
    });

    it('refuses another SME but lets an ADMIN', async () => {
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: goalInput })).createGoal.goal;
      expect(errorCode(await hub.as('sme2', UpdateGoalDocument, { input: { goalId: goal.id, title: 'Mine now' } }))).toBe('FORBIDDEN');
      const { updateGoal } = ok(await hub.as('admin', UpdateGoalDocument, { input: { goalId: goal.id, title: 'Renamed by admin' } }));
      expect(updateGoal.goal.title).toBe('Renamed by admin');
    });

    it('answers NOT_FOUND for an unknown or malformed goal ID', async () => {
      expect(errorCode(await hub.as('admin', UpdateGoalDocument, { input: { goalId: unknownId('Goal'), title: 'x' } }))).toBe('NOT_FOUND');
      expect(errorCode(await hub.as('admin', UpdateGoalDocument, { input: { goalId: 'nonsense', title: 'x' } }))).toBe('NOT_FOUND');
      expect(errorCode(await hub.as('admin', UpdateGoalDocument, { input: { goalId: hub.users.sme.id, title: 'x' } }))).toBe('NOT_FOUND');
    });
  });

  describe('KPIs', () => {
    it('records values: current follows the latest observation, history is newest first and pages', async () => {
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: goalInput })).createGoal.goal;
      const { kpi } = ok(
        await hub.as('sme', AddKpiDocument, {
          input: { goalId: goal.id, name: 'Fraud rate', unit: '%', direction: 'LOWER_IS_BETTER', baseline: 1.2, target: 0.5 },
        }),
      ).addKpi;
      expect(kpi).toMatchObject({ current: null, baseline: 1.2, target: 0.5, direction: 'LOWER_IS_BETTER', goal: { id: goal.id } });

      const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();
      for (const [who, value, day] of [
        ['sme', 1.1, 1],
        ['scientist', 0.9, 3],
        ['mlEngineer', 1.0, 2],
      ] as const) {
        ok(await hub.as(who, RecordKpiValueDocument, { input: { kpiId: kpi.id, value, observedAt: at(day) } }));
      }
      const first = having(ok(await hub.as('risk', KpiHistoryDocument, { id: kpi.id, first: 2 })).node, 'history');
      expect(first).toMatchObject({ current: 0.9, history: { totalCount: 3, pageInfo: { hasNextPage: true } } });
      expect(first.history.nodes.map((n) => n.value)).toEqual([0.9, 1.0]);
      expect(first.history.nodes[0].recordedBy.name).toBe(hub.users.scientist.name);
      expect(first.history.nodes[0].modelVersion).toBeNull();
      const rest = having(
        ok(await hub.as('risk', KpiHistoryDocument, { id: kpi.id, first: 2, after: first.history.pageInfo.endCursor })).node,
        'history',
      );
      expect(rest.history.nodes.map((n) => n.value)).toEqual([1.1]);
      expect(rest.history.pageInfo.hasNextPage).toBe(false);
    });

    it('refuses addKpi to a data scientist and recordKpiValue to a risk manager', async () => {
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: goalInput })).createGoal.goal;
      expect(errorCode(await hub.as('scientist', AddKpiDocument, { input: { goalId: goal.id, name: 'x', direction: 'HIGHER_IS_BETTER' } }))).toBe(
        'FORBIDDEN',
      );
      const { kpi } = ok(await hub.as('sme', AddKpiDocument, { input: { goalId: goal.id, name: 'Recall', direction: 'HIGHER_IS_BETTER' } })).addKpi;
      expect(errorCode(await hub.as('risk', RecordKpiValueDocument, { input: { kpiId: kpi.id, value: 1 } }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('dataEngineer', RecordKpiValueDocument, { input: { kpiId: kpi.id, value: 1 } }))).toBe('FORBIDDEN');
    });

    it('shows the goal with its KPIs, owner and empty connections', async () => {
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: goalInput })).createGoal.goal;
      ok(await hub.as('sme', AddKpiDocument, { input: { goalId: goal.id, name: 'First', direction: 'HIGHER_IS_BETTER' } }));
      ok(await hub.as('sme', AddKpiDocument, { input: { goalId: goal.id, name: 'Second', direction: 'HIGHER_IS_BETTER' } }));
      const node = ok(await hub.as('dataEngineer', GoalDocument, { id: goal.id })).node;
      expect(node).toMatchObject({
        __typename: 'Goal',
        owner: { name: hub.users.sme.name },
        models: { totalCount: 0, nodes: [] },
        experiments: { totalCount: 0 },
      });
      expect(having(node, 'kpis').kpis.map((k) => k.name)).toEqual(['First', 'Second']);
    });
  });
});
