import {
  GraphQLError,
  getNamedType,
  parse,
  valueFromASTUntyped,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULTS } from '../config';
import { DEFAULT_PAGE_SIZE, listCap, MAX_PAGE_SIZE, PLAIN_LIST_CAP } from './common/connection';

/** Limits that protect the service; every one is an environment variable (README "Limits"). */
export interface QueryLimits {
  /** `MAX_QUERY_DEPTH`, default 12. */
  maxDepth: number;
  /** `QUERY_COST_BUDGET`, default 10,000. */
  costBudget: number;
  /** `MAX_QUERY_TOKENS`, default 5,000. */
  maxTokens: number;
  /** `MAX_QUERY_ALIASES`, default 50. */
  maxAliases: number;
  /** `MAX_MUTATIONS_PER_REQUEST`, default 20. */
  maxMutations: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: DEFAULTS.maxQueryDepth,
  costBudget: DEFAULTS.queryCostBudget,
  maxTokens: DEFAULTS.maxQueryTokens,
  maxAliases: DEFAULTS.maxQueryAliases,
  maxMutations: DEFAULTS.maxMutationsPerRequest,
};

/**
 * Parses a document within the token and alias limits, before anything validates it: the parser
 * stops at `maxTokens`, and a document with more than `maxAliases` aliased fields is refused. A
 * syntax error comes back as GRAPHQL_PARSE_FAILED, too many aliases as BAD_USER_INPUT.
 */
export function parseWithinLimits(source: string, limits: Pick<QueryLimits, 'maxTokens' | 'maxAliases'>): DocumentNode {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens });
  } catch (err) {
    throw new GraphQLError((err as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  }
  let aliases = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases += 1;
    },
  });
  if (aliases > limits.maxAliases) {
    throw new GraphQLError(`The document has ${aliases} aliased fields; the limit is ${limits.maxAliases}.`, {
      extensions: { code: 'BAD_USER_INPUT', aliases, maxAliases: limits.maxAliases },
    });
  }
  return document;
}

/** The root fields a mutation operation runs (through fragments), each in its own transaction. */
export function rootFieldCount(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const count = (set: SelectionSetNode, seen: Set<string>): number =>
    set.selections.reduce((n, sel) => {
      if (sel.kind === Kind.FIELD) return n + 1;
      if (sel.kind === Kind.INLINE_FRAGMENT) return n + count(sel.selectionSet, seen);
      const fragment = fragments.get(sel.name.value);
      return fragment && !seen.has(sel.name.value) ? n + count(fragment.selectionSet, new Set([...seen, sel.name.value])) : n;
    }, 0);
  return count(operation.selectionSet, new Set());
}

export function tooManyMutations(count: number, limits: QueryLimits): GraphQLError {
  return new GraphQLError(`The request runs ${count} mutations; the limit is ${limits.maxMutations} per request.`, {
    extensions: { code: 'BAD_USER_INPUT', mutations: count, maxMutations: limits.maxMutations, http: { status: 400 } },
  });
}

function argument(
  node: { arguments?: readonly { name: { value: string }; value: ValueNode }[] },
  name: string,
  variables: Record<string, unknown>,
): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind === Kind.VARIABLE) return variables[arg.value.name.value];
  if (arg.value.kind === Kind.INT) return Number(arg.value.value);
  if (arg.value.kind === Kind.LIST) return arg.value.values;
  return undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * The depth and cost of an operation, before it runs. Cost counts every object a query can return:
 * 1 per object field, times `first` (default 20) under a connection, its cap (`listCap`: what it
 * returns at most) for a plain list and the number of IDs for `nodes(ids:)`, each item of a list
 * charged whether or not anything is selected below it. Like Shopify's requested cost.
 */
export function measure(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  given: Record<string, unknown>,
): { depth: number; cost: number } {
  // A variable left out takes its declared default, which counts like any other value.
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variables[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  Object.assign(variables, given);
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const typeInfo = new TypeInfo(schema);
  let depth = 0;

  // Depth: the longest chain of field selections, through fragments.
  const depthOf = (set: SelectionSetNode, seen: Set<string>): number => {
    let max = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) max = Math.max(max, 1 + (sel.selectionSet ? depthOf(sel.selectionSet, seen) : 0));
      else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(sel.selectionSet, seen));
      else if (!seen.has(sel.name.value)) {
        const fragment = fragments.get(sel.name.value);
        if (fragment) max = Math.max(max, depthOf(fragment.selectionSet, new Set([...seen, sel.name.value])));
      }
    }
    return max;
  };
  depth = depthOf(operation.selectionSet, new Set());

  // Cost: walk with type information; inline fragment spreads so each is costed where it is used.
  const inlined = visit(operation, {
    FragmentSpread(node) {
      const fragment = fragments.get(node.name.value);
      return fragment
        ? { kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, selectionSet: fragment.selectionSet, directives: [] }
        : null;
    },
  });
  const multipliers: number[] = [1];
  let cost = 0;
  visit(
    inlined,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          const type = typeInfo.getType();
          if (!type || !isCompositeType(getNamedType(type))) return;
          const current = multipliers[multipliers.length - 1];
          const named = getNamedType(type).name;
          let factor = 1;
          let items = false;
          if (named.endsWith('Connection')) {
            const first = argument(node, 'first', variables);
            // A `first` outside 0..100 is refused by the connection itself, with a clearer message.
            factor = typeof first === 'number' ? Math.min(Math.max(first, 0), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
          } else if (node.name.value === 'nodes' && typeInfo.getParentType()?.name === 'Query') {
            const ids = argument(node, 'ids', variables);
            factor = Array.isArray(ids) ? ids.length : PLAIN_LIST_CAP;
            items = true;
          } else if (isList(type) && !typeInfo.getParentType()?.name.endsWith('Connection') && !typeInfo.getParentType()?.name.endsWith('Edge')) {
            factor = listCap(typeInfo.getParentType()!.name, node.name.value);
            items = true;
          }
          // A list returns up to `factor` objects; a connection is one object whose pages hold `factor`.
          cost += items ? current * factor : current;
          multipliers.push(current * Math.max(1, factor));
        },
        leave() {
          const type = typeInfo.getType();
          if (type && isCompositeType(getNamedType(type))) multipliers.pop();
        },
      },
    }),
  );
  return { depth, cost };
}

export function tooDeep(depth: number, limits: QueryLimits): GraphQLError {
  return new GraphQLError(`The query is ${depth} levels deep; the limit is ${limits.maxDepth}.`, {
    extensions: { code: 'BAD_USER_INPUT', depth, maxDepth: limits.maxDepth, http: { status: 400 } },
  });
}

export function tooCostly(cost: number, limits: QueryLimits): GraphQLError {
  return new GraphQLError(
    `The query could return up to ${cost} objects; the budget is ${limits.costBudget}. Ask for smaller pages (first) or fewer fields.`,
    {
      extensions: { code: 'BAD_USER_INPUT', cost: { requested: cost, budget: limits.costBudget }, http: { status: 400 } },
    },
  );
}
