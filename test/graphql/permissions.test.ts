import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGoalDocument, RlSnapshotDocument, RlUnreadDocument, RlViewerDocument, UpdateGoalDocument } from '../../src/generated/operations';
import { errorCode, ok, post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';
import { mutationDocument } from '../helpers/mutations';
import { ACTING, PERMISSIONS, permissionFixtures, ROLES, rowName, type Fixtures } from '../permissions';

/** Every row of the permission table (test/permissions.ts) for every role: the outcome the table gives. */
const CELLS = PERMISSIONS.flatMap((row) => ROLES.map((role) => ({ row, role, expected: row.expected[role] })));

forEachDialect((dialect) => {
  let hub: TestHub;
  let fx: Fixtures;

  beforeAll(async () => {
    hub = await startHub(dialect);
    fx = await permissionFixtures(hub);
  });
  afterAll(() => hub?.close());

  /** Everything a row could change, read as ADMIN through the API. */
  const snapshot = async () =>
    ok(
      await hub.as('admin', RlSnapshotDocument, {
        goalId: fx.goal,
        otherGoalId: fx.otherGoal,
        kpiId: fx.kpi,
        experimentId: fx.experiment,
        runId: fx.run,
        modelId: fx.model,
        versionId: fx.version,
        userId: fx.targetUser,
      }),
    );

  describe('the permission table, through the API', () => {
    it.each(CELLS.map((cell, i) => [`${rowName(cell.row)} as ${cell.role}: ${cell.expected}`, { ...cell, tag: `cell-${i}` }] as const))(
      '%s',
      async (_title, { row, role, expected, tag }) => {
        const cellFx = { ...fx, ...(row.setup ? await row.setup(hub, fx) : {}) };
        // Besides what ADMIN sees, the acting person's own unread count: only they may read it.
        const seen = async () => ({
          ...(await snapshot()),
          unread: ok(await hub.as(ACTING[role], RlUnreadDocument, {})).viewer.unreadNotificationCount,
        });
        const before = await seen();
        const result = await hub.as(ACTING[role], mutationDocument(row.mutation), { input: row.input(cellFx, tag) });
        const after = await seen();
        if (expected === 'ok') {
          ok(result);
          // The call did what it says: something in the snapshot moved.
          expect(after).not.toEqual(before);
        } else {
          expect(errorCode(result)).toBe('FORBIDDEN');
          expect(result.errors?.[0].message).toMatch(/\w/);
          // A refused mutation changes nothing.
          expect(after).toEqual(before);
        }
      },
    );
  });

  describe('goal ownership', () => {
    it('lets the owner update their own goal, which another SME may not', async () => {
      const { updateGoal } = ok(await hub.as('sme', UpdateGoalDocument, { input: { goalId: fx.goal, description: 'Owner edit' } }));
      expect(updateGoal.goal.description).toBe('Owner edit');
      expect(errorCode(await hub.as('sme2', UpdateGoalDocument, { input: { goalId: fx.goal, description: 'Not mine' } }))).toBe('FORBIDDEN');
      const after = await snapshot();
      expect(after.goal).toMatchObject({ title: 'Who may do what', description: 'Owner edit' });
    });
  });

  describe('authentication', () => {
    const query = { query: '{ viewer { id } }' };

    it('answers a request without a token with HTTP 401 and UNAUTHENTICATED', async () => {
      const result = await hub.as(null, RlViewerDocument, {});
      expect(result.status).toBe(401);
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
      expect(result.data ?? null).toBeNull();
    });

    it('refuses a mutation without a token and writes nothing', async () => {
      const before = await snapshot();
      const result = await hub.as(null, CreateGoalDocument, { input: { title: 'Anonymous goal', businessQuestion: 'q' } });
      expect(result.status).toBe(401);
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      ['an unknown token', () => `Bearer mh_${'A'.repeat(43)}`],
      ['an unknown token without the mh_ prefix', () => 'Bearer not-a-real-token'],
      ['"Bearer" with nothing after it', () => 'Bearer'],
      ['"Bearer " with only spaces after it', () => 'Bearer    '],
      ['Basic credentials', () => 'Basic xyz'],
      ['Basic credentials carrying a real token', (hub: TestHub) => `Basic ${hub.users.admin.token}`],
      ['a real token without the Bearer prefix', (hub: TestHub) => hub.users.admin.token],
      [
        'a real token with a character changed',
        (hub: TestHub) => `Bearer ${hub.users.admin.token.slice(0, -1)}${hub.users.admin.token.endsWith('A') ? 'B' : 'A'}`,
      ],
      ['two tokens', (hub: TestHub) => `Bearer ${hub.users.admin.token} ${hub.users.sme.token}`],
      ['an empty header', () => ''],
    ])('answers %s with HTTP 401 and UNAUTHENTICATED', async (_what, header) => {
      const result = await post(hub.url, query, undefined, { authorization: header(hub) });
      expect(result.status).toBe(401);
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
    });

    it('accepts a real token after Bearer', async () => {
      const result = await post<{ viewer: { id: string } }>(hub.url, query, undefined, { authorization: `Bearer ${hub.users.risk.token}` });
      expect(ok(result).viewer.id).toBe(hub.users.risk.id);
    });
  });
});
