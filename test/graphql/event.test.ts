import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcknowledgeDriftDocument,
  AddCommentDocument,
  AddKpiDocument,
  CreateExperimentDocument,
  CreateGoalDocument,
  CreateModelVersionDocument,
  CreateUserDocument,
  FlagDriftDocument,
  LcEventNodeDocument,
  LcEventsDocument,
  LcMutationFieldsDocument,
  LogRunDocument,
  RecordKpiValueDocument,
  RegisterModelDocument,
  RequestPromotionDocument,
  ResolveDriftDocument,
  SubmitFeedbackDocument,
  UpdateGoalDocument,
  UpdateModelDocument,
  UpdateModelVersionDocument,
  UpdateRunDocument,
  type EventFilter,
  type LcEventFieldsFragment,
  type LifecycleEventType,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, having, ok, type Result } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

type Event = LcEventFieldsFragment;

interface Expected {
  type: LifecycleEventType;
  actor: Person;
  subject: [typename: string, id: string];
  goal?: string | null;
  model?: string | null;
  modelVersion?: string | null;
  /** Words a reader needs: what the event is about. */
  mentions?: string[];
}

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  async function newest(): Promise<{ totalCount: number; event: Event }> {
    const { totalCount, nodes } = ok(await hub.as('risk', LcEventsDocument, { first: 1 })).events;
    return { totalCount, event: nodes[0] };
  }

  /** Runs one mutation and returns what it answered and the one event it wrote. */
  async function withEvent<T>(mutate: () => Promise<T>): Promise<{ result: T; event: Event }> {
    const before = await eventCount(hub);
    const result = await mutate();
    const { totalCount, event } = await newest();
    expect(totalCount, 'exactly one new event').toBe(before + 1);
    return { result, event };
  }

  function expectEvent(event: Event, expected: Expected): void {
    expect(event).toMatchObject({
      type: expected.type,
      origin: 'API',
      actor: { id: hub.users[expected.actor].id, name: hub.users[expected.actor].name },
      subject: { __typename: expected.subject[0], id: expected.subject[1] },
      goal: expected.goal ? { id: expected.goal } : null,
      model: expected.model ? { id: expected.model } : null,
      modelVersion: expected.modelVersion ? { id: expected.modelVersion } : null,
    });
    expect(event.summary.trim()).not.toBe('');
    expect(event.summary).not.toMatch(/[\r\n]/);
    for (const word of expected.mentions ?? []) expect(event.summary).toContain(word);
    expect(event.data).toBeTypeOf('object');
    expect(event.data).not.toBeNull();
    expect(Array.isArray(event.data)).toBe(false);
    const at = new Date(event.occurredAt).getTime();
    expect(at).toBeGreaterThan(Date.now() - 60_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1_000);
  }

  describe('every core mutation writes its event', () => {
    const s = {} as {
      goal: string;
      kpi: string;
      experiment: string;
      run: string;
      model: string;
      modelName: string;
      version: string;
    };

    it('createUser → USER_CREATED about the user', async () => {
      const { result, event } = await withEvent(
        async () =>
          ok(await hub.as('admin', CreateUserDocument, { input: { name: 'Rita Reviewer', email: 'rita@events.example', roles: ['RISK_MANAGER'] } }))
            .createUser.user,
      );
      expectEvent(event, { type: 'USER_CREATED', actor: 'admin', subject: ['User', result.id], mentions: ['Rita Reviewer'] });
    });

    it('createGoal → GOAL_CREATED about the goal', async () => {
      const { result, event } = await withEvent(
        async () =>
          ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Cut fraud losses', businessQuestion: 'Which payments are fraudulent?' } }))
            .createGoal.goal,
      );
      s.goal = result.id;
      expectEvent(event, { type: 'GOAL_CREATED', actor: 'sme', subject: ['Goal', s.goal], goal: s.goal, mentions: ['Cut fraud losses'] });
    });

    it('updateGoal → GOAL_UPDATED about the goal', async () => {
      const { event } = await withEvent(async () =>
        ok(await hub.as('sme', UpdateGoalDocument, { input: { goalId: s.goal, description: 'Chargebacks cost 2M a year.' } })),
      );
      expectEvent(event, { type: 'GOAL_UPDATED', actor: 'sme', subject: ['Goal', s.goal], goal: s.goal, mentions: ['Cut fraud losses'] });
    });

    it('addKpi → KPI_ADDED about the KPI', async () => {
      const { result, event } = await withEvent(
        async () =>
          ok(
            await hub.as('sme', AddKpiDocument, {
              input: { goalId: s.goal, name: 'Fraud rate', unit: '%', direction: 'LOWER_IS_BETTER', target: 0.5 },
            }),
          ).addKpi.kpi,
      );
      s.kpi = result.id;
      expectEvent(event, { type: 'KPI_ADDED', actor: 'sme', subject: ['Kpi', s.kpi], goal: s.goal, mentions: ['Fraud rate'] });
    });

    it('recordKpiValue → KPI_RECORDED about the KPI', async () => {
      const { event } = await withEvent(async () => ok(await hub.as('scientist', RecordKpiValueDocument, { input: { kpiId: s.kpi, value: 0.8 } })));
      expectEvent(event, { type: 'KPI_RECORDED', actor: 'scientist', subject: ['Kpi', s.kpi], goal: s.goal, mentions: ['Fraud rate'] });
      expect(event.data).toMatchObject({ value: 0.8 });
    });

    it('createExperiment → EXPERIMENT_CREATED about the experiment', async () => {
      const { result, event } = await withEvent(
        async () =>
          ok(
            await hub.as('scientist', CreateExperimentDocument, {
              input: { goalId: s.goal, name: 'Graph features', hypothesis: 'Shared devices give fraud away.' },
            }),
          ).createExperiment.experiment,
      );
      s.experiment = result.id;
      expectEvent(event, {
        type: 'EXPERIMENT_CREATED',
        actor: 'scientist',
        subject: ['Experiment', s.experiment],
        goal: s.goal,
        mentions: ['Graph features'],
      });
    });

    it('logRun → RUN_LOGGED about the run', async () => {
      const { result, event } = await withEvent(
        async () =>
          ok(
            await hub.as('dataEngineer', LogRunDocument, {
              input: { experimentId: s.experiment, name: 'baseline', params: { depth: 4 }, metrics: [{ key: 'auc', value: 0.9 }] },
            }),
          ).logRun.run,
      );
      s.run = result.id;
      expectEvent(event, { type: 'RUN_LOGGED', actor: 'dataEngineer', subject: ['Run', s.run], goal: s.goal, mentions: ['Graph features'] });
    });

    it('updateRun → RUN_UPDATED about the run', async () => {
      const { event } = await withEvent(async () =>
        ok(await hub.as('scientist', UpdateRunDocument, { input: { runId: s.run, status: 'FINISHED', metrics: [{ key: 'auc', value: 0.93 }] } })),
      );
      expectEvent(event, { type: 'RUN_UPDATED', actor: 'scientist', subject: ['Run', s.run], goal: s.goal });
      expect(event.data).toMatchObject({ status: 'FINISHED' });
    });

    it('registerModel → MODEL_REGISTERED about the model', async () => {
      s.modelName = `fraud-events-${dialect}`;
      const { result, event } = await withEvent(
        async () => ok(await hub.as('mlEngineer', RegisterModelDocument, { input: { goalId: s.goal, name: s.modelName } })).registerModel.model,
      );
      s.model = result.id;
      expectEvent(event, {
        type: 'MODEL_REGISTERED',
        actor: 'mlEngineer',
        subject: ['Model', s.model],
        goal: s.goal,
        model: s.model,
        mentions: [s.modelName],
      });
    });

    it('updateModel → MODEL_UPDATED about the model', async () => {
      const { event } = await withEvent(async () =>
        ok(await hub.as('dataEngineer', UpdateModelDocument, { input: { modelId: s.model, description: 'Gradient boosting on card payments.' } })),
      );
      expectEvent(event, {
        type: 'MODEL_UPDATED',
        actor: 'dataEngineer',
        subject: ['Model', s.model],
        goal: s.goal,
        model: s.model,
        mentions: [s.modelName],
      });
    });

    it('createModelVersion → MODEL_VERSION_CREATED about the version', async () => {
      const { result, event } = await withEvent(
        async () =>
          ok(
            await hub.as('scientist', CreateModelVersionDocument, {
              input: { modelId: s.model, runId: s.run, metrics: [{ key: 'auc', value: 0.93 }] },
            }),
          ).createModelVersion.modelVersion,
      );
      s.version = result.id;
      expectEvent(event, {
        type: 'MODEL_VERSION_CREATED',
        actor: 'scientist',
        subject: ['ModelVersion', s.version],
        goal: s.goal,
        model: s.model,
        modelVersion: s.version,
        mentions: [s.modelName],
      });
    });

    it('updateModelVersion → MODEL_VERSION_UPDATED about the version', async () => {
      const { event } = await withEvent(async () =>
        ok(
          await hub.as('mlEngineer', UpdateModelVersionDocument, {
            input: { modelVersionId: s.version, card: { intendedUse: 'Card-not-present payments.' } },
          }),
        ),
      );
      expectEvent(event, {
        type: 'MODEL_VERSION_UPDATED',
        actor: 'mlEngineer',
        subject: ['ModelVersion', s.version],
        goal: s.goal,
        model: s.model,
        modelVersion: s.version,
        mentions: [s.modelName],
      });
    });

    it('addComment → COMMENT_ADDED about the comment, placed where its subject is', async () => {
      const comment = async (who: Person, subjectId: string, body: string) =>
        withEvent(async () => ok(await hub.as(who, AddCommentDocument, { input: { subjectId, body } })).addComment.comment);

      const onVersion = await comment('risk', s.version, 'Which features drive the score?');
      expectEvent(onVersion.event, {
        type: 'COMMENT_ADDED',
        actor: 'risk',
        subject: ['Comment', onVersion.result.id],
        goal: s.goal,
        model: s.model,
        modelVersion: s.version,
        mentions: ['Which features'],
      });
      const onModel = await comment('sme', s.model, 'Please keep the old one around.');
      expectEvent(onModel.event, { type: 'COMMENT_ADDED', actor: 'sme', subject: ['Comment', onModel.result.id], goal: s.goal, model: s.model });
      const onGoal = await comment('sme2', s.goal, 'Is 0.5% realistic?');
      expectEvent(onGoal.event, { type: 'COMMENT_ADDED', actor: 'sme2', subject: ['Comment', onGoal.result.id], goal: s.goal });
      const onExperiment = await comment('scientist', s.experiment, 'Device graph helps a lot.');
      expectEvent(onExperiment.event, { type: 'COMMENT_ADDED', actor: 'scientist', subject: ['Comment', onExperiment.result.id], goal: s.goal });
    });

    it('keeps the COMMENT_ADDED summary on one line for a comment of several lines', async () => {
      const { result, event } = await withEvent(
        async () =>
          ok(
            await hub.as('risk', AddCommentDocument, {
              input: { subjectId: s.version, body: 'Two questions:\n1. Bias by country?\n2. Retraining cadence?' },
            }),
          ).addComment.comment,
      );
      expect(result.body).toContain('\n');
      expect(event.type).toBe('COMMENT_ADDED');
      expect(event.summary).not.toMatch(/[\r\n]/);
    });

    it('LifecycleEvent is a Node: node(id) answers the same event', async () => {
      const { event } = await newest();
      const node = having(ok(await hub.as('sme', LcEventNodeDocument, { id: event.id })).node, 'summary');
      expect(node).toEqual({ ...event, __typename: 'LifecycleEvent' });
    });
  });

  describe('a refused or invalid mutation leaves no event', () => {
    const s = {} as {
      goal: string;
      kpi: string;
      experiment: string;
      finishedRun: string;
      model: string;
      version: string;
      flag: string;
      resolved: string;
      otherVersion: string;
    };

    beforeAll(async () => {
      s.goal = ok(
        await hub.as('sme', CreateGoalDocument, { input: { title: 'Refusals', businessQuestion: 'Does a refusal leave a trace?' } }),
      ).createGoal.goal.id;
      const other = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Elsewhere', businessQuestion: 'Another question?' } })).createGoal
        .goal.id;
      s.kpi = ok(await hub.as('sme', AddKpiDocument, { input: { goalId: s.goal, name: 'Recall', direction: 'HIGHER_IS_BETTER' } })).addKpi.kpi.id;
      s.experiment = ok(
        await hub.as('scientist', CreateExperimentDocument, { input: { goalId: s.goal, name: 'Refused things' } }),
      ).createExperiment.experiment.id;
      s.finishedRun = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId: s.experiment, status: 'FINISHED' } })).logRun.run.id;
      s.model = ok(
        await hub.as('scientist', RegisterModelDocument, { input: { goalId: s.goal, name: `refusals-${dialect}` } }),
      ).registerModel.model.id;
      s.version = ok(await hub.as('scientist', CreateModelVersionDocument, { input: { modelId: s.model } })).createModelVersion.modelVersion.id;
      const otherModel = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: other, name: `elsewhere-${dialect}` } }))
        .registerModel.model.id;
      s.otherVersion = ok(
        await hub.as('scientist', CreateModelVersionDocument, { input: { modelId: otherModel } }),
      ).createModelVersion.modelVersion.id;
      const flag = (severity: 'LOW' | 'HIGH') =>
        hub.as('sme', FlagDriftDocument, { input: { modelVersionId: s.version, kind: 'DATA', severity, description: 'Odd inputs.' } });
      s.flag = ok(await flag('HIGH')).flagDrift.driftFlag.id;
      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: s.flag } }));
      s.resolved = ok(await flag('LOW')).flagDrift.driftFlag.id;
      ok(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: s.resolved, resolution: 'Fixed.' } }));
    });

    const cases: [string, string, () => Promise<Result<unknown>>][] = [
      [
        'createUser by an SME',
        'FORBIDDEN',
        () => hub.as('sme', CreateUserDocument, { input: { name: 'Eve', email: 'eve@events.example', roles: ['ADMIN'] } }),
      ],
      [
        'createUser with a bad email',
        'BAD_USER_INPUT',
        () => hub.as('admin', CreateUserDocument, { input: { name: 'Eve', email: 'not an email', roles: ['SME'] } }),
      ],
      [
        'createUser with a taken email',
        'CONFLICT',
        () => hub.as('admin', CreateUserDocument, { input: { name: 'Again', email: 'sme@test.example', roles: ['SME'] } }),
      ],
      [
        'createGoal by a data scientist',
        'FORBIDDEN',
        () => hub.as('scientist', CreateGoalDocument, { input: { title: 'Mine', businessQuestion: '?' } }),
      ],
      ['createGoal with an empty title', 'BAD_USER_INPUT', () => hub.as('sme', CreateGoalDocument, { input: { title: ' ', businessQuestion: '?' } })],
      ['updateGoal by another SME', 'FORBIDDEN', () => hub.as('sme2', UpdateGoalDocument, { input: { goalId: s.goal, title: 'Taken over' } })],
      ['updateGoal of an unknown goal', 'NOT_FOUND', () => hub.as('admin', UpdateGoalDocument, { input: { goalId: unknownId('Goal'), title: 'x' } })],
      [
        'addKpi by a risk manager',
        'FORBIDDEN',
        () => hub.as('risk', AddKpiDocument, { input: { goalId: s.goal, name: 'x', direction: 'HIGHER_IS_BETTER' } }),
      ],
      ['recordKpiValue by a data engineer', 'FORBIDDEN', () => hub.as('dataEngineer', RecordKpiValueDocument, { input: { kpiId: s.kpi, value: 1 } })],
      [
        'recordKpiValue on an unknown KPI',
        'NOT_FOUND',
        () => hub.as('sme', RecordKpiValueDocument, { input: { kpiId: unknownId('Kpi'), value: 1 } }),
      ],
      ['createExperiment by an SME', 'FORBIDDEN', () => hub.as('sme', CreateExperimentDocument, { input: { goalId: s.goal, name: 'x' } })],
      [
        'logRun with params that are not an object',
        'BAD_USER_INPUT',
        () => hub.as('scientist', LogRunDocument, { input: { experimentId: s.experiment, params: [1, 2] as never } }),
      ],
      [
        'updateRun reopening a finished run',
        'CONFLICT',
        () => hub.as('scientist', UpdateRunDocument, { input: { runId: s.finishedRun, status: 'RUNNING' } }),
      ],
      [
        'registerModel with a taken name',
        'CONFLICT',
        () => hub.as('scientist', RegisterModelDocument, { input: { goalId: s.goal, name: `refusals-${dialect}` } }),
      ],
      ['updateModel by a risk manager', 'FORBIDDEN', () => hub.as('risk', UpdateModelDocument, { input: { modelId: s.model, description: 'x' } })],
      [
        'createModelVersion from an unknown run',
        'NOT_FOUND',
        () => hub.as('scientist', CreateModelVersionDocument, { input: { modelId: s.model, runId: unknownId('Run') } }),
      ],
      [
        'updateModelVersion by an SME',
        'FORBIDDEN',
        () => hub.as('sme', UpdateModelVersionDocument, { input: { modelVersionId: s.version, description: 'x' } }),
      ],
      ['addComment with an empty body', 'BAD_USER_INPUT', () => hub.as('sme', AddCommentDocument, { input: { subjectId: s.goal, body: '  ' } })],
      [
        'addComment on something not discussable',
        'NOT_FOUND',
        () => hub.as('sme', AddCommentDocument, { input: { subjectId: hub.users.risk.id, body: 'Hello' } }),
      ],
      [
        'flagDrift with an empty description',
        'BAD_USER_INPUT',
        () => hub.as('sme', FlagDriftDocument, { input: { modelVersionId: s.version, kind: 'DATA', severity: 'LOW', description: '' } }),
      ],
      ['acknowledgeDrift by an SME', 'FORBIDDEN', () => hub.as('sme', AcknowledgeDriftDocument, { input: { driftFlagId: s.flag } })],
      [
        'acknowledgeDrift of an acknowledged flag',
        'CONFLICT',
        () => hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: s.flag } }),
      ],
      [
        'resolveDrift of a resolved flag',
        'CONFLICT',
        () => hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: s.resolved, resolution: 'Again.' } }),
      ],
      [
        'submitFeedback with a version of another goal',
        'BAD_USER_INPUT',
        () => hub.as('sme', SubmitFeedbackDocument, { input: { goalId: s.goal, modelVersionId: s.otherVersion, verdict: 'MEETS_GOAL' } }),
      ],
      [
        'requestPromotion by an SME',
        'FORBIDDEN',
        () => hub.as('sme', RequestPromotionDocument, { input: { modelVersionId: s.version, toStage: 'STAGING' } }),
      ],
    ];

    it.each(cases)('%s (%s)', async (_what, code, mutate) => {
      const before = await eventCount(hub);
      expect(errorCode(await mutate())).toBe(code);
      expect(await eventCount(hub)).toBe(before);
    });
  });

  describe('events(filter:)', () => {
    interface Logged {
      key: string;
      goal: string | null;
      model: string | null;
    }
    /** Every event the set-up causes, oldest first, with the goal and model the contract places it under. */
    const log: Logged[] = [];
    const w = {} as Record<string, string>;
    const key = (type: LifecycleEventType, subjectId: string) => `${type} ${subjectId}`;

    beforeAll(async () => {
      const note = (type: LifecycleEventType, subjectId: string, goal: string | null, model: string | null = null) =>
        log.push({ key: key(type, subjectId), goal, model });
      const comment = async (who: Person, subjectId: string, goal: string, model: string | null) => {
        const id = ok(await hub.as(who, AddCommentDocument, { input: { subjectId, body: `About ${subjectId}` } })).addComment.comment.id;
        note('COMMENT_ADDED', id, goal, model);
        return id;
      };
      const goal = async (who: Person, title: string) => {
        const id = ok(await hub.as(who, CreateGoalDocument, { input: { title, businessQuestion: `${title}?` } })).createGoal.goal.id;
        note('GOAL_CREATED', id, id);
        return id;
      };
      const model = async (goalId: string, name: string) => {
        const id = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId, name } })).registerModel.model.id;
        note('MODEL_REGISTERED', id, goalId, id);
        return id;
      };
      const version = async (goalId: string, modelId: string) => {
        const id = ok(await hub.as('mlEngineer', CreateModelVersionDocument, { input: { modelId } })).createModelVersion.modelVersion.id;
        note('MODEL_VERSION_CREATED', id, goalId, modelId);
        return id;
      };

      const A = (w.A = await goal('sme', 'Goal A'));
      const B = (w.B = await goal('sme2', 'Goal B'));
      w.kpi = ok(await hub.as('sme', AddKpiDocument, { input: { goalId: A, name: 'Precision', direction: 'HIGHER_IS_BETTER' } })).addKpi.kpi.id;
      note('KPI_ADDED', w.kpi, A);
      ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId: w.kpi, value: 0.7 } }));
      note('KPI_RECORDED', w.kpi, A);
      const kpiB = ok(await hub.as('sme2', AddKpiDocument, { input: { goalId: B, name: 'Recall', direction: 'HIGHER_IS_BETTER' } })).addKpi.kpi.id;
      note('KPI_ADDED', kpiB, B);
      w.experiment = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId: A, name: 'Exp A' } })).createExperiment.experiment.id;
      note('EXPERIMENT_CREATED', w.experiment, A);
      w.run = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId: w.experiment } })).logRun.run.id;
      note('RUN_LOGGED', w.run, A);
      ok(await hub.as('scientist', UpdateRunDocument, { input: { runId: w.run, status: 'FINISHED' } }));
      note('RUN_UPDATED', w.run, A);
      const M1 = (w.M1 = await model(A, `m1-${dialect}`));
      const MB = await model(B, `mb-${dialect}`);
      ok(await hub.as('scientist', UpdateModelDocument, { input: { modelId: M1, description: 'First model of A' } }));
      note('MODEL_UPDATED', M1, A, M1);
      const v1 = (w.v1 = await version(A, M1));
      ok(await hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: v1, description: 'v1 of m1' } }));
      note('MODEL_VERSION_UPDATED', v1, A, M1);
      const M2 = (w.M2 = await model(A, `m2-${dialect}`));
      await version(A, M2);
      const vB = await version(B, MB);
      await comment('risk', vB, B, MB);
      ok(await hub.as('sme', UpdateGoalDocument, { input: { goalId: A, status: 'ACHIEVED' } }));
      note('GOAL_UPDATED', A, A);
      await comment('sme', A, A, null);
      await comment('scientist', w.experiment, A, null);
      await comment('sme2', M1, A, M1);
      await comment('risk', v1, A, M1);
      w.flag = ok(
        await hub.as('risk', FlagDriftDocument, {
          input: { modelVersionId: v1, kind: 'CONCEPT', severity: 'HIGH', description: 'Fraud patterns changed.' },
        }),
      ).flagDrift.driftFlag.id;
      note('DRIFT_FLAGGED', w.flag, A, M1);
      ok(await hub.as('mlEngineer', AcknowledgeDriftDocument, { input: { driftFlagId: w.flag } }));
      note('DRIFT_ACKNOWLEDGED', w.flag, A, M1);
      await comment('scientist', w.flag, A, M1);
      w.request = ok(
        await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: v1, toStage: 'STAGING' } }),
      ).requestPromotion.promotionRequest.id;
      note('PROMOTION_REQUESTED', w.request, A, M1);
      await comment('mlEngineer', w.request, A, M1);
      const fbGoal = ok(await hub.as('sme', SubmitFeedbackDocument, { input: { goalId: A, verdict: 'PARTIALLY_MEETS' } })).submitFeedback.feedback.id;
      note('FEEDBACK_SUBMITTED', fbGoal, A, null);
      const fbVersion = ok(await hub.as('sme', SubmitFeedbackDocument, { input: { modelVersionId: v1, verdict: 'MEETS_GOAL' } })).submitFeedback
        .feedback.id;
      note('FEEDBACK_SUBMITTED', fbVersion, A, M1);
      await comment('sme', M2, A, M2);
      const fbB = ok(await hub.as('sme2', SubmitFeedbackDocument, { input: { modelVersionId: vB, verdict: 'MISSES_GOAL' } })).submitFeedback.feedback
        .id;
      note('FEEDBACK_SUBMITTED', fbB, B, MB);
      const flagB = ok(
        await hub.as('sme2', FlagDriftDocument, { input: { modelVersionId: vB, kind: 'DATA', severity: 'LOW', description: 'Minor.' } }),
      ).flagDrift.driftFlag.id;
      note('DRIFT_FLAGGED', flagB, B, MB);
    });

    async function events(filter: EventFilter | null, first = 100, after?: string | null) {
      return ok(await hub.as('dataEngineer', LcEventsDocument, { first, after, filter })).events;
    }
    const keys = (nodes: Event[]) => nodes.map((e) => key(e.type, e.subject.id));
    const expected = (keep: (l: Logged) => boolean) =>
      log
        .filter(keep)
        .map((l) => l.key)
        .reverse();

    it('lists every event newest first', async () => {
      const { nodes, totalCount } = await events(null, log.length);
      expect(totalCount).toBeGreaterThan(log.length);
      expect(keys(nodes)).toEqual(expected(() => true));
      const times = nodes.map((e) => new Date(e.occurredAt).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('by goalId: the goal and everything under it, nothing of another goal', async () => {
      const a = await events({ goalId: w.A });
      expect(keys(a.nodes)).toEqual(expected((l) => l.goal === w.A));
      expect(a.totalCount).toBe(a.nodes.length);
      expect(a.nodes.every((e) => e.goal?.id === w.A)).toBe(true);
      for (const type of [
        'GOAL_CREATED',
        'GOAL_UPDATED',
        'KPI_ADDED',
        'KPI_RECORDED',
        'EXPERIMENT_CREATED',
        'RUN_LOGGED',
        'RUN_UPDATED',
        'MODEL_REGISTERED',
        'MODEL_UPDATED',
        'MODEL_VERSION_CREATED',
        'MODEL_VERSION_UPDATED',
        'COMMENT_ADDED',
        'DRIFT_FLAGGED',
        'DRIFT_ACKNOWLEDGED',
        'PROMOTION_REQUESTED',
        'FEEDBACK_SUBMITTED',
      ]) {
        expect(
          a.nodes.map((e) => e.type),
          type,
        ).toContain(type);
      }

      const b = await events({ goalId: w.B });
      expect(keys(b.nodes)).toEqual(expected((l) => l.goal === w.B));
      expect(b.nodes.every((e) => e.goal?.id === w.B)).toBe(true);
      const inA = new Set(a.nodes.map((e) => e.id));
      expect(b.nodes.filter((e) => inA.has(e.id))).toEqual([]);
    });

    it('by modelId: the model, its versions, requests, flags, feedback and comments on them', async () => {
      const m1 = await events({ modelId: w.M1 });
      expect(keys(m1.nodes)).toEqual(expected((l) => l.model === w.M1));
      expect(m1.nodes.every((e) => e.model?.id === w.M1)).toBe(true);
      expect(new Set(m1.nodes.map((e) => e.subject.__typename))).toEqual(
        new Set(['Model', 'ModelVersion', 'Comment', 'DriftFlag', 'PromotionRequest', 'Feedback']),
      );
      expect(keys((await events({ modelId: w.M2 })).nodes)).toEqual(expected((l) => l.model === w.M2));
    });

    it('by subjectId: the events about that node only', async () => {
      expect(keys((await events({ subjectId: w.A })).nodes)).toEqual([key('GOAL_UPDATED', w.A), key('GOAL_CREATED', w.A)]);
      expect(keys((await events({ subjectId: w.flag })).nodes)).toEqual([key('DRIFT_ACKNOWLEDGED', w.flag), key('DRIFT_FLAGGED', w.flag)]);
      expect(keys((await events({ subjectId: w.kpi })).nodes)).toEqual([key('KPI_RECORDED', w.kpi), key('KPI_ADDED', w.kpi)]);
      expect(keys((await events({ subjectId: w.v1 })).nodes)).toEqual([key('MODEL_VERSION_UPDATED', w.v1), key('MODEL_VERSION_CREATED', w.v1)]);
    });

    it('by types: any of the given types, across the whole trail', async () => {
      const all = await events(null, 100);
      expect(all.pageInfo.hasNextPage).toBe(false);
      const wanted = new Set<LifecycleEventType>(['RUN_LOGGED', 'PROMOTION_REQUESTED']);
      const some = await events({ types: [...wanted] });
      expect(keys(some.nodes)).toEqual(keys(all.nodes.filter((e) => wanted.has(e.type))));
      expect(keys(some.nodes)).toContain(key('PROMOTION_REQUESTED', w.request));
      expect(keys(some.nodes)).toContain(key('RUN_LOGGED', w.run));
      expect(some.totalCount).toBe(some.nodes.length);
      const comments = await events({ types: ['COMMENT_ADDED'] });
      expect(comments.nodes.length).toBeGreaterThan(0);
      expect(keys(comments.nodes)).toEqual(keys(all.nodes.filter((e) => e.type === 'COMMENT_ADDED')));
    });

    it('combines conditions: every one must hold', async () => {
      expect(keys((await events({ goalId: w.A, types: ['COMMENT_ADDED'] })).nodes)).toEqual(
        expected((l) => l.goal === w.A && l.key.startsWith('COMMENT_ADDED ')),
      );
      expect(keys((await events({ modelId: w.M1, types: ['COMMENT_ADDED', 'FEEDBACK_SUBMITTED'] })).nodes)).toEqual(
        expected((l) => l.model === w.M1 && /^(COMMENT_ADDED|FEEDBACK_SUBMITTED) /.test(l.key)),
      );
      expect(keys((await events({ goalId: w.A, types: ['KPI_RECORDED'] })).nodes)).toEqual([key('KPI_RECORDED', w.kpi)]);
      expect(keys((await events({ subjectId: w.flag, types: ['DRIFT_FLAGGED'] })).nodes)).toEqual([key('DRIFT_FLAGGED', w.flag)]);
      expect(keys((await events({ subjectId: w.flag, modelId: w.M1, goalId: w.A })).nodes)).toEqual([
        key('DRIFT_ACKNOWLEDGED', w.flag),
        key('DRIFT_FLAGGED', w.flag),
      ]);

      for (const filter of [
        { goalId: w.B, modelId: w.M1 },
        { modelId: w.M1, subjectId: w.A },
        { goalId: w.B, subjectId: w.flag },
        { modelId: w.M2, types: ['DRIFT_FLAGGED' as const] },
      ]) {
        const none = await events(filter);
        expect(none.totalCount, JSON.stringify(filter)).toBe(0);
        expect(none.nodes).toEqual([]);
      }
    });

    it('pages with first and after, newest first, without gaps or repeats', async () => {
      const all = keys((await events({ goalId: w.A })).nodes);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await events({ goalId: w.A }, 4, after);
        pages++;
        expect(page.totalCount).toBe(all.length);
        expect(page.nodes.length).toBeLessThanOrEqual(4);
        expect(page.edges.at(-1)?.cursor).toBe(page.pageInfo.endCursor);
        seen.push(...keys(page.nodes));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
        expect(pages).toBeLessThan(20);
      }
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 4));
      expect((await events({ goalId: w.A }, 0)).nodes).toEqual([]);
    });

    it('LifecycleEvent is a Node: node(id) answers any listed event', async () => {
      const { nodes } = await events({ subjectId: w.flag });
      for (const event of nodes) {
        const node = having(ok(await hub.as('sme2', LcEventNodeDocument, { id: event.id })).node, 'summary');
        expect(node).toEqual({ ...event, __typename: 'LifecycleEvent' });
      }
    });
  });

  it('offers no mutation that updates or deletes events', async () => {
    const fields = ok(await hub.as('admin', LcMutationFieldsDocument, {})).__type?.fields?.map((f) => f.name) ?? [];
    expect(fields).toContain('flagDrift');
    expect(fields).toContain('addComment');
    expect(fields.filter((name) => /event/i.test(name))).toEqual([]);
  });
});
