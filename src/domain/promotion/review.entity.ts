import { Entity, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Origin, Role } from '../enums';
import { User } from '../user/user.entity';
import { PromotionRequest } from './promotion-request.entity';

export enum ReviewDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}

/** One reviewer's decision on a request, counted for one required role. */
@Entity({ tableName: 'reviews' })
@Unique({ properties: ['promotionRequest', 'reviewer'] })
export class Review extends BaseEntity {
  @ManyToOne({ entity: () => PromotionRequest, ref: true })
  promotionRequest!: Ref<PromotionRequest>;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  reviewer!: Ref<User>;

  @Property({ type: 'string', length: 32 })
  role!: Role;

  @Property({ type: 'string', length: 32 })
  decision!: ReviewDecision;

  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Property({ type: 'string', length: 32 })
  origin!: Origin;

  /** The version's evidence digest when the review was given (null for reviews older than digests). */
  @Property({ type: 'string', length: 64, nullable: true })
  evidenceDigest?: string | null;
}
