import { UNRECORDED_DIGEST } from '../../domain/model/evidence';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../domain/errors';
import { dbId } from '../../domain/ids';
import { missingRoles, promotionRepository } from '../../domain/promotion/promotion.repository';
import { promotionService } from '../../domain/promotion/promotion.service';
import { ConnectionArgs } from '../common/connection';
import { Role, Stage } from '../common/enums';
import { PromotionStatus, ReviewDecision } from '../common/lifecycle-enums';
import { listConnection, rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { ModelType, ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import { PromotionRequestConnection, PromotionRequestType, ReviewType } from './promotion.type';
import type * as commands from '../../domain/promotion/promotion.service';

@InputType('RequestPromotionInput', { description: 'A request to move a model version to another stage.' })
class RequestPromotionInput implements commands.RequestPromotionInput {
  @Field(() => ID, { description: 'The version to move; it may have one PENDING request at a time.' })
  modelVersionId!: string;

  @Field(() => Stage, { description: 'STAGING, PRODUCTION or ARCHIVED; not the current stage.' })
  toStage!: Stage;

  @Field(() => String, { nullable: true, description: 'Why, for the reviewers; up to 10,000 characters.' })
  justification?: string | null;
}

@ObjectType('RequestPromotionPayload', { simpleResolvers: true, description: 'The request made.' })
class RequestPromotionPayload {
  @Field(() => PromotionRequestType, { description: 'The new request, PENDING.' })
  promotionRequest!: PromotionRequestType;
}

@InputType('ReviewPromotionInput', { description: 'A review of a PENDING promotion request.' })
class ReviewPromotionInput implements commands.ReviewPromotionInput {
  @Field(() => ID, { description: 'The request to review.' })
  promotionRequestId!: string;

  @Field(() => ReviewDecision, { description: 'Approve or reject.' })
  decision!: ReviewDecision;

  @Field(() => String, { nullable: true, description: 'Why, up to 10,000 characters.' })
  comment?: string | null;
}

@ObjectType('ReviewPromotionPayload', { simpleResolvers: true, description: 'The request after the review.' })
class ReviewPromotionPayload {
  @Field(() => PromotionRequestType, { description: 'The request; APPROVED once the last required role approved, REJECTED on a rejection.' })
  promotionRequest!: PromotionRequestType;
}

@InputType('CancelPromotionInput', { description: 'Withdrawing a PENDING promotion request.' })
class CancelPromotionInput implements commands.CancelPromotionInput {
  @Field(() => ID, { description: 'The request to cancel.' })
  promotionRequestId!: string;

  @Field(() => String, { nullable: true, description: 'Why, up to 10,000 characters.' })
  reason?: string | null;
}

@ObjectType('CancelPromotionPayload', { simpleResolvers: true, description: 'The request after cancelling it.' })
class CancelPromotionPayload {
  @Field(() => PromotionRequestType, { description: 'The request, now CANCELLED.' })
  promotionRequest!: PromotionRequestType;
}

@ArgsType()
class PromotionRequestsArgs extends ConnectionArgs {
  @Field(() => PromotionStatus, { nullable: true, description: 'Keeps requests in this status.' })
  status?: PromotionStatus | null;

  @Field(() => ID, { nullable: true, description: 'Keeps requests for versions of this model.' })
  modelId?: string | null;
}

@Resolver(() => ReviewType)
export class ReviewResolver {
  @FieldResolver(() => UserType, { description: 'Who gave the review.' })
  reviewer(@Root() review: ReviewType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', review.reviewerId);
  }

  @FieldResolver(() => String, {
    description: 'The evidence digest of the version when this review was given ("unrecorded" for reviews older than digests).',
  })
  evidenceDigest(@Root() review: ReviewType) {
    return review.evidenceDigest ?? UNRECORDED_DIGEST;
  }
}

@Resolver(() => PromotionRequestType)
export class PromotionResolver {
  @Query(() => PromotionRequestConnection, { description: 'Promotion requests, newest first.' })
  promotionRequests(@Args(() => PromotionRequestsArgs) { status, modelId, ...args }: PromotionRequestsArgs, @Ctx() ctx: GraphQLContext) {
    return rootConnection(ctx, promotionRepository.requests({ status, modelId: modelId ? dbId('Model', modelId) : null }), args);
  }

  @FieldResolver(() => ModelVersionType, { description: 'The version to move.' })
  modelVersion(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'ModelVersion', request.modelVersionId);
  }

  @FieldResolver(() => UserType, { description: 'Who made the request.' })
  requestedBy(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', request.requestedById);
  }

  @FieldResolver(() => [ReviewType], { description: 'In the order they were given; the first 10.' })
  reviews(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.capped(promotionRepository.reviewsOf).load(request.dbId);
  }

  @FieldResolver(() => [Role], { description: 'Required roles that have not approved yet.' })
  async missingRoles(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext): Promise<Role[]> {
    return missingRoles(request, await ctx.loaders.children(promotionRepository.reviewsOf).load(request.dbId));
  }

  @Mutation(() => RequestPromotionPayload, { description: 'DATA_SCIENTIST, ML_ENGINEER or ADMIN. At most one PENDING request per version.' })
  async requestPromotion(
    @Arg('input', () => RequestPromotionInput, { description: "The mutation's arguments." }) input: RequestPromotionInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RequestPromotionPayload> {
    const request = await promotionService.request(ctx.service, input);
    return { promotionRequest: await loadWritten(ctx, 'PromotionRequest', request.id) };
  }

  @Mutation(() => ReviewPromotionPayload, { description: 'A reviewer holding a missing role, not the requester, once, while PENDING.' })
  async reviewPromotion(
    @Arg('input', () => ReviewPromotionInput, { description: "The mutation's arguments." }) input: ReviewPromotionInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ReviewPromotionPayload> {
    const request = await promotionService.review(ctx.service, input);
    return { promotionRequest: await loadWritten(ctx, 'PromotionRequest', request.id) };
  }

  @Mutation(() => CancelPromotionPayload, { description: 'The requester or ADMIN, while PENDING.' })
  async cancelPromotion(
    @Arg('input', () => CancelPromotionInput, { description: "The mutation's arguments." }) input: CancelPromotionInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CancelPromotionPayload> {
    const request = await promotionService.cancel(ctx.service, input);
    return { promotionRequest: await loadWritten(ctx, 'PromotionRequest', request.id) };
  }
}

/** What the promotion aggregate adds to models, versions and users. */
@Resolver(() => ModelType)
export class ModelPromotionResolver {
  @FieldResolver(() => PromotionRequestType, { nullable: true, description: 'The newest PENDING request of any of its versions.' })
  async pendingPromotion(@Root() model: ModelType, @Ctx() ctx: GraphQLContext) {
    const [newest] = await ctx.loaders.children(promotionRepository.pendingOfModel).load(model.dbId);
    return newest ?? null;
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionPromotionResolver {
  @FieldResolver(() => [PromotionRequestType], { description: "Newest first; the first 10 (all of the model's: `promotionRequests(modelId:)`)." })
  promotionRequests(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.capped(promotionRepository.requestsOfVersion).load(version.dbId);
  }
}

@Resolver(() => UserType)
export class UserPromotionResolver {
  @FieldResolver(() => PromotionRequestConnection, {
    description:
      'PENDING requests that still miss a role the user holds, which they did not make and have not reviewed, oldest first. ' +
      "Only the viewer's own: asked of anyone else, FORBIDDEN.",
  })
  async awaitingMyReview(@Root() user: UserType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    if (user.dbId !== ctx.viewer.id) throw forbidden('awaitingMyReview is only readable for the viewer themselves.');
    return listConnection(await promotionService.awaitingMyReview(ctx.service), promotionRepository.awaitingOrder, args);
  }
}
