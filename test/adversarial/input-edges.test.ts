/**
 * Input edges: an observation dated far in the future (which on the main this started from pinned
 * a KPI's `current` for ever), JSON nested past the documented limit (an internal error there: the
 * stack overflowed), and a request body that trickles in (held a connection for five minutes).
 */
import { connect } from 'node:net';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/domain/validate';
import { AddKpiDocument, CreateExperimentDocument, CreateGoalDocument, LogRunDocument, RecordKpiValueDocument } from '../../src/generated/operations';
import { errorCode, ok, post } from '../helpers/client';
import { startHub, type TestHub } from '../helpers/hub';
import { within } from '../helpers/wait';

let hub: TestHub;
let goalId: string;

beforeAll(async () => {
  hub = await startHub('sqlite', { httpRequestTimeoutMs: 1_500 });
  goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Edges', businessQuestion: 'Where do inputs break?' } })).createGoal.goal.id;
});
afterAll(async () => {
  await hub?.close();
});

describe('observedAt', () => {
  it('refuses an observation more than a few minutes in the future, and keeps current as it was', async () => {
    const kpi = ok(await hub.as('sme', AddKpiDocument, { input: { goalId, name: 'Accuracy', direction: 'HIGHER_IS_BETTER' } })).addKpi.kpi;
    ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId: kpi.id, value: 1 } }));
    const future = await hub.as('sme', RecordKpiValueDocument, {
      input: { kpiId: kpi.id, value: 99, observedAt: new Date('9999-01-01T00:00:00Z').toISOString() },
    });
    expect(errorCode(future)).toBe('BAD_USER_INPUT');
    expect(future.errors?.[0].extensions?.field).toBe('observedAt');
    const later = ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId: kpi.id, value: 2 } })).recordKpiValue.kpi;
    expect(later.current, 'a later observation still becomes current').toBe(2);
    // A minute of clock skew is fine.
    ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId: kpi.id, value: 3, observedAt: new Date(Date.now() + 60_000).toISOString() } }));
  });
});

describe('JSON nesting', () => {
  const nested = (depth: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: 1 };
    for (let i = 1; i < depth; i++) value = { a: value };
    return value;
  };

  it(`accepts params ${MAX_JSON_DEPTH} levels deep and refuses one more, or a hundred thousand, as BAD_USER_INPUT`, async () => {
    const experimentId = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId, name: 'Nesting' } })).createExperiment.experiment
      .id;
    const run = (params: Record<string, unknown>) => hub.as('scientist', LogRunDocument, { input: { experimentId, params } });
    ok(await run(nested(MAX_JSON_DEPTH)));
    const tooDeep = await run(nested(MAX_JSON_DEPTH + 1));
    expect(tooDeep.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'params' } });
    // Written out by hand: JSON.stringify itself overflows the stack on 100,000 levels.
    const depth = 100_000;
    const body = `{"query":${JSON.stringify(print(LogRunDocument))},"variables":{"input":{"experimentId":"${experimentId}","params":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}}`;
    const bomb = await post(hub.url, body, hub.users.scientist.token);
    expect(bomb.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'params' } });
  });
});

describe('slow requests', () => {
  it('cuts off a body that trickles in, and keeps answering others', async () => {
    const { port } = hub.server;
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<string>((resolve) => {
      let answer = '';
      socket.on('data', (d) => (answer += String(d)));
      socket.on('close', () => resolve(answer));
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${hub.users.sme.token}\r\nContent-Length: 1000\r\n\r\n{"query":`,
    );
    // One byte at a time, never finishing: the request timeout must end it.
    const drip = setInterval(() => socket.writable && socket.write(' '), 100);
    try {
      expect(await within(closed, 10_000, 'the server to cut the slow request off')).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    expect((await fetch(hub.url.replace('/graphql', '/healthz'))).status).toBe(200);
  });
});
