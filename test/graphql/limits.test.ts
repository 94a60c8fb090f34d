// limits.ts takes its page sizes from common/connection.ts, whose type-graphql classes need the
// metadata polyfill when that module loads.
import 'reflect-metadata';
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, measure, tooCostly, tooDeep } from '../../src/graphql/limits';
import { committedSchema } from '../helpers/schema';

/** The depth and cost of `query` (its first operation) with `variables`, as the hub measures them before running it. */
function measured(query: string, variables: Record<string, unknown> = {}): { depth: number; cost: number } {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return measure(committedSchema(), document, operation, variables);
}
const cost = (query: string, variables?: Record<string, unknown>) => measured(query, variables).cost;
const depth = (query: string, variables?: Record<string, unknown>) => measured(query, variables).depth;

describe('measure: the cost of a query, before it runs', () => {
  it('counts 1 per object field and nothing for scalars', () => {
    expect(cost('{ viewer { id name email } }')).toBe(1);
    expect(cost('{ viewer { id } goals(first: 0) { totalCount } }')).toBe(2);
  });

  it('multiplies what is under a connection by its `first`', () => {
    // goals 1, then 5 goals each with an owner: 1 + 5 + 5
    expect(cost('{ goals(first: 5) { nodes { id owner { name } } } }')).toBe(11);
    expect(cost('{ goals(first: 5) { edges { node { owner { id } } } } }')).toBe(16);
    expect(cost('{ goals(first: 100) { nodes { models(first: 100) { nodes { id } } } } }')).toBe(10_201);
  });

  it('takes 20 for a connection without `first`, and clamps `first` to 0..100', () => {
    expect(cost('{ goals { nodes { id } } }')).toBe(1 + 20);
    expect(cost('{ goals(first: 500) { nodes { id } } }')).toBe(cost('{ goals(first: 100) { nodes { id } } }'));
    expect(cost('{ goals(first: 0) { nodes { id } } }')).toBe(1 + 1);
  });

  it('charges a plain list its cap of 10 objects, and multiplies what is under it by 10', () => {
    // goals 1, nodes 1, 10 KPIs, then each KPI's goal
    expect(cost('{ goals(first: 1) { nodes { kpis { goal { id } } } } }')).toBe(22);
    expect(cost('{ goals(first: 1) { nodes { kpis { id } } } }')).toBe(12);
  });

  it('charges nodes(ids:) one object per ID, literal or variable, and multiplies what is under it', () => {
    expect(cost('{ nodes(ids: ["a", "b"]) { ... on Goal { owner { id } } } }')).toBe(2 + 2);
    expect(cost('query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Goal { owner { id } } } }', { ids: ['a', 'b', 'c'] })).toBe(3 + 3);
  });

  it('costs a named fragment where it is spread, as often as it is spread', () => {
    const inline = '{ goals(first: 5) { nodes { id owner { name } } } }';
    expect(cost('{ ...Q } fragment Q on Query { goals(first: 5) { nodes { id owner { name } } } }')).toBe(cost(inline));
    const twice = '{ a: goals(first: 5) { ...G } b: goals(first: 5) { ...G } } fragment G on GoalConnection { nodes { owner { id } } }';
    expect(cost(twice)).toBe(2 * cost(inline));
  });

  it('reads page sizes from variables, and a variable left out from its default', () => {
    const query = 'query ($n: Int) { goals(first: $n) { nodes { owner { id } } } }';
    expect(cost(query, { n: 30 })).toBe(1 + 30 + 30);
    const withDefault = 'query ($n: Int = 50) { goals(first: $n) { nodes { owner { id } } } }';
    expect(cost(withDefault)).toBe(1 + 50 + 50);
    expect(cost(withDefault, { n: 2 })).toBe(1 + 2 + 2);
  });
});

describe('measure: the depth of a query', () => {
  it('is the longest chain of fields', () => {
    expect(depth('{ viewer { id } }')).toBe(2);
    expect(depth('{ viewer { id } goals(first: 1) { nodes { owner { id } } } }')).toBe(4);
  });

  it('counts fields reached through named and inline fragments, not the fragments', () => {
    const plain = '{ goals(first: 1) { nodes { models(first: 1) { nodes { id } } } } }';
    expect(
      depth('{ goals(first: 1) { ...G } } fragment G on GoalConnection { nodes { ...M } } fragment M on Goal { models(first: 1) { nodes { id } } }'),
    ).toBe(depth(plain));
    expect(depth('{ goals(first: 1) { ... on GoalConnection { nodes { ... { models(first: 1) { nodes { id } } } } } } }')).toBe(depth(plain));
    expect(depth(plain)).toBe(5);
  });
});

describe('tooDeep and tooCostly', () => {
  it('refuse with BAD_USER_INPUT and HTTP 400, naming the numbers', () => {
    expect(tooDeep(13, DEFAULT_LIMITS).extensions).toMatchObject({ code: 'BAD_USER_INPUT', depth: 13, maxDepth: 12, http: { status: 400 } });
    expect(tooCostly(10_201, DEFAULT_LIMITS).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      cost: { requested: 10_201, budget: 10_000 },
      http: { status: 400 },
    });
    expect(tooCostly(10_201, DEFAULT_LIMITS).message).toContain('10201');
  });
});
