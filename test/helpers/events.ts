import { Origin } from '../../src/domain/enums';
import type { EventMessage } from '../../src/events/bus';

/** An event as the outbox relay publishes it, for tests that flood a hub's bus directly. */
export function busEvent(id: number, summary: string): EventMessage {
  return {
    id,
    type: 'GOAL_CREATED',
    data: { title: summary.slice(0, 20), status: 'DRAFT' } as never,
    actorId: null,
    origin: Origin.API,
    subjectType: 'Goal',
    subjectId: 1,
    goalId: 1,
    modelId: null,
    modelVersionId: null,
    summary,
    occurredAt: new Date().toISOString(),
  };
}
