/**
 * The permission table (test/permissions.ts) against the database: every row × every role, plus
 * no token, a revoked token and a malformed header. Fixtures are built through the API. Each cell
 * checks the answer and the rows: a refused call changes no row of any table, an allowed one
 * writes events whose actor is the caller. (test/permissions.test.ts fails when a mutation of
 * schema/schema.graphql has no row, so a new one cannot slip past.)
 */
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Origin } from '../../src/domain/enums';
import { userService } from '../../src/domain/user/user.service';
import { CreateUserDocument, ViewerDocument } from '../../src/generated/operations';
import { fetchJson, ok, type Answer } from '../helpers/client';
import { startHub, type TestHub } from '../helpers/hub';
import { mutationDocument } from '../helpers/mutations';
import { snapshotTables, tablesOf } from '../helpers/tables';
import { ACTING, COLUMNS, PERMISSIONS, permissionFixtures, rowName, type Fixtures, type RoleColumn } from '../permissions';

/** Headers that carry the admin's real token but are not `Bearer <token>`: a lenient parser would let them in as ADMIN. */
const MALFORMED: ((token: string) => string)[] = [
  (t) => t,
  (t) => `Basic ${t}`,
  (t) => `Token ${t}`,
  (t) => `Bearer ${t} ${t}`,
  (t) => `Bearer ${t},${t}`,
  (t) => `Bearer${t}`,
  (t) => `Bearer "${t}"`,
  (t) => `Bearer ${t.slice(0, -1)}`,
  () => 'Bearer',
  () => 'Bearer mh_',
  (t) => `Bearer ${t.replace(/^mh_/, 'MH_')}`,
];

/** Sends `mutation` with `input` and the Authorization header as given (none when undefined). */
function send(hub: TestHub, authorization: string | undefined, mutation: string, input: Record<string, unknown>): Promise<Answer> {
  return fetchJson(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ query: print(mutationDocument(mutation)), variables: { input } }),
  });
}

describe('authorization matrix (SQLite)', () => {
  let hub: TestHub;
  let fx: Fixtures;
  let revokedToken: string;
  let tables: string[];

  beforeAll(async () => {
    hub = await startHub('sqlite');
    tables = await tablesOf(hub);
    fx = await permissionFixtures(hub);

    // A user holding every role whose tokens are then revoked: a revoked token must count for nothing.
    const roles = ['ADMIN', 'SME', 'DATA_SCIENTIST', 'DATA_ENGINEER', 'ML_ENGINEER', 'RISK_MANAGER'] as const;
    revokedToken = ok(
      await hub.as('admin', CreateUserDocument, { input: { name: 'Revoked Everyone', email: 'revoked@adv-matrix.example', roles: [...roles] } }),
    ).createUser.token;
    expect((await hub.as({ token: revokedToken }, ViewerDocument, {})).status).toBe(200);
    const { revoked } = await userService.revokeTokens(
      { em: hub.db.fork(), viewer: null, origin: Origin.API, operator: true } as never,
      'revoked@adv-matrix.example',
    );
    expect(revoked).toBe(1);
  });
  afterAll(() => hub?.close());

  const cells = PERMISSIONS.flatMap((row, r) => COLUMNS.map((column, c) => ({ row, column, index: r * COLUMNS.length + c })));
  it.each(cells.map((cell) => [`${rowName(cell.row)} × ${cell.column} → ${cell.row.expected[cell.column]}`, cell] as const))(
    '%s',
    async (_title, { row, column, index }) => {
      const expected = row.expected[column];
      const person = column in ACTING ? ACTING[column as RoleColumn] : undefined;
      const authorization = person
        ? `Bearer ${hub.users[person].token}`
        : column === 'revoked token'
          ? `Bearer ${revokedToken}`
          : column === 'malformed header'
            ? MALFORMED[index % MALFORMED.length](hub.users.admin.token)
            : undefined;
      const cellFx = { ...fx, ...(row.setup ? await row.setup(hub, fx) : {}) };
      const tag = `${row.mutation}-${index}`.toLowerCase();

      const before = await snapshotTables(hub, tables);
      const res = await send(hub, authorization, row.mutation, row.input(cellFx, tag));
      const after = await snapshotTables(hub, tables);

      if (expected === 'ok') {
        expect(res.json.errors, res.text).toBeUndefined();
        expect(res.status).toBe(200);
        expect(res.json.data?.[row.mutation]).toBeTruthy();
        const written = await hub.db.knex('lifecycle_events').where('id', '>', before.lastEventId).select('actor_id', 'type');
        if (row.recordsNoEvent) expect(written, 'configuration records no lifecycle event').toEqual([]);
        else if (row.recordsEvent === false) expect(after.hashes, 'the mutation changed something').not.toEqual(before.hashes);
        else expect(written.length, 'the mutation wrote its event').toBeGreaterThan(0);
        for (const event of written) expect(Number(event.actor_id), `${event.type} is recorded as the caller's`).toBe(hub.users[person!].dbId);
      } else {
        expect(res.json.errors?.[0]?.extensions?.code, res.text).toBe(expected);
        expect(res.json.data?.[row.mutation] ?? null).toBeNull();
        if (expected === 'UNAUTHENTICATED') expect(res.status).toBe(401);
        expect(res.json.errors?.[0]?.message).toMatch(/\w/);
        // A refused mutation changes nothing, in any table.
        expect(after.hashes).toEqual(before.hashes);
      }
    },
  );
});
