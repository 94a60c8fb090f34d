import type { EntityManager, Knex } from '@mikro-orm/knex';
import type { Reader } from '../db/reader';
import type { EventScope } from './aggregate';
import type { EventDataMap, LifecycleEventType } from './aggregates';
import type { ServiceContext } from './context';
import type { RecordedEvent } from './event/event.types';
import { ChainWriter } from './event/chain';
import { LifecycleEvent, OutboxEntry, recordedEvent } from './event/lifecycle-event.entity';
import { projections } from './event/projections';
import { nodeTypeOf } from './node-registry';
import { eventsRecorded } from '../metrics';

/** An event to record with a change. */
export interface NewEvent<T extends LifecycleEventType> {
  type: T;
  /** What the event is about: an entity of a node type (its id is read once the change is flushed). */
  subject: object;
  /** Where the event sits in the graph; by default the subject's own scope (`NodeType.scope`). */
  scope?: EventScope;
  summary: string;
  data: EventDataMap[T];
}

/**
 * One write: the changes a service makes and the events that describe them, committed together.
 * Services change entities through `em` and call `record` for each event; `write` then flushes the
 * changes and writes each event with its outbox entry and what the registered projections derive
 * from it, all in the one transaction.
 */
export class UnitOfWork {
  private readonly queued: NewEvent<LifecycleEventType>[] = [];
  private txReader: Reader | undefined;

  constructor(
    readonly ctx: ServiceContext,
    /** The transaction's EntityManager. */
    readonly em: EntityManager,
  ) {}

  /** The read path on the transaction's connection (SQLite has one connection: reading beside it would wait for ever). */
  get reader(): Reader {
    this.txReader ??= this.ctx.reader.withKnex((this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex()) as Knex);
    return this.txReader;
  }

  /** How the acting person is named in summaries. */
  get actor(): string {
    return this.ctx.viewer?.name ?? 'The hub operator';
  }

  /** Queues an event; it is written, in the order recorded, when the write commits. */
  record<T extends LifecycleEventType>(event: NewEvent<T>): void {
    this.queued.push(event as unknown as NewEvent<LifecycleEventType>);
  }

  /**
   * Flushes the changes, then writes the queued events, chained to the trail (see `ChainWriter`),
   * with their outbox entries and projections.
   */
  async commit(): Promise<RecordedEvent[]> {
    await this.em.flush();
    const recorded: RecordedEvent[] = [];
    if (!this.queued.length) return recorded;
    const chain = await ChainWriter.open(this.em);
    for (const input of this.queued.splice(0)) {
      const node = nodeTypeOf(input.subject);
      const subjectId = (input.subject as { id: number }).id;
      const scope = input.scope ?? (await node.scope(this.em, subjectId));
      const event = this.em.create(LifecycleEvent, {
        type: input.type,
        actor: this.ctx.viewer?.id ?? null,
        origin: this.ctx.origin,
        subjectType: node.name,
        subjectId,
        goalId: scope.goalId ?? null,
        modelId: scope.modelId ?? null,
        modelVersionId: scope.modelVersionId ?? null,
        // One line, whatever people typed into the text it quotes: chat messages and logs rely on it.
        summary: input.summary.replace(/\s+/g, ' ').trim(),
        data: input.data as Record<string, unknown>,
      });
      chain.link(event);
      this.em.create(OutboxEntry, { event });
      await this.em.flush();
      chain.advance(event);
      const message = recordedEvent(event);
      for (const projection of projections()) await projection.project(this.em, message);
      recorded.push(message);
    }
    await this.em.flush();
    return recorded;
  }
}

/** The entity managers of transactions that recorded events (see `recordedEvents`). */
const withEvents = new WeakSet<object>();

/**
 * Whether the transaction of this entity manager (the one MikroORM's transaction hooks name)
 * recorded lifecycle events, and so left entries in the outbox.
 */
export function recordedEvents(em: object): boolean {
  return withEvents.has(em);
}

/**
 * Runs `work` in a transaction as one unit of work: its changes and their events commit together,
 * or, when it throws, nothing does.
 */
export async function write<R>(ctx: ServiceContext, work: (uow: UnitOfWork) => Promise<R>): Promise<R> {
  let recorded: RecordedEvent[] = [];
  const result = await ctx.em.transactional(async (em) => {
    const uow = new UnitOfWork(ctx, em);
    const value = await work(uow);
    recorded = await uow.commit();
    if (recorded.length) {
      withEvents.add(em);
      // Inside a caller's transaction only its commit is a commit: that one has them too.
      if (ctx.em.isInTransaction()) withEvents.add(ctx.em);
    }
    return value;
  });
  for (const event of recorded) eventsRecorded.inc({ type: event.type });
  return result;
}
