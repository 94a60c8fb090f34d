import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { DriftFlag } from '../../domain/drift/drift-flag.entity';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { DriftKind, DriftStatus, Severity } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';
import { heavyColumns } from '../lookahead';

export interface DriftFlagType extends Pick<RowOf<DriftFlag>, 'modelVersionId' | 'modelId' | 'raisedById' | 'severityRank' | 'monitorId'> {}

@ObjectType('DriftFlag', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'A warning that a model version has drifted: raised by a person or a monitor, then acknowledged and resolved.',
})
export class DriftFlagType extends DiscussableBase implements Partial<RowOf<DriftFlag>> {
  get typeName() {
    return 'DriftFlag';
  }

  @Field(() => DriftKind, { description: 'What drifted.' })
  kind!: DriftKind;

  @Field(() => Severity, { description: 'How urgent it is.' })
  severity!: Severity;

  @Field(() => String, { description: 'What was seen, in the words of whoever raised it.' })
  description!: string;

  @Field(() => String, { nullable: true, description: 'The metric that shows the drift; null: none in particular.' })
  metric!: string | null;

  @Field(() => Float, { nullable: true, description: "The value observed, in the metric's unit; null when not given." })
  observed!: number | null;

  @Field(() => Float, { nullable: true, description: "The value expected, in the metric's unit; null when not given." })
  expected!: number | null;

  @Field(() => DriftStatus, { description: 'Where the flag stands.' })
  status!: DriftStatus;

  @Field(() => String, { nullable: true, description: 'How the drift was dealt with; null until RESOLVED.' })
  resolution!: string | null;

  @Field(() => Origin, { description: 'Where the flag was raised.' })
  origin!: Origin;

  @Field(() => Date, { description: 'When the flag was raised.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was acknowledged; null if it has not been.' })
  acknowledgedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was resolved; null until RESOLVED.' })
  resolvedAt!: Date | null;

  @Field(() => Int, { description: 'How many breaches this open flag has absorbed (1 for a new flag).' })
  occurrences!: number;

  @Field(() => Date, { name: 'lastSeenAt', description: 'The latest breach it absorbed; when it was raised, for a flag that absorbed none.' })
  get lastSeen(): Date {
    return this.lastSeenAt ?? this.createdAt;
  }

  lastSeenAt!: Date | null;
}

/**
 * Every column a field of the same name shows (not `lastSeenAt`, which reads two: asking for it
 * reads the whole row): a dashboard's list of open flags reads their severity and description only.
 */
export const DRIFT_FLAG_COLUMNS = heavyColumns(
  [
    'kind',
    'severity',
    'description',
    'metric',
    'observed',
    'expected',
    'status',
    'resolution',
    'origin',
    'createdAt',
    'acknowledgedAt',
    'resolvedAt',
    'occurrences',
  ],
  ['id', 'modelVersion', 'raisedBy', 'comments'],
);

export const DriftFlagConnection = ConnectionType(DriftFlagType, 'DriftFlag');
