import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentDocument,
  AddKpiDocument,
  CancelPromotionDocument,
  CreateGoalDocument,
  CreateModelVersionDocument,
  CreateUserDocument,
  PrEventsDocument,
  PrModelDocument,
  PrRequestDocument,
  PrRequestsDocument,
  PrVersionDocument,
  RecordKpiValueDocument,
  RegisterModelDocument,
  RequestPromotionDocument,
  ReviewPromotionDocument,
  type LifecycleEventType,
  type PrEventsQuery,
  type PromotionStatus,
  type ReviewDecision,
  type Role,
  type Stage,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, having, ok, type Result } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type HubOptions, type Person, type TestHub } from '../helpers/hub';
import { artifactDigest } from '../helpers/fixtures';
import { unknownId } from '../helpers/ids';

type Who = Person | { token: string };
type EventNode = PrEventsQuery['events']['nodes'][number];

const RACE = 20;

/** A user made through the API, with a token of their own. */
interface Made {
  id: string;
  name: string;
  token: string;
}

/** Fixture and read helpers bound to one hub; every fixture is built through the API. */
function tools(hub: TestHub) {
  let counter = 0;
  const unique = (base: string) => `${base}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

  const t = {
    async newUser(roles: Role[], label = 'user'): Promise<Made> {
      const name = unique(label);
      const { createUser } = ok(await hub.as('admin', CreateUserDocument, { input: { name, email: `${name}@test.example`, roles } }));
      return { id: createUser.user.id, name: createUser.user.name, token: createUser.token };
    },

    async newGoal(): Promise<string> {
      return ok(await hub.as('sme', CreateGoalDocument, { input: { title: unique('Goal'), businessQuestion: 'Who will churn next month?' } }))
        .createGoal.goal.id;
    },

    async newModel(goalId: string): Promise<{ id: string; name: string }> {
      return ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId, name: unique('churn') } })).registerModel.model;
    },

    async newVersion(modelId: string): Promise<{ id: string; version: number; stage: Stage }> {
      return ok(await hub.as('scientist', CreateModelVersionDocument, { input: { modelId, artifactDigest: artifactDigest(modelId) } }))
        .createModelVersion.modelVersion;
    },

    /** A goal, a model under it and its first version (stage NONE). */
    async fixture() {
      const goalId = await t.newGoal();
      const model = await t.newModel(goalId);
      const v1 = await t.newVersion(model.id);
      return { goalId, model, v1 };
    },

    requestPromotion(who: Who, modelVersionId: string, toStage: Stage, justification?: string) {
      return hub.as(who, RequestPromotionDocument, { input: { modelVersionId, toStage, justification } });
    },

    async requested(who: Who, modelVersionId: string, toStage: Stage, justification?: string) {
      return ok(await t.requestPromotion(who, modelVersionId, toStage, justification)).requestPromotion.promotionRequest;
    },

    review(who: Who, promotionRequestId: string, decision: ReviewDecision = 'APPROVE', comment?: string) {
      return hub.as(who, ReviewPromotionDocument, { input: { promotionRequestId, decision, comment } });
    },

    async reviewed(who: Who, promotionRequestId: string, decision: ReviewDecision = 'APPROVE', comment?: string) {
      return ok(await t.review(who, promotionRequestId, decision, comment)).reviewPromotion.promotionRequest;
    },

    cancel(who: Who, promotionRequestId: string, reason?: string) {
      return hub.as(who, CancelPromotionDocument, { input: { promotionRequestId, reason } });
    },

    async request(id: string) {
      return having(ok(await hub.as('risk', PrRequestDocument, { id })).node, 'requiredRoles');
    },

    async version(id: string) {
      return having(ok(await hub.as('risk', PrVersionDocument, { id })).node, 'promotionRequests');
    },

    async model(id: string) {
      return having(ok(await hub.as('risk', PrModelDocument, { id })).node, 'pendingPromotion');
    },

    /** Events whose subject is `subjectId` (newest first), optionally of some types. */
    async events(subjectId: string, types?: LifecycleEventType[]): Promise<EventNode[]> {
      const { events } = ok(await hub.as('risk', PrEventsDocument, { filter: { subjectId, types }, first: 100 }));
      expect(events.totalCount).toBe(events.nodes.length);
      return events.nodes;
    },

    async eventTypes(subjectId: string): Promise<LifecycleEventType[]> {
      return (await t.events(subjectId)).map((e) => e.type).sort();
    },

    /** Runs `fn`, which must be refused with `code`, and checks that no event was written. */
    async refused(code: string, fn: () => Promise<Result<unknown>>): Promise<void> {
      const before = await eventCount(hub);
      const result = await fn();
      expect(result.status).toBeLessThan(500);
      expect(errorCode(result)).toBe(code);
      expect(await eventCount(hub)).toBe(before);
    },

    /** Drives a version to STAGING or PRODUCTION through the default policy. */
    async promote(versionId: string, toStage: 'STAGING' | 'PRODUCTION') {
      const request = await t.requested('scientist', versionId, toStage);
      if (toStage === 'STAGING') return t.reviewed('mlEngineer', request.id);
      await t.reviewed('sme', request.id);
      return t.reviewed('risk', request.id);
    },
  };
  return t;
}

/** Every result either succeeded or was refused with one of `codes`; never a 5xx or INTERNAL_SERVER_ERROR. */
function expectOnly(results: Result<unknown>[], codes: string[]) {
  for (const r of results) {
    expect(r.status).toBeLessThan(500);
    if (r.errors?.length) {
      expect(codes).toContain(r.errors[0].extensions?.code);
      expect(r.errors[0].extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  }
}

const succeeded = (results: Result<unknown>[]) => results.filter((r) => !r.errors?.length && r.data);

forEachDialect((dialect) => {
  let hub: TestHub;
  let t: ReturnType<typeof tools>;

  beforeAll(async () => {
    hub = await startHub(dialect);
    t = tools(hub);
  });
  afterAll(() => hub?.close());

  describe('requestPromotion', () => {
    it.each<Person>(['scientist', 'mlEngineer', 'admin'])('lets %s request STAGING: PENDING, fromStage NONE, needs ML_ENGINEER', async (who) => {
      const { model, v1 } = await t.fixture();
      const request = await t.requested(who, v1.id, 'STAGING', '  AUC 0.91 on the holdout.  ');
      expect(request).toMatchObject({
        status: 'PENDING',
        fromStage: 'NONE',
        toStage: 'STAGING',
        justification: 'AUC 0.91 on the holdout.',
        requiredRoles: ['ML_ENGINEER'],
        missingRoles: ['ML_ENGINEER'],
        reviews: [],
        decidedAt: null,
        requestedBy: { id: hub.users[who].id },
        modelVersion: { id: v1.id, stage: 'NONE', model: { id: model.id } },
      });
      expect(new Date(request.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

      const events = await t.events(request.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'PROMOTION_REQUESTED',
        actor: { id: hub.users[who].id },
        origin: 'API',
        subject: { id: request.id, __typename: 'PromotionRequest' },
        model: { id: model.id },
        modelVersion: { id: v1.id },
        data: { fromStage: 'NONE', toStage: 'STAGING', requiredRoles: ['ML_ENGINEER'] },
      });
      expect(events[0].summary).toContain(`${model.name} v1`);
      expect((await t.version(v1.id)).stage).toBe('NONE');
    });

    it.each<Person>(['sme', 'risk', 'dataEngineer'])('refuses %s with FORBIDDEN and writes nothing', async (who) => {
      const { v1 } = await t.fixture();
      await t.refused('FORBIDDEN', () => t.requestPromotion(who, v1.id, 'STAGING'));
      expect((await t.version(v1.id)).promotionRequests).toEqual([]);
    });

    it('takes fromStage from the version at request time and asks SME and RISK_MANAGER for PRODUCTION', async () => {
      const { v1 } = await t.fixture();
      await t.promote(v1.id, 'STAGING');
      const request = await t.requested('mlEngineer', v1.id, 'PRODUCTION');
      expect(request).toMatchObject({
        fromStage: 'STAGING',
        toStage: 'PRODUCTION',
        status: 'PENDING',
        requiredRoles: ['SME', 'RISK_MANAGER'],
        missingRoles: ['SME', 'RISK_MANAGER'],
      });
      expect((await t.events(request.id))[0].data).toMatchObject({
        fromStage: 'STAGING',
        toStage: 'PRODUCTION',
        requiredRoles: ['SME', 'RISK_MANAGER'],
      });
    });

    it('refuses NONE and the current stage as targets with BAD_USER_INPUT on toStage', async () => {
      const { v1 } = await t.fixture();
      await t.refused('BAD_USER_INPUT', () => t.requestPromotion('scientist', v1.id, 'NONE'));
      const none = await t.requestPromotion('scientist', v1.id, 'NONE');
      expect(none.errors?.[0].extensions?.field).toBe('toStage');

      await t.promote(v1.id, 'STAGING');
      await t.refused('BAD_USER_INPUT', () => t.requestPromotion('scientist', v1.id, 'STAGING'));
      expect((await t.requestPromotion('scientist', v1.id, 'STAGING')).errors?.[0].extensions?.field).toBe('toStage');
      // Only the request that moved it there exists.
      expect((await t.version(v1.id)).promotionRequests.map((r) => r.status)).toEqual(['APPROVED']);
    });

    it('allows one PENDING request per version: a second one is CONFLICT, whatever its target', async () => {
      const { v1 } = await t.fixture();
      const first = await t.requested('scientist', v1.id, 'STAGING');
      await t.refused('CONFLICT', () => t.requestPromotion('mlEngineer', v1.id, 'STAGING'));
      await t.refused('CONFLICT', () => t.requestPromotion('scientist', v1.id, 'PRODUCTION'));
      await t.refused('CONFLICT', () => t.requestPromotion('admin', v1.id, 'ARCHIVED'));
      expect((await t.version(v1.id)).promotionRequests).toEqual([{ id: first.id, status: 'PENDING', fromStage: 'NONE', toStage: 'STAGING' }]);

      // Once it is closed, a new one may be made.
      ok(await t.cancel('scientist', first.id));
      const second = await t.requested('scientist', v1.id, 'PRODUCTION');
      expect(second.status).toBe('PENDING');
    });

    it('applies ARCHIVED at once: it needs no one, the request is APPROVED and the version ARCHIVED', async () => {
      const { model, v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'ARCHIVED', 'Superseded');
      expect(request).toMatchObject({
        status: 'APPROVED',
        fromStage: 'NONE',
        toStage: 'ARCHIVED',
        requiredRoles: [],
        missingRoles: [],
        reviews: [],
        modelVersion: { stage: 'ARCHIVED' },
      });
      expect(request.decidedAt).not.toBeNull();
      expect((await t.version(v1.id)).stage).toBe('ARCHIVED');
      expect((await t.model(model.id)).pendingPromotion).toBeNull();

      expect(await t.eventTypes(request.id)).toEqual(['PROMOTION_APPROVED', 'PROMOTION_REQUESTED']);
      const stage = await t.events(v1.id, ['STAGE_CHANGED']);
      expect(stage).toHaveLength(1);
      expect(stage[0]).toMatchObject({
        subject: { id: v1.id, __typename: 'ModelVersion' },
        data: { fromStage: 'NONE', toStage: 'ARCHIVED', promotionRequestId: request.id },
      });
    });

    it('answers NOT_FOUND for an unknown version', async () => {
      await t.refused('NOT_FOUND', () => t.requestPromotion('scientist', unknownId('ModelVersion'), 'STAGING'));
    });
  });

  describe('reviewPromotion', () => {
    it('moves the version once the last required role approves, in the same response', async () => {
      const { model, v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'STAGING');
      const approved = await t.reviewed('mlEngineer', request.id, 'APPROVE', 'Looks good');
      expect(approved).toMatchObject({ status: 'APPROVED', missingRoles: [], modelVersion: { id: v1.id, stage: 'STAGING' } });
      expect(approved.decidedAt).not.toBeNull();
      expect(approved.reviews).toEqual([
        expect.objectContaining({
          role: 'ML_ENGINEER',
          decision: 'APPROVE',
          comment: 'Looks good',
          origin: 'API',
          reviewer: { id: hub.users.mlEngineer.id, name: hub.users.mlEngineer.name },
        }),
      ]);

      expect(await t.eventTypes(request.id)).toEqual(['PROMOTION_APPROVED', 'PROMOTION_REQUESTED', 'PROMOTION_REVIEWED']);
      const [reviewed] = await t.events(request.id, ['PROMOTION_REVIEWED']);
      expect(reviewed).toMatchObject({ actor: { id: hub.users.mlEngineer.id }, data: { decision: 'APPROVE', role: 'ML_ENGINEER' } });
      expect(reviewed.summary).toBe(`Test mlEngineer approved ${model.name} v1 → STAGING as ML_ENGINEER`);
      const stage = await t.events(v1.id, ['STAGE_CHANGED']);
      expect(stage.map((e) => e.data)).toEqual([expect.objectContaining({ fromStage: 'NONE', toStage: 'STAGING' })]);
      expect((await t.version(v1.id)).stage).toBe('STAGING');
    });

    it('needs every role of a PRODUCTION request: SME first, then RISK_MANAGER', async () => {
      const { model, v1 } = await t.fixture();
      await t.promote(v1.id, 'STAGING');
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');

      const half = await t.reviewed('sme', request.id);
      expect(half).toMatchObject({ status: 'PENDING', missingRoles: ['RISK_MANAGER'], decidedAt: null, modelVersion: { stage: 'STAGING' } });
      expect((await t.model(model.id)).productionVersion).toBeNull();
      expect(await t.events(v1.id, ['STAGE_CHANGED'])).toHaveLength(1);

      const done = await t.reviewed('risk', request.id);
      expect(done).toMatchObject({ status: 'APPROVED', missingRoles: [], modelVersion: { stage: 'PRODUCTION' } });
      expect(done.reviews.map((r) => [r.reviewer.id, r.role, r.decision])).toEqual([
        [hub.users.sme.id, 'SME', 'APPROVE'],
        [hub.users.risk.id, 'RISK_MANAGER', 'APPROVE'],
      ]);

      const reviewed = await t.events(request.id, ['PROMOTION_REVIEWED']);
      expect(reviewed.map((e) => e.summary).sort()).toEqual([
        `Test risk approved ${model.name} v1 → PRODUCTION as RISK_MANAGER`,
        `Test sme approved ${model.name} v1 → PRODUCTION as SME`,
      ]);
      expect(reviewed.map((e) => e.data).sort((a, b) => String(a.role).localeCompare(String(b.role)))).toEqual([
        expect.objectContaining({ decision: 'APPROVE', role: 'RISK_MANAGER' }),
        expect.objectContaining({ decision: 'APPROVE', role: 'SME' }),
      ]);
      expect(await t.events(request.id, ['PROMOTION_APPROVED'])).toHaveLength(1);
      expect((await t.events(v1.id, ['STAGE_CHANGED'])).map((e) => e.data)).toContainEqual(
        expect.objectContaining({ fromStage: 'STAGING', toStage: 'PRODUCTION' }),
      );
      expect((await t.model(model.id)).productionVersion).toEqual({ id: v1.id, version: 1, stage: 'PRODUCTION' });
    });

    it('refuses a reviewer who holds no missing role with FORBIDDEN and writes nothing', async () => {
      const { v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      for (const who of ['mlEngineer', 'dataEngineer', 'admin'] as const) {
        await t.refused('FORBIDDEN', () => t.review(who, request.id));
      }
      await t.reviewed('sme', request.id);
      // SME no longer missing: a second SME may not approve nor reject.
      await t.refused('FORBIDDEN', () => t.review('sme2', request.id));
      await t.refused('FORBIDDEN', () => t.review('sme2', request.id, 'REJECT'));
      expect(await t.request(request.id)).toMatchObject({ status: 'PENDING', missingRoles: ['RISK_MANAGER'] });
      expect((await t.request(request.id)).reviews).toHaveLength(1);
    });

    it('applies four eyes: a requester who holds the missing role cannot review their own request', async () => {
      const both = await t.newUser(['ML_ENGINEER', 'DATA_SCIENTIST'], 'both');
      const { v1 } = await t.fixture();
      const request = await t.requested(both, v1.id, 'STAGING');
      expect(request.requestedBy.id).toBe(both.id);
      await t.refused('FORBIDDEN', () => t.review(both, request.id));
      await t.refused('FORBIDDEN', () => t.review(both, request.id, 'REJECT'));
      expect(await t.request(request.id)).toMatchObject({ status: 'PENDING', reviews: [], missingRoles: ['ML_ENGINEER'] });
      // Someone else with the role may.
      expect((await t.reviewed('mlEngineer', request.id)).status).toBe('APPROVED');
    });

    it('counts a review for the first missing role the reviewer holds, and only once (CONFLICT after)', async () => {
      const dual = await t.newUser(['RISK_MANAGER', 'SME'], 'dual');
      const { model, v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      const after = await t.reviewed(dual, request.id);
      expect(after).toMatchObject({ status: 'PENDING', missingRoles: ['RISK_MANAGER'], modelVersion: { stage: 'NONE' } });
      expect(after.reviews).toEqual([expect.objectContaining({ role: 'SME', decision: 'APPROVE', reviewer: { id: dual.id, name: dual.name } })]);
      const [event] = await t.events(request.id, ['PROMOTION_REVIEWED']);
      expect(event.summary).toBe(`${dual.name} approved ${model.name} v1 → PRODUCTION as SME`);
      expect(event.data).toMatchObject({ decision: 'APPROVE', role: 'SME' });

      // Still holds the missing RISK_MANAGER role, but has reviewed already.
      await t.refused('CONFLICT', () => t.review(dual, request.id));
      await t.refused('CONFLICT', () => t.review(dual, request.id, 'REJECT'));
      expect(await t.request(request.id)).toMatchObject({ status: 'PENDING', missingRoles: ['RISK_MANAGER'] });
      expect((await t.version(v1.id)).stage).toBe('NONE');
      expect((await t.model(model.id)).productionVersion).toBeNull();
    });

    it('rejects on one REJECT: REJECTED, decidedAt set, the stage unchanged', async () => {
      const { model, v1 } = await t.fixture();
      await t.promote(v1.id, 'STAGING');
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      const rejected = await t.reviewed('risk', request.id, 'REJECT', 'No fairness analysis');
      expect(rejected).toMatchObject({ status: 'REJECTED', modelVersion: { stage: 'STAGING' }, missingRoles: ['SME', 'RISK_MANAGER'] });
      expect(rejected.decidedAt).not.toBeNull();
      expect(rejected.reviews).toEqual([expect.objectContaining({ role: 'RISK_MANAGER', decision: 'REJECT', comment: 'No fairness analysis' })]);

      expect(await t.eventTypes(request.id)).toEqual(['PROMOTION_REJECTED', 'PROMOTION_REQUESTED', 'PROMOTION_REVIEWED']);
      const [reviewed] = await t.events(request.id, ['PROMOTION_REVIEWED']);
      expect(reviewed.summary).toBe(`Test risk rejected ${model.name} v1 → PRODUCTION as RISK_MANAGER`);
      expect(reviewed.data).toMatchObject({ decision: 'REJECT', role: 'RISK_MANAGER' });
      expect(await t.events(v1.id, ['STAGE_CHANGED'])).toHaveLength(1);
      expect((await t.version(v1.id)).stage).toBe('STAGING');
      expect((await t.model(model.id)).productionVersion).toBeNull();

      // Closed: no more reviews, and a new request may be made.
      await t.refused('CONFLICT', () => t.review('sme', request.id));
      expect((await t.requested('scientist', v1.id, 'PRODUCTION')).status).toBe('PENDING');
    });

    it('refuses reviews of APPROVED and CANCELLED requests with CONFLICT', async () => {
      const { v1 } = await t.fixture();
      const approved = await t.requested('scientist', v1.id, 'STAGING');
      await t.reviewed('mlEngineer', approved.id);
      const ml2 = await t.newUser(['ML_ENGINEER'], 'ml2');
      await t.refused('CONFLICT', () => t.review(ml2, approved.id));

      const cancelled = await t.requested('scientist', v1.id, 'PRODUCTION');
      ok(await t.cancel('scientist', cancelled.id));
      await t.refused('CONFLICT', () => t.review('sme', cancelled.id));
      await t.refused('CONFLICT', () => t.review('risk', cancelled.id, 'REJECT'));
      expect((await t.request(cancelled.id)).reviews).toEqual([]);
    });

    it('answers NOT_FOUND for an unknown request', async () => {
      await t.refused('NOT_FOUND', () => t.review('sme', unknownId('PromotionRequest')));
      await t.refused('NOT_FOUND', () => t.cancel('admin', unknownId('PromotionRequest')));
    });
  });

  describe('a new PRODUCTION version', () => {
    it('archives the previous one; productionVersion and new KPI values follow', async () => {
      const { goalId, model, v1 } = await t.fixture();
      const v2 = await t.newVersion(model.id);
      const { kpi } = ok(await hub.as('sme', AddKpiDocument, { input: { goalId, name: 'Churn rate', direction: 'LOWER_IS_BETTER' } })).addKpi;
      const record = async (value: number) =>
        ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId: kpi.id, value } })).recordKpiValue.kpi.history.nodes[0];

      expect((await record(5)).modelVersion).toBeNull();
      await t.promote(v1.id, 'PRODUCTION');
      expect((await t.model(model.id)).productionVersion).toEqual({ id: v1.id, version: 1, stage: 'PRODUCTION' });
      expect((await record(4)).modelVersion).toEqual({ id: v1.id, version: 1, stage: 'PRODUCTION' });

      await t.promote(v2.id, 'STAGING');
      const request = await t.requested('mlEngineer', v2.id, 'PRODUCTION');
      await t.reviewed('risk', request.id);
      const done = await t.reviewed('sme', request.id);
      expect(done).toMatchObject({ status: 'APPROVED', modelVersion: { id: v2.id, stage: 'PRODUCTION' } });

      const read = await t.model(model.id);
      expect(read.productionVersion).toEqual({ id: v2.id, version: 2, stage: 'PRODUCTION' });
      expect(read.versions.nodes).toEqual([
        { id: v2.id, version: 2, stage: 'PRODUCTION' },
        { id: v1.id, version: 1, stage: 'ARCHIVED' },
      ]);

      const v1Changes = (await t.events(v1.id, ['STAGE_CHANGED'])).map((e) => e.data);
      expect(v1Changes).toHaveLength(2);
      expect(v1Changes).toContainEqual(expect.objectContaining({ fromStage: 'PRODUCTION', toStage: 'ARCHIVED', promotionRequestId: request.id }));
      const v2Changes = (await t.events(v2.id, ['STAGE_CHANGED'])).map((e) => e.data);
      expect(v2Changes).toHaveLength(2);
      expect(v2Changes).toContainEqual(expect.objectContaining({ fromStage: 'STAGING', toStage: 'PRODUCTION', promotionRequestId: request.id }));

      expect((await record(3)).modelVersion).toEqual({ id: v2.id, version: 2, stage: 'PRODUCTION' });
    });
  });

  describe('cancelPromotion', () => {
    it('lets the requester cancel a PENDING request; the stage stays', async () => {
      const { model, v1 } = await t.fixture();
      const request = await t.requested('mlEngineer', v1.id, 'STAGING');
      const { cancelPromotion } = ok(await t.cancel('mlEngineer', request.id, 'Wrong version'));
      expect(cancelPromotion.promotionRequest).toMatchObject({ id: request.id, status: 'CANCELLED', modelVersion: { stage: 'NONE' } });
      expect(cancelPromotion.promotionRequest.decidedAt).not.toBeNull();
      expect(await t.eventTypes(request.id)).toEqual(['PROMOTION_CANCELLED', 'PROMOTION_REQUESTED']);
      const [cancelled] = await t.events(request.id, ['PROMOTION_CANCELLED']);
      expect(cancelled).toMatchObject({ actor: { id: hub.users.mlEngineer.id }, data: { reason: 'Wrong version', status: 'CANCELLED' } });
      expect(await t.events(v1.id, ['STAGE_CHANGED'])).toEqual([]);
      expect((await t.model(model.id)).pendingPromotion).toBeNull();
    });

    it("lets an ADMIN cancel anyone's request", async () => {
      const { v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      expect(ok(await t.cancel('admin', request.id)).cancelPromotion.promotionRequest.status).toBe('CANCELLED');
      const [cancelled] = await t.events(request.id, ['PROMOTION_CANCELLED']);
      expect(cancelled.actor?.id).toBe(hub.users.admin.id);
    });

    it.each<Person>(['mlEngineer', 'sme', 'risk'])('refuses %s, who did not request it, with FORBIDDEN', async (who) => {
      const { v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      await t.refused('FORBIDDEN', () => t.cancel(who, request.id));
      expect((await t.request(request.id)).status).toBe('PENDING');
    });

    it('refuses a request that is no longer PENDING with CONFLICT', async () => {
      const { v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'STAGING');
      ok(await t.cancel('scientist', request.id));
      await t.refused('CONFLICT', () => t.cancel('scientist', request.id));
      await t.refused('CONFLICT', () => t.cancel('admin', request.id));

      const approved = await t.requested('scientist', v1.id, 'STAGING');
      await t.reviewed('mlEngineer', approved.id);
      await t.refused('CONFLICT', () => t.cancel('scientist', approved.id));
      expect((await t.request(approved.id)).status).toBe('APPROVED');
    });
  });

  describe('reads', () => {
    it("shows pendingPromotion, a version's requests newest first and node(id)", async () => {
      const { model, v1 } = await t.fixture();
      const v2 = await t.newVersion(model.id);
      expect((await t.model(model.id)).pendingPromotion).toBeNull();

      const first = await t.requested('scientist', v1.id, 'STAGING');
      await t.reviewed('mlEngineer', first.id);
      const second = await t.requested('scientist', v1.id, 'PRODUCTION');
      expect((await t.model(model.id)).pendingPromotion).toMatchObject({ id: second.id, status: 'PENDING', modelVersion: { id: v1.id } });
      const third = await t.requested('scientist', v2.id, 'STAGING');
      expect((await t.model(model.id)).pendingPromotion).toMatchObject({ id: third.id, modelVersion: { id: v2.id } });

      expect((await t.version(v1.id)).promotionRequests).toEqual([
        { id: second.id, status: 'PENDING', fromStage: 'STAGING', toStage: 'PRODUCTION' },
        { id: first.id, status: 'APPROVED', fromStage: 'NONE', toStage: 'STAGING' },
      ]);

      ok(await t.cancel('scientist', third.id));
      expect((await t.model(model.id)).pendingPromotion).toMatchObject({ id: second.id });
      ok(await t.cancel('scientist', second.id));
      expect((await t.model(model.id)).pendingPromotion).toBeNull();

      const node = ok(await hub.as('dataEngineer', PrRequestDocument, { id: first.id })).node;
      expect(node).toMatchObject({ __typename: 'PromotionRequest', id: first.id, status: 'APPROVED', modelVersion: { id: v1.id } });
    });

    it('filters Query.promotionRequests by status and model', async () => {
      const { model, v1 } = await t.fixture();
      const v2 = await t.newVersion(model.id);
      const v3 = await t.newVersion(model.id);
      const pending = await t.requested('scientist', v1.id, 'STAGING');
      const cancelled = await t.requested('scientist', v2.id, 'STAGING');
      ok(await t.cancel('scientist', cancelled.id));
      const approved = await t.requested('scientist', v3.id, 'ARCHIVED');
      const other = await t.fixture();
      await t.requested('scientist', other.v1.id, 'STAGING');

      const list = async (status?: PromotionStatus, modelId?: string) =>
        ok(await hub.as('risk', PrRequestsDocument, { first: 100, status, modelId })).promotionRequests;
      const ofModel = await list(undefined, model.id);
      expect(ofModel.totalCount).toBe(3);
      expect(ofModel.nodes.map((n) => n.id)).toEqual([approved.id, cancelled.id, pending.id]);
      expect((await list('PENDING', model.id)).nodes.map((n) => n.id)).toEqual([pending.id]);
      expect((await list('CANCELLED', model.id)).nodes.map((n) => n.id)).toEqual([cancelled.id]);
      expect((await list('APPROVED', model.id)).nodes.map((n) => n.id)).toEqual([approved.id]);
      expect((await list('REJECTED', model.id)).totalCount).toBe(0);

      const allPending = await list('PENDING');
      expect(allPending.nodes.every((n) => n.status === 'PENDING')).toBe(true);
      expect(allPending.nodes.map((n) => n.id)).toContain(pending.id);
      expect(allPending.nodes.map((n) => n.id)).not.toContain(cancelled.id);
      const all = await list();
      expect(all.totalCount).toBeGreaterThanOrEqual(ofModel.totalCount + 1);
    });

    it('takes comments: PromotionRequest is Discussable', async () => {
      const { v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      const { comment } = ok(
        await hub.as('risk', AddCommentDocument, { input: { subjectId: request.id, body: 'Where is the bias report?' } }),
      ).addComment;
      expect(comment.subject).toEqual({ id: request.id, __typename: 'PromotionRequest' });
      ok(await hub.as('scientist', AddCommentDocument, { input: { subjectId: request.id, body: 'Attached to the card.' } }));
      const read = await t.request(request.id);
      expect(read.comments.totalCount).toBe(2);
      expect(read.comments.nodes.map((c) => c.body).sort()).toEqual(['Attached to the card.', 'Where is the bias report?']);
      expect(read.comments.nodes.find((c) => c.id === comment.id)?.author.id).toBe(hub.users.risk.id);
    });
  });

  describe('races', () => {
    it(`lets exactly one of ${RACE} concurrent requests for a version through; the rest are CONFLICT`, async () => {
      const { model, v1 } = await t.fixture();
      const who: Person[] = ['scientist', 'mlEngineer', 'admin'];
      const results = await Promise.all(Array.from({ length: RACE }, (_, i) => t.requestPromotion(who[i % who.length], v1.id, 'STAGING')));
      expectOnly(results, ['CONFLICT']);
      expect(succeeded(results)).toHaveLength(1);
      expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(RACE - 1);

      const requests = (await t.version(v1.id)).promotionRequests;
      expect(requests).toHaveLength(1);
      expect(requests[0].status).toBe('PENDING');
      expect((await t.model(model.id)).pendingPromotion?.id).toBe(requests[0].id);
      expect(await t.events(requests[0].id)).toHaveLength(1);
    });

    it(`approves a PRODUCTION request once under ${RACE} concurrent reviews by distinct SMEs and risk managers`, async () => {
      const smes = await Promise.all(Array.from({ length: RACE / 2 }, () => t.newUser(['SME'], 'sme')));
      const risks = await Promise.all(Array.from({ length: RACE / 2 }, () => t.newUser(['RISK_MANAGER'], 'risk')));
      const { model, v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      const reviewers = smes.flatMap((s, i) => [s, risks[i]]);

      const results = await Promise.all(reviewers.map((r) => t.review(r, request.id)));
      expectOnly(results, ['CONFLICT', 'FORBIDDEN']);
      expect(succeeded(results)).toHaveLength(2);

      const read = await t.request(request.id);
      expect(read).toMatchObject({ status: 'APPROVED', missingRoles: [], modelVersion: { stage: 'PRODUCTION' } });
      expect(read.reviews.map((r) => r.role).sort()).toEqual(['RISK_MANAGER', 'SME']);
      expect(read.reviews.every((r) => r.decision === 'APPROVE')).toBe(true);
      expect(await t.events(request.id, ['PROMOTION_REVIEWED'])).toHaveLength(2);
      expect(await t.events(request.id, ['PROMOTION_APPROVED'])).toHaveLength(1);
      const toProduction = (await t.events(v1.id, ['STAGE_CHANGED'])).filter((e) => e.data.toStage === 'PRODUCTION');
      expect(toProduction).toHaveLength(1);
      expect((await t.model(model.id)).productionVersion?.id).toBe(v1.id);
    });

    it(`counts one review when the same reviewer sends ${RACE} at once; the rest are CONFLICT`, async () => {
      const { v1 } = await t.fixture();
      const request = await t.requested('scientist', v1.id, 'PRODUCTION');
      const results = await Promise.all(Array.from({ length: RACE }, () => t.review('sme', request.id)));
      expectOnly(results, ['CONFLICT']);
      expect(succeeded(results)).toHaveLength(1);
      expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(RACE - 1);

      const read = await t.request(request.id);
      expect(read).toMatchObject({ status: 'PENDING', missingRoles: ['RISK_MANAGER'] });
      expect(read.reviews).toHaveLength(1);
      expect(await t.events(request.id, ['PROMOTION_REVIEWED'])).toHaveLength(1);
    });
  });

  customPolicies(dialect);
});

/** Suites on hubs of their own, started with another promotion policy. */
function customPolicies(dialect: TestHub['dialect']) {
  describe('a custom promotion policy', () => {
    let hub: TestHub;
    let t: ReturnType<typeof tools>;
    const policy: HubOptions['policy'] = { STAGING: [], PRODUCTION: ['RISK_MANAGER'], ARCHIVED: [] } as HubOptions['policy'];

    beforeAll(async () => {
      hub = await startHub(dialect, { policy });
      t = tools(hub);
    });
    afterAll(() => hub?.close());

    it('decides requiredRoles: STAGING applies at once, PRODUCTION needs only RISK_MANAGER', async () => {
      const { model, v1 } = await t.fixture();
      const staging = await t.requested('scientist', v1.id, 'STAGING');
      expect(staging).toMatchObject({ status: 'APPROVED', requiredRoles: [], missingRoles: [], modelVersion: { stage: 'STAGING' } });
      expect((await t.events(v1.id, ['STAGE_CHANGED'])).map((e) => e.data)).toEqual([
        expect.objectContaining({ fromStage: 'NONE', toStage: 'STAGING' }),
      ]);

      const production = await t.requested('scientist', v1.id, 'PRODUCTION');
      expect(production).toMatchObject({ status: 'PENDING', requiredRoles: ['RISK_MANAGER'], missingRoles: ['RISK_MANAGER'] });
      expect((await t.events(production.id, ['PROMOTION_REQUESTED']))[0].data).toMatchObject({ requiredRoles: ['RISK_MANAGER'] });
      await t.refused('FORBIDDEN', () => t.review('sme', production.id));
      const done = await t.reviewed('risk', production.id);
      expect(done).toMatchObject({ status: 'APPROVED', missingRoles: [], modelVersion: { stage: 'PRODUCTION' } });
      expect((await t.model(model.id)).productionVersion?.id).toBe(v1.id);
    });
  });

  describe('a stage change with another request pending', () => {
    let hub: TestHub;
    let t: ReturnType<typeof tools>;
    const policy = { STAGING: ['ML_ENGINEER'], PRODUCTION: ['SME', 'RISK_MANAGER'], ARCHIVED: ['ADMIN'] } as HubOptions['policy'];

    beforeAll(async () => {
      hub = await startHub(dialect, { policy });
      t = tools(hub);
    });
    afterAll(() => hub?.close());

    it('cancels the pending request whose fromStage no longer holds', async () => {
      const { model, v1 } = await t.fixture();
      const v2 = await t.newVersion(model.id);
      await t.promote(v1.id, 'PRODUCTION');
      await t.promote(v2.id, 'STAGING');

      const archive = await t.requested('admin', v1.id, 'ARCHIVED', 'Retire v1');
      expect(archive).toMatchObject({
        status: 'PENDING',
        fromStage: 'PRODUCTION',
        toStage: 'ARCHIVED',
        requiredRoles: ['ADMIN'],
        missingRoles: ['ADMIN'],
      });
      // Four eyes holds for an ADMIN too.
      await t.refused('FORBIDDEN', () => t.review('admin', archive.id));

      const promotion = await t.requested('scientist', v2.id, 'PRODUCTION');
      await t.reviewed('sme', promotion.id);
      const done = await t.reviewed('risk', promotion.id);
      expect(done).toMatchObject({ status: 'APPROVED', modelVersion: { stage: 'PRODUCTION' } });

      const stale = await t.request(archive.id);
      expect(stale).toMatchObject({ status: 'CANCELLED', reviews: [], modelVersion: { id: v1.id, stage: 'ARCHIVED' } });
      expect(stale.decidedAt).not.toBeNull();
      expect(await t.eventTypes(archive.id)).toEqual(['PROMOTION_CANCELLED', 'PROMOTION_REQUESTED']);
      const [cancelled] = await t.events(archive.id, ['PROMOTION_CANCELLED']);
      expect(cancelled.data).toMatchObject({ fromStage: 'PRODUCTION', toStage: 'ARCHIVED', status: 'CANCELLED' });
      expect((await t.events(v1.id, ['STAGE_CHANGED'])).map((e) => e.data)).toContainEqual(
        expect.objectContaining({ fromStage: 'PRODUCTION', toStage: 'ARCHIVED' }),
      );

      const read = await t.model(model.id);
      expect(read.productionVersion?.id).toBe(v2.id);
      expect(read.pendingPromotion).toBeNull();
      await t.refused('CONFLICT', () => t.cancel('admin', archive.id));
    });

    it('lets another ADMIN approve an ARCHIVED request the policy gives to ADMIN', async () => {
      const admin2 = await t.newUser(['ADMIN'], 'admin2');
      const { v1 } = await t.fixture();
      const request = await t.requested('admin', v1.id, 'ARCHIVED');
      expect(request.status).toBe('PENDING');
      const done = await t.reviewed(admin2, request.id);
      expect(done).toMatchObject({ status: 'APPROVED', reviews: [expect.objectContaining({ role: 'ADMIN' })], modelVersion: { stage: 'ARCHIVED' } });
    });
  });
}
