import type { Domain } from '../domain/domain';
import { eventRepository } from '../domain/event/event.repository';
import { eventsPublished } from '../metrics';
import { guarded, recordFault } from '../faults';
import type { EventBus } from './bus';
import type { EventSource } from './redis-bus';

export interface RelayOptions {
  /** How often to look for events committed elsewhere or left by a crash (default `OUTBOX_POLL_MS`'s, 500 ms). */
  pollMs: number;
  /** Events published per transaction (default 200). */
  batchSize?: number;
}

/** How many events a replay after a Redis reconnect reads at most. */
const REPLAY_LIMIT = 10_000;

/** Where a Redis bus reads the events it is told about (see `EventSource`) from: the audit trail. */
export function eventSource(domain: () => Domain): EventSource {
  return {
    byIds: (ids) => eventRepository.byIds(domain().reader, ids),
    after: (afterId) => eventRepository.eventsAfter(domain().reader, afterId, REPLAY_LIMIT),
  };
}

/** The newest committed event's id: where a Redis bus's replay begins if nothing arrived yet. */
export function lastEventId(domain: Domain): Promise<number> {
  return eventRepository.lastEventId(domain.reader);
}

/**
 * The transactional outbox's relay: publishes committed events to the bus, oldest first, and
 * deletes their outbox entries in the same transaction. An event is thus published at least once
 * after its commit, even if the process that committed it died first; subscribers drop the rare
 * repeat by event id. Several instances share the outbox (see `eventRepository.publishOutbox`).
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /**
   * The pass to run after the current one, when kicks came meanwhile: `true` when one of them came
   * from a commit that recorded events (no need to look first), `false` when only polls did.
   */
  private next: boolean | undefined;
  private stopped = false;
  private readonly batchSize: number;

  constructor(
    private readonly domain: Domain,
    private readonly bus: EventBus,
    private readonly options: RelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 200;
  }

  /** Starts polling, and publishing right after every commit of this process that recorded events. */
  start(): void {
    this.domain.onEventsCommitted(guarded('outbox-relay', () => this.kick(true)));
    this.timer = setInterval(
      guarded('outbox-relay', () => this.kick()),
      this.options.pollMs,
    );
    this.timer.unref();
    this.kick();
  }

  /**
   * Publishes what is pending now; concurrent kicks coalesce into one more pass. `pending`: the
   * caller knows the outbox has entries (it just committed some), so the pass need not look first.
   */
  kick(pending = false): void {
    if (this.stopped) return;
    if (this.running) {
      this.next = this.next === true || pending;
      return;
    }
    this.running = this.drain(pending)
      .catch((err: Error) => recordFault('outbox-relay', err))
      .finally(() => {
        this.running = undefined;
        const next = this.next;
        this.next = undefined;
        if (next !== undefined) this.kick(next);
      });
  }

  /** Publishes everything committed so far (used by graceful shutdown and tests). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.drain(false);
  }

  /** Stops polling; a pass under way finishes on its own. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Publishes batches until one is not full (after a full one, the next is likely there: no look). */
  private async drain(pending: boolean): Promise<void> {
    let known = pending;
    while (!this.stopped && (await this.publishBatch(known)) === this.batchSize) known = true;
  }

  private async publishBatch(known: boolean): Promise<number> {
    // A poll looks before it opens a transaction: an idle hub then reads one index entry every
    // pollMs instead of beginning and committing a transaction.
    if (!known && !(await eventRepository.outboxHasEntries(this.domain.reader))) return 0;
    const published = await eventRepository.publishOutbox(this.domain.as(null), this.batchSize, (event) => this.bus.publish(event));
    eventsPublished.inc(published);
    return published;
  }
}
