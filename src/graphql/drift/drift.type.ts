import { Field, Float, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { DriftFlag } from '../../domain/drift/drift-flag.entity';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { DriftKind, DriftStatus, Severity } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

export interface DriftFlagType extends Pick<RowOf<DriftFlag>, 'modelVersionId' | 'modelId' | 'raisedById' | 'severityRank'> {}

@ObjectType('DriftFlag', { implements: [NodeBase, DiscussableBase], simpleResolvers: true })
export class DriftFlagType extends DiscussableBase implements Partial<RowOf<DriftFlag>> {
  get typeName() {
    return 'DriftFlag';
  }

  @Field(() => DriftKind)
  kind!: DriftKind;

  @Field(() => Severity)
  severity!: Severity;

  @Field(() => String)
  description!: string;

  @Field(() => String, { nullable: true })
  metric!: string | null;

  @Field(() => Float, { nullable: true })
  observed!: number | null;

  @Field(() => Float, { nullable: true })
  expected!: number | null;

  @Field(() => DriftStatus)
  status!: DriftStatus;

  @Field(() => String, { nullable: true })
  resolution!: string | null;

  @Field(() => Origin)
  origin!: Origin;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;
}

export const DriftFlagConnection = ConnectionType(DriftFlagType, 'DriftFlag');
