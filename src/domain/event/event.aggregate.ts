import { defineAggregate, type EventScope } from '../aggregate';
import { ChainHead, LifecycleEvent, OutboxEntry } from './lifecycle-event.entity';

/** The audit trail itself: events are nodes (found by `node(id:)`), recorded by every other aggregate's writes. */
export const eventAggregate = defineAggregate({
  name: 'event',
  entities: [LifecycleEvent, OutboxEntry, ChainHead],
  nodes: [
    {
      name: 'LifecycleEvent',
      entity: LifecycleEvent,
      discussable: false,
      scope: async (em, id): Promise<EventScope> => {
        const event: { goalId?: number | null; modelId?: number | null; modelVersionId?: number | null } = await em.findOneOrFail(LifecycleEvent, id);
        return { goalId: event.goalId, modelId: event.modelId, modelVersionId: event.modelVersionId };
      },
    },
  ],
  events: {},
});
