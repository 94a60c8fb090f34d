import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Stage } from '../enums';
import { LifecycleEvent } from '../event/lifecycle-event.entity';

export enum DecisionStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Given up on: MLflow refused it for good (e.g. the version no longer exists there). */
  FAILED = 'FAILED',
}

/**
 * The MLflow outbox: a hub decision to write back to MLflow (the stage's registered-model alias
 * and the version's `hub.approval` tag), written in the transaction of the STAGE_CHANGED event
 * that made it. Sent in id order.
 */
@Entity({ tableName: 'mlflow_decisions' })
@Index({ properties: ['status', 'id'] })
export class MlflowDecision extends BaseEntity {
  @ManyToOne({ entity: () => LifecycleEvent, ref: true })
  @Unique()
  event!: Ref<LifecycleEvent>;

  /** The MLflow registered model and version (`mlflow:NAME/VERSION` in the hub). */
  @Property({ type: 'string', length: 200 })
  registeredModel!: string;

  @Property({ type: 'string', length: 32 })
  version!: string;

  /** PRODUCTION or STAGING: which alias to set. */
  @Property({ type: 'string', length: 32 })
  stage!: Stage;

  /** The promotion request that moved the version, for the `hub.approval` tag. */
  @Property({ type: 'string', length: 200 })
  promotionRequestId!: string;

  @Property({ type: 'string', length: 16 })
  status!: DecisionStatus;

  @Property({ type: 'integer' })
  attempts: number & Opt = 0;

  @Property({ type: 'datetime' })
  notBefore!: Date;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;
}
