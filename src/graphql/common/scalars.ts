import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { GraphQLScalarType } from 'graphql';

/** The contract's `DateTime`: ISO-8601 with offset. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  name: 'DateTime',
  description: 'An ISO-8601 date-time with offset, e.g. 2026-11-26T10:00:00.000Z.',
});

/** The contract's `JSONObject`. */
export const JSONObjectScalar = new GraphQLScalarType({ ...JSONObjectResolver.toConfig(), name: 'JSONObject', description: 'A JSON object.' });
