import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { PromotionRequest } from '../../domain/promotion/promotion-request.entity';
import type { Review } from '../../domain/promotion/review.entity';
import { ConnectionType } from '../common/connection';
import { Origin, Role, Stage } from '../common/enums';
import { PromotionStatus, ReviewDecision } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

export interface ReviewType extends Pick<RowOf<Review>, 'dbId' | 'promotionRequestId' | 'reviewerId' | 'evidenceDigest'> {}

@ObjectType('Review', { simpleResolvers: true })
export class ReviewType implements Partial<RowOf<Review>> {
  @Field(() => Role, { description: 'The required role this review counts for.' })
  role!: Role;

  @Field(() => ReviewDecision)
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => Origin)
  origin!: Origin;

  @Field(() => Date)
  createdAt!: Date;
}

export interface PromotionRequestType extends Pick<RowOf<PromotionRequest>, 'modelVersionId' | 'modelId' | 'requestedById'> {}

@ObjectType('PromotionRequest', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'A request to move a model version to another stage; it takes effect once every required role has approved.',
})
export class PromotionRequestType extends DiscussableBase implements Partial<RowOf<PromotionRequest>> {
  get typeName() {
    return 'PromotionRequest';
  }

  @Field(() => Stage)
  fromStage!: Stage;

  @Field(() => Stage)
  toStage!: Stage;

  @Field(() => PromotionStatus)
  status!: PromotionStatus;

  @Field(() => String, { nullable: true })
  justification!: string | null;

  @Field(() => [Role], { description: 'The promotion policy in force when the request was made.' })
  requiredRoles!: Role[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;
}

export const PromotionRequestConnection = ConnectionType(PromotionRequestType, 'PromotionRequest');
