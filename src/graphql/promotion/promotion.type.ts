import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { Origin, Role, Stage } from '../common/enums';
import { PromotionStatus, ReviewDecision } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

@ObjectType('Review', { simpleResolvers: true })
export class ReviewType {
  dbId!: number;
  promotionRequestId!: number;
  reviewerId!: number;

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

@ObjectType('PromotionRequest', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'A request to move a model version to another stage; it takes effect once every required role has approved.',
})
export class PromotionRequestType extends DiscussableBase {
  get typeName() {
    return 'PromotionRequest';
  }

  modelVersionId!: number;
  modelId!: number;
  requestedById!: number;

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
