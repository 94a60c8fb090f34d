import { log } from './logger';
import { backgroundErrors } from './metrics';

/**
 * Errors caught in background work (event-bus listeners, Redis callbacks, timers, delivery
 * workers), counted by where they happened. Such an error is logged and counted, never allowed to
 * end the process; `/readyz` shows the counts.
 */
const counts = new Map<string, number>();

/** Logs an error caught in background work and counts it under `where` (e.g. `outbox-relay`). */
export function recordFault(where: string, err: unknown): void {
  counts.set(where, (counts.get(where) ?? 0) + 1);
  backgroundErrors.inc({ where });
  log.error({ err, where }, `${where}: ${err instanceof Error ? err.message : String(err)}`);
}

/** The errors counted so far, by where they happened. */
export function faultCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** Runs `fn` so that a throw or a rejection is recorded under `where` instead of escaping (for timers and listeners). */
export function guarded(where: string, fn: () => unknown): () => void {
  return () => {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((err: unknown) => recordFault(where, err));
    } catch (err) {
      recordFault(where, err);
    }
  };
}
