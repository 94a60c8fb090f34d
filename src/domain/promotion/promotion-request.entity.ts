import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Role, Stage } from '../enums';
import { ModelVersion } from '../model/model-version.entity';
import { User } from '../user/user.entity';

export enum PromotionStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}

@Entity({ tableName: 'promotion_requests' })
@Index({ properties: ['modelVersion', 'status'] })
// A last line of defence behind the service's row lock: one PENDING request per version.
@Index({
  name: 'promotion_requests_one_pending',
  expression: `create unique index "promotion_requests_one_pending" on "promotion_requests" ("model_version_id") where "status" = 'PENDING'`,
})
@Index({ properties: ['status', 'id'] })
export class PromotionRequest extends BaseEntity {
  @ManyToOne({ entity: () => ModelVersion, ref: true })
  modelVersion!: Ref<ModelVersion>;

  /** Denormalised from the version so that lists by model need no join. */
  @Property({ type: 'integer' })
  @Index()
  modelId!: number;

  @Property({ type: 'string', length: 32 })
  fromStage!: Stage;

  @Property({ type: 'string', length: 32 })
  toStage!: Stage;

  @Property({ type: 'string', length: 32 })
  status!: PromotionStatus;

  @Property({ type: 'text', nullable: true })
  justification?: string | null;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  requestedBy!: Ref<User>;

  /** The promotion policy's roles for `toStage` when the request was made. */
  @Property({ type: 'json' })
  requiredRoles!: Role[];

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;
}
