import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentDocument, AddKpiDocument, CreateExperimentDocument, CreateGoalDocument, CreateModelVersionDocument, CreateUserDocument,
  LogRunDocument, RecordKpiValueDocument, RegisterModelDocument, RlSnapshotDocument, RlViewerDocument, UpdateGoalDocument,
  UpdateModelDocument, UpdateModelVersionDocument, UpdateRunDocument, UpdateUserDocument, type RlSnapshotQueryVariables,
} from '../../src/generated/operations';
import { errorCode, ok, post, type Result } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type Person, type TestHub } from '../helpers/hub';

type Outcome = 'ok' | 'FORBIDDEN';
type Fixtures = RlSnapshotQueryVariables & Record<string, string>;
type Call = (hub: TestHub, who: Person, fx: Fixtures, tag: string) => Promise<Result<unknown>>;

const ROLES = ['admin', 'sme', 'scientist', 'dataEngineer', 'mlEngineer', 'risk'] as const satisfies readonly Person[];
type MatrixRole = (typeof ROLES)[number];

/** Who may do what, from the README's permission table: the roles that get 'ok'; everyone else gets FORBIDDEN. */
const ADMIN_ONLY: MatrixRole[] = ['admin'];
const SME: MatrixRole[] = ['admin', 'sme'];
const KPI_RECORDERS: MatrixRole[] = ['admin', 'sme', 'scientist', 'mlEngineer'];
const BUILDERS: MatrixRole[] = ['admin', 'scientist', 'dataEngineer', 'mlEngineer'];
const EVERYONE: MatrixRole[] = [...ROLES];

/** Each core mutation: who may call it, and a call that would change the snapshot if it went through. */
const MUTATIONS: [name: string, allowed: MatrixRole[], call: Call][] = [
  ['createUser', ADMIN_ONLY, (hub, who, _fx, tag) =>
    hub.as(who, CreateUserDocument, { input: { name: `Made by ${tag}`, email: `${tag}@perm.example`, roles: ['SME'] } })],
  ['updateUser', ADMIN_ONLY, (hub, who, fx, tag) =>
    hub.as(who, UpdateUserDocument, { input: { userId: fx.userId, name: `Renamed by ${tag}` } })],
  ['createGoal', SME, (hub, who, _fx, tag) =>
    hub.as(who, CreateGoalDocument, { input: { title: `Goal by ${tag}`, businessQuestion: 'q' } })],
  // The goal belongs to sme2, so no one in the matrix owns it: only ADMIN may change it.
  ['updateGoal (as non-owner)', ADMIN_ONLY, (hub, who, fx, tag) =>
    hub.as(who, UpdateGoalDocument, { input: { goalId: fx.otherGoalId, title: `Retitled by ${tag}` } })],
  ['addKpi', SME, (hub, who, fx, tag) =>
    hub.as(who, AddKpiDocument, { input: { goalId: fx.goalId, name: `KPI by ${tag}`, direction: 'HIGHER_IS_BETTER' } })],
  ['recordKpiValue', KPI_RECORDERS, (hub, who, fx) =>
    hub.as(who, RecordKpiValueDocument, { input: { kpiId: fx.kpiId, value: Math.random() } })],
  ['createExperiment', BUILDERS, (hub, who, fx, tag) =>
    hub.as(who, CreateExperimentDocument, { input: { goalId: fx.goalId, name: `Experiment by ${tag}` } })],
  ['logRun', BUILDERS, (hub, who, fx, tag) =>
    hub.as(who, LogRunDocument, { input: { experimentId: fx.experimentId, name: `Run by ${tag}` } })],
  ['updateRun', BUILDERS, (hub, who, fx) =>
    hub.as(who, UpdateRunDocument, { input: { runId: fx.runId, metrics: [{ key: 'auc', value: Math.random() }] } })],
  ['registerModel', BUILDERS, (hub, who, fx, tag) =>
    hub.as(who, RegisterModelDocument, { input: { goalId: fx.goalId, name: `model-${tag}` } })],
  ['updateModel', BUILDERS, (hub, who, fx, tag) =>
    hub.as(who, UpdateModelDocument, { input: { modelId: fx.modelId, description: `Described by ${tag}` } })],
  ['createModelVersion', BUILDERS, (hub, who, fx, tag) =>
    hub.as(who, CreateModelVersionDocument, { input: { modelId: fx.modelId, runId: fx.runId, description: `Version by ${tag}` } })],
  ['updateModelVersion', BUILDERS, (hub, who, fx, tag) =>
    hub.as(who, UpdateModelVersionDocument, { input: { modelVersionId: fx.versionId, description: `Described by ${tag}` } })],
  ['addComment', EVERYONE, (hub, who, fx, tag) =>
    hub.as(who, AddCommentDocument, { input: { subjectId: fx.goalId, body: `Comment by ${tag}` } })],
];

const MATRIX = MUTATIONS.flatMap(([name, allowed, call]) =>
  ROLES.map((role) => ({ name, role, call, expected: (allowed.includes(role) ? 'ok' : 'FORBIDDEN') as Outcome })),
);

forEachDialect((dialect) => {
  let hub: TestHub;
  let fx: Fixtures;

  beforeAll(async () => {
    hub = await startHub(dialect);
    const goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Approve loans faster', businessQuestion: 'Which loans are safe?' } })).createGoal.goal.id;
    const otherGoalId = ok(await hub.as('sme2', CreateGoalDocument, { input: { title: 'Someone else\'s goal', businessQuestion: 'q' } })).createGoal.goal.id;
    const kpiId = ok(await hub.as('sme', AddKpiDocument, { input: { goalId, name: 'Approval time', direction: 'LOWER_IS_BETTER' } })).addKpi.kpi.id;
    const experimentId = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId, name: 'Baseline' } })).createExperiment.experiment.id;
    const runId = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId, name: 'first run' } })).logRun.run.id;
    const modelId = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId, name: 'loan-approval' } })).registerModel.model.id;
    const versionId = ok(await hub.as('mlEngineer', CreateModelVersionDocument, { input: { modelId, runId } })).createModelVersion.modelVersion.id;
    const userId = ok(await hub.as('admin', CreateUserDocument, { input: { name: 'Target User', email: 'target@perm.example', roles: ['RISK_MANAGER'] } })).createUser.user.id;
    fx = { goalId, otherGoalId, kpiId, experimentId, runId, modelId, versionId, userId };
  });
  afterAll(() => hub?.close());

  /** Everything any of the mutations could change, read as ADMIN. */
  const snapshot = async () => ok(await hub.as('admin', RlSnapshotDocument, fx));

  describe('the permission matrix', () => {
    it.each(MATRIX.map((row) => [`${row.name} as ${row.role}: ${row.expected}`, row] as const))('%s', async (_title, { name, role, call, expected }) => {
      const before = await snapshot();
      const result = await call(hub, role, fx, `${name.split(' ')[0]}-${role}`.toLowerCase());
      const after = await snapshot();
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
    });

    it('covers every core mutation for every role', () => {
      expect(MUTATIONS.map(([name]) => name.split(' ')[0]).sort()).toEqual([
        'addComment', 'addKpi', 'createExperiment', 'createGoal', 'createModelVersion', 'createUser', 'logRun', 'recordKpiValue',
        'registerModel', 'updateGoal', 'updateModel', 'updateModelVersion', 'updateRun', 'updateUser',
      ]);
      expect(MATRIX).toHaveLength(14 * 6);
    });
  });

  describe('goal ownership', () => {
    it('lets the owner update their own goal, which another SME may not', async () => {
      const { updateGoal } = ok(await hub.as('sme', UpdateGoalDocument, { input: { goalId: fx.goalId, description: 'Owner edit' } }));
      expect(updateGoal.goal.description).toBe('Owner edit');
      expect(errorCode(await hub.as('sme2', UpdateGoalDocument, { input: { goalId: fx.goalId, description: 'Not mine' } }))).toBe('FORBIDDEN');
      const after = await snapshot();
      expect(after.goal).toMatchObject({ title: 'Approve loans faster' });
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
      ['an unknown token', () => 'Bearer mh_' + 'A'.repeat(43)],
      ['an unknown token without the mh_ prefix', () => 'Bearer not-a-real-token'],
      ['"Bearer" with nothing after it', () => 'Bearer'],
      ['"Bearer " with only spaces after it', () => 'Bearer    '],
      ['Basic credentials', () => 'Basic xyz'],
      ['Basic credentials carrying a real token', (hub: TestHub) => `Basic ${hub.users.admin.token}`],
      ['a real token without the Bearer prefix', (hub: TestHub) => hub.users.admin.token],
      ['a real token with a character changed', (hub: TestHub) => `Bearer ${hub.users.admin.token.slice(0, -1)}${hub.users.admin.token.endsWith('A') ? 'B' : 'A'}`],
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
