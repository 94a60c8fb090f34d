/**
 * Authorisation per operation, not per connection: a WebSocket runs each operation with the user's
 * roles and token validity as of at most a second ago, so an ADMIN demoted after opening a socket
 * can no longer create users over it and a revoked token's next operation fails (on the main this
 * started from, the socket kept the roles it connected with, and a revoked token ran operations
 * until the next 10 s re-check). Caps on sockets per token and subscriptions per socket, and a
 * subscription charged for every event it receives (on that main, only when it started).
 */
import { print } from 'graphql';
import { createInProcessBus } from '../../src/events/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../../src/domain/enums';
import { userService } from '../../src/domain/user/user.service';
import { toGlobalId } from '../../src/domain/ids';
import { CreateGoalDocument, CreateUserDocument } from '../../src/generated/operations';
import { TOO_MANY_SOCKETS_CLOSE } from '../../src/server/http';
import { busEvent } from '../helpers/events';
import { startHub, type TestHub } from '../helpers/hub';
import { RawSocket, type Message } from '../helpers/raw-socket';
import { until, within } from '../helpers/wait';

let hub: TestHub;
const sockets: RawSocket[] = [];
const open = async (token: string) => {
  const socket = await RawSocket.open(hub.server.wsUrl);
  sockets.push(socket);
  return socket.acked(token);
};

beforeAll(async () => {
  hub = await startHub('sqlite', { webSocketCaps: { subscriptionsPerSocket: 3, socketsPerToken: 2 } });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await hub?.close();
});

let n = 0;
/** Runs one operation on the socket and returns its first answer (next or error). */
async function run(socket: RawSocket, query: string, variables?: Record<string, unknown>): Promise<Message | null> {
  const id = `op${++n}`;
  socket.send({ id, type: 'subscribe', payload: { query, variables } });
  return socket.next((m) => m.id === id && (m.type === 'next' || m.type === 'error'));
}
const codeOf = (m: Message | null) => {
  const payload = m?.payload as { errors?: { extensions: { code: string } }[] } | { extensions: { code: string } }[] | undefined;
  return Array.isArray(payload) ? payload[0]?.extensions.code : payload?.errors?.[0]?.extensions.code;
};

describe('each operation with the roles and token of now', () => {
  it('refuses createUser over a socket opened while its user was ADMIN, once they are demoted', async () => {
    const operator = hub.domain.operator();
    const { user, token } = await userService.create(operator, { name: 'Soon Demoted', email: 'demoted@test.example', roles: [Role.ADMIN] });
    const socket = await open(token);
    const create = (i: number) =>
      run(socket, print(CreateUserDocument), { input: { name: `Made ${i}`, email: `made-${i}@test.example`, roles: ['SME'] } });
    expect(codeOf(await create(0))).toBeUndefined();

    await userService.update(operator, { userId: toGlobalId('User', user.id), roles: [Role.SME] });
    let i = 0;
    await until(async () => codeOf(await create(++i)) === 'FORBIDDEN', 'createUser to be refused after the demotion', 3_000);
  });

  it('fails the next operation of a revoked token and closes its socket', async () => {
    const operator = hub.domain.operator();
    const { token } = await userService.create(operator, { name: 'Soon Revoked', email: 'revoked@test.example', roles: [Role.SME] });
    const socket = await open(token);
    expect(await run(socket, '{ viewer { name } }')).toMatchObject({ type: 'next', payload: { data: { viewer: { name: 'Soon Revoked' } } } });
    await userService.revokeTokens(operator, 'revoked@test.example');
    await until(
      async () => socket.ws.readyState !== socket.ws.OPEN || codeOf(await run(socket, '{ viewer { name } }')) === 'UNAUTHENTICATED',
      'the revoked token to be refused',
      3_000,
    );
    expect(await within(socket.closed, 3_000, 'the socket to close')).toMatchObject({ code: 4403 });
  });
});

describe('caps', () => {
  it("closes a token's socket past WS_MAX_SOCKETS_PER_TOKEN with 4290, and accepts one again once another closes", async () => {
    const [first] = [await open(hub.users.scientist.token), await open(hub.users.scientist.token)];
    const third = await RawSocket.open(hub.server.wsUrl);
    third.init(`Bearer ${hub.users.scientist.token}`);
    expect(await within(third.closed, 3_000, 'the third socket to close')).toEqual({
      code: TOO_MANY_SOCKETS_CLOSE,
      reason: 'Too many sockets for this token (at most 2)',
    });
    first.close();
    await first.closed;
    await until(
      async () => {
        const again = await RawSocket.open(hub.server.wsUrl);
        sockets.push(again);
        again.init(`Bearer ${hub.users.scientist.token}`);
        return (await again.next((m) => m.type === 'connection_ack')) !== null;
      },
      'a socket to be accepted again',
      3_000,
    );
  });

  it('refuses a subscription past WS_MAX_SUBSCRIPTIONS_PER_SOCKET on that socket only, and frees a slot on complete', async () => {
    const socket = await open(hub.users.risk.token);
    const subscribe = (id: string) => socket.send({ id, type: 'subscribe', payload: { query: 'subscription { lifecycleEvents { id } }' } });
    ['s1', 's2', 's3', 's4'].forEach(subscribe);
    const refused = await socket.next((m) => m.id === 's4');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'BAD_USER_INPUT', maxSubscriptions: 3 } }] });
    expect(await run(socket, '{ viewer { id } }'), 'queries still run').toMatchObject({ type: 'next' });
    socket.send({ id: 's1', type: 'complete' });
    // The slot frees once the server has completed s1; a live subscription is one that gets an event.
    await until(
      async () => {
        const id = `again${++n}`;
        subscribe(id);
        const first = socket.next((m) => m.id === id && (m.type === 'error' || m.type === 'next'));
        await hub.as('sme', CreateGoalDocument, { input: { title: `Slot ${n}`, businessQuestion: 'Is a slot free?' } });
        return (await first)?.type === 'next';
      },
      'a subscription to be accepted again',
      5_000,
    );
  });
});

describe('a subscription pays for every event', () => {
  const POINTS = 30;
  const bus = createInProcessBus();
  let metered: TestHub;
  beforeAll(async () => {
    metered = await startHub('sqlite', { bus, limits: { pointsPerMinute: POINTS } });
  });
  afterAll(async () => {
    await metered?.close();
    await bus.close();
  });

  it('ends a subscription with RATE_LIMITED once the token has spent its points on events', async () => {
    const socket = await RawSocket.open(metered.server.wsUrl);
    sockets.push(socket);
    await socket.acked(metered.users.risk.token);
    socket.send({ id: 'live', type: 'subscribe', payload: { query: 'subscription { lifecycleEvents { id } }' } });
    const message = (id: number) => busEvent(id, 'metered');
    // Live once the first event arrives; then more events than the minute's points.
    let id = 0;
    await until(
      async () => {
        await bus.publish(message(++id));
        return socket.received.some((m) => m.id === 'live' && m.type === 'next');
      },
      'the subscription to be live',
      3_000,
    );
    for (let i = 0; i < POINTS + 10; i++) await bus.publish(message(++id));
    const limited = await socket.next((m) => m.id === 'live' && codeOf(m) === 'RATE_LIMITED');
    expect(limited, 'a RATE_LIMITED result').not.toBeNull();
    expect(await socket.next((m) => m.id === 'live' && m.type === 'complete'), 'the subscription then completes').not.toBeNull();
    expect(socket.received.filter((m) => m.id === 'live' && m.type === 'next' && !codeOf(m)).length).toBeLessThan(POINTS);
  });
});
