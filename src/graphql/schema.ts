import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema, type NonEmptyArray } from 'type-graphql';
import { NodeResolver } from './common/node.resolver';
import { DateTimeScalar } from './common/scalars';
import { GRAPHQL_MODULES } from './modules';

/** The node queries, then every aggregate's resolvers. */
const resolvers = [NodeResolver, ...Object.values(GRAPHQL_MODULES).flatMap((m) => m.resolvers)] as NonEmptyArray<NonNullable<unknown>> as NonEmptyArray<Function>;

/**
 * Builds the executable schema. Input validation lives in the services, so type-graphql's
 * class-validator pass is off; plain data types use graphql-js's default resolvers.
 */
export function buildSchema(): Promise<GraphQLSchema> {
  return buildTypeGraphQLSchema({
    resolvers,
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

