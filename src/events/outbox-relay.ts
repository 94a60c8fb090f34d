import type { Database } from '../db/orm';
import { Reader, type Row } from '../db/reader';
import { LifecycleEvent, OutboxEntry } from '../domain/event/lifecycle-event.entity';
import { log } from '../logger';
import type { EventBus, EventMessage } from './bus';

export interface RelayOptions {
  /** How often to look for events committed elsewhere or left by a crash (default 500 ms). */
  pollMs?: number;
  /** Events published per transaction (default 200). */
  batchSize?: number;
}

/** A decoded `lifecycle_events` row: the message's fields, with the key and a Date. */
type EventRow = Row & Omit<EventMessage, 'id' | 'occurredAt'> & { createdAt: Date };

/** A decoded event row as a bus message. */
export function toMessage(row: EventRow): EventMessage {
  return {
    id: row.dbId, type: row.type, actorId: row.actorId, origin: row.origin, subjectType: row.subjectType, subjectId: row.subjectId,
    goalId: row.goalId, modelId: row.modelId, modelVersionId: row.modelVersionId, summary: row.summary, data: row.data,
    occurredAt: row.createdAt.toISOString(),
  };
}

/** Where a Redis bus replays from after a reconnect: committed events after an id, oldest first. */
export async function eventReplay(db: Database): Promise<{ replay: (afterId: number) => Promise<EventMessage[]>; lastEventId: number }> {
  const reader = new Reader(db.knex, db.dialect, db.orm.getMetadata());
  const table = reader.table(LifecycleEvent);
  const [{ max }] = await db.knex(table).max({ max: 'id' });
  return {
    lastEventId: Number(max ?? 0),
    async replay(afterId) {
      const raws = await db.knex(table).select('*').where('id', '>', afterId).orderBy('id').limit(10_000);
      return (reader.decode(LifecycleEvent, raws, {}) as unknown as EventRow[]).map(toMessage);
    },
  };
}

/**
 * The transactional outbox's relay: publishes committed events to the bus, oldest first, and
 * deletes their outbox entries in the same transaction. An event is thus published at least once
 * after its commit, even if the process that committed it died first; subscribers drop the rare
 * repeat by event id. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets the relays of several
 * instances share the outbox without publishing an event twice.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly pollMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    private readonly reader: Reader,
    private readonly bus: EventBus,
    options: RelayOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.batchSize = options.batchSize ?? 200;
  }

  /** Starts polling, and publishing right after every commit of this process. */
  start(): void {
    this.db.orm.em.getEventManager().registerSubscriber({ afterTransactionCommit: () => this.kick() });
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Publishes what is pending now; concurrent kicks coalesce into one more pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: Error) => log.warn(`outbox relay: ${err.message}; retrying in ${this.pollMs} ms`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Publishes everything committed so far (used by graceful shutdown and tests). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.drain();
  }

  /** Stops polling; a pass under way finishes on its own. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.publishBatch()) === this.batchSize);
  }

  private async publishBatch(): Promise<number> {
    const outbox = this.reader.table(OutboxEntry);
    const events = this.reader.table(LifecycleEvent);
    const lock = this.db.dialect === 'postgresql' ? ' for update of o skip locked' : '';
    // Look before opening a transaction: committing one would kick the relay again, forever.
    if (!(await this.db.knex(outbox).select('id').first())) return 0;
    return this.db.fork().transactional(async (em) => {
      const raws = await em.execute<Record<string, unknown>[]>(
        `select o.id as outbox_id, e.* from "${outbox}" o join "${events}" e on e.id = o.event_id order by o.id limit ${this.batchSize}${lock}`,
      );
      if (!raws.length) return 0;
      const rows = this.reader.decode(LifecycleEvent, raws, {}) as unknown as EventRow[];
      for (const row of rows) await this.bus.publish(toMessage(row));
      const ids = raws.map((r) => Number(r.outbox_id));
      await em.execute(`delete from "${outbox}" where id in (${ids.map(() => '?').join(', ')})`, ids);
      return raws.length;
    });
  }
}
