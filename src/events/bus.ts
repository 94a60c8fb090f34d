import { setMaxListeners } from 'node:events';
import { createPubSub } from '@graphql-yoga/subscription';
import type { RecordedEvent } from '../domain/event/event.types';

/** A committed lifecycle event as it travels through pub/sub: plain JSON, dates as ISO strings. */
export type EventMessage = RecordedEvent;

/**
 * The pub/sub port: the outbox relay publishes committed events, every subscriber of every hub
 * instance that shares the bus receives them in publish order.
 */
export interface EventBus {
  publish(message: EventMessage): Promise<void>;
  /** Every message published from now on, until the iterator is returned. */
  subscribe(): AsyncIterableIterator<EventMessage>;
  close(): Promise<void>;
}

const TOPIC = 'lifecycle-events';

/** The default bus: one process, no network. */
export function createInProcessBus(): EventBus {
  // One listener per subscriber: thousands are normal here, not a leak.
  const target = new EventTarget();
  setMaxListeners(0, target);
  const pubsub = createPubSub<{ [TOPIC]: [EventMessage] }>({ eventTarget: target as never });
  let closed = false;
  return {
    async publish(message) {
      if (!closed) pubsub.publish(TOPIC, message);
    },
    subscribe() {
      if (closed) return (async function* nothing() {})();
      return pubsub.subscribe(TOPIC) as AsyncIterableIterator<EventMessage>;
    },
    async close() {
      closed = true;
    },
  };
}
