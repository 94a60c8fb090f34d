import { Entity, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { LifecycleEvent } from '../event/lifecycle-event.entity';
import { User } from '../user/user.entity';

export enum NotificationReason {
  MENTIONED = 'MENTIONED',
  QUESTION_ON_OWNED = 'QUESTION_ON_OWNED',
  FOLLOWED_ACTIVITY = 'FOLLOWED_ACTIVITY',
  OWNERSHIP_TRANSFERRED = 'OWNERSHIP_TRANSFERRED',
  REVIEW_REQUESTED = 'REVIEW_REQUESTED',
  OUTCOME_DISPUTED = 'OUTCOME_DISPUTED',
}

/** An event that concerns one person, written in the event's own transaction; one per person and event. */
@Entity({ tableName: 'notifications' })
@Unique({ properties: ['recipient', 'event'] })
@Index({ properties: ['recipient', 'readAt'] })
export class Notification extends BaseEntity {
  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  recipient!: Ref<User>;

  @ManyToOne({ entity: () => LifecycleEvent, ref: true })
  @Index()
  event!: Ref<LifecycleEvent>;

  @Property({ type: 'string', length: 32 })
  reason!: NotificationReason;

  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;
}
