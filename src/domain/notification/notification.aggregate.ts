import { defineAggregate } from '../aggregate';
import { Notification } from './notification.entity';
import { notificationProjection } from './notification.projection';

/** What reaches a person: the events that mention them, ask them, or touch what they own or follow. */
export const notificationAggregate = defineAggregate({
  name: 'notification',
  entities: [Notification],
  nodes: [{ name: 'Notification', entity: Notification, discussable: false, scope: async () => ({}) }],
  events: {},
  projections: [notificationProjection],
});
