import { defineAggregate, payload } from '../aggregate';
import type { GoalStatus, KpiDirection } from '../enums';
import type { Changes } from '../event/event.types';
import { Goal } from './goal.entity';
import { Kpi } from './kpi.entity';
import { KpiObservation } from './kpi-observation.entity';

export const goalAggregate = defineAggregate({
  name: 'goal',
  entities: [Goal, Kpi, KpiObservation],
  nodes: [
    { name: 'Goal', entity: Goal, discussable: true, scope: async (_em, id) => ({ goalId: id }) },
    { name: 'Kpi', entity: Kpi, discussable: true, scope: async (em, id) => ({ goalId: (await em.findOneOrFail(Kpi, id)).goal.id }) },
  ],
  events: {
    GOAL_CREATED: payload<{ title: string; status: GoalStatus; businessQuestion: string; description: string | null }>(),
    GOAL_UPDATED: payload<{ changes: Changes }>(),
    KPI_ADDED: payload<{
      name: string;
      direction: KpiDirection;
      baseline: number | null;
      target: number | null;
      unit: string | null;
      description: string | null;
    }>(),
    /** `modelVersionId`: the version in PRODUCTION at `observedAt`. */
    KPI_RECORDED: payload<{
      value: number;
      observedAt: string;
      baseline: number | null;
      target: number | null;
      modelVersionId: string | null;
      changes: Changes;
    }>(),
    /** A bulk import (`recordKpiValues`): how many values were new, how many known by their source key. */
    KPI_VALUES_RECORDED: payload<{ recorded: number; skipped: number; changes: Changes }>(),
  },
});
