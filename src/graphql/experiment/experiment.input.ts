import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
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
