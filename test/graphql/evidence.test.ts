import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelPromotionDocument,
  CreateExperimentDocument,
  CreateGoalDocument,
  CreateModelVersionDocument,
  EvVersionDocument,
  LogRunDocument,
  RegisterModelDocument,
  RequestPromotionDocument,
  ReviewPromotionDocument,
  UpdateModelVersionDocument,
  UpdateRunDocument,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, having, ok, type Result } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { artifactDigest } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';

const CARD = { intendedUse: 'Rank customers by churn risk.', featureImportance: [{ feature: 'tenure', importance: 0.4 }] };

forEachDialect((dialect) => {
  let hub: TestHub;
  let goalId: string;
  let experimentId: string;
  let named = 0;

  beforeAll(async () => {
    hub = await startHub(dialect);
    goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Evidence', businessQuestion: 'What did we approve?' } })).createGoal.goal
      .id;
    experimentId = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId, name: 'Evidence runs' } })).createExperiment.experiment
      .id;
  });
  afterAll(() => hub?.close());

  async function newRun(status: 'RUNNING' | 'FINISHED' = 'RUNNING') {
    return ok(
      await hub.as('scientist', LogRunDocument, {
        input: {
          experimentId,
          name: `run ${++named}`,
          status,
          params: { depth: 6 },
          metrics: [{ key: 'auc', value: 0.8 }],
          datasetUri: 's3://lake/x',
          codeVersion: 'abc',
        },
      }),
    ).logRun.run;
  }

  async function newVersion(input: { runId?: string; artifactDigest?: string } = {}) {
    const { model } = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId, name: `evidence-${++named}` } })).registerModel;
    return ok(
      await hub.as('scientist', CreateModelVersionDocument, {
        input: { modelId: model.id, artifactUri: 's3://models/1/model.pkl', card: CARD, metrics: [{ key: 'auc', value: 0.8 }], ...input },
      }),
    ).createModelVersion.modelVersion;
  }

  async function version(id: string) {
    return having(ok(await hub.as('risk', EvVersionDocument, { id })).node, 'evidenceDigest');
  }

  /** `fn` must be refused with `code`, writing no event; returns the message. */
  async function refused(code: string, fn: () => Promise<Result<unknown>>): Promise<string> {
    const before = await eventCount(hub);
    const result = await fn();
    expect(errorCode(result)).toBe(code);
    expect(await eventCount(hub)).toBe(before);
    return result.errors![0].message;
  }

  const request = (modelVersionId: string, toStage: 'STAGING' | 'PRODUCTION') =>
    hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId, toStage } });

  describe('a version before any request', () => {
    it('takes an optional artifactDigest, stored lower-case, and refuses one that is not a sha256', async () => {
      const digest = artifactDigest('upper');
      const v = await newVersion({ artifactDigest: digest.toUpperCase() });
      expect(v).toMatchObject({ artifactDigest: digest, evidenceFrozen: false });
      expect((await newVersion()).artifactDigest).toBeNull();
      const { model } = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId, name: `evidence-${++named}` } })).registerModel;
      expect(
        await refused('BAD_USER_INPUT', () =>
          hub.as('scientist', CreateModelVersionDocument, { input: { modelId: model.id, artifactDigest: 'md5:abc' } }),
        ),
      ).toMatch(/artifactDigest must be a sha256/);
    });

    it('has an evidenceDigest that changes with its evidence but not with its description', async () => {
      const v = await newVersion();
      expect(v.evidenceDigest).toMatch(/^[0-9a-f]{64}$/);
      const described = ok(await hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: v.id, description: 'Now described' } }))
        .updateModelVersion.modelVersion;
      expect(described.evidenceDigest).toBe(v.evidenceDigest);
      const carded = ok(
        await hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: v.id, card: { ...CARD, limitations: 'Not for B2B.' } } }),
      ).updateModelVersion.modelVersion;
      expect(carded.evidenceDigest).not.toBe(v.evidenceDigest);
      expect(carded.evidenceFrozen).toBe(false);
    });

    it("covers the run's metrics: the digest follows a RUNNING run", async () => {
      const run = await newRun();
      const v = await newVersion({ runId: run.id });
      ok(await hub.as('scientist', UpdateRunDocument, { input: { runId: run.id, metrics: [{ key: 'auc', value: 0.9 }] } }));
      expect((await version(v.id)).evidenceDigest).not.toBe(v.evidenceDigest);
    });
  });

  describe('frozen evidence', () => {
    it('freezes on the first request, and stays frozen after it is cancelled', async () => {
      const v = await newVersion();
      const { promotionRequest } = ok(await request(v.id, 'STAGING')).requestPromotion;
      expect((await version(v.id)).evidenceFrozen).toBe(true);
      ok(await hub.as('scientist', CancelPromotionDocument, { input: { promotionRequestId: promotionRequest.id } }));
      expect((await version(v.id)).evidenceFrozen).toBe(true);
    });

    it.each([
      ['artifactUri', { artifactUri: 's3://models/2/model.pkl' }],
      ['artifactDigest', { artifactDigest: artifactDigest('other') }],
      ['card', { card: { ...CARD, intendedUse: 'Something else' } }],
      ['card', { card: null }],
    ] as const)('refuses a change of %s with CONFLICT saying to register a new version, and changes nothing', async (field, change) => {
      const v = await newVersion();
      ok(await request(v.id, 'STAGING'));
      const before = await version(v.id);
      const message = await refused('CONFLICT', () =>
        hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: v.id, ...change } }),
      );
      expect(message).toContain(`so ${field} cannot change`);
      expect(message).toMatch(/Register a new version with createModelVersion instead; description stays editable/);
      expect(await version(v.id)).toEqual(before);
    });

    it('keeps the description editable', async () => {
      const v = await newVersion();
      ok(await request(v.id, 'STAGING'));
      const updated = ok(await hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: v.id, description: 'Explained' } }))
        .updateModelVersion.modelVersion;
      expect(updated).toMatchObject({ description: 'Explained', evidenceDigest: v.evidenceDigest, evidenceFrozen: true });
    });

    it('also freezes the run behind it, and a FINISHED run cannot change at all', async () => {
      const running = await newRun();
      const v = await newVersion({ runId: running.id });
      ok(await request(v.id, 'STAGING'));
      expect(
        await refused('CONFLICT', () =>
          hub.as('scientist', UpdateRunDocument, { input: { runId: running.id, metrics: [{ key: 'auc', value: 0.99 }] } }),
        ),
      ).toMatch(/is frozen: log a new run and register a new version instead/);
      const finished = await newRun('FINISHED');
      expect(
        await refused('CONFLICT', () =>
          hub.as('scientist', UpdateRunDocument, { input: { runId: finished.id, metrics: [{ key: 'auc', value: 0.99 }] } }),
        ),
      ).toMatch(/is FINISHED and cannot change: log a new run with logRun instead/);
      expect((await version(v.id)).evidenceDigest).toBe(v.evidenceDigest);
    });
  });

  describe('a PRODUCTION request under the default policy', () => {
    it('needs an artifactDigest (CONFLICT saying how to give one)', async () => {
      const v = await newVersion();
      expect(await refused('CONFLICT', () => request(v.id, 'PRODUCTION'))).toMatch(/has no artifactDigest.*Set it with updateModelVersion/);
      ok(await hub.as('scientist', UpdateModelVersionDocument, { input: { modelVersionId: v.id, artifactDigest: artifactDigest('late') } }));
      ok(await request(v.id, 'PRODUCTION'));
    });

    it('each review stores the evidence digest it approved', async () => {
      const v = await newVersion({ artifactDigest: artifactDigest('reviewed') });
      const { promotionRequest } = ok(await request(v.id, 'PRODUCTION')).requestPromotion;
      ok(await hub.as('sme', ReviewPromotionDocument, { input: { promotionRequestId: promotionRequest.id, decision: 'APPROVE' } }));
      const done = ok(await hub.as('risk', ReviewPromotionDocument, { input: { promotionRequestId: promotionRequest.id, decision: 'APPROVE' } }))
        .reviewPromotion.promotionRequest;
      expect(done.status).toBe('APPROVED');
      expect(done.reviews.map((r) => [r.role, r.evidenceDigest])).toEqual([
        ['SME', v.evidenceDigest],
        ['RISK_MANAGER', v.evidenceDigest],
      ]);
    });
  });
});
