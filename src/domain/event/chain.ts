import type { EntityManager } from '@mikro-orm/knex';
import type { Reader, RowOf } from '../../db/reader';
import { canonicalJson, sha256 } from '../canonical';
import { toGlobalId } from '../ids';
import { lockAndRead } from '../lock';
import type { EventEnvelope } from './event.types';
import { ChainHead, LifecycleEvent } from './lifecycle-event.entity';

/** What an event's hash covers: everything it says, its time included, but not its row id. */
type ChainedContent = Omit<EventEnvelope, 'id' | 'occurredAt'> & { type: string; data: unknown; createdAt: Date };

/** sha256 over the canonical JSON of an event's content and the hash before it. */
export function eventHash(event: ChainedContent, prevHash: string | null): string {
  return sha256(
    canonicalJson({
      type: event.type,
      actorId: event.actorId,
      origin: event.origin,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      goalId: event.goalId,
      modelId: event.modelId,
      modelVersionId: event.modelVersionId,
      summary: event.summary,
      data: event.data,
      occurredAt: event.createdAt.toISOString(),
      prevHash,
    }),
  );
}

const HEAD_ID = 1;

/**
 * Appends events to the chain in the caller's transaction. `open` locks the head row, so a second
 * writer waits until this one commits and then links to its last event: one chain, in id order.
 */
export class ChainWriter {
  /** The hash of the chain's last event so far, this transaction's included. */
  private hash: string | null;

  private constructor(private readonly head: ChainHead) {
    this.hash = head.hash ?? null;
  }

  static async open(em: EntityManager): Promise<ChainWriter> {
    // The head's lock and the head as it is now, in one statement.
    const row = await lockAndRead(em, 'event_chain_head', HEAD_ID);
    if (!row) throw new Error('The event chain head is missing.');
    return new ChainWriter(em.map(ChainHead, row));
  }

  /** Sets the event's `prevHash` and `hash` before it is inserted. */
  link(event: LifecycleEvent): void {
    event.prevHash = this.hash;
    event.hash = eventHash(
      {
        ...event,
        actorId: event.actor?.id ?? null,
        goalId: event.goalId ?? null,
        modelId: event.modelId ?? null,
        modelVersionId: event.modelVersionId ?? null,
      },
      event.prevHash,
    );
    this.hash = event.hash;
  }

  /** Moves the head to the inserted event: its hash and id change together, in one update. */
  advance(event: LifecycleEvent): void {
    this.head.hash = event.hash;
    this.head.lastEventId = event.id;
  }
}

/** The answer of `auditVerification` and `hub audit verify`. */
export interface ChainVerification {
  ok: boolean;
  checkedEvents: number;
  /** Global ID of the first event whose content or position no longer matches; null when ok. */
  firstBrokenEventId: string | null;
  reason: string | null;
}

const PAGE = 1000;

/** Whether one stored event still matches its own hash (its content was not changed). */
export function contentIntact(event: RowOf<LifecycleEvent>): boolean {
  return event.hash !== null && eventHash(event, event.prevHash) === event.hash;
}

/**
 * Walks the chain from its first event in id order: each event must link to the hash of the one
 * before it and match its own hash, and the last must be the head's. Names the first that does not.
 */
export async function verifyChain(reader: Reader): Promise<ChainVerification> {
  const head = await reader.byId(ChainHead, HEAD_ID);
  if (!head) return { ok: false, checkedEvents: 0, firstBrokenEventId: null, reason: 'The chain head is missing.' };
  let prev: string | null = null;
  let lastId = head.startsAfterId;
  let checked = 0;
  const broken = (id: number, reason: string): ChainVerification => ({
    ok: false,
    checkedEvents: checked,
    firstBrokenEventId: toGlobalId('LifecycleEvent', id),
    reason,
  });
  for (;;) {
    const after = lastId;
    const page = await reader.list(LifecycleEvent, (qb) => void qb.where('id', '>', after), { props: ['id'], direction: 'asc' }, PAGE);
    for (const event of page) {
      if (event.prevHash !== prev) {
        return broken(event.dbId, `Event ${event.dbId} does not link to the event before it: an event was deleted, inserted or moved before it.`);
      }
      if (!contentIntact(event))
        return broken(event.dbId, `Event ${event.dbId} was changed after it was written: its content no longer matches its hash.`);
      prev = event.hash;
      lastId = event.dbId;
      checked += 1;
    }
    if (page.length < PAGE) break;
  }
  if (lastId !== head.lastEventId || prev !== (head.hash ?? null)) {
    return broken(
      head.lastEventId,
      `The chain ends at event ${lastId} but its head records event ${head.lastEventId}: events at the end were deleted.`,
    );
  }
  return { ok: true, checkedEvents: checked, firstBrokenEventId: null, reason: null };
}
