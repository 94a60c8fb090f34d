import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { Experiment } from '../../domain/experiment/experiment.entity';
import type { Run } from '../../domain/experiment/run.entity';
import { ConnectionType } from '../common/connection';
import { RunStatus } from '../common/enums';
import { NodeBase } from '../common/node';
import { heavyColumns } from '../lookahead';
import { JSONObjectScalar } from '../common/scalars';
import { DiscussableBase } from '../comment/discussable';

@ObjectType('Metric', { simpleResolvers: true, description: 'One metric value.' })
export class MetricType {
  @Field(() => String, { description: "The metric's name, e.g. auc." })
  key!: string;

  @Field(() => Float, { description: 'The value.' })
  value!: number;
}

@ObjectType('Tag', { simpleResolvers: true, description: 'A key and value attached to a run or a model version (as MLflow tags).' })
export class TagType {
  @Field(() => String, { description: "The tag's name." })
  key!: string;

  @Field(() => String, { description: "The tag's value." })
  value!: string;
}

@ObjectType('MetricPoint', { simpleResolvers: true, description: "One logged value of a run's metric, at a training step." })
export class MetricPointType {
  @Field(() => String, { description: "The metric's name." })
  key!: string;

  @Field(() => Float, { description: 'The value.' })
  value!: number;

  @Field(() => Int, { nullable: true, description: 'The training step; 0 when the pipeline gave none.' })
  step!: number | null;

  @Field(() => Date, { description: 'When the value was observed: as the pipeline gave it, else when it was logged.' })
  timestamp!: Date;
}

export interface ExperimentType extends Pick<RowOf<Experiment>, 'goalId' | 'ownerId'> {}

@ObjectType('Experiment', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'A line of work towards a goal: a hypothesis and the runs that test it.',
})
export class ExperimentType extends DiscussableBase implements Partial<RowOf<Experiment>> {
  get typeName() {
    return 'Experiment';
  }

  @Field(() => String, { description: "The experiment's name." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the experiment means to show; null when not stated.' })
  hypothesis!: string | null;

  @Field(() => Date, { description: 'When the experiment was created.' })
  createdAt!: Date;
}

export interface RunType extends Pick<RowOf<Run>, 'experimentId' | 'authorId' | 'createdAt'> {}

@ObjectType('Run', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'One training or evaluation run: what went in (params, data, code) and what came out (metrics).',
})
export class RunType extends DiscussableBase implements Partial<RowOf<Run>> {
  get typeName() {
    return 'Run';
  }

  @Field(() => String, { nullable: true, description: "The run's name; null when unnamed." })
  name!: string | null;

  @Field(() => String, { nullable: true, description: "The pipeline's own id for the run, unique per experiment." })
  externalId!: string | null;

  @Field(() => [TagType], { description: "The run's tags, in the order first given." })
  tags!: TagType[];

  @Field(() => RunStatus, { description: 'Where the run stands.' })
  status!: RunStatus;

  @Field(() => JSONObjectScalar, { description: "The run's parameters, as logged." })
  params!: Record<string, unknown>;

  @Field(() => [MetricType], { description: 'The latest value of each metric key; the first 100.' })
  metrics!: MetricType[];

  @Field(() => String, { nullable: true, description: 'Where the training data is; null when not given.' })
  datasetUri!: string | null;

  @Field(() => String, { nullable: true, description: 'The code the run used, e.g. a git commit; null when not given.' })
  codeVersion!: string | null;

  @Field(() => Date, { description: 'When the run was logged.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the run left RUNNING; null while it runs.' })
  finishedAt!: Date | null;
}

/**
 * A run's params, metrics and tags (JSON documents) and every other column a field of the same
 * name shows: each read only when its field (or a field not known to be light) is asked for; a
 * version's run asked for its experiment reads the run's keys only.
 */
export const RUN_COLUMNS = heavyColumns(
  ['params', 'metrics', 'tags', 'name', 'externalId', 'status', 'datasetUri', 'codeVersion', 'startedAt', 'finishedAt'],
  ['id', 'experiment', 'author'],
);

export const ExperimentConnection = ConnectionType(ExperimentType, 'Experiment');
export const RunConnection = ConnectionType(RunType, 'Run');
