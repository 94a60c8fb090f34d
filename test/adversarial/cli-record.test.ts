/**
 * Every act is on the record: `hub user create`, `hub token create` and `hub token revoke` record a
 * lifecycle event with origin CLI, in the same transaction as the change. On the main this started
 * from, the token commands recorded nothing and `user create` said API. The commands run in process
 * (`main(argv)`, what bin/hub.js calls) against the test hub's PostgreSQL database.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../src/main';
import { post } from '../helpers/client';
import { PG_URL } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';

let hub: TestHub;
const saved = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };

beforeAll(async () => {
  if (!PG_URL) return;
  hub = await startHub('postgresql');
  if (hub.target.dialect === 'postgresql') process.env.DATABASE_URL = hub.target.url;
  process.env.LOG_LEVEL = 'silent';
});
afterAll(async () => {
  Object.assign(process.env, saved);
  await hub?.close();
});

it.skipIf(!PG_URL)('records user create, token create and token revoke with origin CLI', async () => {
  expect(await main(['user', 'create', '--name', 'Cli Made', '--email', 'cli@test.example', '--roles', 'SME'])).toBe(0);
  expect(await main(['token', 'create', '--email', 'cli@test.example'])).toBe(0);
  expect(await main(['token', 'revoke', '--email', 'cli@test.example'])).toBe(0);
  const answer = await post<{ events: { nodes: { type: string; origin: string; actor: null | { id: string }; summary: string }[] } }>(
    hub.url,
    {
      query: '{ events(first: 10, filter: { types: [USER_CREATED, TOKEN_CREATED, TOKENS_REVOKED] }) { nodes { type origin actor { id } summary } } }',
    },
    hub.users.admin.token,
  );
  const cli = answer.data!.events.nodes.filter((e) => e.summary.includes('Cli Made'));
  expect(cli.map((e) => [e.type, e.origin, e.actor])).toEqual([
    ['TOKENS_REVOKED', 'CLI', null],
    ['TOKEN_CREATED', 'CLI', null],
    ['USER_CREATED', 'CLI', null],
  ]);
  expect(cli[0].summary).toMatch(/revoked 2 token\(s\) of Cli Made/);
});
