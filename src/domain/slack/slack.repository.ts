import { ageSeconds, OLDEST_FIRST, type Reader, type RowOf } from '../../db/reader';
import type { ServiceContext } from '../context';
import type { RecordedEvent } from '../event/event.types';
import { eventRepository } from '../event/event.repository';
import { DeliveryKind, DeliveryStatus, SlackDelivery, SlackThread } from './slack.entities';

/** The next message of a channel's queue. */
export interface QueueHead {
  id: number;
  channelId: string;
  notBefore: Date;
}

/** A message to send, with the event it is about and the thread it belongs in (if posted already). */
export interface Delivery {
  id: number;
  channelId: string;
  kind: DeliveryKind;
  attempts: number;
  /** The conversation it belongs to (`PromotionRequest:12`), if any. */
  threadKey: string | null;
  /** The ts of that conversation's first message in this channel, once posted. */
  threadTs: string | null;
  event: RecordedEvent;
}

/** How one attempt ended. */
export type DeliveryOutcome =
  | { status: 'sent' /** The message started its conversation's thread here. */; startedThread?: string }
  | { status: 'retry'; notBefore: Date; error: string }
  | { status: 'failed'; error: string };

/** The Slack outbox, as its sender sees it. */
export const slackRepository = {
  /** The oldest pending message of every channel. */
  async queueHeads(ctx: ServiceContext): Promise<QueueHead[]> {
    const { reader } = ctx;
    const firsts = await reader.knex(reader.table(SlackDelivery)).min({ id: 'id' }).where('status', DeliveryStatus.PENDING).groupBy('channel_id');
    const rows = await reader.byIds(
      SlackDelivery,
      firsts.map((f: { id?: unknown }) => Number(f.id)),
    );
    return [...rows.values()].map((r) => ({ id: r.dbId, channelId: r.channelId, notBefore: r.notBefore }));
  },

  /** Deletes messages sent or given up on that were written before `before`; returns how many. */
  async prune(ctx: ServiceContext, before: Date): Promise<number> {
    return ctx.em.nativeDelete(SlackDelivery, { status: { $in: [DeliveryStatus.SENT, DeliveryStatus.FAILED] }, createdAt: { $lt: before } });
  },

  /** How many messages wait to be sent and how old the oldest is (for metrics). */
  async queueStats(reader: Reader): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const pending = { status: DeliveryStatus.PENDING };
    const [count, oldest] = await Promise.all([reader.count(SlackDelivery, pending), reader.first(SlackDelivery, pending, OLDEST_FIRST)]);
    return { pending: count, oldestAgeSeconds: ageSeconds(oldest?.createdAt) };
  },

  /**
   * Claims a pending message that is due, with a lease: another instance (or this one after a
   * crash) tries it again only once the lease is over. Returns the message and the attempt's
   * number, or null when it is not due or someone else has it.
   */
  async claim(ctx: ServiceContext, id: number, leaseMs: number): Promise<Delivery | null> {
    const now = new Date();
    const claimed = await ctx.em.nativeUpdate(
      SlackDelivery,
      { id, status: DeliveryStatus.PENDING, notBefore: { $lte: now } },
      { notBefore: new Date(now.getTime() + leaseMs) },
    );
    if (!claimed) return null;
    const row = (await ctx.reader.byId(SlackDelivery, id)) as RowOf<SlackDelivery>;
    const event = (await eventRepository.byId(ctx.reader, row.eventId))!;
    const thread = row.threadKey
      ? await ctx.reader.first(SlackThread, { channelId: row.channelId, threadKey: row.threadKey }, { props: ['id'], direction: 'asc' })
      : null;
    return {
      id,
      channelId: row.channelId,
      kind: row.kind,
      attempts: row.attempts + 1,
      threadKey: row.threadKey,
      threadTs: thread?.ts ?? null,
      event,
    };
  },

  /** Records how an attempt ended (and the thread it started), in one transaction. */
  async settle(ctx: ServiceContext, delivery: Delivery, outcome: DeliveryOutcome): Promise<void> {
    await ctx.em.transactional(async (em) => {
      const row = await em.findOneOrFail(SlackDelivery, delivery.id);
      row.attempts = delivery.attempts;
      if (outcome.status === 'sent') {
        row.status = DeliveryStatus.SENT;
        row.sentAt = new Date();
        row.lastError = null;
        if (outcome.startedThread && delivery.threadKey) {
          em.create(SlackThread, { channelId: delivery.channelId, threadKey: delivery.threadKey, ts: outcome.startedThread });
        }
      } else {
        row.lastError = outcome.error.slice(0, 1000);
        if (outcome.status === 'failed') row.status = DeliveryStatus.FAILED;
        else row.notBefore = outcome.notBefore;
      }
    });
  },
};
