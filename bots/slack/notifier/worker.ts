import type { EntityManager } from '@mikro-orm/knex';
import type { webApi } from '@slack/bolt';
import type { Database } from '../../../src/db/orm';
import { LifecycleEvent, LifecycleEventType } from '../../../src/domain/event/lifecycle-event.entity';
import { DeliveryKind, DeliveryStatus, SlackDelivery, SlackThread } from '../../../src/domain/notification/slack.entities';
import { log } from '../../../src/logger';
import { eventMessage, requestMessage, type Message } from './render';

export interface NotifierOptions {
  /** How often to look for messages to send (default 250 ms). */
  pollMs?: number;
  /** At most one message per this many ms per channel (default 1000: Slack's own pace). */
  minIntervalMs?: number;
  /** A claimed message not marked sent after this long is tried again (default 30 s). */
  leaseMs?: number;
}

const ROOTS = new Set<string>([LifecycleEventType.PROMOTION_REQUESTED, LifecycleEventType.DRIFT_FLAGGED]);
const MAX_BACKOFF_MS = 60_000;
/** `ok: false` answers that mean "not now" rather than "never": retried like a 5xx. */
const TRANSIENT_ERRORS = new Set(['ratelimited', 'service_unavailable', 'internal_error', 'fatal_error', 'request_timeout', 'team_added_to_org']);

interface SlackError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  message: string;
}

/**
 * Sends the Slack outbox: per channel in id order, one message at a time, no faster than
 * `minIntervalMs`. A 429 holds the channel for its Retry-After; a 5xx or a network error backs off
 * and retries; Slack refusing a message for good (e.g. `channel_not_found`) marks it FAILED.
 */
export class SlackNotifier {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly pollMs: number;
  private readonly minIntervalMs: number;
  private readonly leaseMs: number;
  /** When each channel may get its next message. */
  private readonly readyAt = new Map<string, number>();
  /** The send under way per channel: a slow channel never holds up the others. */
  private readonly sending = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly client: webApi.WebClient,
    options: NotifierOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the pass and the sends under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all(this.sending.values());
  }

  /** One pass: the oldest pending message of every channel that may be sent to now. */
  tick(): Promise<void> {
    this.ticking ??= this.pass().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async pass(): Promise<void> {
    try {
      const firsts: { id: number }[] = await this.db.knex('slack_deliveries').min({ id: 'id' }).where('status', DeliveryStatus.PENDING).groupBy('channel_id');
      if (!firsts.length) return;
      const heads = await this.db.fork().find(SlackDelivery, { id: { $in: firsts.map((f) => Number(f.id)) } });
      const now = Date.now();
      for (const head of heads) {
        const channel = head.channelId;
        if (this.sending.has(channel) || head.notBefore.getTime() > now || (this.readyAt.get(channel) ?? 0) > now) continue;
        this.sending.set(channel, this.deliver(head.id)
          .catch((err: Error) => log.warn(`slack notifier: ${err.message}`))
          .finally(() => this.sending.delete(channel)));
      }
    } catch (err) {
      log.warn(`slack notifier: ${(err as Error).message}`);
    }
  }

  private async deliver(id: number): Promise<void> {
    const em = this.db.fork();
    const now = new Date();
    // Claim with a lease, so that another instance (or this one after a crash) retries it only later.
    const claimed = await em.nativeUpdate(SlackDelivery, { id, status: DeliveryStatus.PENDING, notBefore: { $lte: now } }, { notBefore: new Date(now.getTime() + this.leaseMs) });
    if (!claimed) return;
    const delivery = await em.findOneOrFail(SlackDelivery, id);
    delivery.attempts += 1;
    try {
      await this.send(em, delivery);
      delivery.status = DeliveryStatus.SENT;
      delivery.sentAt = new Date();
      delivery.lastError = null;
    } catch (err) {
      this.failed(delivery, err as SlackError);
    }
    this.readyAt.set(delivery.channelId, Math.max(this.readyAt.get(delivery.channelId) ?? 0, Date.now() + this.minIntervalMs));
    await em.flush();
  }

  private failed(delivery: SlackDelivery, err: SlackError): void {
    delivery.lastError = err.message.slice(0, 1000);
    if (err.code === 'slack_webapi_rate_limited_error') {
      const waitMs = Math.max(1, err.retryAfter ?? 1) * 1000;
      delivery.notBefore = new Date(Date.now() + waitMs);
      this.readyAt.set(delivery.channelId, delivery.notBefore.getTime());
      log.info(`slack asked to slow down in ${delivery.channelId}: waiting ${waitMs} ms`);
    } else if (err.code === 'slack_webapi_platform_error' && !TRANSIENT_ERRORS.has(err.data?.error ?? '')) {
      delivery.status = DeliveryStatus.FAILED;
      log.warn(`slack refused a message for ${delivery.channelId} (${err.data?.error ?? err.message}); skipping it`);
    } else {
      const waitMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(delivery.attempts, 10));
      delivery.notBefore = new Date(Date.now() + waitMs);
      log.warn(`slack unavailable for ${delivery.channelId} (${err.message}); retry ${delivery.attempts} in ${waitMs} ms`);
    }
  }

  private async send(em: EntityManager, delivery: SlackDelivery): Promise<void> {
    const event = await em.findOneOrFail(LifecycleEvent, delivery.event.id);
    const channel = delivery.channelId;
    const thread = delivery.threadKey ? await em.findOne(SlackThread, { channelId: channel, threadKey: delivery.threadKey }) : null;
    if (delivery.kind === DeliveryKind.REFRESH) {
      if (!thread) return;
      const message = await requestMessage(em, Number(delivery.threadKey!.split(':')[1]));
      await this.client.chat.update({ channel, ts: thread.ts, ...message });
      return;
    }
    if (ROOTS.has(event.type) && delivery.threadKey && !thread) {
      const message: Message = event.type === LifecycleEventType.PROMOTION_REQUESTED ? await requestMessage(em, event.subjectId) : eventMessage(event);
      const posted = await this.client.chat.postMessage({ channel, ...message, unfurl_links: false });
      em.create(SlackThread, { channelId: channel, threadKey: delivery.threadKey, ts: String(posted.ts) });
      return;
    }
    await this.client.chat.postMessage({ channel, ...eventMessage(event), ...(thread ? { thread_ts: thread.ts } : {}), unfurl_links: false });
  }
}
