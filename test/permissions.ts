/**
 * Who may call each mutation: the one permission table. Read by
 *  - test/graphql/permissions.test.ts: every role column, through the API, on both databases;
 *  - test/adversarial/authorization.test.ts: every column, against the database's rows;
 *  - README.md's permission table, rendered by `npm run docs:permissions`
 *    (test/permissions.test.ts fails when README shows anything else, or a mutation has no row).
 *
 * A row is one case of a mutation (`variant`, when who may depends on the object) with the outcome
 * for each column and the input that would change something if the call went through.
 */
import { artifactDigest } from './helpers/fixtures';
import type { Person, TestHub } from './helpers/hub';
import { CoExplanationDocument, WhWebhookDeliveriesDocument } from '../src/generated/operations';
import { having, ok } from './helpers/client';
import { mutateForId, mutationDocument } from './helpers/mutations';

/** The roles, in the order the README names them; a column each. */
export const ROLES = ['SME', 'DATA_SCIENTIST', 'DATA_ENGINEER', 'ML_ENGINEER', 'RISK_MANAGER', 'ADMIN'] as const;
export type RoleColumn = (typeof ROLES)[number];
/** Callers that are no user at all: each must be UNAUTHENTICATED (HTTP 401). */
export const NOBODY = ['no token', 'revoked token', 'malformed header'] as const;
export type Column = RoleColumn | (typeof NOBODY)[number];

/** The test user who acts for each role column. */
export const ACTING: Record<RoleColumn, Person> = {
  SME: 'sme',
  DATA_SCIENTIST: 'scientist',
  DATA_ENGINEER: 'dataEngineer',
  ML_ENGINEER: 'mlEngineer',
  RISK_MANAGER: 'risk',
  ADMIN: 'admin',
};

export type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
const CODES: Record<string, Outcome> = { ok: 'ok', F: 'FORBIDDEN', U: 'UNAUTHENTICATED' };

/** The objects every row may act on (permissionFixtures), plus what a row's own setup made for its cell. */
export interface Fixtures {
  goal: string;
  /** A goal of sme2's: no one in a role column owns it. */
  otherGoal: string;
  kpi: string;
  experiment: string;
  run: string;
  model: string;
  version: string;
  targetUser: string;
  [made: string]: string;
}

export interface PermissionRow {
  mutation: string;
  /** The case, when who may depends on the object ('' when it does not). */
  variant: string;
  /** Who may, as README words it where that is more than a list of roles; one text for all rows of a mutation. */
  who?: string;
  expected: Record<Column, Outcome>;
  /** Fresh objects for one cell, made just before the call: a state the call uses up (a pending request, an open flag). */
  setup?: (hub: TestHub, fx: Fixtures) => Promise<Record<string, string>>;
  /** False for a mutation that records no event (it changes only the caller's own state, e.g. what they have read). */
  recordsEvent?: false;
  /** The mutation's input; `tag` is unique per cell. */
  input: (fx: Fixtures, tag: string) => Record<string, unknown>;
  /** Configuration (webhooks) that records no lifecycle event. */
  recordsNoEvent?: boolean;
}

const newVersion = (hub: TestHub, fx: Fixtures) =>
  mutateForId(hub, 'mlEngineer', 'createModelVersion', { modelId: fx.model, artifactDigest: artifactDigest(fx.model) });
const newRequest = async (hub: TestHub, fx: Fixtures, requester: Person, toStage: string) =>
  mutateForId(hub, requester, 'requestPromotion', { modelVersionId: await newVersion(hub, fx), toStage });
const newFlag = (hub: TestHub, fx: Fixtures) =>
  mutateForId(hub, 'risk', 'flagDrift', { modelVersionId: fx.version, kind: 'PERFORMANCE', severity: 'HIGH', description: 'AUC fell' });
/** A goal of the SME's with a KPI, for one cell: a goal holds a bounded number of monitors. */
async function newGoalWithKpi(hub: TestHub): Promise<{ monitoredGoal: string; monitoredKpi: string }> {
  const monitoredGoal = await mutateForId(hub, 'sme', 'createGoal', { title: 'Monitored', businessQuestion: 'Still good?' });
  return {
    monitoredGoal,
    monitoredKpi: await mutateForId(hub, 'sme', 'addKpi', { goalId: monitoredGoal, name: 'Conversion', direction: 'HIGHER_IS_BETTER' }),
  };
}
const monitorInput = (fx: Partial<Fixtures>, name: string) => ({
  goalId: fx.monitoredGoal,
  name,
  source: 'KPI',
  kpiId: fx.monitoredKpi,
  condition: 'BELOW',
  threshold: 0.1,
  severity: 'LOW',
});
const newMonitor = async (hub: TestHub) => ({
  monitor: await mutateForId(hub, 'sme', 'createMonitor', monitorInput(await newGoalWithKpi(hub), 'KPI low')),
});
const newQuestion = (hub: TestHub, fx: Fixtures) =>
  mutateForId(hub, 'risk', 'addComment', { subjectId: fx.goal, body: 'Who signs this off?', isQuestion: true });

/** A fresh explained outcome of the fixture version, recorded by a data scientist. */
async function newExplanation(hub: TestHub, fx: Fixtures): Promise<string> {
  const subjectKey = `customer-${Math.random().toString(36).slice(2)}`;
  ok(
    await hub.as('scientist', mutationDocument('recordPredictionExplanations'), {
      input: { modelVersionId: fx.version, items: [{ subjectKey, prediction: 'flagged', attributions: [] }] },
    }),
  );
  const { node } = ok(await hub.as('sme', CoExplanationDocument, { id: fx.version, subjectKey }));
  return (node as { explanation: { id: string } }).explanation.id;
}

/** A comment by sme2 that mentions every role column's person, so that each has an unread notification. */
const mentionEveryone = (hub: TestHub, fx: Fixtures) =>
  mutateForId(hub, 'sme2', 'addComment', {
    subjectId: fx.goal,
    body: Object.values(ACTING)
      .map((p) => `@${p.toLowerCase()}`)
      .join(' '),
  });

/** A public address (TEST-NET-1) that no hub refuses and nothing answers on. */
const HOOK_URL = 'https://192.0.2.10/hooks/modelops';
const newWebhook = (hub: TestHub) => mutateForId(hub, 'admin', 'createWebhook', { url: HOOK_URL, eventTypes: ['COMMENT_ADDED'] });
/** A webhook with one delivery in its log. */
async function newDelivery(hub: TestHub, fx: Fixtures): Promise<string> {
  const webhook = await newWebhook(hub);
  await mutateForId(hub, 'sme', 'addComment', { subjectId: fx.goal, body: 'for the webhooks' });
  // By the webhook's ID: the plain `webhooks` list shows only the first 10.
  const { node } = ok(await hub.as('admin', WhWebhookDeliveriesDocument, { id: webhook, first: 1 }));
  return having(node, 'deliveries').deliveries.nodes[0].id;
}
const CONFIGURATION = { recordsNoEvent: true };

const OWNER = "the goal's owner, ADMIN";
const REVIEWER = 'a holder of a role the request still misses, not the requester';
const REQUESTER = 'the requester, ADMIN';

type Line = [
  mutation: string,
  variant: string,
  cells: string,
  input: PermissionRow['input'],
  extra?: Pick<PermissionRow, 'who' | 'setup' | 'recordsNoEvent' | 'recordsEvent'>,
];

// ─────────────────────────────────────────────────────────────────────────────────────────────
// THE TABLE. ok = allowed, F = FORBIDDEN, U = UNAUTHENTICATED (HTTP 401).
// Columns: SME DATA_SCIENTIST DATA_ENGINEER ML_ENGINEER RISK_MANAGER ADMIN | no token, revoked, malformed
// ─────────────────────────────────────────────────────────────────────────────────────────────
const LINES: Line[] = [
  [
    'createUser',
    '',
    '        F  F  F  F  F  ok | U U U',
    (_fx, tag) => ({ name: `User ${tag}`, email: `${tag}@permissions.example`, roles: ['SME'] }),
  ],
  ['createServiceAccount', '', 'F F F F F ok | U U U', (_fx, tag) => ({ name: `pipeline ${tag}`, roles: ['DATA_SCIENTIST'] })],
  ['updateUser', '', '        F  F  F  F  F  ok | U U U', (fx, tag) => ({ userId: fx.targetUser, name: `Renamed ${tag}` })],
  ['createGoal', '', '        ok F  F  F  F  ok | U U U', (_fx, tag) => ({ title: `Goal ${tag}`, businessQuestion: 'Why?' })],
  ['addKpi', '', '            ok F  F  F  F  ok | U U U', (fx, tag) => ({ goalId: fx.goal, name: `KPI ${tag}`, direction: 'HIGHER_IS_BETTER' })],
  ['updateGoal', "the SME's own goal", 'ok F F F F ok | U U U', (fx, tag) => ({ goalId: fx.goal, description: `Edited ${tag}` }), { who: OWNER }],
  ['updateGoal', "another SME's goal", 'F F F F F ok | U U U', (fx, tag) => ({ goalId: fx.otherGoal, description: `Edited ${tag}` }), { who: OWNER }],
  ['recordKpiValue', '', '    ok ok F  ok F  ok | U U U', (fx) => ({ kpiId: fx.kpi, value: 0.5 })],
  [
    'recordKpiValues',
    '',
    '   ok ok F  ok F  ok | U U U',
    (fx, tag) => ({ kpiId: fx.kpi, values: [{ value: 0.5, observedAt: '2026-01-01T00:00:00Z', sourceKey: tag }] }),
  ],
  ['createExperiment', '', '  F  ok ok ok F  ok | U U U', (fx, tag) => ({ goalId: fx.goal, name: `Experiment ${tag}` })],
  ['ensureExperiment', '', '  F  ok ok ok F  ok | U U U', (fx, tag) => ({ goalId: fx.goal, name: `Ensured ${tag}` })],
  ['logRun', '', '            F  ok ok ok F  ok | U U U', (fx, tag) => ({ experimentId: fx.experiment, name: `Run ${tag}` })],
  ['logMetrics', '', '        F  ok ok ok F  ok | U U U', (fx) => ({ runId: fx.run, metrics: [{ key: 'loss', value: Math.random(), step: 1 }] })],
  ['updateRun', '', '         F  ok ok ok F  ok | U U U', (fx) => ({ runId: fx.run, metrics: [{ key: 'auc', value: Math.random() }] })],
  ['registerModel', '', '     F  ok ok ok F  ok | U U U', (fx, tag) => ({ goalId: fx.goal, name: `model-${tag}` })],
  ['ensureModel', '', '       F  ok ok ok F  ok | U U U', (fx, tag) => ({ goalId: fx.goal, name: `ensured-${tag}` })],
  ['updateModel', '', '       F  ok ok ok F  ok | U U U', (fx, tag) => ({ modelId: fx.model, description: `Described ${tag}` })],
  ['createModelVersion', '', 'F  ok ok ok F  ok | U U U', (fx, tag) => ({ modelId: fx.model, runId: fx.run, description: `Version ${tag}` })],
  ['updateModelVersion', '', 'F  ok ok ok F  ok | U U U', (fx, tag) => ({ modelVersionId: fx.version, description: `Described ${tag}` })],
  [
    'requestPromotion',
    'a fresh version to STAGING',
    'F ok F ok F ok | U U U',
    (fx) => ({ modelVersionId: fx.fresh, toStage: 'STAGING' }),
    { setup: async (hub, fx) => ({ fresh: await newVersion(hub, fx) }) },
  ],
  [
    'reviewPromotion',
    "a data scientist's request to PRODUCTION (awaits SME, RISK_MANAGER)",
    'ok F F F ok F | U U U',
    (fx) => ({ promotionRequestId: fx.request, decision: 'APPROVE' }),
    { who: REVIEWER, setup: async (hub, fx) => ({ request: await newRequest(hub, fx, 'scientist', 'PRODUCTION') }) },
  ],
  [
    'reviewPromotion',
    "a data scientist's request to STAGING (awaits ML_ENGINEER)",
    'F F F ok F F | U U U',
    (fx) => ({ promotionRequestId: fx.request, decision: 'REJECT', comment: 'no' }),
    { who: REVIEWER, setup: async (hub, fx) => ({ request: await newRequest(hub, fx, 'scientist', 'STAGING') }) },
  ],
  [
    'reviewPromotion',
    "an ML engineer's own request to STAGING (four eyes)",
    'F F F F F F | U U U',
    (fx) => ({ promotionRequestId: fx.request, decision: 'APPROVE' }),
    { who: REVIEWER, setup: async (hub, fx) => ({ request: await newRequest(hub, fx, 'mlEngineer', 'STAGING') }) },
  ],
  [
    'cancelPromotion',
    "a data scientist's request (requester or ADMIN)",
    'F ok F F F ok | U U U',
    (fx) => ({ promotionRequestId: fx.request, reason: 'changed my mind' }),
    { who: REQUESTER, setup: async (hub, fx) => ({ request: await newRequest(hub, fx, 'scientist', 'STAGING') }) },
  ],
  [
    'acknowledgeDrift',
    'an OPEN flag',
    'F ok F ok F ok | U U U',
    (fx) => ({ driftFlagId: fx.flag }),
    { setup: async (hub, fx) => ({ flag: await newFlag(hub, fx) }) },
  ],
  [
    'resolveDrift',
    'an OPEN flag',
    'F ok F ok F ok | U U U',
    (fx) => ({ driftFlagId: fx.flag, resolution: 'retrained' }),
    { setup: async (hub, fx) => ({ flag: await newFlag(hub, fx) }) },
  ],
  [
    'recordDeployment',
    '',
    '  F  F  F  ok F  ok | U U U',
    (fx, tag) => ({ modelVersionId: fx.version, environment: `env-${tag}`.slice(0, 100), status: 'SUCCEEDED' }),
    { who: 'ML_ENGINEER, ADMIN, a service account' },
  ],
  ['addComment', '', '        ok ok ok ok ok ok | U U U', (fx, tag) => ({ subjectId: fx.goal, body: `Comment ${tag}` })],
  [
    'flagDrift',
    '',
    '         ok ok ok ok ok ok | U U U',
    (fx) => ({ modelVersionId: fx.version, kind: 'DATA', severity: 'LOW', description: 'inputs moved' }),
  ],
  [
    'flagDriftMany',
    '',
    '     ok ok ok ok ok ok | U U U',
    (fx, tag) => ({ modelVersionIds: [fx.version], kind: 'DATA', severity: 'LOW', description: `inputs moved ${tag}` }),
  ],
  ['submitFeedback', '', '    ok ok ok ok ok ok | U U U', (fx) => ({ goalId: fx.goal, modelVersionId: fx.version, verdict: 'PARTIALLY_MEETS' })],
  [
    'recordPredictionExplanations',
    '',
    'F ok ok ok F ok | U U U',
    (fx, tag) => ({
      modelVersionId: fx.version,
      items: [
        {
          subjectKey: `subject-${tag}`,
          prediction: 'approved',
          score: 0.2,
          attributions: [{ feature: 'income', value: '4200', contribution: -0.3 }],
        },
      ],
    }),
    { who: 'DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER, ADMIN, a service account holding one of these' },
  ],
  [
    'disputeOutcome',
    '',
    '    ok ok ok ok ok ok | U U U',
    (fx, tag) => ({ explanationId: fx.explanation, comment: `Wrong for this customer ${tag}` }),
    { setup: async (hub, fx) => ({ explanation: await newExplanation(hub, fx) }) },
  ],
  [
    'createWebhook',
    '',
    '     F  F  F  F  F  ok | U U U',
    (_fx, tag) => ({ url: `${HOOK_URL}/${tag}`, eventTypes: ['STAGE_CHANGED'] }),
    CONFIGURATION,
  ],
  [
    'updateWebhook',
    '',
    '     F  F  F  F  F  ok | U U U',
    (fx, tag) => ({ webhookId: fx.webhook, url: `${HOOK_URL}/${tag}` }),
    { ...CONFIGURATION, setup: async (hub) => ({ webhook: await newWebhook(hub) }) },
  ],
  [
    'deleteWebhook',
    '',
    '     F  F  F  F  F  ok | U U U',
    (fx) => ({ webhookId: fx.webhook }),
    { ...CONFIGURATION, setup: async (hub) => ({ webhook: await newWebhook(hub) }) },
  ],
  [
    'redeliverWebhookDelivery',
    '',
    'F F F F F ok | U U U',
    (fx) => ({ deliveryId: fx.delivery }),
    { ...CONFIGURATION, setup: async (hub, fx) => ({ delivery: await newDelivery(hub, fx) }) },
  ],
  [
    'markAnswered',
    "a risk manager's question on the SME's goal",
    'ok F F F ok ok | U U U',
    (fx) => ({ commentId: fx.question }),
    { who: "the question's author, the owner of what it is on, ADMIN", setup: async (hub, fx) => ({ question: await newQuestion(hub, fx) }) },
  ],
  [
    'transferOwnership',
    "the SME's own goal, to another SME",
    'ok F F F F ok | U U U',
    (fx) => ({ subjectId: fx.ownGoal, newOwnerId: fx.targetUser }),
    {
      who: 'the current owner, ADMIN',
      setup: async (hub) => ({ ownGoal: await mutateForId(hub, 'sme', 'createGoal', { title: 'To hand over', businessQuestion: 'Whose?' }) }),
    },
  ],
  [
    'markNotificationsRead',
    '',
    'ok ok ok ok ok ok | U U U',
    () => ({}),
    { who: 'anyone, their own notifications only', recordsEvent: false, setup: async (hub, fx) => ({ mention: await mentionEveryone(hub, fx) }) },
  ],
  ['createMonitor', '', '     ok ok F  F  F  ok | U U U', (fx, tag) => monitorInput(fx, `Monitor ${tag}`), { setup: newGoalWithKpi }],
  ['updateMonitor', '', '     ok ok F  F  F  ok | U U U', (fx) => ({ monitorId: fx.monitor, threshold: 0.2 }), { setup: newMonitor }],
  ['pauseMonitor', '', '      ok ok F  F  F  ok | U U U', (fx) => ({ monitorId: fx.monitor, paused: true }), { setup: newMonitor }],
  ['deleteMonitor', '', '     ok ok F  F  F  ok | U U U', (fx) => ({ monitorId: fx.monitor }), { setup: newMonitor }],
];

export const COLUMNS: readonly Column[] = [...ROLES, ...NOBODY];

export const PERMISSIONS: readonly PermissionRow[] = LINES.map(([mutation, variant, cells, input, extra]) => {
  const codes = cells.replace('|', ' ').trim().split(/\s+/);
  if (codes.length !== COLUMNS.length) throw new Error(`${mutation}: ${codes.length} cells for ${COLUMNS.length} columns`);
  const expected = Object.fromEntries(
    COLUMNS.map((column, i) => {
      const outcome = CODES[codes[i]];
      if (!outcome) throw new Error(`${mutation}: unknown cell "${codes[i]}"`);
      return [column, outcome];
    }),
  ) as Record<Column, Outcome>;
  return { mutation, variant, expected, input, ...extra };
});

/** A row's name in a test title: the mutation and, if any, its case. */
export const rowName = (row: PermissionRow): string => `${row.mutation}${row.variant ? ` (${row.variant})` : ''}`;

/** The objects the rows act on, made through the API by the users who may. */
export async function permissionFixtures(hub: TestHub): Promise<Fixtures> {
  const goal = await mutateForId(hub, 'sme', 'createGoal', { title: 'Who may do what', businessQuestion: 'Which calls go through?' });
  const otherGoal = await mutateForId(hub, 'sme2', 'createGoal', { title: "Another SME's goal", businessQuestion: 'Whose is it?' });
  const kpi = await mutateForId(hub, 'sme', 'addKpi', { goalId: goal, name: 'Refusal rate', direction: 'LOWER_IS_BETTER' });
  const experiment = await mutateForId(hub, 'scientist', 'createExperiment', { goalId: goal, name: 'Permission experiment' });
  const run = await mutateForId(hub, 'scientist', 'logRun', { experimentId: experiment, name: 'permission run' });
  const model = await mutateForId(hub, 'scientist', 'registerModel', { goalId: goal, name: 'permission-model' });
  const version = await mutateForId(hub, 'mlEngineer', 'createModelVersion', { modelId: model, runId: run });
  const targetUser = await mutateForId(hub, 'admin', 'createUser', { name: 'Target', email: 'target@permissions.example', roles: ['SME'] });
  return { goal, otherGoal, kpi, experiment, run, model, version, targetUser };
}

// ── README ──────────────────────────────────────────────────────────────────────────────────

/** What README says of the roles that may, when a row gives no words of its own. */
function roleList(row: PermissionRow): string {
  const allowed = ROLES.filter((role) => row.expected[role] === 'ok');
  return allowed.length === ROLES.length ? 'any authenticated user' : allowed.join(', ');
}

/** README's permission table, in table order: one line per mutation, or per run of mutations with the same "who". */
export function permissionTable(rows: readonly PermissionRow[] = PERMISSIONS): string[] {
  const whoOf = new Map<string, string>();
  for (const row of rows) {
    const who = row.who ?? roleList(row);
    const before = whoOf.get(row.mutation);
    if (before !== undefined && before !== who) throw new Error(`${row.mutation}: its rows say "${before}" and "${who}"; give them one \`who\``);
    whoOf.set(row.mutation, who);
  }
  const lines: { who: string; names: string[] }[] = [];
  for (const [mutation, who] of whoOf) {
    const last = lines.at(-1);
    if (last?.who === who) last.names.push(`\`${mutation}\``);
    else lines.push({ who, names: [`\`${mutation}\``] });
  }
  return [
    '| Mutation | Who |',
    '|---|---|',
    ...lines.map(
      ({ who, names }) =>
        `| ${[...names, ...(who === 'any authenticated user' ? ['every query (but `webhooks`: ADMIN) and subscription'] : [])].join(', ')} | ${who} |`,
    ),
  ];
}

const START = '<!-- permissions:start -->';
const END = '<!-- permissions:end -->';

/** `readme` with the lines between the permission markers replaced by permissionTable(), indented like the start marker. */
export function withPermissionTable(readme: string): string {
  const match = new RegExp(`^([ \\t]*)${START}\\n[\\s\\S]*?^[ \\t]*${END}$`, 'm').exec(readme);
  if (!match) throw new Error(`README.md has no ${START} … ${END} block`);
  const indent = match[1];
  const block = [START, ...permissionTable(), END].map((line) => `${indent}${line}`).join('\n');
  return readme.slice(0, match.index) + block + readme.slice(match.index + match[0].length);
}
