import type { EntityManager } from '@mikro-orm/knex';
import type { EntityClass } from '../db/reader';
import type { Viewer } from './context';
import type { Projection } from './event/projections';

/** Where an event sits in the graph, for the `goalId` and `modelId` filters of `events` and the live feed. */
export interface EventScope {
  goalId?: number | null;
  modelId?: number | null;
  modelVersionId?: number | null;
}

/** An object type with a global ID (`Node` in the API). */
export interface NodeType<E extends object = object> {
  /** The API's type name, also the prefix of its global IDs. */
  readonly name: string;
  readonly entity: EntityClass<E>;
  /** People can comment on it (`Discussable` in the API). */
  readonly discussable: boolean;
  /** Where an object of this type sits in the graph: what events about it are scoped to. */
  readonly scope: (em: EntityManager, id: number) => Promise<EventScope>;
  /**
   * Who owns an object of this type (told of questions on it, may mark them answered). By default
   * the owner of the model it sits under, else of its goal (`ownerOf`).
   */
  readonly owner?: (em: EntityManager, id: number) => Promise<number | null>;
  /**
   * The event type that opens a conversation about an object of this type (a promotion request, a
   * drift flag): chat channels post that event first and put later events about it in its thread.
   */
  readonly conversationStartedBy?: string;
  /** Who may read an object of this type by its ID (`node`, `nodes`); default: any authenticated user. */
  readonly visibleTo?: (viewer: Viewer) => boolean;
}

/**
 * One aggregate, declared once beside its code and listed in `aggregates.ts`: what it persists,
 * which of its types are nodes, the events it records and the projections it adds. The node
 * registry, discussable types, event scopes, the entity list and the lifecycle event types all
 * derive from these declarations.
 */
export interface Aggregate<Name extends string = string, Events extends object = object> {
  readonly name: Name;
  /** Every entity it persists, its node types' included. */
  readonly entities: readonly EntityClass[];
  readonly nodes: readonly NodeType[];
  /** Its event types and their payloads (`defineEvents`). */
  readonly events: Events;
  /** Handlers that run in the transaction of every event recorded, registered at start-up. */
  readonly projections?: readonly Projection[];
}

export function defineAggregate<const Name extends string, Events extends object>(aggregate: Aggregate<Name, Events>): Aggregate<Name, Events> {
  return aggregate;
}

/** Declares an event type's payload: `GOAL_CREATED: payload<{ title: string }>()`. */
export const payload = <T extends object>(): T => undefined as unknown as T;
