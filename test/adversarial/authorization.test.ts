/**
 * The authorization matrix, generated from the schema: every field of `Mutation` in
 * schema/schema.graphql × every role, plus no token, a revoked token and a malformed header.
 * The expectations come from ONE table (`MATRIX` below), transcribed from the README's
 * permission table; a mutation without a row fails the suite, so a new one cannot slip past.
 *
 * Fixtures are built through the API. Each cell checks the answer and the database: a refused
 * call changes no row of any table, an allowed one writes events whose actor is the caller.
 */
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Origin } from '../../src/domain/enums';
import { userService } from '../../src/domain/user/user.service';
import { CreateUserDocument, ViewerDocument } from '../../src/generated/operations';
import { fetchJson, ok, type Answer } from '../helpers/client';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { mutateForId, mutationDocument } from '../helpers/mutations';
import { mutationNames } from '../helpers/schema';
import { snapshotTables, tablesOf } from '../helpers/tables';

const MUTATION_NAMES = mutationNames();

/** The columns of the matrix, in table order. */
const COLUMNS = ['ADMIN', 'SME', 'DATA_SCIENTIST', 'DATA_ENGINEER', 'ML_ENGINEER', 'RISK_MANAGER', 'no token', 'revoked token', 'malformed header'] as const;
type Column = (typeof COLUMNS)[number];
const ACTING: Partial<Record<Column, Person>> = {
  ADMIN: 'admin', SME: 'sme', DATA_SCIENTIST: 'scientist', DATA_ENGINEER: 'dataEngineer', ML_ENGINEER: 'mlEngineer', RISK_MANAGER: 'risk',
};
const CODES = { ok: 'ok', F: 'FORBIDDEN', U: 'UNAUTHENTICATED' } as const;
type Expected = (typeof CODES)[keyof typeof CODES];

/** IDs of the shared fixtures, plus whatever a row's own setup made for its cell. */
type Fx = Record<string, string>;

interface Row {
  mutation: string;
  variant: string;
  expected: Record<Column, Expected>;
  /** Fresh objects for one cell (a state the call consumes: a pending request, an open flag). */
  setup?: (hub: TestHub, fx: Fx) => Promise<Fx>;
  input: (fx: Fx, tag: string) => Record<string, unknown>;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// THE TABLE. ok = allowed, F = FORBIDDEN, U = UNAUTHENTICATED (HTTP 401).
// Columns: ADMIN SME DATA_SCIENTIST DATA_ENGINEER ML_ENGINEER RISK_MANAGER | none revoked malformed
// ─────────────────────────────────────────────────────────────────────────────────────────────
const MATRIX: [mutation: string, variant: string, cells: string, input: Row['input'], setup?: Row['setup']][] = [
  ['createUser', '', '        ok F  F  F  F  F  | U U U', (_fx, tag) => ({ name: `User ${tag}`, email: `${tag}@adv-matrix.example`, roles: ['SME'] })],
  ['updateUser', '', '        ok F  F  F  F  F  | U U U', (fx, tag) => ({ userId: fx.targetUser, name: `Renamed ${tag}` })],
  ['createGoal', '', '        ok ok F  F  F  F  | U U U', (_fx, tag) => ({ title: `Goal ${tag}`, businessQuestion: 'Why?' })],
  ['updateGoal', "the SME's own goal", 'ok ok F F F F | U U U', (fx, tag) => ({ goalId: fx.goal, description: `Edited ${tag}` })],
  ['updateGoal', "another SME's goal", 'ok F F F F F | U U U', (fx, tag) => ({ goalId: fx.otherGoal, description: `Edited ${tag}` })],
  ['addKpi', '', '            ok ok F  F  F  F  | U U U', (fx, tag) => ({ goalId: fx.goal, name: `KPI ${tag}`, direction: 'HIGHER_IS_BETTER' })],
  ['recordKpiValue', '', '    ok ok ok F  ok F  | U U U', (fx) => ({ kpiId: fx.kpi, value: 0.5 })],
  ['createExperiment', '', '  ok F  ok ok ok F  | U U U', (fx, tag) => ({ goalId: fx.goal, name: `Experiment ${tag}` })],
  ['logRun', '', '            ok F  ok ok ok F  | U U U', (fx, tag) => ({ experimentId: fx.experiment, name: `Run ${tag}` })],
  ['updateRun', '', '         ok F  ok ok ok F  | U U U', (fx) => ({ runId: fx.run, metrics: [{ key: 'auc', value: Math.random() }] })],
  ['registerModel', '', '     ok F  ok ok ok F  | U U U', (fx, tag) => ({ goalId: fx.goal, name: `model-${tag}` })],
  ['updateModel', '', '       ok F  ok ok ok F  | U U U', (fx, tag) => ({ modelId: fx.model, description: `Described ${tag}` })],
  ['createModelVersion', '', 'ok F  ok ok ok F  | U U U', (fx, tag) => ({ modelId: fx.model, description: `Version ${tag}` })],
  ['updateModelVersion', '', 'ok F  ok ok ok F  | U U U', (fx, tag) => ({ modelVersionId: fx.version, description: `Described ${tag}` })],
  ['requestPromotion', 'a fresh version to STAGING', 'ok F ok F ok F | U U U',
    (fx) => ({ modelVersionId: fx.fresh, toStage: 'STAGING' }),
    async (hub, fx) => ({ fresh: await newVersion(hub, fx) })],
  ['reviewPromotion', "a data scientist's request to PRODUCTION (awaits SME, RISK_MANAGER)", 'F ok F F F ok | U U U',
    (fx) => ({ promotionRequestId: fx.request, decision: 'APPROVE' }),
    async (hub, fx) => ({ request: await newRequest(hub, fx, 'scientist', 'PRODUCTION') })],
  ['reviewPromotion', "a data scientist's request to STAGING (awaits ML_ENGINEER)", 'F F F F ok F | U U U',
    (fx) => ({ promotionRequestId: fx.request, decision: 'REJECT', comment: 'no' }),
    async (hub, fx) => ({ request: await newRequest(hub, fx, 'scientist', 'STAGING') })],
  ['reviewPromotion', "an ML engineer's own request to STAGING (four eyes)", 'F F F F F F | U U U',
    (fx) => ({ promotionRequestId: fx.request, decision: 'APPROVE' }),
    async (hub, fx) => ({ request: await newRequest(hub, fx, 'mlEngineer', 'STAGING') })],
  ['cancelPromotion', "a data scientist's request (requester or ADMIN)", 'ok F ok F F F | U U U',
    (fx) => ({ promotionRequestId: fx.request, reason: 'changed my mind' }),
    async (hub, fx) => ({ request: await newRequest(hub, fx, 'scientist', 'STAGING') })],
  ['acknowledgeDrift', 'an OPEN flag', 'ok F ok F ok F | U U U',
    (fx) => ({ driftFlagId: fx.flag }),
    async (hub, fx) => ({ flag: await newFlag(hub, fx) })],
  ['resolveDrift', 'an OPEN flag', 'ok F ok F ok F | U U U',
    (fx) => ({ driftFlagId: fx.flag, resolution: 'retrained' }),
    async (hub, fx) => ({ flag: await newFlag(hub, fx) })],
  ['flagDrift', '', '         ok ok ok ok ok ok | U U U', (fx) => ({ modelVersionId: fx.version, kind: 'DATA', severity: 'LOW', description: 'inputs moved' })],
  ['submitFeedback', '', '    ok ok ok ok ok ok | U U U', (fx) => ({ goalId: fx.goal, modelVersionId: fx.version, verdict: 'PARTIALLY_MEETS' })],
  ['addComment', '', '        ok ok ok ok ok ok | U U U', (fx, tag) => ({ subjectId: fx.goal, body: `Comment ${tag}` })],
];

const ROWS: Row[] = MATRIX.map(([mutation, variant, cells, input, setup]) => {
  const codes = cells.replace('|', ' ').trim().split(/\s+/);
  if (codes.length !== COLUMNS.length) throw new Error(`${mutation}: ${codes.length} cells for ${COLUMNS.length} columns`);
  const expected = Object.fromEntries(COLUMNS.map((c, i) => {
    const code = CODES[codes[i] as keyof typeof CODES];
    if (!code) throw new Error(`${mutation}: unknown cell "${codes[i]}"`);
    return [c, code];
  })) as Record<Column, Expected>;
  return { mutation, variant, expected, input, setup };
});

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

// ── Talking to the hub ──────────────────────────────────────────────────────────────────────

/** Sends `mutation` with `input` and the Authorization header as given (none when undefined). */
function send(hub: TestHub, authorization: string | undefined, mutation: string, input: Record<string, unknown>): Promise<Answer> {
  return fetchJson(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ query: print(mutationDocument(mutation)), variables: { input } }),
  });
}

async function newVersion(hub: TestHub, fx: Fx): Promise<string> {
  return mutateForId(hub, 'mlEngineer', 'createModelVersion', { modelId: fx.model });
}

async function newRequest(hub: TestHub, fx: Fx, requester: Person, toStage: string): Promise<string> {
  return mutateForId(hub, requester, 'requestPromotion', { modelVersionId: await newVersion(hub, fx), toStage });
}

async function newFlag(hub: TestHub, fx: Fx): Promise<string> {
  return mutateForId(hub, 'risk', 'flagDrift', { modelVersionId: fx.version, kind: 'PERFORMANCE', severity: 'HIGH', description: 'AUC fell' });
}

// ── The suite ───────────────────────────────────────────────────────────────────────────────

describe('authorization matrix (SQLite)', () => {
  let hub: TestHub;
  const fx: Fx = {};
  let revokedToken: string;
  let tables: string[];

  beforeAll(async () => {
    hub = await startHub('sqlite');
    tables = await tablesOf(hub);
    fx.goal = await mutateForId(hub, 'sme', 'createGoal', { title: 'Matrix goal', businessQuestion: 'Who may do what?' });
    fx.otherGoal = await mutateForId(hub, 'sme2', 'createGoal', { title: "Another SME's goal", businessQuestion: 'Whose is it?' });
    fx.kpi = await mutateForId(hub, 'sme', 'addKpi', { goalId: fx.goal, name: 'Refusal rate', direction: 'LOWER_IS_BETTER' });
    fx.experiment = await mutateForId(hub, 'scientist', 'createExperiment', { goalId: fx.goal, name: 'Matrix experiment' });
    fx.run = await mutateForId(hub, 'scientist', 'logRun', { experimentId: fx.experiment, name: 'matrix run' });
    fx.model = await mutateForId(hub, 'scientist', 'registerModel', { goalId: fx.goal, name: 'matrix-model' });
    fx.version = await mutateForId(hub, 'mlEngineer', 'createModelVersion', { modelId: fx.model, runId: fx.run });
    fx.targetUser = await mutateForId(hub, 'admin', 'createUser', { name: 'Target', email: 'target@adv-matrix.example', roles: ['SME'] });

    // A user holding every role whose tokens are then revoked: a revoked token must count for nothing.
    const roles = ['ADMIN', 'SME', 'DATA_SCIENTIST', 'DATA_ENGINEER', 'ML_ENGINEER', 'RISK_MANAGER'] as const;
    revokedToken = ok(await hub.as('admin', CreateUserDocument, { input: { name: 'Revoked Everyone', email: 'revoked@adv-matrix.example', roles: [...roles] } })).createUser.token;
    expect((await hub.as({ token: revokedToken }, ViewerDocument, {})).status).toBe(200);
    const { revoked } = await userService.revokeTokens(
      { em: hub.db.fork(), viewer: null, origin: Origin.API, operator: true } as never,
      'revoked@adv-matrix.example',
    );
    expect(revoked).toBe(1);
  });
  afterAll(() => hub?.close());

  it('has a row for every mutation of schema/schema.graphql, and no row for a mutation that does not exist', () => {
    const covered = new Set(ROWS.map((r) => r.mutation));
    expect(MUTATION_NAMES.filter((m) => !covered.has(m)), 'mutations without a row in MATRIX').toEqual([]);
    expect([...covered].filter((m) => !MUTATION_NAMES.includes(m)), 'rows for unknown mutations').toEqual([]);
  });

  const cells = ROWS.flatMap((row, r) => COLUMNS.map((column, c) => ({ row, column, index: r * COLUMNS.length + c })));
  it.each(cells.map((cell) => [
    `${cell.row.mutation}${cell.row.variant ? ` (${cell.row.variant})` : ''} × ${cell.column} → ${cell.row.expected[cell.column]}`, cell,
  ] as const))('%s', async (_title, { row, column, index }) => {
    const expected = row.expected[column];
    const person = ACTING[column];
    const authorization = person ? `Bearer ${hub.users[person].token}`
      : column === 'revoked token' ? `Bearer ${revokedToken}`
        : column === 'malformed header' ? MALFORMED[index % MALFORMED.length](hub.users.admin.token)
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
      expect(written.length, 'the mutation wrote its event').toBeGreaterThan(0);
      for (const event of written) expect(Number(event.actor_id), `${event.type} is recorded as the caller's`).toBe(hub.users[person!].dbId);
    } else {
      expect(res.json.errors?.[0]?.extensions?.code, res.text).toBe(expected);
      expect(res.json.data?.[row.mutation] ?? null).toBeNull();
      if (expected === 'UNAUTHENTICATED') expect(res.status).toBe(401);
      expect(res.json.errors?.[0]?.message).toMatch(/\w/);
      // A refused mutation changes nothing, in any table.
      expect(after.hashes).toEqual(before.hashes);
    }
  });
});
