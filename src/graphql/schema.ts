import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema } from 'type-graphql';
import { CommentResolver, DiscussableResolver } from './comment/comment.resolver';
import { NodeResolver } from './common/node.resolver';
import { DateTimeScalar } from './common/scalars';
import { ExperimentResolver, RunResolver } from './experiment/experiment.resolver';
import { GoalResolver, KpiObservationResolver, KpiResolver } from './goal/goal.resolver';
import { ModelResolver, ModelVersionResolver } from './model/model.resolver';
import { UserResolver } from './user/user.resolver';
import { DriftResolver } from './drift/drift.resolver';
import { EventResolver } from './event/event.resolver';
import { FeedbackResolver } from './feedback/feedback.resolver';
import { GoalLifecycleResolver, ModelLifecycleResolver, ModelVersionLifecycleResolver } from './lifecycle-fields.resolver';
import { PromotionResolver, ReviewResolver } from './promotion/promotion.resolver';

export const resolvers = [
  NodeResolver, UserResolver, GoalResolver, KpiResolver, KpiObservationResolver, ExperimentResolver, RunResolver,
  ModelResolver, ModelVersionResolver, DiscussableResolver, CommentResolver,
  PromotionResolver, ReviewResolver, DriftResolver, FeedbackResolver, EventResolver,
  GoalLifecycleResolver, ModelLifecycleResolver, ModelVersionLifecycleResolver,
] as const;

/**
 * Builds the executable schema. Input validation lives in the services, so type-graphql's
 * class-validator pass is off; plain data types use graphql-js's default resolvers.
 */
export function buildSchema(): Promise<GraphQLSchema> {
  return buildTypeGraphQLSchema({
    resolvers: [...resolvers],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    emitSchemaFile: false,
    // type-graphql insists on a pubSub when there is a subscription, although `lifecycleEvents`
    // subscribes through the bus in its context (so one schema serves hubs with different buses).
    pubSub: {
      publish: () => {
        throw new Error('publish through the EventBus, not type-graphql');
      },
      subscribe: () => {
        throw new Error('subscribe through the EventBus, not type-graphql');
      },
    },
  });
}

