import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { RecordedEvent } from '../event/event.types';
import type { Projection } from '../event/projections';
import { toGlobalId } from '../ids';
import { Webhook, WebhookDelivery, WebhookDeliveryStatus } from './webhook.entities';

/** Whether a webhook takes an event: one of its types (or any, when it names none), and its model when it has one. */
export function webhookTakes(
  webhook: { eventTypes: readonly string[]; modelId: number | null },
  event: Pick<RecordedEvent, 'type' | 'modelId'>,
): boolean {
  return (
    (webhook.eventTypes.length === 0 || webhook.eventTypes.includes(event.type)) && (webhook.modelId === null || webhook.modelId === event.modelId)
  );
}

/** Queues a delivery (PENDING, due now) of an event to a webhook. */
export function queueDelivery(em: EntityManager, webhookId: number, eventId: number): WebhookDelivery {
  return em.create(WebhookDelivery, {
    webhook: webhookId,
    event: eventId,
    guid: randomUUID(),
    status: WebhookDeliveryStatus.PENDING,
    notBefore: new Date(),
  });
}

/** Queues a delivery to every webhook that takes the event, in the event's own transaction (a paused one's waits). */
export const webhookProjection: Projection = {
  name: 'webhook',
  async project(em: EntityManager, event: RecordedEvent): Promise<void> {
    const webhooks = await em.find(Webhook, {}, { fields: ['eventTypes', 'model'], orderBy: { id: 'asc' } });
    for (const webhook of webhooks) {
      if (webhookTakes({ eventTypes: webhook.eventTypes, modelId: webhook.model?.id ?? null }, event)) queueDelivery(em, webhook.id, event.id);
    }
  },
};

/**
 * The JSON body of a delivery: the event as the API shows it, with global IDs. Built from the
 * stored event, so every attempt sends the same bytes.
 */
export function webhookBody(event: RecordedEvent): string {
  const id = (type: string, dbId: number | null) => (dbId === null ? null : toGlobalId(type, dbId));
  return JSON.stringify({
    id: id('LifecycleEvent', event.id),
    type: event.type,
    occurredAt: event.occurredAt,
    actorId: id('User', event.actorId),
    origin: event.origin,
    subjectId: id(event.subjectType, event.subjectId),
    subjectType: event.subjectType,
    goalId: id('Goal', event.goalId),
    modelId: id('Model', event.modelId),
    modelVersionId: id('ModelVersion', event.modelVersionId),
    summary: event.summary,
    data: event.data,
  });
}
