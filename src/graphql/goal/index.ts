import { Goal } from '../../domain/goal/goal.entity';
import { Kpi } from '../../domain/goal/kpi.entity';
import { KpiObservation } from '../../domain/goal/kpi-observation.entity';
import type { GraphQLModule } from '../module';
import { GoalResolver, KpiObservationResolver, KpiResolver } from './goal.resolver';
import { GoalType, KpiObservationType, KpiType } from './goal.type';

export const goalApi: GraphQLModule = {
  resolvers: [GoalResolver, KpiResolver, KpiObservationResolver],
  records: [
    [Goal, GoalType],
    [Kpi, KpiType],
    [KpiObservation, KpiObservationType],
  ],
};
