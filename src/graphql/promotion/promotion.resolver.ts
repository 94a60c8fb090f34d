import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { dbId } from '../../domain/ids';
import { PromotionRequest } from '../../domain/promotion/promotion-request.entity';
import { missingRoles, promotionService } from '../../domain/promotion/promotion.service';
import { NEWEST_FIRST } from '../../db/reader';
import { ConnectionArgs } from '../common/connection';
import { Role, Stage } from '../common/enums';
import { PromotionStatus, ReviewDecision } from '../common/lifecycle-enums';
import { rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { ModelVersionType } from '../model/model.type';
import { REVIEWS_OF_REQUEST, loadNode, loadWritten } from '../relations';
import { UserType } from '../user/user.type';
import { PromotionRequestConnection, PromotionRequestType, ReviewType } from './promotion.type';

@InputType('RequestPromotionInput')
class RequestPromotionInput {
  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => Stage, { description: 'STAGING, PRODUCTION or ARCHIVED; not the current stage.' })
  toStage!: Stage;

  @Field(() => String, { nullable: true })
  justification?: string | null;
}

@ObjectType('RequestPromotionPayload', { simpleResolvers: true })
class RequestPromotionPayload {
  @Field(() => PromotionRequestType)
  promotionRequest!: PromotionRequestType;
}

@InputType('ReviewPromotionInput')
class ReviewPromotionInput {
  @Field(() => ID)
  promotionRequestId!: string;

  @Field(() => ReviewDecision)
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}

@ObjectType('ReviewPromotionPayload', { simpleResolvers: true })
class ReviewPromotionPayload {
  @Field(() => PromotionRequestType)
  promotionRequest!: PromotionRequestType;
}

@InputType('CancelPromotionInput')
class CancelPromotionInput {
  @Field(() => ID)
  promotionRequestId!: string;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@ObjectType('CancelPromotionPayload', { simpleResolvers: true })
class CancelPromotionPayload {
  @Field(() => PromotionRequestType)
  promotionRequest!: PromotionRequestType;
}

@ArgsType()
class PromotionRequestsArgs extends ConnectionArgs {
  @Field(() => PromotionStatus, { nullable: true })
  status?: PromotionStatus | null;

  @Field(() => ID, { nullable: true })
  modelId?: string | null;
}

@Resolver(() => ReviewType)
export class ReviewResolver {
  @FieldResolver(() => UserType)
  reviewer(@Root() review: ReviewType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', review.reviewerId);
  }
}

@Resolver(() => PromotionRequestType)
export class PromotionResolver {
  @Query(() => PromotionRequestConnection, { description: 'Promotion requests, newest first.' })
  promotionRequests(@Args(() => PromotionRequestsArgs) { status, modelId, ...args }: PromotionRequestsArgs, @Ctx() ctx: GraphQLContext) {
    const model = modelId ? dbId('Model', modelId) : null;
    return rootConnection(ctx, PromotionRequest, (qb) => {
      if (status) qb.where('status', status);
      if (model !== null) qb.where('model_id', model);
    }, NEWEST_FIRST, args, PromotionRequestType.prototype);
  }

  @FieldResolver(() => ModelVersionType)
  modelVersion(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'ModelVersion', request.modelVersionId);
  }

  @FieldResolver(() => UserType)
  requestedBy(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', request.requestedById);
  }

  @FieldResolver(() => [ReviewType], { description: 'In the order they were given.' })
  reviews(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(REVIEWS_OF_REQUEST).load(request.dbId);
  }

  @FieldResolver(() => [Role], { description: 'Required roles that have not approved yet.' })
  async missingRoles(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext): Promise<Role[]> {
    return missingRoles(request, await ctx.loaders.children(REVIEWS_OF_REQUEST).load(request.dbId));
  }

  @Mutation(() => RequestPromotionPayload, { description: 'DATA_SCIENTIST, ML_ENGINEER or ADMIN. At most one PENDING request per version.' })
  async requestPromotion(@Arg('input', () => RequestPromotionInput) input: RequestPromotionInput, @Ctx() ctx: GraphQLContext): Promise<RequestPromotionPayload> {
    const request = await promotionService.request(ctx.service, input);
    return { promotionRequest: await loadWritten(ctx, 'PromotionRequest', request.id) };
  }

  @Mutation(() => ReviewPromotionPayload, { description: 'A reviewer holding a missing role, not the requester, once, while PENDING.' })
  async reviewPromotion(@Arg('input', () => ReviewPromotionInput) input: ReviewPromotionInput, @Ctx() ctx: GraphQLContext): Promise<ReviewPromotionPayload> {
    const request = await promotionService.review(ctx.service, input);
    return { promotionRequest: await loadWritten(ctx, 'PromotionRequest', request.id) };
  }

  @Mutation(() => CancelPromotionPayload, { description: 'The requester or ADMIN, while PENDING.' })
  async cancelPromotion(@Arg('input', () => CancelPromotionInput) input: CancelPromotionInput, @Ctx() ctx: GraphQLContext): Promise<CancelPromotionPayload> {
    const request = await promotionService.cancel(ctx.service, input);
    return { promotionRequest: await loadWritten(ctx, 'PromotionRequest', request.id) };
  }
}
