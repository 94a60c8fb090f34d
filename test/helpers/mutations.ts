import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import * as operations from '../../src/generated/operations';
import { ok } from './client';
import type { Person, TestHub } from './hub';

type MutationDocument = TypedDocumentNode<Record<string, Record<string, unknown>>, { input: Record<string, unknown> }>;

/** The document of each mutation (test/operations/mutations.graphql), by the Mutation field it sends. */
const DOCUMENTS = new Map<string, MutationDocument>(
  Object.values(operations).flatMap((value) => {
    const operation = (value as DocumentNode).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const [field] = operation?.operation === 'mutation' ? operation.selectionSet.selections : [];
    return field?.kind === Kind.FIELD ? [[field.name.value, value as MutationDocument] as const] : [];
  }),
);

/** The one operation document that sends mutation `name`, for tests that go through every mutation. */
export function mutationDocument(name: string): MutationDocument {
  const document = DOCUMENTS.get(name);
  if (!document) throw new Error(`test/operations has no document for the mutation ${name}`);
  return document;
}

/** Runs mutation `name` as `who`, which must succeed; returns the ID of the object its payload names. */
export async function mutateForId(hub: TestHub, who: Person, name: string, input: Record<string, unknown>): Promise<string> {
  const payload = ok(await hub.as(who, mutationDocument(name), { input }))[name];
  const object = Object.values(payload).find((v): v is { id: string } => typeof v === 'object' && v !== null && 'id' in v);
  if (!object) throw new Error(`${name} answered no object with an ID: ${JSON.stringify(payload)}`);
  return object.id;
}
