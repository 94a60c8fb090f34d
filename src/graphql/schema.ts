import 'reflect-metadata';
import {
  defaultFieldResolver,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { buildSchema as buildTypeGraphQLSchema, type NonEmptyArray } from 'type-graphql';
import { listCap } from './common/connection';
import { typeNameOf } from './common/node';
import { NodeResolver } from './common/node.resolver';
import { DateTimeScalar } from './common/scalars';
import { GRAPHQL_MODULES } from './modules';

/** The node queries, then every aggregate's resolvers. */
const resolvers = [NodeResolver, ...Object.values(GRAPHQL_MODULES).flatMap((m) => m.resolvers)] as NonEmptyArray<
  NonNullable<unknown>
> as NonEmptyArray<Function>;

/**
 * Builds the executable schema. Input validation lives in the services, so type-graphql's
 * class-validator pass is off; plain data types use graphql-js's default resolvers.
 */
export async function buildSchema(): Promise<GraphQLSchema> {
  return compilable(
    capPlainLists(
      await buildTypeGraphQLSchema({
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
      }),
    ),
  );
}

/**
 * What graphql-jit (src/graphql/executor.ts) needs that graphql-js does without:
 * - type-graphql wraps every `resolveType` in an async function; graphql-jit needs the type at
 *   once, and it is known at once: every record carries its type name;
 * - graphql-jit reads a field without a resolver as a plain value, while a connection's
 *   `totalCount` is a getter that returns a promise (it counts only when asked): it gets
 *   graphql-js's default resolver, whose promise graphql-jit awaits.
 */
function compilable(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isAbstractType(type)) type.resolveType = typeNameOf;
    if (isObjectType(type) && type.name.endsWith('Connection')) {
      const totalCount = type.getFields().totalCount;
      if (totalCount && !totalCount.resolve) totalCount.resolve = defaultFieldResolver;
    }
  }
  return schema;
}

/**
 * Every plain (non-connection) list of objects returns at most its cap (`listCap`), which is what
 * the cost estimate charges for it: the estimate then bounds the objects a query resolves.
 * `Query.nodes` is bounded by its `ids` instead.
 */
function capPlainLists(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name.endsWith('Connection') || type.name.endsWith('Edge')) continue;
    for (const field of Object.values(type.getFields())) {
      const list = isNonNullType(field.type) ? field.type.ofType : field.type;
      if (!isListType(list) || !isCompositeType(getNamedType(field.type)) || (type.name === 'Query' && field.name === 'nodes')) continue;
      const cap = listCap(type.name, field.name);
      // A list read as a plain property: the query planner (planner.ts) may read it from the row itself.
      if (!field.resolve) field.extensions = { ...field.extensions, plainListCap: cap };
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, context, info) => {
        const items: unknown = await resolve(source, args, context, info);
        return Array.isArray(items) && items.length > cap ? items.slice(0, cap) : items;
      };
    }
  }
  return schema;
}
