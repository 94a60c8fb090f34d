import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { RunStatus } from '../common/enums';
import { JSONObjectScalar } from '../common/scalars';
import { ExperimentType, RunType } from './experiment.type';
import type * as commands from '../../domain/experiment/experiment.service';

@InputType('MetricInput')
export class MetricInput {
  @Field(() => String)
  key!: string;

  @Field(() => Float)
  value!: number;
}

@InputType('CreateExperimentInput')
export class CreateExperimentInput implements commands.CreateExperimentInput {
  @Field(() => ID)
  goalId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  hypothesis?: string | null;
}

@ObjectType('CreateExperimentPayload', { simpleResolvers: true })
export class CreateExperimentPayload {
  @Field(() => ExperimentType)
  experiment!: ExperimentType;
}

@InputType('LogRunInput')
export class LogRunInput implements commands.LogRunInput {
  @Field(() => ID)
  experimentId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => RunStatus, { nullable: true, description: 'Default RUNNING.' })
  status?: RunStatus | null;

  @Field(() => JSONObjectScalar, { nullable: true })
  params?: Record<string, unknown> | null;

  @Field(() => [MetricInput], { nullable: true })
  metrics?: MetricInput[] | null;

  @Field(() => String, { nullable: true })
  datasetUri?: string | null;

  @Field(() => String, { nullable: true })
  codeVersion?: string | null;
}

@ObjectType('LogRunPayload', { simpleResolvers: true })
export class LogRunPayload {
  @Field(() => RunType)
  run!: RunType;
}

@InputType('UpdateRunInput')
export class UpdateRunInput implements commands.UpdateRunInput {
  @Field(() => ID)
  runId!: string;

  @Field(() => RunStatus, { nullable: true })
  status?: RunStatus | null;

  @Field(() => [MetricInput], { nullable: true, description: 'New values replace those of the same key.' })
  metrics?: MetricInput[] | null;
}

@ObjectType('UpdateRunPayload', { simpleResolvers: true })
export class UpdateRunPayload {
  @Field(() => RunType)
  run!: RunType;
}
