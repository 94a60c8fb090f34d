import { Field, ID, InterfaceType } from 'type-graphql';
import { toGlobalId } from '../../domain/ids';

/** The concrete GraphQL type of any record the API returns (every abstract type resolves this way). */
export const typeNameOf = (value: NodeBase): string => value.typeName;

/**
 * Every record the API returns inherits from its GraphQL type, so field resolvers need no
 * conversion; `dbId` is the database key and `id` the opaque global ID built from it.
 */
@InterfaceType('Node', {
  description: 'An object with a globally unique, opaque ID that `node(id:)` resolves.',
  resolveType: typeNameOf,
})
export abstract class NodeBase {
  dbId!: number;

  /** The GraphQL type name, also the prefix of the global ID. */
  abstract get typeName(): string;

  @Field(() => ID, { description: 'The global ID: opaque, stable, and accepted by `node(id:)`.' })
  get id(): string {
    return toGlobalId(this.typeName, this.dbId);
  }
}
