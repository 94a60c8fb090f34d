import type { EntityClass } from '../db/reader';

/** A GraphQL type class, whose prototype the rows of its entity inherit. */
type RecordClass = abstract new (...args: never[]) => object;

/** One aggregate's part of the API: its resolvers and the GraphQL type of each entity it shows. */
export interface GraphQLModule {
  readonly resolvers: readonly (abstract new (...args: never[]) => object)[];
  readonly records: readonly (readonly [EntityClass, RecordClass])[];
}
