import { ageSeconds, NEWEST_FIRST, OLDEST_FIRST, type ListQuery, type Reader, type RowOf } from '../../db/reader';
import type { ServiceContext } from '../context';
import { eventQueryFilter, type EventFilter } from './event-filter';
import type { RecordedEvent } from './event.types';
import { LifecycleEvent, OutboxEntry } from './lifecycle-event.entity';

/** A decoded event row as subscribers see it. */
function fromRow(row: RowOf<LifecycleEvent>): RecordedEvent {
  return {
    id: row.dbId,
    type: row.type,
    actorId: row.actorId,
    origin: row.origin,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    goalId: row.goalId,
    modelId: row.modelId,
    modelVersionId: row.modelVersionId,
    summary: row.summary,
    data: row.data,
    occurredAt: row.createdAt.toISOString(),
  } as RecordedEvent;
}

/** The audit trail, and the transactional outbox that feeds the live feed. */
export const eventRepository = {
  /** Events matching a filter, newest first. */
  events(filter: EventFilter): ListQuery<LifecycleEvent> {
    return { entity: LifecycleEvent, where: eventQueryFilter(filter), order: NEWEST_FIRST };
  },

  /** One event by id, or null. */
  async byId(reader: Reader, id: number): Promise<RecordedEvent | null> {
    const row = await reader.byId(LifecycleEvent, id);
    return row ? fromRow(row) : null;
  },

  /** The committed events among these ids, oldest first; unknown ids are left out. */
  async byIds(reader: Reader, ids: number[]): Promise<RecordedEvent[]> {
    if (!ids.length) return [];
    const rows = await reader.list(LifecycleEvent, (qb) => void qb.whereIn('id', ids), { props: ['id'], direction: 'asc' }, ids.length);
    return rows.map(fromRow);
  },

  /** The newest event's id (0 when there is none). */
  async lastEventId(reader: Reader): Promise<number> {
    const [{ max }] = await reader.knex(reader.table(LifecycleEvent)).max({ max: 'id' });
    return Number(max ?? 0);
  },

  /** Committed events after an id, oldest first, at most `limit`. */
  async eventsAfter(reader: Reader, afterId: number, limit: number): Promise<RecordedEvent[]> {
    const rows = await reader.list(LifecycleEvent, (qb) => void qb.where('id', '>', afterId), { props: ['id'], direction: 'asc' }, limit);
    return rows.map(fromRow);
  },

  /** Whether any event waits in the outbox (a cheap look before opening a transaction). */
  async outboxHasEntries(reader: Reader): Promise<boolean> {
    return Boolean(await reader.knex(reader.table(OutboxEntry)).select('id').first());
  },

  /** How many events wait in the outbox and how old the oldest is (for metrics). */
  async outboxStats(reader: Reader): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const [depth, oldest] = await Promise.all([reader.count(OutboxEntry, {}), reader.first(OutboxEntry, {}, OLDEST_FIRST)]);
    return { depth, oldestAgeSeconds: ageSeconds(oldest?.createdAt) };
  },

  /**
   * Hands the oldest outbox entries' events to `publish`, then deletes the entries, in one
   * transaction: an event is published at least once after its commit. On PostgreSQL `FOR UPDATE
   * SKIP LOCKED` lets several instances share the outbox without publishing an event twice.
   * Returns how many were published.
   */
  async publishOutbox(ctx: ServiceContext, batchSize: number, publish: (event: RecordedEvent) => Promise<void>): Promise<number> {
    const { reader } = ctx;
    const outbox = reader.table(OutboxEntry);
    const events = reader.table(LifecycleEvent);
    const lock = reader.dialect === 'postgresql' ? ' for update of o skip locked' : '';
    return ctx.em.transactional(async (em) => {
      const raws = await em.execute<Record<string, unknown>[]>(
        `select o.id as outbox_id, e.* from "${outbox}" o join "${events}" e on e.id = o.event_id order by o.id limit ${Number(batchSize)}${lock}`,
      );
      if (!raws.length) return 0;
      for (const row of reader.decode(LifecycleEvent, raws)) await publish(fromRow(row));
      const ids = raws.map((r) => Number(r.outbox_id));
      await em.execute(`delete from "${outbox}" where id in (${ids.map(() => '?').join(', ')})`, ids);
      return raws.length;
    });
  },
};
