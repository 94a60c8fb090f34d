import { Feedback } from '../../domain/feedback/feedback.entity';
import type { GraphQLModule } from '../module';
import { FeedbackResolver, GoalFeedbackResolver, ModelVersionFeedbackResolver } from './feedback.resolver';
import { FeedbackType } from './feedback.type';

export const feedbackApi: GraphQLModule = {
  resolvers: [FeedbackResolver, GoalFeedbackResolver, ModelVersionFeedbackResolver],
  records: [[Feedback, FeedbackType]],
};
