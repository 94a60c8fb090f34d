import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../domain/errors';
import { log } from '../logger';

/** Codes that graphql-js and Apollo produce for the client's own mistakes; their messages are safe. */
const CLIENT_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  // A query not run because its client had already hung up (src/graphql/executor.ts); nobody reads it.
  'CLIENT_CLOSED_REQUEST',
]);

/** The error a resolver (or a subscription's stream, which graphql-ws wraps without a path) threw. */
function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? unwrap(error.originalError) : error;
}

/** "Did you mean …?" hints name parts of the schema; production hides the schema. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * The one place errors are shaped for clients: domain errors keep their code and message,
 * client mistakes pass through, everything else becomes INTERNAL_SERVER_ERROR with no detail.
 * In production, suggestions that reveal the schema are removed from every message.
 */
export function createFormatError(production: boolean): ErrorFormatter {
  const shown = (message: string) => (production ? message.replace(SUGGESTION, '') : message);
  return (formatted, error) => {
    const original = unwrap(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    let code = formatted.extensions?.code;
    // graphql-js's own request errors (e.g. "Too many errors processing variables") have no cause
    // and no path: they are about the request, not a failure of ours.
    if (
      (code === undefined || code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR) &&
      error instanceof GraphQLError &&
      !error.originalError &&
      !error.path
    ) {
      code = ApolloServerErrorCode.BAD_USER_INPUT;
    }
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, message: shown(formatted.message), extensions: { ...extensions, code } };
    }
    log.error({ err: original }, 'internal error while serving a GraphQL request');
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
