import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GoalStatus, KpiDirection } from '../common/enums';
import { GoalType, KpiType } from './goal.type';
import type * as commands from '../../domain/goal/goal.service';

@InputType('CreateGoalInput')
export class CreateGoalInput implements commands.CreateGoalInput {
  @Field(() => String)
  title!: string;

  @Field(() => String)
  businessQuestion!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => GoalStatus, { nullable: true, description: 'Default ACTIVE.' })
  status?: GoalStatus | null;
}

@ObjectType('CreateGoalPayload', { simpleResolvers: true })
export class CreateGoalPayload {
  @Field(() => GoalType)
  goal!: GoalType;
}

@InputType('UpdateGoalInput')
export class UpdateGoalInput implements commands.UpdateGoalInput {
  @Field(() => ID)
  goalId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  businessQuestion?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => GoalStatus, { nullable: true })
  status?: GoalStatus | null;
}

@ObjectType('UpdateGoalPayload', { simpleResolvers: true })
export class UpdateGoalPayload {
  @Field(() => GoalType)
  goal!: GoalType;
}

@InputType('AddKpiInput')
export class AddKpiInput implements commands.AddKpiInput {
  @Field(() => ID)
  goalId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  unit?: string | null;

  @Field(() => KpiDirection)
  direction!: KpiDirection;

  @Field(() => Float, { nullable: true })
  baseline?: number | null;

  @Field(() => Float, { nullable: true })
  target?: number | null;
}

@ObjectType('AddKpiPayload', { simpleResolvers: true })
export class AddKpiPayload {
  @Field(() => KpiType)
  kpi!: KpiType;
}

@InputType('RecordKpiValueInput')
export class RecordKpiValueInput implements commands.RecordKpiValueInput {
  @Field(() => ID)
  kpiId!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Date, { nullable: true, description: 'Default now.' })
  observedAt?: Date | null;
}

@ObjectType('RecordKpiValuePayload', { simpleResolvers: true })
export class RecordKpiValuePayload {
  @Field(() => KpiType)
  kpi!: KpiType;
}

@InputType('KpiValueInput')
export class KpiValueInput implements commands.KpiValueInput {
  @Field(() => Float)
  value!: number;

  @Field(() => Date)
  observedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Identifies the value in the source system: importing the same key again changes nothing.' })
  sourceKey?: string | null;
}

@InputType('RecordKpiValuesInput')
export class RecordKpiValuesInput implements commands.RecordKpiValuesInput {
  @Field(() => ID)
  kpiId!: string;

  @Field(() => [KpiValueInput])
  values!: KpiValueInput[];
}

@ObjectType('RecordKpiValuesPayload', { simpleResolvers: true })
export class RecordKpiValuesPayload {
  @Field(() => KpiType)
  kpi!: KpiType;

  @Field(() => Int, { description: 'Values newly recorded (known source keys are skipped).' })
  recorded!: number;

  @Field(() => Int)
  skipped!: number;
}
