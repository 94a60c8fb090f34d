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

  @Field(() => String, { description: 'A short name.' })
  title!: string;

  @Field(() => String, { description: 'The question models must answer.' })
  businessQuestion!: string;

  @Field(() => String, { nullable: true, description: 'Background; null when not given.' })
  description!: string | null;

  @Field(() => GoalStatus, { description: 'Where the goal stands.' })
  status!: GoalStatus;

  @Field(() => Date, { description: 'When the goal was created.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When the goal last changed.' })
  updatedAt!: Date;
}

export interface KpiType extends Pick<RowOf<Kpi>, 'goalId' | 'currentObservedAt' | 'createdAt'> {}

@ObjectType('Kpi', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'A key performance indicator of a goal: how success is measured, with its baseline, target and recorded values.',
})
export class KpiType extends DiscussableBase implements Partial<RowOf<Kpi>> {
  get typeName() {
    return 'Kpi';
  }

  @Field(() => String, { description: "The KPI's name." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the KPI measures and how; null when not given.' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'The unit of its values, e.g. %; null when not given.' })
  unit!: string | null;

  @Field(() => KpiDirection, { description: 'Which way the KPI improves.' })
  direction!: KpiDirection;

  @Field(() => Float, { nullable: true, description: 'The value before any model; null when not given.' })
  baseline!: number | null;

  @Field(() => Float, { nullable: true, description: 'The value the goal aims for; null when not given.' })
  target!: number | null;

  @Field(() => Float, { nullable: true, description: 'The latest recorded value.' })
  current!: number | null;
}

export interface KpiObservationType extends Pick<RowOf<KpiObservation>, 'dbId' | 'kpiId' | 'recordedById' | 'modelVersionId'> {}

@ObjectType('KpiObservation', { simpleResolvers: true, description: 'One recorded value of a KPI.' })
export class KpiObservationType implements Partial<RowOf<KpiObservation>> {
  @Field(() => Float, { description: "The value, in the KPI's unit." })
  value!: number;

  @Field(() => Date, { description: 'When the value was observed.' })
  observedAt!: Date;
}

export const GoalConnection = ConnectionType(GoalType, 'Goal');
export const KpiObservationConnection = ConnectionType(KpiObservationType, 'KpiObservation');
