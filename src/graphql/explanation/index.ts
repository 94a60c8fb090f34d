import { PredictionExplanation } from '../../domain/explanation/explanation.entity';
import type { GraphQLModule } from '../module';
import { ExplanationResolver, FeedbackExplanationResolver, ModelVersionExplanationResolver } from './explanation.resolver';
import { PredictionExplanationType } from './explanation.type';

export const explanationApi: GraphQLModule = {
  resolvers: [ExplanationResolver, ModelVersionExplanationResolver, FeedbackExplanationResolver],
  records: [[PredictionExplanation, PredictionExplanationType]],
};
