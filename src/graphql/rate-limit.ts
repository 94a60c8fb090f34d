import type Redis from 'ioredis';
import { GraphQLError } from 'graphql';
import { log } from '../logger';

/** Cost points per token per minute; shared between instances through Redis when there is one. */
export interface RateLimiter {
  /** Spends `points` for `key`; says how long to wait when the minute's budget is gone. */
  take(key: string, points: number): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

const WINDOW_MS = 60_000;

function windowOf(now: number): { id: number; resetsInMs: number } {
  const id = Math.floor(now / WINDOW_MS);
  return { id, resetsInMs: (id + 1) * WINDOW_MS - now };
}

/** One process: a fixed one-minute window per key. */
export function memoryRateLimiter(pointsPerMinute: number): RateLimiter {
  const spent = new Map<string, { window: number; points: number }>();
  return {
    async take(key, points) {
      const { id, resetsInMs } = windowOf(Date.now());
      const entry = spent.get(key);
      const total = (entry?.window === id ? entry.points : 0) + points;
      if (spent.size > 100_000) spent.clear();
      spent.set(key, { window: id, points: total });
      return { allowed: total <= pointsPerMinute, retryAfterSeconds: Math.ceil(resetsInMs / 1000) };
    },
  };
}

/**
 * Every instance on one Redis shares the window: INCRBY on a key that expires with the minute.
 * While Redis is unreachable each instance counts on its own (`fallback`): a rate limit must not
 * take the API down with it.
 */
export function redisRateLimiter(redis: Redis, pointsPerMinute: number, prefix: string, fallback = memoryRateLimiter(pointsPerMinute)): RateLimiter {
  let warned = false;
  return {
    async take(key, points) {
      if (redis.status !== 'ready') return fallback.take(key, points);
      const { id, resetsInMs } = windowOf(Date.now());
      const redisKey = `${prefix}:rate:${key}:${id}`;
      try {
        const result = await redis
          .multi()
          .incrby(redisKey, points)
          .pexpire(redisKey, resetsInMs + 1000)
          .exec();
        warned = false;
        const total = Number(result?.[0]?.[1] ?? 0);
        return { allowed: total <= pointsPerMinute, retryAfterSeconds: Math.ceil(resetsInMs / 1000) };
      } catch (err) {
        if (!warned) log.warn(`rate limit: Redis unavailable (${(err as Error).message}); counting in this process`);
        warned = true;
        return fallback.take(key, points);
      }
    },
  };
}

export function rateLimited(retryAfterSeconds: number, pointsPerMinute: number): GraphQLError {
  return new GraphQLError(`Rate limit of ${pointsPerMinute} cost points per minute reached; retry in ${retryAfterSeconds} s.`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}
