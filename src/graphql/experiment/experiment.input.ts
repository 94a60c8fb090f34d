import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RunStatus } from '../common/enums';
import { JSONObjectScalar } from '../common/scalars';
import { ExperimentType, RunType } from './experiment.type';
import type * as commands from '../../domain/experiment/experiment.service';

@InputType('MetricInput', { description: 'One metric value.' })
export class MetricInput {
  @Field(() => String, { description: "The metric's name, e.g. auc; 1 to 200 characters." })
  key!: string;

  @Field(() => Float, { description: 'The value; a finite number.' })
  value!: number;
}

@InputType('TagInput', { description: 'A key and value to attach to a run or a model version (as MLflow tags).' })
export class TagInput {
  @Field(() => String, { description: "The tag's name, 1 to 200 characters; a key given twice keeps its last value." })
  key!: string;

  @Field(() => String, { description: "The tag's value, up to 5,000 characters." })
  value!: string;
}

@InputType('MetricPointInput', { description: 'One metric value at a training step, as a pipeline logs it.' })
export class MetricPointInput {
  @Field(() => String, { description: "The metric's name, e.g. auc; 1 to 200 characters." })
  key!: string;

  @Field(() => Float, { description: 'The value; a finite number.' })
  value!: number;

  @Field(() => Int, { nullable: true, description: 'Default 0.' })
  step?: number | null;

  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  timestamp?: Date | null;
}

@InputType('LogMetricsInput', { description: "Metric values to append to a run's history." })
export class LogMetricsInput implements commands.LogMetricsInput {
  @Field(() => ID, { description: 'The run the values belong to.' })
  runId!: string;

  @Field(() => [MetricPointInput], { description: 'At most 1,000 points.' })
  metrics!: MetricPointInput[];
}

@ObjectType('LogMetricsPayload', { simpleResolvers: true, description: 'The run after logging the values.' })
export class LogMetricsPayload {
  @Field(() => RunType, { description: 'The run, its metrics holding the latest value of each key.' })
  run!: RunType;
}

@InputType('EnsureExperimentInput', { description: 'The experiment to find under a goal, or to create if there is none.' })
export class EnsureExperimentInput implements commands.CreateExperimentInput {
  @Field(() => ID, { description: 'The goal the experiment works towards.' })
  goalId!: string;

  @Field(() => String, { description: "The experiment's name, 1 to 200 characters; the goal's oldest experiment of that name is returned." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Used only when the experiment is created.' })
  hypothesis?: string | null;
}

@ObjectType('EnsureExperimentPayload', { simpleResolvers: true, description: 'The experiment found or created.' })
export class EnsureExperimentPayload {
  @Field(() => ExperimentType, { description: 'The experiment; when created, the caller owns it.' })
  experiment!: ExperimentType;

  @Field(() => Boolean, { description: 'False when the experiment already existed.' })
  created!: boolean;
}

@InputType('CreateExperimentInput', { description: 'A new experiment under a goal.' })
export class CreateExperimentInput implements commands.CreateExperimentInput {
  @Field(() => ID, { description: 'The goal the experiment works towards.' })
  goalId!: string;

  @Field(() => String, { description: "The experiment's name, 1 to 200 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the experiment means to show, up to 10,000 characters.' })
  hypothesis?: string | null;
}

@ObjectType('CreateExperimentPayload', { simpleResolvers: true, description: 'The experiment created.' })
export class CreateExperimentPayload {
  @Field(() => ExperimentType, { description: 'The new experiment; the caller owns it.' })
  experiment!: ExperimentType;
}

@InputType('LogRunInput', { description: 'A run of an experiment: what went in and, if known, what came out.' })
export class LogRunInput implements commands.LogRunInput {
  @Field(() => ID, { description: 'The experiment the run belongs to.' })
  experimentId!: string;

  @Field(() => String, { nullable: true, description: "The run's name, up to 200 characters; null: unnamed." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "The pipeline's own id for the run: logging a known one again returns that run, unchanged." })
  externalId?: string | null;

  @Field(() => [TagInput], { nullable: true, description: 'Tags for the run, at most 100; a key given twice keeps its last value.' })
  tags?: TagInput[] | null;

  @Field(() => RunStatus, { nullable: true, description: 'Default RUNNING.' })
  status?: RunStatus | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "The run's parameters, at most 100,000 characters as JSON; default {}." })
  params?: Record<string, unknown> | null;

  @Field(() => [MetricInput], { nullable: true, description: 'Metric values, at most 1,000; a key given twice keeps its last value.' })
  metrics?: MetricInput[] | null;

  @Field(() => String, { nullable: true, description: 'Where the training data is, up to 2,000 characters.' })
  datasetUri?: string | null;

  @Field(() => String, { nullable: true, description: 'The code the run used, e.g. a git commit; up to 200 characters.' })
  codeVersion?: string | null;
}

@ObjectType('LogRunPayload', { simpleResolvers: true, description: 'The run logged.' })
export class LogRunPayload {
  @Field(() => RunType, { description: 'The new run; the caller is its author.' })
  run!: RunType;
}

@InputType('UpdateRunInput', { description: 'Changes to a run; fields left out stay as they are.' })
export class UpdateRunInput implements commands.UpdateRunInput {
  @Field(() => ID, { description: 'The run to change.' })
  runId!: string;

  @Field(() => RunStatus, { nullable: true, description: 'The new status; a FINISHED or FAILED run cannot change status again.' })
  status?: RunStatus | null;

  @Field(() => [MetricInput], { nullable: true, description: 'New values replace those of the same key.' })
  metrics?: MetricInput[] | null;
}

@ObjectType('UpdateRunPayload', { simpleResolvers: true, description: 'The run after the change.' })
export class UpdateRunPayload {
  @Field(() => RunType, { description: 'The run as changed.' })
  run!: RunType;
}
