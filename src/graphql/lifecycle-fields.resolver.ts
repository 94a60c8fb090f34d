import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from './common/connection';
import { DriftStatus } from './common/lifecycle-enums';
import { childConnection } from './common/paging';
import type { GraphQLContext } from './context';
import { DriftFlagType } from './drift/drift.type';
import { FeedbackConnection } from './feedback/feedback.type';
import { GoalType } from './goal/goal.type';
import { ModelType, ModelVersionType } from './model/model.type';
import { PromotionRequestType } from './promotion/promotion.type';
import { FEEDBACK_OF_GOAL, FEEDBACK_OF_VERSION, OPEN_FLAGS_OF_MODEL, PENDING_OF_MODEL, REQUESTS_OF_VERSION, flagsOfVersion } from './relations';

/** The lifecycle fields the contract adds to the core types (`extend type Goal/Model/ModelVersion`). */
@Resolver(() => GoalType)
export class GoalLifecycleResolver {
  @FieldResolver(() => FeedbackConnection, { description: 'Feedback on the goal and its models, newest first.' })
  feedback(@Root() goal: GoalType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, FEEDBACK_OF_GOAL, goal.dbId, args);
  }
}

@Resolver(() => ModelType)
export class ModelLifecycleResolver {
  @FieldResolver(() => [DriftFlagType], { description: 'Flags not yet resolved, of all versions, most severe first, then newest.' })
  openDriftFlags(@Root() model: ModelType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(OPEN_FLAGS_OF_MODEL).load(model.dbId);
  }

  @FieldResolver(() => PromotionRequestType, { nullable: true, description: 'The newest PENDING request of any of its versions.' })
  async pendingPromotion(@Root() model: ModelType, @Ctx() ctx: GraphQLContext) {
    const [newest] = await ctx.loaders.children(PENDING_OF_MODEL).load(model.dbId);
    return newest ?? null;
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionLifecycleResolver {
  @FieldResolver(() => [PromotionRequestType], { description: 'Newest first.' })
  promotionRequests(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(REQUESTS_OF_VERSION).load(version.dbId);
  }

  @FieldResolver(() => [DriftFlagType], { description: 'Newest first.' })
  driftFlags(@Root() version: ModelVersionType, @Arg('status', () => DriftStatus, { nullable: true }) status: DriftStatus | null, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(flagsOfVersion(status)).load(version.dbId);
  }

  @FieldResolver(() => FeedbackConnection, { description: 'Newest first.' })
  feedback(@Root() version: ModelVersionType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, FEEDBACK_OF_VERSION, version.dbId, args);
  }
}
