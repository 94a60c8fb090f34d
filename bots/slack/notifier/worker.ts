import type { webApi } from '@slack/bolt';
import { DEFAULTS } from '../../../src/config';
import { promotionRepository } from '../../../src/domain/promotion/promotion.repository';
import { DeliveryKind } from '../../../src/domain/slack/slack.entities';
import { startsConversation } from '../../../src/domain/slack/slack.projection';
import { slackRepository, type Delivery, type DeliveryOutcome } from '../../../src/domain/slack/slack.repository';
import { log } from '../../../src/logger';
import { deliveries } from '../../../src/metrics';
import { guarded, recordFault } from '../../../src/faults';
import { reading, type BotDeps } from '../context';
import { eventMessage, requestMessage, type Message } from './render';

export interface NotifierOptions {
  /** How often to look for messages to send (default 250 ms). */
  pollMs?: number;
  /** At most one message per this many ms per channel (default `SLACK_MIN_INTERVAL_MS`'s: Slack's own pace). */
  minIntervalMs?: number;
  /** A claimed message not marked sent after this long is tried again (default 30 s). */
  leaseMs?: number;
  /** Sent and failed messages are deleted this long after they were written (default `SLACK_DELIVERY_RETENTION_DAYS`'s, 7 days). */
  retentionMs?: number;
}

/** How often the notifier deletes messages past their retention. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

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
  private readonly retentionMs: number;
  private nextPruneAt = 0;
  /** When each channel may get its next message. */
  private readonly readyAt = new Map<string, number>();
  /** The send under way per channel: a slow channel never holds up the others. */
  private readonly sending = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: Pick<BotDeps, 'domain'>,
    private readonly client: webApi.WebClient,
    options: NotifierOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.minIntervalMs = options.minIntervalMs ?? DEFAULTS.slackMinIntervalMs;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.retentionMs = options.retentionMs ?? DEFAULTS.slackDeliveryRetentionDays * 24 * 60 * 60 * 1000;
  }

  /** Deletes the messages sent or given up on more than the retention period before `now`; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const pruned = await slackRepository.prune(reading(this.deps), new Date(now - this.retentionMs));
    if (pruned) log.info({ pruned }, 'slack deliveries past their retention deleted');
    return pruned;
  }

  start(): void {
    this.timer = setInterval(
      guarded('slack-notifier', () => this.tick()),
      this.pollMs,
    );
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
      const now = Date.now();
      if (now >= this.nextPruneAt) {
        this.nextPruneAt = now + PRUNE_EVERY_MS;
        await this.prune(now);
      }
      for (const head of await slackRepository.queueHeads(reading(this.deps))) {
        const channel = head.channelId;
        if (this.sending.has(channel) || head.notBefore.getTime() > now || (this.readyAt.get(channel) ?? 0) > now) continue;
        this.sending.set(
          channel,
          this.deliver(head.id)
            .catch((err: Error) => recordFault('slack-notifier', err))
            .finally(() => this.sending.delete(channel)),
        );
      }
    } catch (err) {
      recordFault('slack-notifier', err);
    }
  }

  private async deliver(id: number): Promise<void> {
    const ctx = reading(this.deps);
    const delivery = await slackRepository.claim(ctx, id, this.leaseMs);
    if (!delivery) return;
    let outcome: DeliveryOutcome;
    try {
      outcome = { status: 'sent', startedThread: await this.send(delivery) };
    } catch (err) {
      outcome = this.failed(delivery, err as SlackError);
    }
    this.readyAt.set(delivery.channelId, Math.max(this.readyAt.get(delivery.channelId) ?? 0, Date.now() + this.minIntervalMs));
    await slackRepository.settle(ctx, delivery, outcome);
    deliveries.inc({ channel: 'slack', outcome: outcome.status });
    log.info(
      {
        delivery: {
          id: delivery.id,
          eventId: delivery.event.id,
          kind: delivery.kind,
          channel: delivery.channelId,
          attempt: delivery.attempts,
          outcome: outcome.status,
        },
      },
      `slack delivery ${outcome.status}`,
    );
  }

  private failed(delivery: Delivery, err: SlackError): DeliveryOutcome {
    const error = err.message;
    if (err.code === 'slack_webapi_rate_limited_error') {
      const waitMs = Math.max(1, err.retryAfter ?? 1) * 1000;
      const notBefore = new Date(Date.now() + waitMs);
      this.readyAt.set(delivery.channelId, notBefore.getTime());
      log.info(`slack asked to slow down in ${delivery.channelId}: waiting ${waitMs} ms`);
      return { status: 'retry', notBefore, error };
    }
    if (err.code === 'slack_webapi_platform_error' && !TRANSIENT_ERRORS.has(err.data?.error ?? '')) {
      log.warn(`slack refused a message for ${delivery.channelId} (${err.data?.error ?? err.message}); skipping it`);
      return { status: 'failed', error };
    }
    const waitMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(delivery.attempts, 10));
    log.warn(`slack unavailable for ${delivery.channelId} (${err.message}); retry ${delivery.attempts} in ${waitMs} ms`);
    return { status: 'retry', notBefore: new Date(Date.now() + waitMs), error };
  }

  /** Sends one message; returns the ts of the thread it started, if it started one. */
  private async send(delivery: Delivery): Promise<string | undefined> {
    const { channelId: channel, event, threadTs } = delivery;
    const request = (id: number) => promotionRepository.details(reading(this.deps).reader, id).then((details) => requestMessage(details!));
    if (delivery.kind === DeliveryKind.REFRESH) {
      if (threadTs) await this.client.chat.update({ channel, ts: threadTs, ...(await request(Number(delivery.threadKey!.split(':')[1]))) });
      return undefined;
    }
    if (startsConversation(event) && delivery.threadKey && !threadTs) {
      const message: Message = event.type === 'PROMOTION_REQUESTED' ? await request(event.subjectId) : eventMessage(event);
      const posted = await this.client.chat.postMessage({ channel, ...message, unfurl_links: false });
      return String(posted.ts);
    }
    await this.client.chat.postMessage({ channel, ...eventMessage(event), ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false });
    return undefined;
  }
}
