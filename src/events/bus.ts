import type { RecordedEvent } from '../domain/event/event.types';

/** A committed lifecycle event as it travels through pub/sub: plain JSON, dates as ISO strings. */
export type EventMessage = RecordedEvent;

/**
 * The pub/sub port: the outbox relay publishes committed events, every subscriber of every hub
 * instance that shares the bus receives them in publish order.
 */
export interface EventBus {
  publish(message: EventMessage): Promise<void>;
  /**
   * Every message published from now on, until the iterator is returned. A subscriber that falls
   * more than the bus's buffer behind gets `SubscriberOverflowError` from its next read.
   */
  subscribe(): AsyncIterableIterator<EventMessage>;
  close(): Promise<void>;
}

/** `SUBSCRIBER_BUFFER`'s default: messages one subscriber may have waiting before it is dropped. */
export const DEFAULT_SUBSCRIBER_BUFFER = 1000;

/** A subscriber read too slowly: its buffer filled and it was dropped. */
export class SubscriberOverflowError extends Error {
  constructor(readonly buffer: number) {
    super(`the subscriber fell more than ${buffer} events behind and was dropped`);
  }
}

export interface InProcessBusOptions {
  /** Messages one subscriber may have waiting (default `DEFAULT_SUBSCRIBER_BUFFER`). */
  subscriberBuffer?: number;
}

interface Subscriber {
  queue: EventMessage[];
  overflowed: boolean;
  wake: (() => void) | undefined;
}

/**
 * The default bus: one process, no network. Each subscriber has a bounded queue: publishing never
 * waits for and never throws because of a slow subscriber; one that falls a whole buffer behind is
 * dropped (its next read throws), so memory stays bounded whatever a client does.
 */
export function createInProcessBus({ subscriberBuffer = DEFAULT_SUBSCRIBER_BUFFER }: InProcessBusOptions = {}): EventBus {
  const subscribers = new Set<Subscriber>();
  let closed = false;
  return {
    async publish(message) {
      if (closed) return;
      for (const sub of subscribers) {
        if (sub.queue.length >= subscriberBuffer) {
          sub.overflowed = true;
          sub.queue = [];
          subscribers.delete(sub);
        } else {
          sub.queue.push(message);
        }
        sub.wake?.();
      }
    },
    subscribe() {
      const sub: Subscriber = { queue: [], overflowed: false, wake: undefined };
      let done = closed;
      if (!done) subscribers.add(sub);
      const finish = async (): Promise<IteratorResult<EventMessage>> => {
        done = true;
        subscribers.delete(sub);
        sub.queue = [];
        sub.wake?.();
        return { done: true, value: undefined };
      };
      const iterator: AsyncIterableIterator<EventMessage> = {
        async next() {
          for (;;) {
            if (done) return { done: true, value: undefined };
            const message = sub.queue.shift();
            if (message) return { done: false, value: message };
            if (sub.overflowed) {
              done = true;
              throw new SubscriberOverflowError(subscriberBuffer);
            }
            if (closed) return finish();
            await new Promise<void>((resolve) => (sub.wake = resolve));
            sub.wake = undefined;
          }
        },
        return: finish,
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },
    async close() {
      closed = true;
      for (const sub of subscribers) sub.wake?.();
    },
  };
}
