import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from './schema';

export const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');

const HEADER = '# Emitted from the code by `npm run schema`; do not edit. A test fails when it is stale.\n\n';

/** The schema as committed in schema/schema.graphql, sorted so diffs stay small. */
export async function printedSchema(): Promise<string> {
  return `${HEADER}${printSchema(lexicographicSortSchema(await buildSchema()))}\n`;
}

if (require.main === module) {
  void printedSchema().then((sdl) => {
    writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${SCHEMA_FILE}`);
  });
}
