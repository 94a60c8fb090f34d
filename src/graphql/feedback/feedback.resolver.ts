import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { feedbackRepository } from '../../domain/feedback/feedback.repository';
import { feedbackService } from '../../domain/feedback/feedback.service';
import { ConnectionArgs } from '../common/connection';
import { FeedbackVerdict } from '../common/lifecycle-enums';
import { childConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { GoalType } from '../goal/goal.type';
import { ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import { FeedbackConnection, FeedbackType } from './feedback.type';
import type * as commands from '../../domain/feedback/feedback.service';

@InputType('SubmitFeedbackInput', { description: 'Needs goalId, modelVersionId or both (then they must agree).' })
class SubmitFeedbackInput implements commands.SubmitFeedbackInput {
  @Field(() => ID, { nullable: true, description: 'The goal judged; null: the goal of modelVersionId.' })
  goalId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The model version judged; null: the goal as a whole.' })
  modelVersionId?: string | null;

  @Field(() => FeedbackVerdict, { description: 'Whether the model meets the goal.' })
  verdict!: FeedbackVerdict;

  @Field(() => String, { nullable: true, description: 'Why, up to 10,000 characters.' })
  comment?: string | null;
}

@ObjectType('SubmitFeedbackPayload', { simpleResolvers: true, description: 'The feedback submitted.' })
class SubmitFeedbackPayload {
  @Field(() => FeedbackType, { description: 'The new feedback; the caller is its author.' })
  feedback!: FeedbackType;
}

@Resolver(() => FeedbackType)
export class FeedbackResolver {
  @FieldResolver(() => GoalType, { description: 'The goal judged.' })
  goal(@Root() feedback: FeedbackType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Goal', feedback.goalId);
  }

  @FieldResolver(() => ModelVersionType, {
    nullable: true,
    description: 'The model version judged; null when the feedback is about the goal as a whole.',
  })
  modelVersion(@Root() feedback: FeedbackType, @Ctx() ctx: GraphQLContext) {
    return feedback.modelVersionId === null ? null : loadNode(ctx, 'ModelVersion', feedback.modelVersionId);
  }

  @FieldResolver(() => UserType, { description: 'Who gave the feedback.' })
  author(@Root() feedback: FeedbackType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', feedback.authorId);
  }

  @Mutation(() => SubmitFeedbackPayload, { description: 'Any authenticated user.' })
  async submitFeedback(
    @Arg('input', () => SubmitFeedbackInput, { description: "The mutation's arguments." }) input: SubmitFeedbackInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SubmitFeedbackPayload> {
    const feedback = await feedbackService.submit(ctx.service, input);
    return { feedback: await loadWritten(ctx, 'Feedback', feedback.id) };
  }
}

/** What the feedback aggregate adds to goals and versions. */
@Resolver(() => GoalType)
export class GoalFeedbackResolver {
  @FieldResolver(() => FeedbackConnection, { description: 'Feedback on the goal and its models, newest first.' })
  feedback(@Root() goal: GoalType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, feedbackRepository.ofGoal, goal.dbId, args);
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionFeedbackResolver {
  @FieldResolver(() => FeedbackConnection, { description: 'Newest first.' })
  feedback(@Root() version: ModelVersionType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, feedbackRepository.ofVersion, version.dbId, args);
  }
}
