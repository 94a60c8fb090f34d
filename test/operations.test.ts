/**
 * The operation documents the tests send (test/operations/*.graphql, typed by `npm run codegen`):
 * exactly one document per field of Mutation, named after it and sending only it, so that every
 * test calling a mutation shares its document; a new mutation without one fails here. Queries and
 * subscriptions may have several documents, but no two that ask for the same thing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, visit, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mutationNames, ROOT } from './helpers/schema';

const DIR = join(ROOT, 'test', 'operations');
const definitions = readdirSync(DIR)
  .filter((f) => f.endsWith('.graphql'))
  .flatMap((f) => parse(readFileSync(join(DIR, f), 'utf8')).definitions.map((d) => ({ file: f, d })));
const operations = definitions.flatMap(({ file, d }) => (d.kind === Kind.OPERATION_DEFINITION ? [{ file, op: d }] : []));
const fragments = new Map(definitions.flatMap(({ d }) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
const mutations = operations.filter(({ op }) => op.operation === 'mutation');

const nameOf = ({ file, op }: { file: string; op: OperationDefinitionNode }) => `${op.name?.value ?? '(anonymous)'} in ${file}`;
const rootFields = (op: OperationDefinitionNode) => op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : `(${s.kind})`));

/** What an operation asks for, whatever it and its fragments are called: fragments inlined, the name left out. */
function shape(op: OperationDefinitionNode): string {
  // visit() goes on into what a spread is replaced with, so spreads within fragments are inlined too.
  const inlined = visit(op, {
    OperationDefinition: (node) => ({ ...node, name: undefined }),
    FragmentSpread(node) {
      const fragment: FragmentDefinitionNode | undefined = fragments.get(node.name.value);
      if (!fragment) throw new Error(`unknown fragment ${node.name.value}`);
      return { kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, selectionSet: fragment.selectionSet };
    },
  });
  return print(inlined);
}

describe('the operation documents of the tests', () => {
  it('have exactly one document for each mutation of schema/schema.graphql', () => {
    const documents = new Map(mutationNames().map((m) => [m, [] as string[]]));
    for (const m of mutations) for (const field of rootFields(m.op)) documents.get(field)?.push(nameOf(m));
    const wrong = [...documents].filter(([, docs]) => docs.length !== 1).map(([m, docs]) => `${m}: ${docs.length ? docs.join(', ') : 'no document'}`);
    expect(wrong, 'each mutation needs one document in test/operations (see README "Tests")').toEqual([]);
  });

  it("send one mutation per document, named after it, with the mutation's one input", () => {
    const pascal = (field: string) => field[0].toUpperCase() + field.slice(1);
    for (const m of mutations) {
      const fields = rootFields(m.op);
      expect(fields, nameOf(m)).toHaveLength(1);
      expect(m.op.name?.value, nameOf(m)).toBe(pascal(fields[0]));
      expect(
        m.op.variableDefinitions?.map((v) => print(v)),
        nameOf(m),
      ).toEqual([`$input: ${pascal(fields[0])}Input!`]);
    }
  });

  it('send no mutation the schema lacks', () => {
    const known = new Set(mutationNames());
    expect(
      mutations.flatMap((m) =>
        rootFields(m.op)
          .filter((f) => !known.has(f))
          .map((f) => `${f} (${nameOf(m)})`),
      ),
    ).toEqual([]);
  });

  it('have no two queries or subscriptions that ask for the same thing', () => {
    const byShape = new Map<string, string[]>();
    for (const o of operations) {
      const key = shape(o.op);
      byShape.set(key, [...(byShape.get(key) ?? []), nameOf(o)]);
    }
    expect(
      [...byShape.values()].filter((names) => names.length > 1),
      'documents to merge',
    ).toEqual([]);
  });
});
