import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { feedbackService } from '../../domain/feedback/feedback.service';
import { FeedbackVerdict } from '../common/lifecycle-enums';
import type { GraphQLContext } from '../context';
import { GoalType } from '../goal/goal.type';
import { ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../relations';
import { UserType } from '../user/user.type';
import { FeedbackType } from './feedback.type';

@InputType('SubmitFeedbackInput', { description: 'Needs goalId, modelVersionId or both (then they must agree).' })
class SubmitFeedbackInput {
  @Field(() => ID, { nullable: true })
  goalId?: string | null;

  @Field(() => ID, { nullable: true })
  modelVersionId?: string | null;

  @Field(() => FeedbackVerdict)
  verdict!: FeedbackVerdict;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}

@ObjectType('SubmitFeedbackPayload', { simpleResolvers: true })
class SubmitFeedbackPayload {
  @Field(() => FeedbackType)
  feedback!: FeedbackType;
}

@Resolver(() => FeedbackType)
export class FeedbackResolver {
  @FieldResolver(() => GoalType)
  goal(@Root() feedback: FeedbackType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Goal', feedback.goalId);
  }

  @FieldResolver(() => ModelVersionType, { nullable: true })
  modelVersion(@Root() feedback: FeedbackType, @Ctx() ctx: GraphQLContext) {
    return feedback.modelVersionId === null ? null : loadNode(ctx, 'ModelVersion', feedback.modelVersionId);
  }

  @FieldResolver(() => UserType)
  author(@Root() feedback: FeedbackType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', feedback.authorId);
  }

  @Mutation(() => SubmitFeedbackPayload, { description: 'Any authenticated user.' })
  async submitFeedback(@Arg('input', () => SubmitFeedbackInput) input: SubmitFeedbackInput, @Ctx() ctx: GraphQLContext): Promise<SubmitFeedbackPayload> {
    const feedback = await feedbackService.submit(ctx.service, input);
    return { feedback: await loadWritten(ctx, 'Feedback', feedback.id) };
  }
}
