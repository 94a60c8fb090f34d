import Redis from 'ioredis';
import { DEFAULTS } from '../config';
import { recordFault } from '../faults';
import { log } from '../logger';
import { createInProcessBus, type EventBus, type EventMessage } from './bus';

export interface RedisBusOptions {
  channel?: string;
  /**
   * Committed events after an event id, oldest first. Redis pub/sub keeps nothing for a subscriber
   * that is reconnecting; after a reconnect the bus replays from the database what it may have
   * missed (subscribers drop repeats by id).
   */
  replay?: (afterId: number) => Promise<EventMessage[]>;
  /** The newest event id when the bus starts: where a replay begins if nothing arrived yet. */
  lastEventId?: number;
  /** Messages one subscriber may have waiting (default `DEFAULT_SUBSCRIBER_BUFFER`). */
  subscriberBuffer?: number;
}

/**
 * A bus shared by every hub instance of one deployment through one Redis channel: publishing goes
 * to Redis; one subscription per process receives everything and fans it out in process.
 */
export async function createRedisBus(url: string, { channel = DEFAULTS.redisChannel, replay, lastEventId = 0, subscriberBuffer }: RedisBusOptions = {}): Promise<EventBus> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const local = createInProcessBus({ subscriberBuffer });
  for (const [name, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
    client.on('error', (err: Error) => log.warn(`redis ${name}: ${err.message}`));
  }
  let lastId = lastEventId;
  /** While a replay runs, live messages wait here, so that subscribers still get events in id order. */
  let held: EventMessage[] | null = null;
  const deliver = (message: EventMessage) => {
    if (held) {
      held.push(message);
      return;
    }
    lastId = Math.max(lastId, message.id);
    void local.publish(message);
  };
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      deliver(JSON.parse(raw) as EventMessage);
    } catch (err) {
      recordFault('redis-bus: dropped a malformed message', err);
    }
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);
  let connected = true;
  subscriber.on('close', () => {
    connected = false;
  });
  // ioredis re-subscribes by itself after a reconnect; what was published meanwhile is replayed.
  subscriber.on('ready', () => {
    if (connected || !replay) return;
    connected = true;
    held = [];
    replay(lastId)
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
      await publisher.publish(channel, JSON.stringify(message));
    },
    subscribe: () => local.subscribe(),
    async close() {
      await local.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
