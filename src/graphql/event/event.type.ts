import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { LifecycleEventType } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { JSONObjectScalar } from '../common/scalars';

@ObjectType('LifecycleEvent', {
  implements: NodeBase,
  simpleResolvers: true,
  description: 'One thing that happened, recorded in the same transaction as the change itself: the audit trail and the live feed.',
})
export class LifecycleEventRecord extends NodeBase {
  get typeName() {
    return 'LifecycleEvent';
  }

  actorId!: number | null;
  subjectType!: string;
  subjectId!: number;
  goalId!: number | null;
  modelId!: number | null;
  modelVersionId!: number | null;
  createdAt!: Date;

  @Field(() => LifecycleEventType)
  type!: LifecycleEventType;

  @Field(() => Date)
  get occurredAt(): Date {
    return this.createdAt;
  }

  @Field(() => Origin)
  origin!: Origin;

  @Field(() => String, { description: 'One human-readable line, e.g. for a chat message.' })
  summary!: string;

  @Field(() => JSONObjectScalar, { description: 'Event-specific facts, e.g. fromStage and toStage for STAGE_CHANGED.' })
  data!: Record<string, unknown>;
}

export const LifecycleEventConnection = ConnectionType(LifecycleEventRecord, 'LifecycleEvent');
