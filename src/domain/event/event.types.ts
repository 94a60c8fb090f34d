import type { Origin } from '../enums';
import type { EventDataMap, LifecycleEventType } from '../aggregates';

/** A committed event's envelope: who, where from, about what, where in the graph, when. */
export interface EventEnvelope {
  id: number;
  actorId: number | null;
  origin: Origin;
  /** The node type and database id of what the event is about. */
  subjectType: string;
  subjectId: number;
  goalId: number | null;
  modelId: number | null;
  modelVersionId: number | null;
  /** One human-readable line. */
  summary: string;
  /** ISO-8601. */
  occurredAt: string;
}

/** An event of one type, with that type's payload. */
export type EventOf<T extends LifecycleEventType> = EventEnvelope & { type: T; data: EventDataMap[T] };

/**
 * A recorded event: one member per event type, discriminated by `type`, so that projections and
 * subscribers read each payload with its own type. Plain JSON (dates as ISO strings): it travels
 * through Redis as it is.
 */
export type RecordedEvent = { [T in LifecycleEventType]: EventOf<T> }[LifecycleEventType];

/** What an update event records for each changed field. */
export type Changes = Record<string, { from: unknown; to: unknown }>;
