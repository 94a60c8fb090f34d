import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../scripts/check-schema-compat';

const BEFORE = 'type Query { goal(id: ID!): Goal }\ntype Goal { id: ID! title: String! owner: String }';

describe('check:schema: breaking changes against the main branch', () => {
  it('finds none when fields are only added', () => {
    expect(
      compareSchemas(BEFORE, 'type Query { goal(id: ID!): Goal }\ntype Goal { id: ID! title: String! owner: String status: String }').breaking,
    ).toEqual([]);
  });

  it('names a removed field and a newly required argument', () => {
    const after = 'type Query { goal(id: ID!, tenant: ID!): Goal }\ntype Goal { id: ID! title: String! }';
    expect(compareSchemas(BEFORE, after).breaking.sort()).toEqual([
      'FIELD_REMOVED: Goal.owner was removed.',
      'REQUIRED_ARG_ADDED: A required arg tenant on Query.goal was added.',
    ]);
  });

  it('lets a change through once its line is in the accepted file, and only that one', () => {
    const after = 'type Query { goal(id: ID!, tenant: ID!): Goal }\ntype Goal { id: ID! title: String! }';
    const result = compareSchemas(BEFORE, after, '# owner moved to a type of its own\nFIELD_REMOVED: Goal.owner was removed.\n');
    expect(result.accepted).toEqual(['FIELD_REMOVED: Goal.owner was removed.']);
    expect(result.breaking).toEqual(['REQUIRED_ARG_ADDED: A required arg tenant on Query.goal was added.']);
  });
});
