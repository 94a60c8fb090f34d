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

export const resolvers = [
  NodeResolver, UserResolver, GoalResolver, KpiResolver, KpiObservationResolver, ExperimentResolver, RunResolver,
  ModelResolver, ModelVersionResolver, DiscussableResolver, CommentResolver,
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
  });
}

