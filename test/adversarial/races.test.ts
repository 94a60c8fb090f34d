import { expect, it } from 'vitest';
import { CreateUserDocument, PrEventsDocument, PrRequestDocument, RequestPromotionDocument, ReviewPromotionDocument } from '../../src/generated/operations';
import { having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
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
      const { createUser } = ok(await hub.as('admin', CreateUserDocument, { input: { name: `Racer ${i}`, email: `racer${i}@race.example`, roles: [role as never], slackUserId: slackId } }));
      people.push({ token: createUser.token, slackId });
    }
    const { versions: [version] } = await goalWithModel(hub, { title: 'Race', businessQuestion: 'Who wins?', model: 'race-model' });
    const versionId = version.id;
    const requestId = ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: versionId, toStage: 'PRODUCTION' } })).requestPromotion.promotionRequest.id;

    // Half review through the API, half click Approve in Slack; all at once.
    const outcomes = await Promise.all(people.map(async (person, i) => {
      if (i % 4 < 2) {
        const res = await hub.as({ token: person.token }, ReviewPromotionDocument, { input: { promotionRequestId: requestId, decision: 'APPROVE' } });
        return { via: 'api', status: res.status, code: res.errors?.[0]?.extensions?.code ?? 'OK' };
      }
      const res = await clickButton(slack.events, {
        user: person.slackId, actionId: 'promotion_approve', value: requestId, channel: 'CRACE', messageTs: '1.1',
        responseUrl: slack.fake.url.replace(/api\/$/, `response/race-${i}`), triggerId: `race-${i}`,
      });
      return { via: 'slack', status: res.status, code: 'ACK' };
    }));

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
