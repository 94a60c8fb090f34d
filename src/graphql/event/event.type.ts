import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { LifecycleEvent } from '../../domain/event/lifecycle-event.entity';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { LifecycleEventType } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { JSONObjectScalar } from '../common/scalars';

export interface LifecycleEventRecord
  extends Pick<RowOf<LifecycleEvent>, 'actorId' | 'subjectType' | 'subjectId' | 'goalId' | 'modelId' | 'modelVersionId' | 'createdAt'> {}

@ObjectType('LifecycleEvent', {
  implements: NodeBase,
  simpleResolvers: true,
  description: 'One thing that happened, recorded in the same transaction as the change itself: the audit trail and the live feed.',
})
export class LifecycleEventRecord extends NodeBase implements Partial<RowOf<LifecycleEvent>> {
  get typeName() {
    return 'LifecycleEvent';
  }

  @Field(() => LifecycleEventType, { description: 'What happened.' })
  type!: LifecycleEventType;

  @Field(() => Date, { description: 'When it happened, as committed.' })
  get occurredAt(): Date {
    return this.createdAt;
  }

  @Field(() => Origin, { description: 'Where the action came from.' })
  origin!: Origin;

  @Field(() => String, { description: 'One human-readable line, e.g. for a chat message.' })
  summary!: string;

  @Field(() => JSONObjectScalar, { description: 'Event-specific facts, e.g. fromStage and toStage for STAGE_CHANGED.' })
  data!: Record<string, unknown>;
}

export const LifecycleEventConnection = ConnectionType(LifecycleEventRecord, 'LifecycleEvent');
