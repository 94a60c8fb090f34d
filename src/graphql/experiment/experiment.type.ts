import { Field, Float, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { Experiment } from '../../domain/experiment/experiment.entity';
import type { Run } from '../../domain/experiment/run.entity';
import { ConnectionType } from '../common/connection';
import { RunStatus } from '../common/enums';
import { NodeBase } from '../common/node';
import { JSONObjectScalar } from '../common/scalars';
import { DiscussableBase } from '../comment/discussable';

@ObjectType('Metric', { simpleResolvers: true })
export class MetricType {
  @Field(() => String)
  key!: string;

  @Field(() => Float)
  value!: number;
}

export interface ExperimentType extends Pick<RowOf<Experiment>, 'goalId' | 'ownerId'> {}

@ObjectType('Experiment', { implements: [NodeBase, DiscussableBase], simpleResolvers: true })
export class ExperimentType extends DiscussableBase implements Partial<RowOf<Experiment>> {
  get typeName() {
    return 'Experiment';
  }

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  hypothesis!: string | null;

  @Field(() => Date)
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

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => JSONObjectScalar)
  params!: Record<string, unknown>;

  @Field(() => [MetricType], { description: 'The latest value of each metric key.' })
  metrics!: MetricType[];

  @Field(() => String, { nullable: true })
  datasetUri!: string | null;

  @Field(() => String, { nullable: true })
  codeVersion!: string | null;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

export const ExperimentConnection = ConnectionType(ExperimentType, 'Experiment');
export const RunConnection = ConnectionType(RunType, 'Run');
