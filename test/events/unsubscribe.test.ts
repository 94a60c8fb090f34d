import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createInProcessBus, type EventBus } from '../../src/events/bus';
import { CreateGoalDocument } from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { startHub, type TestHub } from '../helpers/hub';
import { until } from '../helpers/wait';

/** An in-process bus that counts the subscriptions still reading it. */
function countingBus(): EventBus & { readonly active: number } {
  const inner = createInProcessBus();
  let active = 0;
  return {
    get active() {
      return active;
    },
    publish: (message) => inner.publish(message),
    subscribe() {
      const source = inner.subscribe();
      active += 1;
      let open = true;
      const close = () => {
        if (open) active -= 1;
        open = false;
      };
      return {
        next: () => source.next(),
        return: async (value?: unknown) => {
          close();
          return source.return ? source.return(value) : { done: true, value: undefined };
        },
        throw: async (err?: unknown) => {
          close();
          return source.throw ? source.throw(err) : { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      } as AsyncIterableIterator<never>;
    },
    close: () => inner.close(),
  };
}

let hub: TestHub;
const bus = countingBus();

beforeAll(async () => {
  hub = await startHub('sqlite', { bus });
});
afterAll(async () => {
  await hub?.close();
  await bus.close();
});

it('lets go of the event bus when a subscriber whose filter matches nothing goes away', async () => {
  const quiet = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Quiet', businessQuestion: 'Nothing happens here?' } })).createGoal.goal
    .id;
  const client = createClient({
    url: hub.server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${hub.users.risk.token}` },
    retryAttempts: 0,
  });
  const unsubscribe = client.subscribe(
    { query: 'subscription ($goalId: ID) { lifecycleEvents(filter: { goalId: $goalId }) { id } }', variables: { goalId: quiet } },
    {
      next: () => undefined,
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await until(() => bus.active === 1, 'the subscription to read the bus', 5_000);
  unsubscribe();
  await client.dispose();
  // Events keep flowing through the bus; none matches the gone subscriber's filter.
  for (let i = 0; i < 3; i++) ok(await hub.as('sme', CreateGoalDocument, { input: { title: `Busy ${i}`, businessQuestion: 'Elsewhere?' } }));
  await until(() => bus.active === 0, 'the gone subscriber to release the bus', 5_000);
  expect(bus.active).toBe(0);
});
