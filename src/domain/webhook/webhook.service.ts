import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { ListQuery } from '../../db/reader';
import { LifecycleEventType } from '../aggregates';
import { authorize, requireViewer, type ServiceContext } from '../context';
import { badInput, conflict, notFound } from '../errors';
import { dbId } from '../ids';
import { Model } from '../model/model.entity';
import { Webhook, WebhookDelivery } from './webhook.entities';
import { queueDelivery } from './webhook.projection';
import { webhookRepository } from './webhook.repository';
import { checkWebhookUrl } from './webhook.target';

export interface CreateWebhookInput {
  url: string;
  eventTypes?: string[] | null;
  modelId?: string | null;
}

export interface UpdateWebhookInput {
  webhookId: string;
  url?: string | null;
  eventTypes?: string[] | null;
  active?: boolean | null;
}

/** The most webhooks a hub keeps: every event is matched against each of them in its transaction. */
export const MAX_WEBHOOKS = 100;

function eventTypes(value: readonly string[] | null | undefined): LifecycleEventType[] {
  const unique = [...new Set(value ?? [])];
  for (const type of unique) if (!(type in LifecycleEventType)) throw badInput(`eventTypes has an unknown type "${type}".`, 'eventTypes');
  return unique as LifecycleEventType[];
}

async function webhookById(em: EntityManager, globalId: string): Promise<Webhook> {
  const webhook = await em.findOne(Webhook, dbId('Webhook', globalId));
  if (!webhook) throw notFound('Webhook', JSON.stringify(globalId));
  return webhook;
}

/** ADMIN only, every method: webhooks see every event of the hub. */
export const webhookService = {
  /** Every webhook, oldest first. */
  list(ctx: ServiceContext): ListQuery<Webhook> {
    authorize(ctx, 'webhooks', []);
    return webhookRepository.webhooks();
  },

  /** A new webhook and its signing secret (shown once). */
  async create(ctx: ServiceContext, input: CreateWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    authorize(ctx, 'createWebhook', []);
    const types = eventTypes(input.eventTypes);
    const modelId = input.modelId ? dbId('Model', input.modelId) : null;
    const url = await checkWebhookUrl(input.url, ctx.allowPrivateTargets ?? false);
    const secret = randomBytes(32).toString('hex');
    const webhook = await ctx.em.transactional(async (em) => {
      if (modelId !== null && !(await em.count(Model, modelId))) throw notFound('Model', JSON.stringify(input.modelId));
      if ((await em.count(Webhook, {})) >= MAX_WEBHOOKS) throw conflict(`A hub keeps at most ${MAX_WEBHOOKS} webhooks; delete one first.`);
      return em.create(Webhook, { url, secret, eventTypes: types, model: modelId, createdBy: requireViewer(ctx).id });
    });
    return { webhook, secret };
  },

  /** Changes its URL, its event types or whether it is active; a paused webhook keeps its queue and resumes in order. */
  async update(ctx: ServiceContext, input: UpdateWebhookInput): Promise<Webhook> {
    authorize(ctx, 'updateWebhook', []);
    const types = input.eventTypes == null ? undefined : eventTypes(input.eventTypes);
    const url = input.url == null ? undefined : await checkWebhookUrl(input.url, ctx.allowPrivateTargets ?? false);
    return ctx.em.transactional(async (em) => {
      const webhook = await webhookById(em, input.webhookId);
      if (url !== undefined) webhook.url = url;
      if (types !== undefined) webhook.eventTypes = types;
      if (input.active != null) webhook.active = input.active;
      return webhook;
    });
  },

  /** Deletes it with its delivery log; nothing more is sent to it, not even what was queued. */
  async delete(ctx: ServiceContext, webhookId: string): Promise<void> {
    authorize(ctx, 'deleteWebhook', []);
    const id = dbId('Webhook', webhookId);
    await ctx.em.transactional(async (em) => {
      await em.nativeDelete(WebhookDelivery, { webhook: id });
      if (!(await em.nativeDelete(Webhook, id))) throw notFound('Webhook', JSON.stringify(webhookId));
    });
  },

  /** Queues the delivery's event again, as a new delivery at the end of its webhook's queue. */
  async redeliver(ctx: ServiceContext, deliveryId: string): Promise<WebhookDelivery> {
    authorize(ctx, 'redeliverWebhookDelivery', []);
    const id = dbId('WebhookDelivery', deliveryId, 'Webhook delivery');
    return ctx.em.transactional(async (em) => {
      const delivery = await em.findOne(WebhookDelivery, id, { populate: ['webhook'] });
      if (!delivery) throw notFound('Webhook delivery', JSON.stringify(deliveryId));
      if (!delivery.webhook.getEntity().active) throw conflict('The webhook is paused; make it active to redeliver.');
      return queueDelivery(em, delivery.webhook.id, delivery.event.id);
    });
  },
};
