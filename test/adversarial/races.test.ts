import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../../src/domain/ids';
import {
  AddKpiDocument,
  CreateExperimentDocument,
  CreateUserDocument,
  LogRunDocument,
  PrEventsDocument,
  PrRequestDocument,
  RecordKpiValueDocument,
  RequestPromotionDocument,
  ReviewPromotionDocument,
  TransferOwnershipDocument,
  UpdateGoalDocument,
  UpdateModelDocument,
  UpdateModelVersionDocument,
  UpdateRunDocument,
  UpdateUserDocument,
} from '../../src/generated/operations';
import { having, ok } from '../helpers/client';
import { forEachDialect, PG_URL } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';
import { mutationNames } from '../helpers/schema';
import { clickButton } from '../helpers/slack';
import { useSlackHub } from '../helpers/slack-hub';

const REVIEWERS = 25;

forEachDialect((dialect) => {
  const slack = useSlackHub(dialect, {});

  it('decides one request once when 50 reviews arrive at the same time through GraphQL and Slack', async () => {
    const { hub } = slack;
    const people: { token: string; slackId: string }[] = [];
    for (let i = 0; i < REVIEWERS * 2; i++) {
      const role = i % 2 ? 'RISK_MANAGER' : 'SME';
      const slackId = `URACE${dialect === 'sqlite' ? 'S' : 'P'}${i}`;
      const { createUser } = ok(
        await hub.as('admin', CreateUserDocument, {
          input: { name: `Racer ${i}`, email: `racer${i}@race.example`, roles: [role as never], slackUserId: slackId },
        }),
      );
      people.push({ token: createUser.token, slackId });
    }
    const {
      versions: [version],
    } = await goalWithModel(hub, { title: 'Race', businessQuestion: 'Who wins?', model: 'race-model' });
    const versionId = version.id;
    const requestId = ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: versionId, toStage: 'PRODUCTION' } }))
      .requestPromotion.promotionRequest.id;

    // Half review through the API, half click Approve in Slack; all at once.
    const outcomes = await Promise.all(
      people.map(async (person, i) => {
        if (i % 4 < 2) {
          const res = await hub.as({ token: person.token }, ReviewPromotionDocument, {
            input: { promotionRequestId: requestId, decision: 'APPROVE' },
          });
          return { via: 'api', status: res.status, code: res.errors?.[0]?.extensions?.code ?? 'OK' };
        }
        const res = await clickButton(slack.events, {
          user: person.slackId,
          actionId: 'promotion_approve',
          value: requestId,
          channel: 'CRACE',
          messageTs: '1.1',
          responseUrl: slack.fake.url.replace(/api\/$/, `response/race-${i}`),
          triggerId: `race-${i}`,
        });
        return { via: 'slack', status: res.status, code: 'ACK' };
      }),
    );

    expect(outcomes.every((o) => o.status < 500)).toBe(true);
    const apiCodes = outcomes.filter((o) => o.via === 'api').map((o) => o.code);
    expect(apiCodes.every((c) => ['OK', 'CONFLICT', 'FORBIDDEN'].includes(String(c)))).toBe(true);

    const request = having(ok(await hub.as('sme', PrRequestDocument, { id: requestId })).node, 'reviews');
    expect(request.status).toBe('APPROVED');
    expect(request.modelVersion.stage).toBe('PRODUCTION');
    expect(request.reviews.map((r) => r.role).sort()).toEqual(['RISK_MANAGER', 'SME']);

    const events = ok(await hub.as('sme', PrEventsDocument, { first: 100, filter: { subjectId: requestId } })).events.nodes;
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('PROMOTION_REVIEWED')).toBe(2);
    expect(count('PROMOTION_APPROVED')).toBe(1);
    const stages = ok(await hub.as('sme', PrEventsDocument, { first: 100, filter: { subjectId: versionId, types: ['STAGE_CHANGED'] } })).events.nodes;
    expect(stages.filter((e) => e.data.toStage === 'PRODUCTION')).toHaveLength(1);

    // Slack clicks are told privately what happened; none was an internal error.
    await expect.poll(() => slack.fake.responses.filter((r) => r.path.startsWith('/response/race-')).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const texts = slack.fake.responses.filter((r) => r.path.startsWith('/response/race-')).map((r) => String(r.body.text));
    expect(texts.filter((t) => t.includes('Something went wrong'))).toEqual([]);
  }, 120_000);
});

/**
 * A race row per mutation of the schema's Mutation type, like the authorisation matrix: a mutation
 * without one fails the first test. A read-modify-write gets a race: concurrent conflicting calls on
 * one object, on PostgreSQL, after which the object's events agree with its row (each change's
 * `from` is the previous change's `to`, and the last `to` is what the row holds). Any other mutation
 * says why it needs none, or which test races it.
 */
type RaceRow = { race: (hub: TestHub) => Promise<void> } | { none: string };

const CALLS = 10;

/** Runs `calls` at once; each ends OK or with one of the `refusals` a rule may give. Returns how many succeeded. */
async function together(
  calls: (() => Promise<{ errors?: readonly { extensions?: { code?: unknown } }[] }>)[],
  refusals: string[] = [],
): Promise<number> {
  const results = await Promise.all(calls.map((call) => call()));
  const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
  expect(codes.filter((c) => c !== 'OK' && !refusals.includes(String(c)))).toEqual([]);
  return codes.filter((c) => c === 'OK').length;
}

/**
 * The events of `subjectId` that change `field`, oldest first, form one chain from `initial` to
 * what `table`'s row holds in `column`; there are `expected` of them when given.
 */
async function agree(
  hub: TestHub,
  subjectId: string,
  field: string,
  table: string,
  column: string,
  initial: unknown,
  expected?: number,
): Promise<void> {
  const events = ok(await hub.as('admin', PrEventsDocument, { first: 100, filter: { subjectId } }))
    .events.nodes.slice()
    .reverse();
  const changes = events
    .map((e) => (e.data as { changes?: Record<string, { from: unknown; to: unknown }> }).changes?.[field])
    .filter((c): c is { from: unknown; to: unknown } => c !== undefined);
  if (expected !== undefined) expect(changes).toHaveLength(expected);
  let last = initial;
  for (const change of changes) {
    expect(change.from).toEqual(last);
    last = change.to;
  }
  const [row] = await hub.db.knex(table).select(column).where('id', fromGlobalId(subjectId)!.id);
  expect(row[column]).toEqual(last);
}

const RACES: Record<string, RaceRow> = {
  updateGoal: {
    race: async (hub) => {
      const { goal } = await goalWithModel(hub, { title: 'Race goal', businessQuestion: 'Who writes last?', model: 'race-goal-model' });
      const n = await together(
        Array.from({ length: CALLS }, (_, i) => () => hub.as('sme', UpdateGoalDocument, { input: { goalId: goal.id, title: `Title ${i}` } })),
      );
      await agree(hub, goal.id, 'title', 'goals', 'title', 'Race goal', n);
    },
  },
  updateModel: {
    race: async (hub) => {
      const { model } = await goalWithModel(hub, { title: 'Race model', businessQuestion: 'Who writes last?', model: 'race-model-update' });
      const n = await together(
        Array.from(
          { length: CALLS },
          (_, i) => () => hub.as('scientist', UpdateModelDocument, { input: { modelId: model.id, description: `Description ${i}` } }),
        ),
      );
      await agree(hub, model.id, 'description', 'models', 'description', null, n);
    },
  },
  updateModelVersion: {
    race: async (hub) => {
      const {
        versions: [version],
      } = await goalWithModel(hub, { title: 'Race version', businessQuestion: 'Who writes last?', model: 'race-version-update' });
      const n = await together(
        Array.from(
          { length: CALLS },
          (_, i) => () => hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: version.id, description: `Description ${i}` } }),
        ),
      );
      await agree(hub, version.id, 'description', 'model_versions', 'description', null, n);
    },
  },
  updateUser: {
    race: async (hub) => {
      const user = hub.users.sme2;
      const n = await together(
        Array.from({ length: CALLS }, (_, i) => () => hub.as('admin', UpdateUserDocument, { input: { userId: user.id, name: `Name ${i}` } })),
      );
      await agree(hub, user.id, 'name', 'users', 'name', user.name, n);
    },
  },
  recordKpiValue: {
    race: async (hub) => {
      const { goal } = await goalWithModel(hub, { title: 'Race KPI', businessQuestion: 'Which value is current?', model: 'race-kpi-model' });
      const kpi = ok(await hub.as('sme', AddKpiDocument, { input: { goalId: goal.id, name: 'Churn', direction: 'LOWER_IS_BETTER' as never } })).addKpi
        .kpi;
      const base = Date.now() - 60_000;
      // Sent at once with shuffled observation times: `current` follows the latest observedAt.
      const order = Array.from({ length: CALLS }, (_, i) => (i * 7) % CALLS);
      await together(
        order.map(
          (i) => () =>
            hub.as('sme', RecordKpiValueDocument, { input: { kpiId: kpi.id, value: i, observedAt: new Date(base + i * 1000).toISOString() } }),
        ),
      );
      await agree(hub, kpi.id, 'current', 'kpis', 'current', null);
      const [row] = await hub.db.knex('kpis').select('current').where('id', fromGlobalId(kpi.id)!.id);
      expect(Number(row.current)).toBe(CALLS - 1);
    },
  },
  updateRun: {
    race: async (hub) => {
      const { goal } = await goalWithModel(hub, { title: 'Race run', businessQuestion: 'Which status wins?', model: 'race-run-model' });
      const experiment = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId: goal.id, name: 'Race experiment' } }))
        .createExperiment.experiment;
      const run = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId: experiment.id, name: 'race run' } })).logRun.run;
      // A run leaves RUNNING once: one status wins; calls for the other get CONFLICT, repeats of it change nothing.
      await together(
        Array.from(
          { length: CALLS },
          (_, i) => () => hub.as('scientist', UpdateRunDocument, { input: { runId: run.id, status: (i % 2 ? 'FINISHED' : 'FAILED') as never } }),
        ),
        ['CONFLICT'],
      );
      await agree(hub, run.id, 'status', 'runs', 'status', 'RUNNING', 1);
    },
  },
  transferOwnership: {
    race: async (hub) => {
      const { model } = await goalWithModel(hub, { title: 'Race owner', businessQuestion: 'Who owns it?', model: 'race-owner-model' });
      // The owner hands the model to two people at once: once it is handed over, they no longer own it.
      const to = [hub.users.mlEngineer, hub.users.dataEngineer];
      const n = await together(
        Array.from(
          { length: CALLS },
          (_, i) => () => hub.as('scientist', TransferOwnershipDocument, { input: { subjectId: model.id, newOwnerId: to[i % 2].id } }),
        ),
        ['FORBIDDEN'],
      );
      expect(n).toBe(1);
      const events = ok(await hub.as('admin', PrEventsDocument, { first: 100, filter: { subjectId: model.id, types: ['OWNERSHIP_TRANSFERRED'] } }))
        .events.nodes;
      expect(events).toHaveLength(1);
      const [row] = await hub.db.knex('models').select('owner_id').where('id', fromGlobalId(model.id)!.id);
      expect(toGlobalId('User', Number(row.owner_id))).toBe((events[0].data as { to: string }).to);
    },
  },
  markAnswered: { none: "sets `answered` once (a second call is a no-op or CONFLICT) under the comment's row lock" },
  reviewPromotion: { none: 'raced above: 50 reviews through GraphQL and Slack at once' },
  cancelPromotion: { none: "under the model's row lock, like reviewPromotion; raced in test/graphql/promotion.test.ts" },
  requestPromotion: { none: "under the model's row lock; raced in test/graphql/promotion.test.ts" },
  recordDeployment: { none: 'appends a deployment; reads nothing it then overwrites' },
  acknowledgeDrift: { none: "under the drift flag's row lock (lockRow in drift.service)" },
  resolveDrift: { none: "under the drift flag's row lock (lockRow in drift.service)" },
  flagDrift: { none: 'inserts a flag; the open-flag rule is a unique index' },
  flagDriftMany: { none: 'inserts flags, each as flagDrift' },
  recordKpiValues: { none: "under the KPI's row lock (lockRow in goal.service); duplicates by sourceKey are a unique index" },
  addComment: { none: 'inserts only' },
  addKpi: { none: 'inserts only' },
  createExperiment: { none: "inserts only, under the goal's row lock" },
  ensureExperiment: { none: "insert or find, under the goal's row lock" },
  createGoal: { none: 'inserts only' },
  createModelVersion: { none: "numbers versions under the model's row lock (version_count + 1 in SQL)" },
  registerModel: { none: 'inserts only; names are a unique index' },
  ensureModel: { none: "insert or find, under the goal's row lock" },
  createServiceAccount: { none: 'inserts only; names are a unique index' },
  createUser: { none: 'inserts only; emails are a unique index' },
  createWebhook: { none: 'inserts only' },
  createMonitor: { none: "inserts only, under the goal's row lock (the per-goal cap is counted under it)" },
  updateMonitor: { none: 'reads and writes the monitor under its row lock (lockRow in monitor.service)' },
  pauseMonitor: { none: 'reads and writes the monitor under its row lock (lockRow in monitor.service)' },
  deleteMonitor: { none: "deletes under the monitor's row lock" },
  recordPredictionExplanations: { none: "inserts or replaces by subjectKey under the version's row lock; subjectKey per version is a unique index" },
  disputeOutcome: { none: 'inserts a feedback only' },
  updateWebhook: { none: 'writes only the fields given and records no event: nothing read is written back' },
  deleteWebhook: { none: 'deletes only' },
  redeliverWebhookDelivery: { none: 'queues a new delivery attempt; reads nothing it then overwrites' },
  logRun: { none: 'inserts only' },
  logMetrics: { none: "appends metric points under the run's row lock (lockRow in experiment.service)" },
  markNotificationsRead: { none: 'sets read flags with one UPDATE; reads nothing it writes back' },
  submitFeedback: { none: 'inserts only' },
};

it('has a race row for every mutation of the schema, and none for a mutation it lacks', () => {
  expect(Object.keys(RACES).sort()).toEqual(mutationNames());
});

describe.skipIf(!PG_URL)(`no lost updates on PostgreSQL${PG_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub('postgresql');
  });
  afterAll(async () => {
    await hub?.close();
  });
  for (const [name, row] of Object.entries(RACES)) {
    if ('race' in row) it(`${name}: ${CALLS} concurrent conflicting calls leave events and row in agreement`, () => row.race(hub), 60_000);
  }
});
