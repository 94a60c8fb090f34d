import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { NotificationReason, type Notification } from '../../domain/notification/notification.entity';
import { ConnectionType } from '../common/connection';
import { NodeBase } from '../common/node';

registerEnumType(NotificationReason, {
  name: 'NotificationReason',
  description: 'Why an event reached a person.',
  valuesConfig: {
    MENTIONED: { description: 'A comment named them with @handle.' },
    QUESTION_ON_OWNED: { description: 'A question on something they own.' },
    FOLLOWED_ACTIVITY: { description: 'Activity on something they own or have commented on, or an answer to their question.' },
    OWNERSHIP_TRANSFERRED: { description: 'Something was handed to them.' },
    REVIEW_REQUESTED: { description: 'A promotion request awaits a role they hold.' },
    OUTCOME_DISPUTED: { description: 'An outcome of their model was disputed.' },
  },
});

export interface NotificationType extends Pick<RowOf<Notification>, 'eventId' | 'readAt'> {}

@ObjectType('Notification', { implements: NodeBase, simpleResolvers: true, description: 'An event that concerns the viewer.' })
export class NotificationType extends NodeBase implements Partial<RowOf<Notification>> {
  get typeName() {
    return 'Notification';
  }

  @Field(() => NotificationReason, { description: 'Why it reached the viewer.' })
  reason!: NotificationReason;

  @Field(() => Boolean, { description: 'Marked read with markNotificationsRead.' })
  get read(): boolean {
    return this.readAt !== null;
  }

  @Field(() => Date, { description: 'When it was written, with its event.' })
  createdAt!: Date;
}

export const NotificationConnection = ConnectionType(NotificationType, 'Notification');
