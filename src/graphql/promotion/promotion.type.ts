import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { PromotionRequest } from '../../domain/promotion/promotion-request.entity';
import type { Review } from '../../domain/promotion/review.entity';
import { ConnectionType } from '../common/connection';
import { Origin, Role, Stage } from '../common/enums';
import { PromotionStatus, ReviewDecision } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

export interface ReviewType extends Pick<RowOf<Review>, 'dbId' | 'promotionRequestId' | 'reviewerId'> {}

@ObjectType('Review', { simpleResolvers: true, description: "One reviewer's decision on a promotion request, counted for one required role." })
export class ReviewType implements Partial<RowOf<Review>> {
  @Field(() => Role, { description: 'The required role this review counts for.' })
  role!: Role;

  @Field(() => ReviewDecision, { description: 'Approve or reject.' })
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true, description: 'Why; null when not given.' })
  comment!: string | null;

  @Field(() => Origin, { description: 'Where the review was given.' })
  origin!: Origin;

  @Field(() => Date, { description: 'When the review was given.' })
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

  @Field(() => Stage, { description: "The version's stage when the request was made." })
  fromStage!: Stage;

  @Field(() => Stage, { description: 'The stage asked for.' })
  toStage!: Stage;

  @Field(() => PromotionStatus, { description: 'Where the request stands.' })
  status!: PromotionStatus;

  @Field(() => String, { nullable: true, description: 'Why, as the requester put it; null when not given.' })
  justification!: string | null;

  @Field(() => [Role], { description: 'The promotion policy in force when the request was made.' })
  requiredRoles!: Role[];

  @Field(() => Date, { description: 'When the request was made.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was approved, rejected or cancelled; null while PENDING.' })
  decidedAt!: Date | null;
}

export const PromotionRequestConnection = ConnectionType(PromotionRequestType, 'PromotionRequest');
