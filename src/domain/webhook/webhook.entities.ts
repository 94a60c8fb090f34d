import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import type { LifecycleEventType } from '../aggregates';
import { LifecycleEvent } from '../event/lifecycle-event.entity';
import { Model } from '../model/model.entity';
import { User } from '../user/user.entity';

/** An endpoint that gets lifecycle events as signed HTTP POSTs. */
@Entity({ tableName: 'webhooks' })
export class Webhook extends BaseEntity {
  @Property({ type: 'string', length: 2000 })
  url!: string;

  /** The HMAC-SHA256 key of X-Hub-Signature-256, shown once when the webhook is created. */
  @Property({ type: 'string', length: 64 })
  secret!: string;

  /** The event types it gets; empty: every type. */
  @Property({ type: 'json' })
  eventTypes: LifecycleEventType[] & Opt = [];

  /** Only events about this model, when set. */
  @ManyToOne({ entity: () => Model, ref: true, nullable: true })
  @Index()
  model?: Ref<Model> | null;

  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  createdBy!: Ref<User>;
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  /** Given up on: the receiver refused it for good, or every attempt failed. */
  FAILED = 'FAILED',
}

/**
 * The webhook outbox and delivery log: one event to POST to one webhook, written in the event's
 * transaction. Sent in id order per webhook; `guid` is its X-Hub-Delivery header.
 */
@Entity({ tableName: 'webhook_deliveries' })
@Index({ properties: ['status', 'webhook', 'id'] })
export class WebhookDelivery extends BaseEntity {
  @ManyToOne({ entity: () => Webhook, ref: true })
  @Index()
  webhook!: Ref<Webhook>;

  @ManyToOne({ entity: () => LifecycleEvent, ref: true })
  @Index()
  event!: Ref<LifecycleEvent>;

  @Property({ type: 'string', length: 36 })
  @Unique()
  guid!: string;

  @Property({ type: 'string', length: 16 })
  status!: WebhookDeliveryStatus;

  @Property({ type: 'integer' })
  attempts: number & Opt = 0;

  /** Not to be tried before this time (back-off, Retry-After, or the lease of an attempt under way). */
  @Property({ type: 'datetime' })
  notBefore!: Date;

  /** The HTTP status of the last attempt's answer, if there was one. */
  @Property({ type: 'integer', nullable: true })
  responseStatus?: number | null;

  @Property({ type: 'integer', nullable: true })
  durationMs?: number | null;

  /** The start of the last answer's body (at most 1,000 characters). */
  @Property({ type: 'text', nullable: true })
  responseBody?: string | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;
}
