/**
 * Documents built to be expensive before anything runs: thousands of tokens, hundreds of aliases,
 * hundreds of root mutations in one request. Refused while parsing (tokens, aliases) or before
 * executing (mutations), over HTTP and WebSocket, with nothing changed; the mutations a request may
 * run each commit on their own. And GraphQL over HTTP's status codes for the legacy media type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGoalDocument } from '../../src/generated/operations';
import { ok, post } from '../helpers/client';
import { startHub, type TestHub } from '../helpers/hub';
import { RawSocket } from '../helpers/raw-socket';
import { snapshotTables, tablesOf } from '../helpers/tables';

let hub: TestHub;
let goalId: string;

beforeAll(async () => {
  hub = await startHub('sqlite');
  goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Parser limits', businessQuestion: 'How much can one request ask?' } }))
    .createGoal.goal.id;
});
afterAll(async () => {
  await hub?.close();
});

const STRICT = { accept: 'application/graphql-response+json' };
const comments = (n: number, body = (i: number) => `bomb ${i}`) =>
  `mutation { ${Array.from({ length: n }, (_, i) => `c${i}: addComment(input: { subjectId: "${goalId}", body: "${body(i)}" }) { comment { id } }`).join(' ')} }`;
const snapshot = async () => (await snapshotTables(hub, await tablesOf(hub))).hashes;

describe('tokens and aliases are counted while parsing', () => {
  it('refuses a document over MAX_QUERY_TOKENS (5,000) before validating it or reading the token', async () => {
    const query = `{ viewer { ${'id '.repeat(6_000)} } }`;
    const { result, statements } = await hub.countStatements(() => post(hub.url, { query }, hub.users.sme.token, STRICT));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringContaining('5000 tokens'), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(statements, 'not even the token lookup ran').toBe(0);
  });

  it('refuses a document with more than MAX_QUERY_ALIASES (50) aliased fields, with nothing changed', async () => {
    const before = await snapshot();
    const { result, statements } = await hub.countStatements(() => post(hub.url, { query: comments(51) }, hub.users.sme.token, STRICT));
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', aliases: 51, maxAliases: 50 });
    expect(statements).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses the same over WebSocket, and the socket stays usable', async () => {
    const socket = await RawSocket.open(hub.server.wsUrl);
    try {
      await socket.acked(hub.users.sme.token);
      socket.send({ id: 't', type: 'subscribe', payload: { query: `{ viewer { ${'id '.repeat(6_000)} } }` } });
      expect(await socket.next((m) => m.id === 't')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
      socket.send({
        id: 'a',
        type: 'subscribe',
        payload: { query: `{ ${Array.from({ length: 51 }, (_, i) => `v${i}: viewer { id }`).join(' ')} }` },
      });
      expect(await socket.next((m) => m.id === 'a')).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'BAD_USER_INPUT', aliases: 51 } }],
      });
      socket.send({ id: 'ok', type: 'subscribe', payload: { query: '{ viewer { id } }' } });
      expect(await socket.next((m) => m.id === 'ok')).toMatchObject({ type: 'next', payload: { data: { viewer: { id: hub.users.sme.id } } } });
    } finally {
      socket.close();
    }
  });
});

describe('MAX_MUTATIONS_PER_REQUEST (20)', () => {
  it('refuses 21 root mutations (through a fragment too) before running any', async () => {
    const before = await snapshot();
    const direct = await post(hub.url, { query: comments(21) }, hub.users.sme.token, STRICT);
    expect(direct.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', mutations: 21, maxMutations: 20 });
    const fragment = `mutation { ...M c20: addComment(input: { subjectId: "${goalId}", body: "x" }) { comment { id } } } fragment M on Mutation ${comments(20).slice('mutation '.length)}`;
    const spread = await post(hub.url, { query: fragment }, hub.users.sme.token, STRICT);
    expect(spread.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', mutations: 21 });
    expect(await snapshot()).toEqual(before);
  });

  it('runs 20 in order, each in its own transaction: one that fails leaves those before it committed', async () => {
    const answer = await post<Record<string, { comment: { id: string } } | null>>(
      hub.url,
      { query: comments(20, (i) => (i === 7 ? '' : `ok ${i}`)) },
      hub.users.sme.token,
    );
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({ path: ['c7'], extensions: { code: 'BAD_USER_INPUT' } });
    // addComment's payload is non-null: the failure nulls `data` and graphql-js runs no later root
    // field; the database shows that the seven before it committed and stayed committed.
    const committed = await hub.db.knex('comments').where('body', 'like', 'ok %').select('body');
    expect(committed.map((c: { body: string }) => c.body).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `ok ${i}`));
  });
});

describe('GraphQL over HTTP: the legacy application/json answers request errors with 200', () => {
  const cases = [
    ['a document that does not parse', { query: '{ viewer {' }, 'GRAPHQL_PARSE_FAILED'],
    ['a document that does not validate', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['variables that do not coerce', { query: 'query ($n: Int) { goals(first: $n) { totalCount } }', variables: { n: 'many' } }, 'BAD_USER_INPUT'],
    ['too many aliases', { query: comments(51) }, 'BAD_USER_INPUT'],
  ] as const;
  it.each(cases)('%s: 200 for application/json (and no Accept), 400 for application/graphql-response+json', async (_what, body, code) => {
    for (const [headers, status] of [
      [{ accept: 'application/json' }, 200],
      [{}, 200],
      [STRICT, 400],
    ] as const) {
      const answer = await post(hub.url, body, hub.users.sme.token, headers);
      expect({ status: answer.status, code: answer.errors?.[0].extensions?.code }, JSON.stringify(headers)).toEqual({ status, code });
    }
  });

  it('keeps 400 for a request that is not well-formed (no query string)', async () => {
    expect((await post(hub.url, { query: 42 }, hub.users.sme.token)).status).toBe(400);
  });
});
