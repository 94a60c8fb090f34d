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

/**
 * `authenticate` with answers kept for `ttlMs` (at most a second, so a demotion or a revocation
 * takes effect within it): what a WebSocket asks before each operation it runs.
 */
export function cachedAuthenticator(domain: Domain, ttlMs: number): (header: unknown) => Promise<Viewer | null> {
  const cache = new Map<string, { at: number; viewer: Promise<Viewer | null> }>();
  return (header) => {
    const token = bearerToken(header);
    if (!token) return Promise.resolve(null);
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && now - hit.at < ttlMs) return hit.viewer;
    // Expired answers go in bulk: the map holds at most the tokens seen within one ttl.
    for (const [key, entry] of cache) if (now - entry.at >= ttlMs) cache.delete(key);
    const viewer = userService.authenticate(domain.as(null), token);
    cache.set(token, { at: now, viewer });
    viewer.catch(() => cache.delete(token));
    return viewer;
  };
}

/** The user behind an Authorization header value, or null. */
export async function authenticate(domain: Domain, header: unknown): Promise<Viewer | null> {
  const token = bearerToken(header);
  return token ? userService.authenticate(domain.as(null), token) : null;
}
