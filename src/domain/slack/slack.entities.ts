import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { LifecycleEvent } from '../event/lifecycle-event.entity';
import { User } from '../user/user.entity';

/** A Slack channel that gets the events of a goal or a model. */
@Entity({ tableName: 'slack_follows' })
@Unique({ properties: ['channelId', 'subjectType', 'subjectId'] })
@Index({ properties: ['subjectType', 'subjectId'] })
export class SlackFollow extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  channelId!: string;

  /** `Goal` or `Model`. */
  @Property({ type: 'string', length: 40 })
  subjectType!: string;

  @Property({ type: 'integer' })
  subjectId!: number;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  createdBy!: Ref<User>;
}

export enum DeliveryKind {
  /** Post the event, in the thread of its request or flag when it has one. */
  EVENT = 'EVENT',
  /** Re-render a promotion request's first message (chat.update) after a review. */
  REFRESH = 'REFRESH',
  /** A direct message to a linked user about a notification: `channelId` is their Slack member ID. */
  DIRECT = 'DIRECT',
}

export enum DeliveryStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Given up on (Slack refused it for good, e.g. channel_not_found). */
  FAILED = 'FAILED',
}

/**
 * The Slack outbox: one message to send to one channel, written in the same transaction as the
 * event it is about. Sent in id order per channel; `(channel, event, kind)` is its message key.
 */
@Entity({ tableName: 'slack_deliveries' })
@Unique({ properties: ['channelId', 'event', 'kind'] })
@Index({ properties: ['status', 'channelId', 'id'] })
export class SlackDelivery extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  channelId!: string;

  @ManyToOne({ entity: () => LifecycleEvent, ref: true })
  @Index()
  event!: Ref<LifecycleEvent>;

  @Property({ type: 'string', length: 16 })
  kind!: DeliveryKind;

  /** The request or flag whose thread the message belongs to (`PromotionRequest:12`), if any. */
  @Property({ type: 'string', length: 80, nullable: true })
  threadKey?: string | null;

  @Property({ type: 'string', length: 16 })
  status!: DeliveryStatus;

  @Property({ type: 'integer' })
  attempts: number & Opt = 0;

  /** Not to be sent before this time (Retry-After, back-off). */
  @Property({ type: 'datetime' })
  notBefore!: Date;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;
}

/** The first message of a request or flag in a channel: later messages about it go in its thread. */
@Entity({ tableName: 'slack_threads' })
@Unique({ properties: ['channelId', 'threadKey'] })
@Index({ properties: ['channelId', 'ts'] })
export class SlackThread extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  channelId!: string;

  @Property({ type: 'string', length: 80 })
  threadKey!: string;

  @Property({ type: 'string', length: 32 })
  ts!: string;
}

/** Slack event ids already handled, so that Slack's retries have one effect. */
@Entity({ tableName: 'slack_inbound_events' })
export class SlackInboundEvent extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  @Unique()
  eventId!: string;
}
