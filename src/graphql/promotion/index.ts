import { PromotionRequest } from '../../domain/promotion/promotion-request.entity';
import { Review } from '../../domain/promotion/review.entity';
import type { GraphQLModule } from '../module';
import {
  ModelPromotionResolver,
  ModelVersionPromotionResolver,
  PromotionResolver,
  ReviewResolver,
  UserPromotionResolver,
} from './promotion.resolver';
import { PromotionRequestType, ReviewType } from './promotion.type';

export const promotionApi: GraphQLModule = {
  resolvers: [PromotionResolver, ReviewResolver, ModelPromotionResolver, ModelVersionPromotionResolver, UserPromotionResolver],
  records: [
    [PromotionRequest, PromotionRequestType],
    [Review, ReviewType],
  ],
};
