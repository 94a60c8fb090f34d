import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { rateLimited as rateLimitRefusals } from '../metrics';
import type { GraphQLContext } from './context';
import { measure, rootFieldCount, tooCostly, tooDeep, tooManyMutations, type QueryLimits } from './limits';
import { rateLimited, type RateLimiter } from './rate-limit';

export interface LimitOptions extends QueryLimits {
  limiter: RateLimiter | null;
  /** 0 turns rate limiting off. */
  pointsPerMinute: number;
}

/** Checks depth, cost and the token's rate before anything executes, and reports the cost in `extensions.cost`. */
export function checkOperation(schema: GraphQLSchema, options: LimitOptions) {
  return async (
    document: import('graphql').DocumentNode,
    operation: import('graphql').OperationDefinitionNode,
    variables: Record<string, unknown>,
    viewerId: number,
  ): Promise<number> => {
    if (operation.operation === 'mutation') {
      const mutations = rootFieldCount(document, operation);
      if (mutations > options.maxMutations) throw tooManyMutations(mutations, options);
    }
    const { depth, cost } = measure(schema, document, operation, variables);
    if (depth > options.maxDepth) throw tooDeep(depth, options);
    if (cost > options.costBudget) throw tooCostly(cost, options);
    if (options.limiter && options.pointsPerMinute > 0) {
      const { allowed, retryAfterSeconds } = await options.limiter.take(`user:${viewerId}`, Math.max(1, cost));
      if (!allowed) {
        rateLimitRefusals.inc();
        throw rateLimited(retryAfterSeconds, options.pointsPerMinute);
      }
    }
    return cost;
  };
}

/** Each request's measured cost, by its context, for the executor's queue (src/graphql/executor.ts). */
const costs = new WeakMap<object, number>();

/** The estimated cost of the operation a request context belongs to, once the limits measured it. */
export const operationCost = (context: object): number | undefined => costs.get(context);

export function limitsPlugin(schema: GraphQLSchema, options: LimitOptions): ApolloServerPlugin<GraphQLContext> {
  const check = checkOperation(schema, options);
  return {
    async requestDidStart() {
      let requested: number | undefined;
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          if (operation.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are served over WebSocket (graphql-transport-ws) on this same URL, not over HTTP.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          requested = await check(document, operation, request.variables ?? {}, contextValue.viewer.id);
          costs.set(contextValue, requested);
        },
        async willSendResponse({ response }) {
          if (requested === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { requested, budget: options.costBudget } };
        },
      };
    },
  };
}
