import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { DEFAULTS } from '../config';
import type { Domain } from '../domain/domain';
import { webhookBody } from '../domain/webhook/webhook.projection';
import { webhookRepository, type Delivery, type DeliveryOutcome } from '../domain/webhook/webhook.repository';
import { guardedLookup, resolveTarget, TargetRefused } from '../domain/webhook/webhook.target';
import { log } from '../logger';

export interface WebhookSettings {
  /** Private, loopback and link-local targets allowed (`WEBHOOK_ALLOW_PRIVATE`, default false). */
  allowPrivate?: boolean;
  /** How long one attempt may take, connection to last byte (`WEBHOOK_TIMEOUT_MS`, default 10 s). */
  timeoutMs?: number;
  /** Attempts before a delivery is FAILED (`WEBHOOK_MAX_ATTEMPTS`, default 15). */
  maxAttempts?: number;
  /** The first retry's wait, doubled at each attempt up to an hour (default 1 s). */
  minBackoffMs?: number;
  /** How often to look for deliveries to send (default 250 ms). */
  pollMs?: number;
  /** A claimed delivery not settled after this long (the process died) is tried again (default: the timeout plus 30 s). */
  leaseMs?: number;
}

const MAX_BACKOFF_MS = 3_600_000;
/** The most of an answer read (and, cut to 1,000 characters, kept): a receiver cannot fill the database or the memory. */
const MAX_READ_BYTES = 4_096;

/** `sha256=<hex>`: HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface Answer {
  status: number;
  body: string;
  retryAfter: string | undefined;
}

/** Seconds or an HTTP date, as milliseconds from now (null when absent or unreadable). */
function retryAfterMs(value: string | undefined): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * Sends the webhook outbox: per webhook in id order, one delivery at a time, each a signed POST.
 * Network errors, timeouts, 408, 429 (honouring Retry-After) and 5xx back off and retry; any
 * other answer but 2xx, or a target that resolves to a refused address, fails the delivery and
 * lets the next one go. Every attempt re-resolves the host and connects to the address it checked.
 */
export class WebhookSender {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly settings: Required<WebhookSettings>;
  /** The attempt under way per webhook. */
  private readonly sending = new Map<number, Promise<void>>();
  /** Aborted at stop: attempts under way end at once and are retried by the next start. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly domain: Domain,
    settings: WebhookSettings = {},
  ) {
    const timeoutMs = settings.timeoutMs ?? DEFAULTS.webhookTimeoutMs;
    this.settings = {
      allowPrivate: settings.allowPrivate ?? false,
      timeoutMs,
      maxAttempts: settings.maxAttempts ?? DEFAULTS.webhookMaxAttempts,
      minBackoffMs: settings.minBackoffMs ?? 1_000,
      pollMs: settings.pollMs ?? 250,
      leaseMs: settings.leaseMs ?? timeoutMs + 30_000,
    };
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.settings.pollMs);
    this.timer.unref();
  }

  /** Stops polling, ends the attempts under way (they count as failed attempts, due again at once) and waits for them. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.ticking;
    await Promise.all(this.sending.values());
  }

  /** One pass: the oldest pending delivery of every active webhook that is due. */
  tick(): Promise<void> {
    this.ticking ??= this.pass().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async pass(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    try {
      const now = Date.now();
      for (const head of await webhookRepository.queueHeads(this.domain.as(null))) {
        if (this.sending.has(head.webhookId) || head.notBefore.getTime() > now) continue;
        this.sending.set(
          head.webhookId,
          this.deliver(head.id)
            .catch((err: Error) => log.warn(`webhook sender: ${err.message}`))
            .finally(() => this.sending.delete(head.webhookId)),
        );
      }
    } catch (err) {
      log.warn(`webhook sender: ${(err as Error).message}`);
    }
  }

  private async deliver(id: number): Promise<void> {
    const ctx = this.domain.as(null);
    const delivery = await webhookRepository.claim(ctx, id, this.settings.leaseMs);
    if (!delivery) return;
    const started = Date.now();
    let outcome: DeliveryOutcome;
    try {
      const answer = await this.post(delivery);
      outcome = this.judge(delivery, answer, Date.now() - started);
    } catch (err) {
      const error = (err as Error).message;
      const durationMs = Date.now() - started;
      outcome =
        err instanceof TargetRefused
          ? { status: 'failed', error, responseStatus: null, durationMs, responseBody: null }
          : this.retry(delivery, error, null, durationMs, null, null);
    }
    await webhookRepository.settle(ctx, delivery, outcome);
  }

  private judge(delivery: Delivery, answer: Answer, durationMs: number): DeliveryOutcome {
    const common = { responseStatus: answer.status, durationMs, responseBody: answer.body };
    if (answer.status >= 200 && answer.status < 300) return { status: 'delivered', ...common };
    if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
      return this.retry(delivery, `HTTP ${answer.status}`, answer.status, durationMs, answer.body, retryAfterMs(answer.retryAfter));
    }
    return { status: 'failed', error: `HTTP ${answer.status}`, ...common };
  }

  private retry(
    delivery: Delivery,
    error: string,
    responseStatus: number | null,
    durationMs: number,
    responseBody: string | null,
    waitMs: number | null,
  ): DeliveryOutcome {
    const common = { responseStatus, durationMs, responseBody };
    if (this.stopping.signal.aborted) return { status: 'retry', notBefore: new Date(), error: 'the hub stopped during the attempt', ...common };
    if (delivery.attempts >= this.settings.maxAttempts)
      return { status: 'failed', error: `${error}; gave up after ${delivery.attempts} attempts`, ...common };
    const backoff = Math.min(MAX_BACKOFF_MS, this.settings.minBackoffMs * 2 ** Math.min(delivery.attempts - 1, 30));
    const wait = Math.min(MAX_BACKOFF_MS, Math.max(backoff, waitMs ?? 0));
    log.info(`webhook ${delivery.webhookId}: ${error}; retry ${delivery.attempts} in ${wait} ms`);
    return { status: 'retry', notBefore: new Date(Date.now() + wait), error, ...common };
  }

  /** One signed POST; resolves with the answer (its body cut short), rejects on a network error, a timeout or a refused address. */
  private async post(delivery: Delivery): Promise<Answer> {
    const url = new URL(delivery.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Node connects to an IP literal without a lookup: check it here; names are checked by the lookup itself.
    if (isIP(host)) await resolveTarget(host, this.settings.allowPrivate);
    const body = webhookBody(delivery.event);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.settings.timeoutMs)]);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          signal,
          agent: false,
          lookup: guardedLookup(this.settings.allowPrivate),
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'ModelOps-Hub-Webhooks/1',
            'x-hub-event': delivery.event.type,
            'x-hub-delivery': delivery.guid,
            'x-hub-timestamp': timestamp,
            'x-hub-signature-256': signature(delivery.secret, timestamp, body),
          },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let read = 0;
          const done = () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: res.headers['retry-after'] });
          res.on('data', (chunk: Buffer) => {
            if (read < MAX_READ_BYTES) chunks.push(chunk.subarray(0, MAX_READ_BYTES - read));
            read += chunk.length;
            if (read >= MAX_READ_BYTES) {
              done();
              res.destroy();
            }
          });
          res.on('end', done);
          res.on('error', reject);
        },
      );
      req.on('error', (err: Error) =>
        reject(
          signal.aborted && err.name === 'AbortError'
            ? new Error(this.stopping.signal.aborted ? 'the hub stopped during the attempt' : `no answer within ${this.settings.timeoutMs} ms`)
            : err,
        ),
      );
      req.end(body);
    });
  }
}
