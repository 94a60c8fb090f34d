import type { Filter } from '../../db/reader';
import { LifecycleEventType } from '../aggregates';
import { badInput } from '../errors';
import { dbId, fromGlobalId } from '../ids';
import type { LifecycleEvent } from './lifecycle-event.entity';

/** The API's `EventFilter`, with global IDs. */
export interface EventFilterInput {
  goalId?: string | null;
  modelId?: string | null;
  subjectId?: string | null;
  types?: string[] | null;
}

/** The same filter in database terms; every given condition must hold. */
export interface EventFilter {
  goalId?: number;
  modelId?: number;
  subject?: { type: string; id: number };
  types?: ReadonlySet<string>;
}

/** The fields of an event the filter looks at. */
export interface FilterableEvent {
  type: string;
  goalId: number | null;
  modelId: number | null;
  subjectType: string;
  subjectId: number;
}

/** Decodes a filter; IDs of the wrong type are NOT_FOUND, a malformed subject ID too. */
export function resolveEventFilter(input: EventFilterInput | null | undefined): EventFilter {
  const filter: EventFilter = {};
  if (!input) return filter;
  if (input.goalId) filter.goalId = dbId('Goal', input.goalId);
  if (input.modelId) filter.modelId = dbId('Model', input.modelId);
  if (input.subjectId) {
    const subject = fromGlobalId(input.subjectId);
    if (!subject) throw badInput('filter.subjectId is not an ID the API hands out.', 'filter.subjectId');
    filter.subject = subject;
  }
  if (input.types) {
    for (const t of input.types) if (!(t in LifecycleEventType)) throw badInput(`filter.types has an unknown type "${t}".`, 'filter.types');
    filter.types = new Set(input.types);
  }
  return filter;
}

/** In memory, for the live feed: the same rule as `eventQueryFilter`. */
export function eventMatches(filter: EventFilter, event: FilterableEvent): boolean {
  return (
    (filter.goalId === undefined || event.goalId === filter.goalId) &&
    (filter.modelId === undefined || event.modelId === filter.modelId) &&
    (filter.subject === undefined || (event.subjectType === filter.subject.type && event.subjectId === filter.subject.id)) &&
    (filter.types === undefined || filter.types.has(event.type))
  );
}

/** In SQL, for the audit trail: the same rule as `eventMatches`. */
export function eventQueryFilter(filter: EventFilter): Filter<LifecycleEvent> {
  return {
    goalId: filter.goalId,
    modelId: filter.modelId,
    subjectType: filter.subject?.type,
    subjectId: filter.subject?.id,
    type: filter.types ? { in: [...filter.types] as LifecycleEvent['type'][] } : undefined,
  };
}
