import { EventCountDocument, type EventFilter } from '../../src/generated/operations';
import { ok } from './client';
import type { TestHub } from './hub';

/** How many lifecycle events the audit trail holds (those matching `filter`): every change writes one. */
export async function eventCount(hub: TestHub, filter?: EventFilter): Promise<number> {
  return ok(await hub.as('admin', EventCountDocument, { filter })).events.totalCount;
}
