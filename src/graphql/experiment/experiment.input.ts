import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
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

@InputType('TagInput')
export class TagInput {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;
}

@InputType('MetricPointInput')
export class MetricPointInput {
  @Field(() => String)
  key!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Int, { nullable: true, description: 'Default 0.' })
  step?: number | null;

  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  timestamp?: Date | null;
}

@InputType('LogMetricsInput')
export class LogMetricsInput implements commands.LogMetricsInput {
  @Field(() => ID)
  runId!: string;

  @Field(() => [MetricPointInput], { description: 'At most 1,000 points.' })
  metrics!: MetricPointInput[];
}

@ObjectType('LogMetricsPayload', { simpleResolvers: true })
export class LogMetricsPayload {
  @Field(() => RunType)
  run!: RunType;
}

@InputType('EnsureExperimentInput')
export class EnsureExperimentInput implements commands.CreateExperimentInput {
  @Field(() => ID)
  goalId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Used only when the experiment is created.' })
  hypothesis?: string | null;
}

@ObjectType('EnsureExperimentPayload', { simpleResolvers: true })
export class EnsureExperimentPayload {
  @Field(() => ExperimentType)
  experiment!: ExperimentType;

  @Field(() => Boolean, { description: 'False when the experiment already existed.' })
  created!: boolean;
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

  @Field(() => String, { nullable: true, description: "The pipeline's own id for the run: logging a known one again returns that run, unchanged." })
  externalId?: string | null;

  @Field(() => [TagInput], { nullable: true })
  tags?: TagInput[] | null;

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
