import { expect, it } from 'vitest';
import { CreateUserDocument } from '../../src/generated/operations';
import { ok, post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { clickButton } from '../helpers/slack';
import { useSlackHub } from '../helpers/slack-hub';

const REVIEWERS = 25;

forEachDialect((dialect) => {
  const slack = useSlackHub(dialect, {});

  async function gql<T = Record<string, unknown>>(token: string, query: string, variables: Record<string, unknown> = {}) {
    return post<T>(slack.hub.url, { query, variables }, token);
  }

  it('decides one request once when 50 reviews arrive at the same time through GraphQL and Slack', async () => {
    const { hub } = slack;
    const people: { token: string; slackId: string }[] = [];
    for (let i = 0; i < REVIEWERS * 2; i++) {
      const role = i % 2 ? 'RISK_MANAGER' : 'SME';
      const slackId = `URACE${dialect === 'sqlite' ? 'S' : 'P'}${i}`;
      const { createUser } = ok(await hub.as('admin', CreateUserDocument, { input: { name: `Racer ${i}`, email: `racer${i}@race.example`, roles: [role as never], slackUserId: slackId } }));
      people.push({ token: createUser.token, slackId });
    }
    const goal = await gql<{ createGoal: { goal: { id: string } } }>(hub.users.sme.token, 'mutation { createGoal(input: { title: "Race", businessQuestion: "Who wins?" }) { goal { id } } }');
    const model = await gql<{ registerModel: { model: { id: string } } }>(hub.users.scientist.token,
      'mutation ($g: ID!) { registerModel(input: { goalId: $g, name: "race-model" }) { model { id } } }', { g: goal.data!.createGoal.goal.id });
    const version = await gql<{ createModelVersion: { modelVersion: { id: string } } }>(hub.users.scientist.token,
      'mutation ($m: ID!) { createModelVersion(input: { modelId: $m }) { modelVersion { id } } }', { m: model.data!.registerModel.model.id });
    const versionId = version.data!.createModelVersion.modelVersion.id;
    const requested = await gql<{ requestPromotion: { promotionRequest: { id: string } } }>(hub.users.scientist.token,
      'mutation ($v: ID!) { requestPromotion(input: { modelVersionId: $v, toStage: PRODUCTION }) { promotionRequest { id } } }', { v: versionId });
    const requestId = requested.data!.requestPromotion.promotionRequest.id;

    // Half review through the API, half click Approve in Slack; all at once.
    const outcomes = await Promise.all(people.map(async (person, i) => {
      if (i % 4 < 2) {
        const res = await gql(person.token, 'mutation ($r: ID!) { reviewPromotion(input: { promotionRequestId: $r, decision: APPROVE }) { promotionRequest { id } } }', { r: requestId });
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

    const state = await gql<{ node: { status: string; reviews: { role: string; origin: string }[]; modelVersion: { stage: string } } }>(hub.users.sme.token,
      'query ($r: ID!) { node(id: $r) { ... on PromotionRequest { status reviews { role origin } modelVersion { stage } } } }', { r: requestId });
    const request = state.data!.node;
    expect(request.status).toBe('APPROVED');
    expect(request.modelVersion.stage).toBe('PRODUCTION');
    expect(request.reviews.map((r) => r.role).sort()).toEqual(['RISK_MANAGER', 'SME']);

    const events = await gql<{ events: { nodes: { type: string }[] } }>(hub.users.sme.token,
      'query ($r: ID!) { events(first: 100, filter: { subjectId: $r }) { nodes { type } } }', { r: requestId });
    const count = (type: string) => events.data!.events.nodes.filter((e) => e.type === type).length;
    expect(count('PROMOTION_REVIEWED')).toBe(2);
    expect(count('PROMOTION_APPROVED')).toBe(1);
    const stages = await gql<{ events: { nodes: { data: { toStage: string } }[] } }>(hub.users.sme.token,
      'query ($v: ID!) { events(first: 100, filter: { subjectId: $v, types: [STAGE_CHANGED] }) { nodes { data } } }', { v: versionId });
    expect(stages.data!.events.nodes.filter((e) => e.data.toStage === 'PRODUCTION')).toHaveLength(1);

    // Slack clicks are told privately what happened; none was an internal error.
    await expect.poll(() => slack.fake.responses.filter((r) => r.path.startsWith('/response/race-')).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const texts = slack.fake.responses.filter((r) => r.path.startsWith('/response/race-')).map((r) => String(r.body.text));
    expect(texts.filter((t) => t.includes('Something went wrong'))).toEqual([]);
  }, 120_000);
});
