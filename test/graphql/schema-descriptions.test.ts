import {
  buildSchema as parseSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/schema';

const described = (thing: { description?: string | null }) => Boolean(thing.description?.trim());

/**
 * Every public type, field, argument, input field and enum value of `schema` without a
 * description, as `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`. Built-in scalars and
 * introspection types are graphql-js's own, and type-graphql gives the root types no description
 * (their fields have one); everything else, PageInfo included, is ours to document.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const args = (owner: string, list: readonly GraphQLArgument[]) => {
    for (const arg of list) if (!described(arg)) missing.push(`${owner}(${arg.name})`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const rootType = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type as never);
    if (!rootType && !described(type)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const name = `${type.name}.${field.name}`;
        if (!described(field)) missing.push(name);
        if ('args' in field) args(name, field.args);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!described(value)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing.sort();
}

describe('schema descriptions', () => {
  it('name every undescribed type, field, argument, input field and enum value', () => {
    const sdl = `
      """Q""" type Query { """a""" a(x: Int, """y""" y: Int): T  b: E }
      type T { """f""" f(i: I): String }
      """I""" input I { j: Int }
      """E""" enum E { """ONE""" ONE TWO }
    `;
    expect(undescribed(parseSchema(sdl))).toEqual(['E.TWO', 'I.j', 'Query.a(x)', 'Query.b', 'T', 'T.f(i)']);
  });

  it('cover the whole schema the code builds', async () => {
    expect(undescribed(await buildSchema()), 'add a `description` to each of these').toEqual([]);
  });
});
