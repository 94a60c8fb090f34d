import type { EntityManager } from '@mikro-orm/knex';
import type { RecordedEvent } from './event.types';

/**
 * Something derived from events in the same transaction as the event, so that it exists exactly
 * when the event does (e.g. the Slack messages an event causes). Projections live in the modules
 * that own what they write and register at start-up; recording an event knows only this registry.
 */
export interface Projection {
  readonly name: string;
  project(em: EntityManager, event: RecordedEvent): Promise<void>;
}

const registry = new Map<string, Projection>();

/** Registers a projection; registering one of the same name again replaces it. */
export function registerProjection(projection: Projection): void {
  registry.set(projection.name, projection);
}

/** The projections every recorded event runs through, in registration order. */
export function projections(): readonly Projection[] {
  return [...registry.values()];
}
