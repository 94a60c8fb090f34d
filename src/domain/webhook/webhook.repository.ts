import { NEWEST_FIRST, type ChildList, type ListQuery, type RowOf } from '../../db/reader';
import type { ServiceContext } from '../context';
import { eventRepository } from '../event/event.repository';
import type { RecordedEvent } from '../event/event.types';
import { Webhook, WebhookDelivery, WebhookDeliveryStatus } from './webhook.entities';

/** The next delivery of a webhook's queue. */
export interface QueueHead {
  id: number;
  webhookId: number;
  notBefore: Date;
}

/** A delivery to attempt, with where it goes and what it carries. */
export interface Delivery {
  id: number;
  guid: string;
  webhookId: number;
  url: string;
  secret: string;
  /** This attempt's number, from 1. */
  attempts: number;
  event: RecordedEvent;
}

/** How one attempt ended. */
export type DeliveryOutcome = { responseStatus: number | null; durationMs: number; responseBody: string | null } & (
  | { status: 'delivered' }
  | { status: 'retry'; notBefore: Date; error: string }
  | { status: 'failed'; error: string }
);

/** The longest answer body and error kept per delivery. */
const KEPT_CHARS = 1_000;

export const webhookRepository = {
  /** Every webhook, oldest first. */
  webhooks(): ListQuery<Webhook> {
    return { entity: Webhook, where: {}, order: { props: ['id'], direction: 'asc' } };
  },

  /** The deliveries of each webhook, newest first. */
  deliveriesOfWebhook: {
    name: 'webhook.deliveries',
    entity: WebhookDelivery,
    parentKey: 'webhookId',
    order: NEWEST_FIRST,
  } satisfies ChildList<WebhookDelivery>,

  /** The oldest pending delivery of every active webhook. */
  async queueHeads(ctx: ServiceContext): Promise<QueueHead[]> {
    const { reader } = ctx;
    const active = (await ctx.em.find(Webhook, { active: true }, { fields: ['id'] })).map((w) => w.id);
    if (!active.length) return [];
    const firsts = await reader
      .knex(reader.table(WebhookDelivery))
      .min({ id: 'id' })
      .where('status', WebhookDeliveryStatus.PENDING)
      .whereIn('webhook_id', active)
      .groupBy('webhook_id');
    const rows = await reader.byIds(
      WebhookDelivery,
      firsts.map((f: { id?: unknown }) => Number(f.id)),
    );
    return [...rows.values()].map((r) => ({ id: r.dbId, webhookId: r.webhookId, notBefore: r.notBefore }));
  },

  /**
   * Claims a pending delivery that is due, with a lease: it is tried again (by this instance or
   * another) only once the lease is over, so a crash mid-attempt loses nothing. Null when it is not
   * due, someone else has it, or its webhook is gone or paused.
   */
  async claim(ctx: ServiceContext, id: number, leaseMs: number): Promise<Delivery | null> {
    const now = new Date();
    const claimed = await ctx.em.nativeUpdate(
      WebhookDelivery,
      { id, status: WebhookDeliveryStatus.PENDING, notBefore: { $lte: now } },
      { notBefore: new Date(now.getTime() + leaseMs) },
    );
    if (!claimed) return null;
    const row = (await ctx.reader.byId(WebhookDelivery, id)) as RowOf<WebhookDelivery> | null;
    const webhook = row ? await ctx.reader.byId(Webhook, row.webhookId) : null;
    if (!row || !webhook?.active) return null;
    const event = (await eventRepository.byId(ctx.reader, row.eventId))!;
    return { id, guid: row.guid, webhookId: webhook.dbId, url: webhook.url, secret: webhook.secret, attempts: row.attempts + 1, event };
  },

  /** Records how an attempt ended; nothing when the webhook was deleted meanwhile. */
  async settle(ctx: ServiceContext, delivery: Delivery, outcome: DeliveryOutcome): Promise<void> {
    const now = new Date();
    await ctx.em.nativeUpdate(
      WebhookDelivery,
      { id: delivery.id, status: WebhookDeliveryStatus.PENDING },
      {
        attempts: delivery.attempts,
        responseStatus: outcome.responseStatus,
        durationMs: outcome.durationMs,
        responseBody: outcome.responseBody?.slice(0, KEPT_CHARS) ?? null,
        ...(outcome.status === 'delivered'
          ? { status: WebhookDeliveryStatus.DELIVERED, deliveredAt: now, lastError: null }
          : outcome.status === 'failed'
            ? { status: WebhookDeliveryStatus.FAILED, lastError: outcome.error.slice(0, KEPT_CHARS) }
            : { notBefore: outcome.notBefore, lastError: outcome.error.slice(0, KEPT_CHARS) }),
      },
    );
  },
};
