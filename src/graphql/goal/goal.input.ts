import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GoalStatus, KpiDirection } from '../common/enums';
import { GoalType, KpiType } from './goal.type';
import type * as commands from '../../domain/goal/goal.service';

@InputType('CreateGoalInput', { description: 'A new business goal.' })
export class CreateGoalInput implements commands.CreateGoalInput {
  @Field(() => String, { description: 'A short name, 1 to 200 characters.' })
  title!: string;

  @Field(() => String, { description: 'The question models must answer, 1 to 10,000 characters.' })
  businessQuestion!: string;

  @Field(() => String, { nullable: true, description: 'Background, up to 10,000 characters.' })
  description?: string | null;

  @Field(() => GoalStatus, { nullable: true, description: 'Default ACTIVE.' })
  status?: GoalStatus | null;
}

@ObjectType('CreateGoalPayload', { simpleResolvers: true, description: 'The goal created.' })
export class CreateGoalPayload {
  @Field(() => GoalType, { description: 'The new goal; the caller owns it.' })
  goal!: GoalType;
}

@InputType('UpdateGoalInput', { description: 'Changes to a goal; fields left out stay as they are.' })
export class UpdateGoalInput implements commands.UpdateGoalInput {
  @Field(() => ID, { description: 'The goal to change.' })
  goalId!: string;

  @Field(() => String, { nullable: true, description: 'A new title, 1 to 200 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'A new business question, 1 to 10,000 characters.' })
  businessQuestion?: string | null;

  @Field(() => String, { nullable: true, description: 'A new description, up to 10,000 characters.' })
  description?: string | null;

  @Field(() => GoalStatus, { nullable: true, description: 'A new status.' })
  status?: GoalStatus | null;
}

@ObjectType('UpdateGoalPayload', { simpleResolvers: true, description: 'The goal after the change.' })
export class UpdateGoalPayload {
  @Field(() => GoalType, { description: 'The goal as changed.' })
  goal!: GoalType;
}

@InputType('AddKpiInput', { description: 'A new KPI for a goal.' })
export class AddKpiInput implements commands.AddKpiInput {
  @Field(() => ID, { description: 'The goal the KPI measures.' })
  goalId!: string;

  @Field(() => String, { description: "The KPI's name, 1 to 200 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the KPI measures and how, up to 10,000 characters.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'The unit of its values, e.g. % or EUR; up to 50 characters.' })
  unit?: string | null;

  @Field(() => KpiDirection, { description: 'Which way the KPI improves.' })
  direction!: KpiDirection;

  @Field(() => Float, { nullable: true, description: "The value before any model, in the KPI's unit." })
  baseline?: number | null;

  @Field(() => Float, { nullable: true, description: "The value the goal aims for, in the KPI's unit." })
  target?: number | null;
}

@ObjectType('AddKpiPayload', { simpleResolvers: true, description: 'The KPI added.' })
export class AddKpiPayload {
  @Field(() => KpiType, { description: 'The new KPI.' })
  kpi!: KpiType;
}

@InputType('RecordKpiValueInput', { description: 'One observed value of a KPI.' })
export class RecordKpiValueInput implements commands.RecordKpiValueInput {
  @Field(() => ID, { description: 'The KPI observed.' })
  kpiId!: string;

  @Field(() => Float, { description: "The value, in the KPI's unit; a finite number." })
  value!: number;

  @Field(() => Date, { nullable: true, description: 'Default now.' })
  observedAt?: Date | null;
}

@ObjectType('RecordKpiValuePayload', { simpleResolvers: true, description: 'The KPI after recording the value.' })
export class RecordKpiValuePayload {
  @Field(() => KpiType, { description: 'The KPI, with the value in its history.' })
  kpi!: KpiType;
}

@InputType('KpiValueInput', { description: 'One observed value of a KPI, as imported from a source system.' })
export class KpiValueInput implements commands.KpiValueInput {
  @Field(() => Float, { description: "The value, in the KPI's unit; a finite number." })
  value!: number;

  @Field(() => Date, { description: 'When the value was observed; at most 5 minutes ahead of the hub clock.' })
  observedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Identifies the value in the source system: importing the same key again changes nothing.' })
  sourceKey?: string | null;
}

@InputType('RecordKpiValuesInput', { description: 'A batch of observed values of one KPI.' })
export class RecordKpiValuesInput implements commands.RecordKpiValuesInput {
  @Field(() => ID, { description: 'The KPI observed.' })
  kpiId!: string;

  @Field(() => [KpiValueInput], { description: '1 to 10,000 values; a sourceKey may appear only once.' })
  values!: KpiValueInput[];
}

@ObjectType('RecordKpiValuesPayload', { simpleResolvers: true, description: 'The KPI after recording the values.' })
export class RecordKpiValuesPayload {
  @Field(() => KpiType, { description: 'The KPI with its new values.' })
  kpi!: KpiType;

  @Field(() => Int, { description: 'Values newly recorded (known source keys are skipped).' })
  recorded!: number;

  @Field(() => Int, { description: 'Values not recorded because their source key was already known.' })
  skipped!: number;
}
