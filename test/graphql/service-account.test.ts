import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AwaitingMyReviewDocument,
  CreateServiceAccountDocument,
  CreateUserDocument,
  EnsureExperimentDocument,
  PipeEventActorsDocument,
  PipeViewerDocument,
  RequestPromotionDocument,
  ReviewPromotionDocument,
} from '../../src/generated/operations';
import { userService } from '../../src/domain/user/user.service';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  const serviceAccount = async (name: string, roles: string[], expiresAt?: string) =>
    ok(await hub.as('admin', CreateServiceAccountDocument, { input: { name, roles: roles as never, expiresAt } })).createServiceAccount;

  describe('createServiceAccount', () => {
    it('makes a SERVICE principal whose token works and whose events name it as the actor', async () => {
      const { user, token } = await serviceAccount('Training pipeline', ['DATA_SCIENTIST']);
      expect(user).toMatchObject({
        name: 'Training pipeline',
        kind: 'SERVICE',
        roles: ['DATA_SCIENTIST'],
        email: 'training-pipeline@service-accounts.invalid',
      });
      expect(ok(await hub.as({ token }, PipeViewerDocument, {})).viewer).toMatchObject({ id: user.id, kind: 'SERVICE' });
      const { goal } = await goalWithModel(hub, { title: 'Service goal', businessQuestion: 'Who logs?', model: `svc-${dialect}` }, []);
      const { experiment } = ok(await hub.as({ token }, EnsureExperimentDocument, { input: { goalId: goal.id, name: 'nightly' } })).ensureExperiment;
      const events = ok(await hub.as('risk', PipeEventActorsDocument, { filter: { subjectId: experiment.id } })).events.nodes;
      expect(events).toMatchObject([{ type: 'EXPERIMENT_CREATED', actor: { id: user.id, name: 'Training pipeline', kind: 'SERVICE' } }]);
      // People are PERSONs.
      expect(ok(await hub.as('sme', PipeViewerDocument, {})).viewer.kind).toBe('PERSON');
    });

    it('refuses a second service account of the same name with CONFLICT', async () => {
      await serviceAccount('ci-deployer', ['ML_ENGINEER']);
      expect(errorCode(await hub.as('admin', CreateServiceAccountDocument, { input: { name: 'CI deployer', roles: ['ML_ENGINEER'] } }))).toBe(
        'CONFLICT',
      );
    });

    it.each([
      ['a name without a letter or digit', { name: '---', roles: ['DATA_SCIENTIST'] }],
      ['no roles', { name: 'empty-roles', roles: [] }],
      ['an expiry in the past', { name: 'expired', roles: ['DATA_SCIENTIST'], expiresAt: '2020-01-01T00:00:00Z' }],
    ])('refuses %s with BAD_USER_INPUT', async (_what, input) => {
      expect(errorCode(await hub.as('admin', CreateServiceAccountDocument, { input: input as never }))).toBe('BAD_USER_INPUT');
    });

    it('refuses everyone but an ADMIN with FORBIDDEN', async () => {
      for (const who of ['sme', 'scientist', 'mlEngineer', 'risk'] as const) {
        expect(errorCode(await hub.as(who, CreateServiceAccountDocument, { input: { name: `by ${who}`, roles: ['ADMIN'] } }))).toBe('FORBIDDEN');
      }
    });
  });

  describe('tokens', () => {
    it('stops accepting a token after its expiry', async () => {
      const { token } = await serviceAccount('short-lived', ['DATA_SCIENTIST'], new Date(Date.now() + 1500).toISOString());
      expect(ok(await hub.as({ token }, PipeViewerDocument, {})).viewer.kind).toBe('SERVICE');
      await expect.poll(async () => (await hub.as({ token }, PipeViewerDocument, {})).status, { timeout: 10_000, interval: 250 }).toBe(401);
    });

    it('rotates: the new token works, the old ones stop after the grace period', async () => {
      const { token: old } = await serviceAccount('rotating', ['DATA_SCIENTIST']);
      const operator = hub.domain.operator();
      const first = await userService.rotateServiceAccountToken(operator, 'rotating', { graceSeconds: 3600 });
      expect(first.retiring).toBe(1);
      expect((await hub.as({ token: old }, PipeViewerDocument, {})).status).toBe(200);
      const second = await userService.rotateServiceAccountToken(operator, 'rotating');
      expect(second.retiring).toBe(2);
      for (const token of [old, first.token]) expect((await hub.as({ token }, PipeViewerDocument, {})).status).toBe(401);
      expect(ok(await hub.as({ token: second.token }, PipeViewerDocument, {})).viewer.name).toBe('rotating');
      // Each rotation is on the record.
      const rotations = await hub.db.knex('lifecycle_events').where({ type: 'TOKEN_CREATED' }).select('summary');
      expect(rotations.filter((e: { summary: string }) => e.summary.includes('rotated the token of rotating'))).toHaveLength(2);
    });

    it('rotates only service accounts: a person of that name is NOT_FOUND', async () => {
      ok(await hub.as('admin', CreateUserDocument, { input: { name: 'Person', email: 'person@service-accounts.invalid', roles: ['SME'] } }));
      await expect(userService.rotateServiceAccountToken(hub.domain.operator(), 'person')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('reviews', () => {
    it('never lets a service account review a promotion, whatever its roles, and keeps it out of the review queue', async () => {
      const { token } = await serviceAccount('release-bot', ['SME', 'RISK_MANAGER', 'ML_ENGINEER']);
      const {
        versions: [version],
      } = await goalWithModel(hub, { title: 'Bot goal', businessQuestion: 'Can a bot sign?', model: `bot-${dialect}` });
      const requestId = ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: version.id, toStage: 'PRODUCTION' } }))
        .requestPromotion.promotionRequest.id;
      expect(ok(await hub.as({ token }, AwaitingMyReviewDocument, {})).viewer.awaitingMyReview.totalCount).toBe(0);
      const refused = await hub.as({ token }, ReviewPromotionDocument, { input: { promotionRequestId: requestId, decision: 'APPROVE' } });
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0].message).toBe('A service account cannot review a promotion request: sign-off is for people.');
      expect(ok(await hub.as('sme', AwaitingMyReviewDocument, {})).viewer.awaitingMyReview.nodes.map((r) => r.id)).toContain(requestId);
    });
  });
});
