/**
 * The graphql-transport-ws protocol on /graphql, driven with a raw `ws` client so that every
 * frame is ours: the close codes the protocol prescribes (4408, 4403, 4401, 4429, 4400, 4409,
 * 4406), the 1 MiB message limit (1009), errors shaped as over HTTP, and the per-socket auth
 * re-check timer. Revocation of an open socket is proven by test/events/subscriptions.test.ts
 * and not repeated here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { initOrm } from '../../src/db/orm';
import { Origin } from '../../src/domain/enums';
import { userService } from '../../src/domain/user/user.service';
import { CreateUserDocument } from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';
import { PROTOCOL, RawSocket, type Message } from '../helpers/raw-socket';
import { until } from '../helpers/wait';

const MiB = 1024 * 1024;

forEachDialect((dialect) => {
  let hub: TestHub;
  const sockets: RawSocket[] = [];
  const open = async (protocols: string | string[] = PROTOCOL) => {
    const s = await RawSocket.open(hub.server.wsUrl, protocols);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await hub?.close();
  });

  describe('connection initialisation', () => {
    // graphql-ws waits 3 s (its default connectionInitWaitTimeout) for connection_init; the
    // wait below is that timeout itself, the thing under test.
    it('closes a socket that sends no connection_init within the wait timeout with 4408', async () => {
      const started = Date.now();
      const socket = await open();
      const { code, reason } = await socket.closed;
      expect(code).toBe(4408);
      expect(reason).toMatch(/initialisation timeout/i);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
      expect(socket.received).toEqual([]);
    }, 10_000);

    it.each<[string, (hub: TestHub) => unknown]>([
      ['an unknown token', () => 'Bearer mh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['no authorization at all', () => undefined],
      ['a real token without "Bearer"', (h) => h.users.admin.token],
      ['two tokens after "Bearer"', (h) => `Bearer ${h.users.admin.token} ${h.users.admin.token}`],
      ['an authorization that is not a string', (h) => ({ token: h.users.admin.token })],
      ['an authorization that is a list', (h) => [`Bearer ${h.users.admin.token}`]],
    ])('closes the socket with 4403 for %s, without an ack', async (_what, authorization) => {
      const socket = await open();
      socket.init(authorization(hub));
      expect((await socket.closed).code).toBe(4403);
      expect(socket.received.map((m) => m.type)).not.toContain('connection_ack');
    });

    it('closes the socket with 4403 for a connection_init whose payload is not an object', async () => {
      const socket = await open();
      socket.send({ type: 'connection_init', payload: `Bearer ${hub.users.admin.token}` } as Message);
      expect([4403, 4400]).toContain((await socket.closed).code);
      expect(socket.received.map((m) => m.type)).not.toContain('connection_ack');
    });

    it('closes the socket with 4403 for a token revoked before it connects', async () => {
      const { token } = ok(
        await hub.as('admin', CreateUserDocument, { input: { name: 'Soon revoked', email: 'soon-revoked@ws.example', roles: ['ADMIN'] } }),
      ).createUser;
      await userService.revokeTokens({ em: hub.db.fork(), viewer: null, origin: Origin.API, operator: true } as never, 'soon-revoked@ws.example');
      const socket = await open();
      socket.init(`Bearer ${token}`);
      expect((await socket.closed).code).toBe(4403);
    });

    it('closes the socket with 4401 for a subscribe before connection_init', async () => {
      const socket = await open();
      socket.send({ type: 'subscribe', id: '1', payload: { query: '{ viewer { id } }' } });
      expect((await socket.closed).code).toBe(4401);
      expect(socket.received).toEqual([]);
    });

    it('closes the socket with 4401 for a subscribe sent right behind connection_init, before the ack', async () => {
      const socket = await open();
      socket.init(`Bearer ${hub.users.admin.token}`);
      socket.send({ type: 'subscribe', id: '1', payload: { query: '{ viewer { id } }' } });
      expect((await socket.closed).code).toBe(4401);
      expect(socket.received.filter((m) => m.type === 'next')).toEqual([]);
    });

    it('closes the socket with 4429 for a second connection_init after the ack', async () => {
      const socket = await (await open()).acked(hub.users.admin.token);
      socket.init(`Bearer ${hub.users.admin.token}`);
      expect((await socket.closed).code).toBe(4429);
    });

    it('closes the socket with 4429 for two connection_init messages back to back', async () => {
      const socket = await open();
      socket.init(`Bearer ${hub.users.admin.token}`);
      socket.init(`Bearer ${hub.users.admin.token}`);
      expect((await socket.closed).code).toBe(4429);
    });

    it('closes a socket that names no subprotocol with 4406', async () => {
      const socket = await open([]);
      expect((await socket.closed).code).toBe(4406);
    });

    it.each([
      ['the deprecated graphql-ws subprotocol of subscriptions-transport-ws', 'graphql-ws'],
      ['an unknown subprotocol', 'graphql-transport-ws-2'],
    ])('does not speak %s: the handshake selects no subprotocol, or the socket closes with 4406', async (_what, protocol) => {
      const outcome = await RawSocket.open(hub.server.wsUrl, protocol).then(
        async (socket) => (sockets.push(socket), `closed ${(await socket.closed).code}`),
        (err: Error) => `handshake failed: ${err.message}`,
      );
      expect(outcome).toMatch(/^(closed 4406|handshake failed: Server sent no subprotocol)$/);
    });
  });

  describe('malformed messages', () => {
    it.each<[string, string]>([
      ['text that is not JSON', '{"type": "subscribe", '],
      ['a message without a type', '{"id": "1"}'],
      ['an unknown message type', '{"type": "start", "id": "1", "payload": {"query": "{ viewer { id } }"}}'],
      ['a subscribe without an id', '{"type": "subscribe", "payload": {"query": "{ viewer { id } }"}}'],
      ['a subscribe whose query is not a string', '{"type": "subscribe", "id": "1", "payload": {"query": 42}}'],
      ['a JSON array', '[]'],
    ])('closes the socket with 4400 for %s', async (_what, frame) => {
      const socket = await (await open()).acked(hub.users.admin.token);
      socket.send(frame);
      expect((await socket.closed).code).toBe(4400);
    });

    it('closes the socket with 4409 for a second subscribe with an id still in use', async () => {
      const socket = await (await open()).acked(hub.users.admin.token);
      socket.send({ type: 'subscribe', id: 'same', payload: { query: 'subscription { lifecycleEvents { id } }' } });
      socket.send({ type: 'subscribe', id: 'same', payload: { query: 'subscription { lifecycleEvents { id } }' } });
      expect((await socket.closed).code).toBe(4409);
    });
  });

  describe('message size', () => {
    /** A subscribe message of exactly `size` bytes: a viewer query padded with an unused variable. */
    function subscribeOf(size: number): string {
      const frame = (pad: string) => JSON.stringify({ type: 'subscribe', id: 'big', payload: { query: '{ viewer { id } }', variables: { pad } } });
      const message = frame('x'.repeat(size - Buffer.byteLength(frame(''))));
      expect(Buffer.byteLength(message)).toBe(size);
      return message;
    }

    it('answers a message of exactly 1 MiB', async () => {
      const socket = await (await open()).acked(hub.users.sme.token);
      socket.send(subscribeOf(MiB));
      expect(await socket.next((m) => m.id === 'big')).toMatchObject({ type: 'next', payload: { data: { viewer: { id: hub.users.sme.id } } } });
    });

    it('closes the socket with 1009 for a message of 1 MiB + 1 byte, and answers nothing', async () => {
      const socket = await (await open()).acked(hub.users.sme.token);
      socket.send(subscribeOf(MiB + 1));
      expect((await socket.closed).code).toBe(1009);
      expect(socket.received.filter((m) => m.id === 'big')).toEqual([]);
    });

    it('closes the socket with 1009 for a connection_init over 1 MiB', async () => {
      const socket = await open();
      socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${hub.users.sme.token}`, pad: 'x'.repeat(MiB) } });
      expect((await socket.closed).code).toBe(1009);
      expect(socket.received).toEqual([]);
    });
  });

  describe('errors over the socket, shaped as over HTTP', () => {
    it('answers an invalid query (validation) with GRAPHQL_VALIDATION_FAILED on that operation, and the socket stays usable', async () => {
      const socket = await (await open()).acked(hub.users.sme.token);
      socket.send({ type: 'subscribe', id: 'bad', payload: { query: '{ viewr { id } }' } });
      const answer = await socket.next((m) => m.id === 'bad');
      if (!answer) throw new Error(`the socket closed instead of answering: ${JSON.stringify(await socket.closed)}`);
      expect(answer.type).toBe('error');
      expect((answer?.payload as { extensions?: { code?: string } }[])[0].extensions?.code, JSON.stringify(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
      socket.send({ type: 'subscribe', id: 'good', payload: { query: '{ viewer { id } }' } });
      expect(await socket.next((m) => m.id === 'good')).toMatchObject({ type: 'next' });
    });

    it('answers a query that does not parse with an error on that operation, and the socket stays usable', async () => {
      const socket = await (await open()).acked(hub.users.sme.token);
      socket.send({ type: 'subscribe', id: 'p', payload: { query: '{ viewer { id ' } });
      const answer = await socket.next((m) => m.id === 'p');
      if (!answer) throw new Error(`the socket closed instead of answering: ${JSON.stringify(await socket.closed)}`);
      expect(answer.type).toBe('error');
      expect(JSON.stringify(answer)).not.toContain('INTERNAL_SERVER_ERROR');
      socket.send({ type: 'subscribe', id: 'good', payload: { query: '{ viewer { id } }' } });
      expect(await socket.next((m) => m.id === 'good')).toMatchObject({ type: 'next' });
    });

    it('checks a document it has seen before like a new one: its limits with these variables, and an invalid one every time', async () => {
      const socket = await (await open()).acked(hub.users.sme.token);
      const query = 'query ($n: Int!) { goals(first: $n) { nodes { id models(first: 100) { nodes { id name } } } } }';
      socket.send({ type: 'subscribe', id: 'small', payload: { query, variables: { n: 1 } } });
      expect(await socket.next((m) => m.id === 'small')).toMatchObject({ type: 'next' });
      socket.send({ type: 'subscribe', id: 'big', payload: { query, variables: { n: 100 } } });
      expect(await socket.next((m) => m.id === 'big')).toMatchObject({
        type: 'error',
        payload: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })],
      });
      for (const id of ['invalid-1', 'invalid-2']) {
        socket.send({ type: 'subscribe', id, payload: { query: '{ viewr { id } }' } });
        expect(await socket.next((m) => m.id === id)).toMatchObject({
          type: 'error',
          payload: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })],
        });
      }
    });

    it('refuses a query deeper than the limit on that operation and keeps the socket open', async () => {
      const socket = await (await open()).acked(hub.users.sme.token);
      const deep = `{ goals(first: 1) { nodes { ${'models(first: 1) { nodes { goal { '.repeat(4)} id ${'} } } '.repeat(4)} } } }`;
      socket.send({ type: 'subscribe', id: 'deep', payload: { query: deep } });
      const answer = await socket.next((m) => m.id === 'deep');
      if (!answer) throw new Error(`the socket closed instead of answering: ${JSON.stringify(await socket.closed)}`);
      expect(answer).toMatchObject({
        type: 'error',
        payload: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })],
      });
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    });
  });

  describe('the auth re-check timer', () => {
    // A socket that goes away while its connection_init is still being authenticated must not
    // leave its re-check timer behind: each one would query the database every
    // WS_AUTH_RECHECK_MS for the life of the process. On PostgreSQL the token table is locked
    // while the sockets open and close, so that every one closes while its token look-up waits:
    // the case in question. Sockets of one token share a look-up per second, so a timer left
    // behind shows as a look-up at least once a second: once every socket's own look-up has run,
    // a second and a half must pass with none.
    it('stops re-checking a token once its socket has closed, even if it closed during authentication', async () => {
      const rechecking = await startHub(dialect, { wsAuthRecheckMs: 50 });
      const locker = dialect === 'postgresql' ? await initOrm({ target: rechecking.target, poolMax: 1 }) : undefined;
      const lookUps = (sql: readonly string[]) => sql.filter((q) => /api_tokens/.test(q)).length;
      try {
        const { sql } = await rechecking.countStatements(async (seen) => {
          const locked = await locker?.knex.transaction();
          await locked?.raw('lock table api_tokens in access exclusive mode');
          try {
            const gone: Promise<unknown>[] = [];
            for (let i = 0; i < 5; i++) {
              const socket = await RawSocket.open(rechecking.server.wsUrl);
              socket.init(`Bearer ${rechecking.users.sme.token}`);
              socket.close();
              gone.push(socket.closed);
            }
            await Promise.all(gone);
          } finally {
            await locked?.rollback();
          }
          await until(() => lookUps(seen) >= 5, "each socket's authentication");
          await new Promise((resolve) => setTimeout(resolve, 1_500));
        });
        expect(lookUps(sql), 'token look-ups: one per socket, none for sockets that are gone').toBe(5);
      } finally {
        await locker?.close();
        await rechecking.close();
      }
    });

    // Thousands of live sockets of one token (a dashboard wall, a service) used to cost one token
    // look-up each per period: 500 queries a second for 5,000 sockets at the default 10 s.
    it('re-checks the sockets of one token through one look-up per second, not one per socket', async () => {
      const rechecking = await startHub(dialect, { wsAuthRecheckMs: 50 });
      const open: RawSocket[] = [];
      try {
        for (let i = 0; i < 10; i++) {
          open.push(await (await RawSocket.open(rechecking.server.wsUrl)).acked(rechecking.users.sme.token));
        }
        const { sql } = await rechecking.countStatements(() => new Promise((resolve) => setTimeout(resolve, 500)));
        // Ten sockets re-checked every 50 ms for 500 ms: 100 look-ups before; at most one per second now.
        expect(sql.filter((q) => /api_tokens/.test(q)).length, 'token look-ups').toBeLessThanOrEqual(1);
        expect(open.every((socket) => socket.ws.readyState === WebSocket.OPEN)).toBe(true);
      } finally {
        for (const socket of open) socket.close();
        await rechecking.close();
      }
    });
  });
});
