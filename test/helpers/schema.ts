import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';

/** The repository's root directory. */
export const ROOT = join(__dirname, '..', '..');

let schema: GraphQLSchema | undefined;

/** schema/schema.graphql, the schema the code emits and commits (test/graphql/schema.test.ts keeps it current). */
export function committedSchema(): GraphQLSchema {
  schema ??= buildSchema(readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
  return schema;
}

/** The fields of Mutation, by name, sorted. */
export function mutationNames(): string[] {
  return Object.keys(committedSchema().getMutationType()?.getFields() ?? {}).sort();
}
