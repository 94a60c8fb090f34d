import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { NotificationReason, type Notification } from '../../domain/notification/notification.entity';
import { ConnectionType } from '../common/connection';
import { NodeBase } from '../common/node';

registerEnumType(NotificationReason, { name: 'NotificationReason', description: 'Why an event reached a person.' });

export interface NotificationType extends Pick<RowOf<Notification>, 'eventId' | 'readAt'> {}

@ObjectType('Notification', { implements: NodeBase, simpleResolvers: true, description: 'An event that concerns the viewer.' })
export class NotificationType extends NodeBase implements Partial<RowOf<Notification>> {
  get typeName() {
    return 'Notification';
  }

  @Field(() => NotificationReason)
  reason!: NotificationReason;

  @Field(() => Boolean)
  get read(): boolean {
    return this.readAt !== null;
  }

  @Field(() => Date)
  createdAt!: Date;
}

export const NotificationConnection = ConnectionType(NotificationType, 'Notification');
