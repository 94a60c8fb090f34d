import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AwaitingMyReviewDocument,
  AwaitingReviewOfDocument,
  CreateUserDocument,
  RequestPromotionDocument,
  ReviewPromotionDocument,
} from '../../src/generated/operations';
import { fromGlobalId } from '../../src/domain/ids';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithTwoVersions } from '../helpers/fixtures';
import { startSlackHub, type SlackHub } from '../helpers/slack-hub';
import { slashCommand } from '../helpers/slack';

forEachDialect((dialect) => {
  describe('awaiting my review: one rule for the API, Slack and the dashboard', () => {
    let slack: SlackHub;
    const hub = () => slack.hub;
    const requestIds: string[] = [];
    let dual: { id: string; token: string };

    const awaiting = async (who: Parameters<SlackHub['hub']['as']>[0]) =>
      ok(await hub().as(who, AwaitingMyReviewDocument, { first: 100 })).viewer.awaitingMyReview;

    beforeAll(async () => {
      slack = await startSlackHub(dialect, { sme: 'USME0001', risk: 'URISK001', scientist: 'USCI0001' });
      const made = ok(
        await hub().as('admin', CreateUserDocument, {
          input: { name: 'Both Roles', email: `both-${dialect}@test.example`, roles: ['SME', 'RISK_MANAGER'] },
        }),
      ).createUser;
      dual = { id: made.user.id, token: made.token };
      for (const n of [1, 2]) {
        const { v1 } = await goalWithTwoVersions(hub(), {
          title: `Awaiting ${n}`,
          businessQuestion: 'Who churns?',
          model: `awaiting-${dialect}-${n}`,
          secondVersionBy: 'scientist',
        });
        requestIds.push(
          ok(await hub().as('scientist', RequestPromotionDocument, { input: { modelVersionId: v1.id, toStage: 'PRODUCTION' } })).requestPromotion
            .promotionRequest.id,
        );
      }
    });
    afterAll(() => slack?.close());

    it('lists a PENDING request for every holder of a missing role, oldest first, and not for its requester or anyone else', async () => {
      const sme = await awaiting('sme');
      expect(sme.nodes.map((r) => r.id)).toEqual(requestIds);
      expect(sme.totalCount).toBe(2);
      expect((await awaiting('risk')).nodes.map((r) => r.id)).toEqual(requestIds);
      expect((await awaiting('scientist')).totalCount).toBe(0);
      expect((await awaiting('mlEngineer')).totalCount).toBe(0);
      expect((await awaiting('admin')).totalCount).toBe(0);
    });

    it('drops a request once its reviewer has reviewed it, even when they hold another missing role', async () => {
      ok(await hub().as({ token: dual.token }, ReviewPromotionDocument, { input: { promotionRequestId: requestIds[0], decision: 'APPROVE' } }));
      const left = await awaiting({ token: dual.token });
      expect(left.nodes.map((r) => r.id)).toEqual([requestIds[1]]);
      // The SME role was given; the risk manager is still awaited on the first request.
      expect((await awaiting('sme')).nodes.map((r) => r.id)).toEqual([requestIds[1]]);
      expect((await awaiting('risk')).nodes.map((r) => r.id)).toEqual(requestIds);
    });

    it('pages with first and after', async () => {
      const first = ok(await hub().as('risk', AwaitingMyReviewDocument, { first: 1 })).viewer.awaitingMyReview;
      expect(first.nodes.map((r) => r.id)).toEqual([requestIds[0]]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = ok(await hub().as('risk', AwaitingMyReviewDocument, { first: 1, after: first.pageInfo.endCursor })).viewer.awaitingMyReview;
      expect(second.nodes.map((r) => r.id)).toEqual([requestIds[1]]);
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect(second.totalCount).toBe(2);
    });

    it("is the viewer's own: asked of another user it is FORBIDDEN", async () => {
      const result = await hub().as('sme', AwaitingReviewOfDocument, { id: hub().users.risk.id });
      expect(errorCode(result)).toBe('FORBIDDEN');
    });

    it('is what Slack `pending` lists for the same person', async () => {
      for (const [who, slackId] of [
        ['sme', 'USME0001'],
        ['risk', 'URISK001'],
        ['scientist', 'USCI0001'],
      ] as const) {
        const api = (await awaiting(who)).nodes.map((r) => `PR-${fromGlobalId(r.id)!.id}`);
        const reply = await slashCommand(slack.events, slack.fake, slackId, 'pending');
        const listed = [...String((reply.json as { text: string }).text).matchAll(/\*(PR-\d+)\*/g)].map((m) => m[1]);
        expect(listed).toEqual(api);
      }
    });
  });
});
