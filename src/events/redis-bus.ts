import Redis from 'ioredis';
import { DEFAULTS } from '../config';
import { recordFault } from '../faults';
import { log } from '../logger';
import { createInProcessBus, type EventBus, type EventMessage } from './bus';

/**
 * Where a Redis bus reads events from. Redis carries only event ids, as wake-up signals: whoever can
 * publish on the channel can make an instance look an id up, never make it deliver an event that
 * was not committed to the database.
 */
export interface EventSource {
  /** The committed events among these ids, oldest first; unknown ids are left out. */
  byIds(ids: number[]): Promise<EventMessage[]>;
  /**
   * Committed events after an event id, oldest first. Redis pub/sub keeps nothing for a subscriber
   * that is reconnecting; after a reconnect the bus replays from the database what it may have
   * missed (subscribers drop repeats by id).
   */
  after(afterId: number): Promise<EventMessage[]>;
}

export interface RedisBusOptions {
  /** Where the events behind the ids on the channel are read. */
  events: EventSource;
  channel?: string;
  /** The newest event id when the bus starts: where a replay begins if nothing arrived yet. */
  lastEventId?: number;
  /** Messages one subscriber may have waiting (default `DEFAULT_SUBSCRIBER_BUFFER`). */
  subscriberBuffer?: number;
}

/** Ids waiting to be looked up at most; past it, a flood of messages is dropped (and counted). */
const MAX_PENDING_IDS = 10_000;
/** Ids looked up in one query at most. */
const LOOKUP_BATCH = 500;

/** The largest event id (the id column is a 32-bit integer on PostgreSQL). */
const MAX_EVENT_ID = 2_147_483_647;

/**
 * An event id as it travels on the channel: a positive decimal integer in the id column's range,
 * nothing else (an id out of range would fail the lookup of the real ids batched with it).
 */
function parseId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id <= MAX_EVENT_ID ? id : undefined;
}

/**
 * A bus shared by every hub instance of one deployment through one Redis channel: publishing sends
 * the event's id to Redis; one subscription per process receives the ids, reads those events from
 * the database and fans them out in process. An id that names no committed event is dropped.
 */
export async function createRedisBus(
  url: string,
  { events, channel = DEFAULTS.redisChannel, lastEventId = 0, subscriberBuffer }: RedisBusOptions,
): Promise<EventBus> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const local = createInProcessBus({ subscriberBuffer });
  for (const [name, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (err: Error) => log.warn(`redis ${name}: ${err.message}`));
  }
  let lastId = lastEventId;
  /** While a replay runs, live events wait here, so that subscribers still get events in id order. */
  let held: EventMessage[] | null = null;
  const deliver = (message: EventMessage) => {
    if (held) {
      held.push(message);
      return;
    }
    lastId = Math.max(lastId, message.id);
    void local.publish(message);
  };

  /** Ids heard on the channel, in arrival order, not yet looked up. */
  let pending = new Set<number>();
  // biome-ignore lint/correctness/noUnusedVariables: read by `??=` below, one lookup at a time
  let lookingUp: Promise<void> | undefined;
  const lookUp = async () => {
    while (pending.size) {
      const ids = [...pending].slice(0, LOOKUP_BATCH);
      for (const id of ids) pending.delete(id);
      const found = new Map((await events.byIds(ids)).map((e) => [e.id, e]));
      if (found.size < ids.length) recordFault('redis-bus: dropped ids of no committed event', new Error(`${ids.length - found.size} unknown id(s)`));
      // Arrival order is publish order: keep it.
      for (const id of ids) {
        const event = found.get(id);
        if (event) deliver(event);
      }
    }
  };
  const wake = () => {
    lookingUp ??= lookUp()
      .catch((err: unknown) => recordFault('redis-bus: event lookup', err))
      .finally(() => {
        lookingUp = undefined;
        if (pending.size) wake();
      });
  };
  subscriber.on('message', (_channel: string, raw: string) => {
    const id = parseId(raw);
    if (id === undefined) {
      recordFault('redis-bus: dropped a malformed message', new Error(`not an event id: ${raw.slice(0, 40)}`));
      return;
    }
    if (pending.size >= MAX_PENDING_IDS) {
      recordFault('redis-bus: dropped an id, too many waiting', new Error(`${MAX_PENDING_IDS} ids waiting`));
      return;
    }
    pending.add(id);
    wake();
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);
  let connected = true;
  subscriber.on('close', () => {
    connected = false;
  });
  // ioredis re-subscribes by itself after a reconnect; what was published meanwhile is replayed.
  subscriber.on('ready', () => {
    if (connected) return;
    connected = true;
    held = [];
    events
      .after(lastId)
      .then((missed) => {
        if (missed.length) log.info(`redis: replayed ${missed.length} event(s) published while reconnecting`);
        return missed;
      })
      .catch((err: Error) => {
        log.warn(`redis: could not replay missed events (${err.message})`);
        return [];
      })
      .then((missed) => {
        const live = held ?? [];
        held = null;
        const byId = new Map([...missed, ...live].map((m) => [m.id, m]));
        [...byId.values()].sort((a, b) => a.id - b.id).forEach(deliver);
      })
      .catch((err: unknown) => recordFault('redis-bus replay', err));
  });
  return {
    async publish(message) {
      await publisher.publish(channel, String(message.id));
    },
    subscribe: () => local.subscribe(),
    async close() {
      pending = new Set();
      await local.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
