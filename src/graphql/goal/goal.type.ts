import { Field, Float, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { Goal } from '../../domain/goal/goal.entity';
import type { Kpi } from '../../domain/goal/kpi.entity';
import type { KpiObservation } from '../../domain/goal/kpi-observation.entity';
import { ConnectionType } from '../common/connection';
import { GoalStatus, KpiDirection } from '../common/enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

/** A goal row: what the entity has and the API does not show comes from the entity itself. */
export interface GoalType extends Pick<RowOf<Goal>, 'ownerId'> {}

@ObjectType('Goal', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'A business goal, owned by a subject matter expert: the question models must answer and the KPIs that say whether they do.',
})
export class GoalType extends DiscussableBase implements Partial<RowOf<Goal>> {
  get typeName() {
    return 'Goal';
  }

  @Field(() => String)
  title!: string;

  @Field(() => String)
  businessQuestion!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => GoalStatus)
  status!: GoalStatus;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export interface KpiType extends Pick<RowOf<Kpi>, 'goalId' | 'currentObservedAt' | 'createdAt'> {}

@ObjectType('Kpi', { implements: [NodeBase, DiscussableBase], simpleResolvers: true })
export class KpiType extends DiscussableBase implements Partial<RowOf<Kpi>> {
  get typeName() {
    return 'Kpi';
  }

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  unit!: string | null;

  @Field(() => KpiDirection)
  direction!: KpiDirection;

  @Field(() => Float, { nullable: true })
  baseline!: number | null;

  @Field(() => Float, { nullable: true })
  target!: number | null;

  @Field(() => Float, { nullable: true, description: 'The latest recorded value.' })
  current!: number | null;
}

export interface KpiObservationType extends Pick<RowOf<KpiObservation>, 'dbId' | 'kpiId' | 'recordedById' | 'modelVersionId'> {}

@ObjectType('KpiObservation', { simpleResolvers: true })
export class KpiObservationType implements Partial<RowOf<KpiObservation>> {
  @Field(() => Float)
  value!: number;

  @Field(() => Date)
  observedAt!: Date;
}

export const GoalConnection = ConnectionType(GoalType, 'Goal');
export const KpiObservationConnection = ConnectionType(KpiObservationType, 'KpiObservation');
