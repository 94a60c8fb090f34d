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
  /** The read waiting for a message (its queue is empty), answered directly by `publish`, `return` or `close`. */
  waiting: ((step: IteratorResult<EventMessage>) => void) | undefined;
}

const DONE: IteratorResult<EventMessage> = Object.freeze({ done: true, value: undefined });

/**
 * The default bus: one process, no network. Each subscriber has a bounded queue: publishing never
 * waits for and never throws because of a slow subscriber; one that falls a whole buffer behind is
 * dropped (its next read throws), so memory stays bounded whatever a client does. A subscriber
 * that waits is handed the message directly: one promise per delivery, which counts when one
 * event goes to thousands of subscribers.
 */
export function createInProcessBus({ subscriberBuffer = DEFAULT_SUBSCRIBER_BUFFER }: InProcessBusOptions = {}): EventBus {
  const subscribers = new Set<Subscriber>();
  let closed = false;
  const answer = (sub: Subscriber, step: IteratorResult<EventMessage>) => {
    const { waiting } = sub;
    sub.waiting = undefined;
    waiting?.(step);
  };
  return {
    async publish(message) {
      if (closed) return;
      for (const sub of subscribers) {
        if (sub.waiting) {
          answer(sub, { done: false, value: message });
        } else if (sub.queue.length >= subscriberBuffer) {
          sub.overflowed = true;
          sub.queue = [];
          subscribers.delete(sub);
        } else {
          sub.queue.push(message);
        }
      }
    },
    subscribe() {
      const sub: Subscriber = { queue: [], overflowed: false, waiting: undefined };
      let done = closed;
      if (!done) subscribers.add(sub);
      const finish = (): Promise<IteratorResult<EventMessage>> => {
        done = true;
        subscribers.delete(sub);
        sub.queue = [];
        answer(sub, DONE);
        return Promise.resolve(DONE);
      };
      const iterator: AsyncIterableIterator<EventMessage> = {
        next() {
          if (done) return Promise.resolve(DONE);
          const message = sub.queue.shift();
          if (message) return Promise.resolve({ done: false, value: message });
          if (sub.overflowed) {
            done = true;
            return Promise.reject(new SubscriberOverflowError(subscriberBuffer));
          }
          if (closed) return finish();
          return new Promise((resolve) => (sub.waiting = resolve));
        },
        return: finish,
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },
    async close() {
      closed = true;
      for (const sub of subscribers) answer(sub, DONE);
    },
  };
}
