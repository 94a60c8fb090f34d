import { defineAggregate, payload } from '../aggregate';

/** Handing a goal, model or experiment to another person; the objects themselves live in their own aggregates. */
export const ownershipAggregate = defineAggregate({
  name: 'ownership',
  entities: [],
  nodes: [],
  events: {
    /** `from` and `to` are the users' global IDs. */
    OWNERSHIP_TRANSFERRED: payload<{ from: string; to: string }>(),
  },
});
