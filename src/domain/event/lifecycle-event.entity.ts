import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import type { LifecycleEventType } from '../aggregates';
import { Origin } from '../enums';
import { User } from '../user/user.entity';
import type { RecordedEvent } from './event.types';

/**
 * One thing that happened, written in the same transaction as the change: the audit trail and,
 * through the outbox, the live feed. Never updated or deleted.
 */
@Entity({ tableName: 'lifecycle_events' })
@Index({ properties: ['goalId', 'id'] })
@Index({ properties: ['modelId', 'id'] })
@Index({ properties: ['subjectType', 'subjectId', 'id'] })
@Index({ properties: ['type', 'id'] })
export class LifecycleEvent extends BaseEntity {
  @Property({ type: 'string', length: 32 })
  type!: LifecycleEventType;

  @ManyToOne({ entity: () => User, ref: true, nullable: true })
  @Index()
  actor?: Ref<User> | null;

  @Property({ type: 'string', length: 32 })
  origin!: Origin;

  @Property({ type: 'string', length: 40 })
  subjectType!: string;

  @Property({ type: 'integer' })
  subjectId!: number;

  @Property({ type: 'integer', nullable: true })
  goalId?: number | null;

  @Property({ type: 'integer', nullable: true })
  modelId?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Index()
  modelVersionId?: number | null;

  @Property({ type: 'text' })
  summary!: string;

  @Property({ type: 'json' })
  data: Record<string, unknown> & Opt = {};

  /** The hash of the event before it in the chain (null for the first). */
  @Property({ type: 'string', length: 64, nullable: true })
  prevHash?: string | null;

  /** sha256 over this event's canonical content and `prevHash` (null for events older than the chain). */
  @Property({ type: 'string', length: 64, nullable: true })
  hash?: string | null;
}

/**
 * The one row that ends the event chain: its hash and the last chained event. Writers lock it to
 * append, so concurrent transactions still make one chain; it also reveals a deleted tail.
 */
@Entity({ tableName: 'event_chain_head' })
export class ChainHead {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  /** The last chained event (0 before the first). */
  @Property({ type: 'integer' })
  lastEventId!: number;

  @Property({ type: 'string', length: 64, nullable: true })
  hash?: string | null;

  /** Events up to this id were written before the chain existed and are not in it. */
  @Property({ type: 'integer' })
  startsAfterId!: number;
}

/** Events committed but not yet handed to pub/sub; the relay publishes and deletes them. */
@Entity({ tableName: 'event_outbox' })
export class OutboxEntry extends BaseEntity {
  @ManyToOne({ entity: () => LifecycleEvent, ref: true })
  @Index()
  event!: Ref<LifecycleEvent>;
}

/** An event as subscribers and projections see it. */
export function recordedEvent(event: LifecycleEvent): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    actorId: event.actor?.id ?? null,
    origin: event.origin,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    goalId: event.goalId ?? null,
    modelId: event.modelId ?? null,
    modelVersionId: event.modelVersionId ?? null,
    summary: event.summary,
    data: event.data,
    occurredAt: event.createdAt.toISOString(),
  } as RecordedEvent;
}
