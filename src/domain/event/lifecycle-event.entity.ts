import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Origin } from '../enums';
import { User } from '../user/user.entity';

export enum LifecycleEventType {
  USER_CREATED = 'USER_CREATED',
  USER_UPDATED = 'USER_UPDATED',
  GOAL_CREATED = 'GOAL_CREATED',
  GOAL_UPDATED = 'GOAL_UPDATED',
  KPI_ADDED = 'KPI_ADDED',
  KPI_RECORDED = 'KPI_RECORDED',
  EXPERIMENT_CREATED = 'EXPERIMENT_CREATED',
  RUN_LOGGED = 'RUN_LOGGED',
  RUN_UPDATED = 'RUN_UPDATED',
  MODEL_REGISTERED = 'MODEL_REGISTERED',
  MODEL_UPDATED = 'MODEL_UPDATED',
  MODEL_VERSION_CREATED = 'MODEL_VERSION_CREATED',
  MODEL_VERSION_UPDATED = 'MODEL_VERSION_UPDATED',
  PROMOTION_REQUESTED = 'PROMOTION_REQUESTED',
  PROMOTION_REVIEWED = 'PROMOTION_REVIEWED',
  PROMOTION_APPROVED = 'PROMOTION_APPROVED',
  PROMOTION_REJECTED = 'PROMOTION_REJECTED',
  PROMOTION_CANCELLED = 'PROMOTION_CANCELLED',
  STAGE_CHANGED = 'STAGE_CHANGED',
  DRIFT_FLAGGED = 'DRIFT_FLAGGED',
  DRIFT_ACKNOWLEDGED = 'DRIFT_ACKNOWLEDGED',
  DRIFT_RESOLVED = 'DRIFT_RESOLVED',
  FEEDBACK_SUBMITTED = 'FEEDBACK_SUBMITTED',
  COMMENT_ADDED = 'COMMENT_ADDED',
}

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
}

/** Events committed but not yet handed to pub/sub; the relay publishes and deletes them. */
@Entity({ tableName: 'event_outbox' })
export class OutboxEntry extends BaseEntity {
  @ManyToOne({ entity: () => LifecycleEvent, ref: true })
  @Index()
  event!: Ref<LifecycleEvent>;
}
