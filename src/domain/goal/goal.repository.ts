import { NEWEST_FIRST, type ChildList, type ListQuery, type Order } from '../../db/reader';
import type { GoalStatus } from '../enums';
import { Goal } from './goal.entity';
import { Kpi } from './kpi.entity';
import { KpiObservation } from './kpi-observation.entity';

export interface GoalFilter {
  status?: GoalStatus | null;
}

const HISTORY_NEWEST_FIRST: Order = { props: ['observedAt', 'id'], direction: 'desc' };

/** Reads about goals, their KPIs and the KPIs' history. */
export const goalRepository = {
  /** Goals, newest first. */
  goals(filter: GoalFilter): ListQuery<Goal> {
    return { entity: Goal, where: { status: filter.status ?? undefined }, order: NEWEST_FIRST };
  },

  /** The KPIs of each goal, in the order they were added. */
  kpisOf: { name: 'goal.kpis', entity: Kpi, parentKey: 'goalId', order: { props: ['id'], direction: 'asc' } } satisfies ChildList<Kpi>,

  /** The recorded values of each KPI, newest observation first. */
  historyOf: { name: 'kpi.history', entity: KpiObservation, parentKey: 'kpiId', order: HISTORY_NEWEST_FIRST } satisfies ChildList<KpiObservation>,
};
