import { defineAggregate } from '../aggregate';
import type { Viewer } from '../context';
import { Role } from '../enums';
import { Webhook, WebhookDelivery } from './webhook.entities';
import { webhookProjection } from './webhook.projection';

const adminsOnly = (viewer: Viewer) => viewer.roles.includes(Role.ADMIN);

/**
 * Signed webhooks: the endpoints ADMINs register and their outbox, written by the projection in
 * each event's transaction. Configuration, not lifecycle: managing webhooks records no event.
 * The rest of the domain never imports it.
 */
export const webhookAggregate = defineAggregate({
  name: 'webhook',
  entities: [Webhook, WebhookDelivery],
  nodes: [
    { name: 'Webhook', entity: Webhook, discussable: false, visibleTo: adminsOnly, scope: async () => ({}) },
    { name: 'WebhookDelivery', entity: WebhookDelivery, discussable: false, visibleTo: adminsOnly, scope: async () => ({}) },
  ],
  events: {},
  projections: [webhookProjection],
});
