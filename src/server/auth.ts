import { GraphQLError } from 'graphql';
import type { Viewer } from '../domain/context';
import type { Domain } from '../domain/domain';
import { userService } from '../domain/user/user.service';

/** The token of an `Authorization: Bearer <token>` value, or null. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

export function unauthenticatedError(): GraphQLError {
  return new GraphQLError('A valid token is required: send "Authorization: Bearer <token>".', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });
}

/** The user behind an Authorization header value, or null. */
export async function authenticate(domain: Domain, header: unknown): Promise<Viewer | null> {
  const token = bearerToken(header);
  return token ? userService.authenticate(domain.as(null), token) : null;
}
