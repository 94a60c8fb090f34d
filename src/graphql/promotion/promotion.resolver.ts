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

@InputType('RequestPromotionInput')
class RequestPromotionInput implements commands.RequestPromotionInput {
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
class ReviewPromotionInput implements commands.ReviewPromotionInput {
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
class CancelPromotionInput implements commands.CancelPromotionInput {
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

  @FieldResolver(() => String, { description: 'The evidence digest of the version when this review was given ("unrecorded" for reviews older than digests).' })
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
    return ctx.loaders.children(promotionRepository.reviewsOf).load(request.dbId);
  }

  @FieldResolver(() => [Role], { description: 'Required roles that have not approved yet.' })
  async missingRoles(@Root() request: PromotionRequestType, @Ctx() ctx: GraphQLContext): Promise<Role[]> {
    return missingRoles(request, await ctx.loaders.children(promotionRepository.reviewsOf).load(request.dbId));
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
  @FieldResolver(() => [PromotionRequestType], { description: 'Newest first.' })
  promotionRequests(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(promotionRepository.requestsOfVersion).load(version.dbId);
  }
}

@Resolver(() => UserType)
export class UserPromotionResolver {
  @FieldResolver(() => PromotionRequestConnection, {
    description: 'PENDING requests that still miss a role the user holds, which they did not make and have not reviewed, oldest first. '
      + 'Only the viewer\'s own: asked of anyone else, FORBIDDEN.',
  })
  async awaitingMyReview(@Root() user: UserType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    if (user.dbId !== ctx.viewer.id) throw forbidden('awaitingMyReview is only readable for the viewer themselves.');
    return listConnection(await promotionService.awaitingMyReview(ctx.service), promotionRepository.awaitingOrder, args);
  }
}
