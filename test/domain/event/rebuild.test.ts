import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EntityClass, Row } from '../../../src/db/reader';
import { Comment } from '../../../src/domain/comment/comment.entity';
import { DriftFlag } from '../../../src/domain/drift/drift-flag.entity';
import { LifecycleEvent } from '../../../src/domain/event/lifecycle-event.entity';
import { Experiment } from '../../../src/domain/experiment/experiment.entity';
import { Run } from '../../../src/domain/experiment/run.entity';
import { Feedback } from '../../../src/domain/feedback/feedback.entity';
import { Goal } from '../../../src/domain/goal/goal.entity';
import { Kpi } from '../../../src/domain/goal/kpi.entity';
import { ModelVersion } from '../../../src/domain/model/model-version.entity';
import { Model } from '../../../src/domain/model/model.entity';
import { PromotionRequest } from '../../../src/domain/promotion/promotion-request.entity';
import { User } from '../../../src/domain/user/user.entity';
import { forEachDialect } from '../../helpers/db';
import { artifactDigest } from '../../helpers/fixtures';
import { startHub, type TestHub } from '../../helpers/hub';
import { mutateForId } from '../../helpers/mutations';

type State = Record<string, unknown>;
type Data = Record<string, unknown> & { changes?: Record<string, { from: unknown; to: unknown }> };

/**
 * How each object type is rebuilt from the events about it alone: which fields a creation event
 * sets, and how later events change them. Every update event carries `changes` (before and after).
 */
const TYPES: Record<string, { entity: EntityClass; fields: string[]; initial?: State; apply?: Record<string, (state: State, data: Data) => void> }> =
  {
    Goal: { entity: Goal, fields: ['title', 'businessQuestion', 'description', 'status'] },
    Kpi: {
      entity: Kpi,
      fields: ['name', 'description', 'unit', 'direction', 'baseline', 'target', 'current', 'currentObservedAt'],
      initial: { current: null, currentObservedAt: null },
    },
    Experiment: { entity: Experiment, fields: ['name', 'hypothesis'] },
    Run: { entity: Run, fields: ['name', 'status', 'params', 'metrics', 'datasetUri', 'codeVersion'] },
    Model: { entity: Model, fields: ['name', 'description'] },
    ModelVersion: {
      entity: ModelVersion,
      fields: ['version', 'stage', 'description', 'artifactUri', 'artifactDigest', 'metrics', 'card'],
      initial: { stage: 'NONE' },
      apply: { STAGE_CHANGED: (state, data) => void (state.stage = data.toStage) },
    },
    PromotionRequest: {
      entity: PromotionRequest,
      fields: ['fromStage', 'toStage', 'status', 'justification', 'requiredRoles'],
      initial: { status: 'PENDING' },
      apply: { PROMOTION_REVIEWED: () => undefined },
    },
    DriftFlag: {
      entity: DriftFlag,
      fields: ['kind', 'severity', 'description', 'metric', 'observed', 'expected', 'status', 'resolution'],
      initial: { resolution: null },
    },
    Feedback: { entity: Feedback, fields: ['verdict', 'comment'] },
    Comment: { entity: Comment, fields: ['body'] },
    User: { entity: User, fields: ['name', 'roles', 'slackUserId'] },
  };

/** Dates as ISO strings, missing as null: how both sides are compared. */
const plain = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : (value ?? null));

function rebuild(type: string, events: Row[]): State {
  const spec = TYPES[type];
  const state: State = { ...spec.initial };
  for (const event of events) {
    const data = event.data as Data;
    const special = spec.apply?.[event.type as string];
    if (special) special(state, data);
    else if (data.changes) for (const [field, { to }] of Object.entries(data.changes)) state[field] = plain(to);
    else for (const field of spec.fields) if (field in data) state[field] = plain(data[field]);
  }
  return Object.fromEntries(spec.fields.map((f) => [f, plain(state[f])]));
}

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
    const goal = await mutateForId(hub, 'sme', 'createGoal', { title: 'Rebuilt', businessQuestion: 'From events alone?', description: 'First' });
    await mutateForId(hub, 'sme', 'updateGoal', { goalId: goal, title: 'Rebuilt goal', status: 'ACHIEVED', description: null });
    const kpi = await mutateForId(hub, 'sme', 'addKpi', {
      goalId: goal,
      name: 'Churn',
      direction: 'LOWER_IS_BETTER',
      unit: '%',
      baseline: 5,
      target: 4,
      description: 'Monthly',
    });
    await mutateForId(hub, 'sme', 'recordKpiValue', { kpiId: kpi, value: 4.8, observedAt: '2026-01-01T00:00:00Z' });
    await mutateForId(hub, 'sme', 'recordKpiValues', {
      kpiId: kpi,
      values: [
        { value: 4.5, observedAt: '2026-02-01T00:00:00Z', sourceKey: 'feb' },
        { value: 4.9, observedAt: '2025-12-01T00:00:00Z' },
      ],
    });
    const experiment = await mutateForId(hub, 'scientist', 'createExperiment', { goalId: goal, name: 'Trees', hypothesis: 'Depth helps' });
    const run = await mutateForId(hub, 'scientist', 'logRun', {
      experimentId: experiment,
      name: 'r1',
      params: { depth: 6 },
      metrics: [{ key: 'auc', value: 0.7 }],
      datasetUri: 's3://d',
      codeVersion: 'c1',
    });
    await mutateForId(hub, 'scientist', 'updateRun', {
      runId: run,
      metrics: [
        { key: 'auc', value: 0.8 },
        { key: 'f1', value: 0.5 },
      ],
    });
    await mutateForId(hub, 'scientist', 'updateRun', { runId: run, status: 'FINISHED' });
    const model = await mutateForId(hub, 'scientist', 'registerModel', { goalId: goal, name: 'rebuilt-model', description: 'One' });
    await mutateForId(hub, 'scientist', 'updateModel', { modelId: model, description: 'Two' });
    const card = { intendedUse: 'Ranking', limitations: 'None known', featureImportance: [{ feature: 'tenure', importance: 0.4 }] };
    const versions: string[] = [];
    for (const i of [1, 2, 3]) {
      versions.push(
        await mutateForId(hub, 'scientist', 'createModelVersion', {
          modelId: model,
          runId: run,
          artifactUri: `s3://m/${i}`,
          artifactDigest: artifactDigest(`rebuilt ${i}`),
          metrics: [{ key: 'auc', value: 0.8 }],
          card,
          description: `v${i}`,
        }),
      );
    }
    await mutateForId(hub, 'scientist', 'updateModelVersion', {
      modelVersionId: versions[0],
      card: { ...card, intendedUse: 'Ranking customers' },
      artifactUri: 's3://m/1b',
    });
    const staging = await mutateForId(hub, 'scientist', 'requestPromotion', {
      modelVersionId: versions[0],
      toStage: 'STAGING',
      justification: 'Try it',
    });
    await mutateForId(hub, 'mlEngineer', 'reviewPromotion', { promotionRequestId: staging, decision: 'APPROVE' });
    const production = await mutateForId(hub, 'scientist', 'requestPromotion', { modelVersionId: versions[0], toStage: 'PRODUCTION' });
    await mutateForId(hub, 'sme', 'reviewPromotion', { promotionRequestId: production, decision: 'APPROVE', comment: 'Fine' });
    await mutateForId(hub, 'risk', 'reviewPromotion', { promotionRequestId: production, decision: 'APPROVE' });
    const rejected = await mutateForId(hub, 'scientist', 'requestPromotion', { modelVersionId: versions[1], toStage: 'STAGING' });
    await mutateForId(hub, 'mlEngineer', 'reviewPromotion', { promotionRequestId: rejected, decision: 'REJECT', comment: 'No' });
    const cancelled = await mutateForId(hub, 'scientist', 'requestPromotion', { modelVersionId: versions[2], toStage: 'STAGING' });
    await mutateForId(hub, 'scientist', 'cancelPromotion', { promotionRequestId: cancelled, reason: 'Wait' });
    const flag = await mutateForId(hub, 'risk', 'flagDrift', {
      modelVersionId: versions[0],
      kind: 'DATA',
      severity: 'HIGH',
      description: 'Inputs moved',
      metric: 'psi',
      observed: 0.3,
      expected: 0.1,
    });
    await mutateForId(hub, 'scientist', 'acknowledgeDrift', { driftFlagId: flag });
    await mutateForId(hub, 'scientist', 'resolveDrift', { driftFlagId: flag, resolution: 'Retrained' });
    await mutateForId(hub, 'sme', 'submitFeedback', { goalId: goal, modelVersionId: versions[0], verdict: 'PARTIALLY_MEETS', comment: 'Good' });
    await mutateForId(hub, 'risk', 'addComment', { subjectId: versions[0], body: 'Looks fine' });
    await mutateForId(hub, 'admin', 'updateUser', { userId: hub.users.sme2.id, name: 'Renamed', roles: ['SME', 'RISK_MANAGER'] });
  });
  afterAll(() => hub?.close());

  it('rebuilds every object of every type from its events alone, equal to its current row', async () => {
    const events = await hub.domain.reader.list(LifecycleEvent, {}, { props: ['id'], direction: 'asc' });
    let compared = 0;
    for (const [type, spec] of Object.entries(TYPES)) {
      const rows = (await hub.domain.reader.list(spec.entity, {}, { props: ['id'], direction: 'asc' })) as unknown as Row[];
      expect(rows.length, `${type} rows`).toBeGreaterThan(0);
      for (const row of rows) {
        const own = events.filter((e) => e.subjectType === type && e.subjectId === row.dbId) as unknown as Row[];
        const current = Object.fromEntries(spec.fields.map((f) => [f, plain(row[f])]));
        expect(rebuild(type, own), `${type} ${row.dbId} from ${own.map((e) => e.type).join(', ')}`).toEqual(current);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});
