import { Field, Float, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { GoalStatus, KpiDirection } from '../common/enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

@ObjectType('Goal', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'A business goal, owned by a subject matter expert: the question models must answer and the KPIs that say whether they do.',
})
export class GoalType extends DiscussableBase {
  get typeName() {
    return 'Goal';
  }

  ownerId!: number;

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

@ObjectType('Kpi', { implements: NodeBase, simpleResolvers: true })
export class KpiType extends NodeBase {
  get typeName() {
    return 'Kpi';
  }

  goalId!: number;

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

@ObjectType('KpiObservation', { simpleResolvers: true })
export class KpiObservationType {
  dbId!: number;
  recordedById!: number;
  modelVersionId!: number | null;

  @Field(() => Float)
  value!: number;

  @Field(() => Date)
  observedAt!: Date;
}

export const GoalConnection = ConnectionType(GoalType, 'Goal');
export const KpiObservationConnection = ConnectionType(KpiObservationType, 'KpiObservation');
