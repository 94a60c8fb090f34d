/**
 * A subscriber that stops reading (a paused socket, a laptop asleep with the dashboard open) while
 * thousands of events arrive: the hub stays up, drops that subscriber once its buffer is full and
 * closes its socket with 4503, and every other subscriber keeps receiving. Events are published
 * straight onto the hub's bus, as the outbox relay would, so that thousands arrive in seconds.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createInProcessBus } from '../../src/events/bus';
import { SLOW_SUBSCRIBER_CLOSE } from '../../src/server/http';
import { busEvent } from '../helpers/events';
import { startHub, type TestHub } from '../helpers/hub';
import { RawSocket } from '../helpers/raw-socket';
import { until, within } from '../helpers/wait';

const BUFFER = 50;
/** Enough bytes to fill the kernel's socket buffers on loopback many times over. */
const EVENTS = 4000;
const SUMMARY = 'x'.repeat(8 * 1024);
const BATCH = 20;

const bus = createInProcessBus({ subscriberBuffer: BUFFER });
let hub: TestHub;

beforeAll(async () => {
  hub = await startHub('sqlite', { bus });
});
afterAll(async () => {
  await hub?.close();
  await bus.close();
});

const message = (id: number, summary = SUMMARY) => busEvent(id, summary);

it('closes a subscriber that stops reading with 4503 while the others keep receiving', async () => {
  const stalled = await RawSocket.open(hub.server.wsUrl);
  await stalled.acked(hub.users.risk.token);
  stalled.send({ id: 's', type: 'subscribe', payload: { query: 'subscription { lifecycleEvents { id summary } }' } });

  let received = 0;
  let probes = 0;
  let wake = () => {};
  const healthy = createClient({
    url: hub.server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${hub.users.sme.token}` },
    retryAttempts: 0,
  });
  const ended = new Promise((resolve) =>
    healthy.subscribe(
      { query: 'subscription { lifecycleEvents { id summary } }' },
      {
        next: (result) => {
          if ((result.data?.lifecycleEvents as { summary: string }).summary !== SUMMARY) {
            probes += 1;
            return;
          }
          received += 1;
          wake();
        },
        error: resolve,
        complete: () => resolve('complete'),
      },
    ),
  );
  // Both subscriptions are live once the first event reaches both.
  let id = 1;
  await until(async () => {
    await bus.publish(message(id++, 'probe'));
    return probes > 0 && stalled.received.some((m) => m.type === 'next');
  }, 'both subscribers to receive an event');
  stalled.ws.pause();

  for (let sent = 0; sent < EVENTS; sent += BATCH) {
    for (let i = 0; i < BATCH; i++) await bus.publish(message(id++));
    const goal = sent + BATCH;
    await within(
      new Promise<void>((resolve) => {
        wake = () => {
          if (received >= goal) resolve();
        };
        wake();
      }),
      10_000,
      () => `the healthy subscriber to keep up (${received} of ${goal} received)`,
    );
  }
  expect(received).toBe(EVENTS);

  stalled.ws.resume();
  expect(await within(stalled.closed, 10_000, 'the stalled socket to close')).toMatchObject({
    code: SLOW_SUBSCRIBER_CLOSE,
    reason: 'Subscriber too slow',
  });
  // It got at most its buffer and what the socket held, not the whole flood.
  expect(stalled.received.filter((m) => m.type === 'next').length).toBeLessThan(EVENTS);

  const ready = await fetch(hub.url.replace('/graphql', '/readyz'));
  expect(ready.status).toBe(200);
  await healthy.dispose();
  await ended;
}, 60_000);
