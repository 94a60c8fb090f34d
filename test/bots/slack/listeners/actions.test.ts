import { describe, expect, it } from 'vitest';
import { AddCommentDocument, RequestPromotionDocument, SfEventsDocument, SfRequestDocument, type Stage } from '../../../../src/generated/operations';
import { having, ok } from '../../../helpers/client';
import { forEachDialect } from '../../../helpers/db';
import { goalWithModel } from '../../../helpers/fixtures';
import { clickButton, interaction, postedTs, postToSlackEndpoint, sign, type SlackCall } from '../../../helpers/slack';
import { follow as followIn, useSlackHub, type SlackIds } from '../../../helpers/slack-hub';
import { until } from '../../../helpers/wait';

/** The Slack member each linked test user acts as. */
const SLACK_IDS: SlackIds = {
  scientist: 'USCI',
  mlEngineer: 'UMLE',
  sme: 'USME',
  sme2: 'USME2',
  risk: 'URISK',
  admin: 'UADM',
};
const UNLINKED = 'UNOBODY';

const blocksOf = (call: SlackCall) => JSON.stringify(call.args.blocks ?? []);

forEachDialect((dialect) => {
  const slack = useSlackHub(dialect, SLACK_IDS);
  let seq = 0;
  let clicks = 0;

  /** `channel` follows a model or goal, as the scientist types it. */
  const follow = (channel: string, reference: string) => followIn(slack, 'USCI', channel, reference);

  /** A goal with a model and its version 1; the model is followed by its own channel. */
  async function scene() {
    const n = ++seq;
    const {
      goal,
      model,
      versions: [version],
    } = await goalWithModel(slack.hub, { title: `Goal ${n}`, businessQuestion: 'Does it pay?', model: `ix-model-${n}` });
    const channel = `CIXM${n}`;
    await follow(channel, model.name);
    return { n, goal, model, version, channel };
  }

  async function requestPromotion(versionId: string, toStage: Stage) {
    return ok(
      await slack.hub.as('scientist', RequestPromotionDocument, {
        input: { modelVersionId: versionId, toStage, justification: 'offline metrics are better' },
      }),
    ).requestPromotion.promotionRequest;
  }

  async function fetchRequest(id: string) {
    return having(ok(await slack.hub.as('admin', SfRequestDocument, { id })).node, 'reviews');
  }

  /** The request is as it was made: PENDING, not reviewed, with no event since PROMOTION_REQUESTED. */
  async function expectUnreviewed(requestId: string): Promise<void> {
    const stored = await fetchRequest(requestId);
    expect(stored.status).toBe('PENDING');
    expect(stored.reviews).toEqual([]);
    expect(await eventTypes(requestId)).toEqual(['PROMOTION_REQUESTED']);
  }

  async function eventTypes(subjectId: string): Promise<string[]> {
    return ok(await slack.hub.as('admin', SfEventsDocument, { filter: { subjectId }, first: 100 }))
      .events.nodes.map((e) => e.type)
      .reverse();
  }

  /** The request's first message in a channel (the one with the buttons). */
  function rootMessage(channel: string, requestId: string): Promise<SlackCall> {
    return slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === channel && blocksOf(c).includes(requestId) && c.args.thread_ts === undefined,
    );
  }

  /** Clicks a button of a request's message as a Slack member; resolves with the HTTP answer and the response_url path. */
  async function click(user: string, actionId: 'promotion_approve' | 'promotion_reject', requestId: string, root?: SlackCall) {
    const path = `/response/click-${++clicks}`;
    const channel = String(root?.args.channel ?? 'CUNKNOWN');
    const ts = root ? postedTs(slack.fake, root) : '';
    const res = await clickButton(slack.events, {
      user,
      actionId,
      value: requestId,
      channel,
      messageTs: ts,
      responseUrl: slack.fake.url.replace(/api\/$/, path.slice(1)),
      triggerId: `trigger-${clicks}`,
    });
    return { res, path, trigger: `trigger-${clicks}` };
  }

  function responseTo(path: string): Promise<{ path: string; body: Record<string, unknown> }> {
    return until(() => slack.fake.responses.find((r) => r.path === path), `a response_url post to ${path}`);
  }

  function submitReason(user: string, requestId: string, reason: string) {
    return interaction(slack.events, {
      type: 'view_submission',
      token: 'legacy',
      api_app_id: 'A1',
      team: { id: 'T1', domain: 'hub' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
      trigger_id: `trigger-view-${++clicks}`,
      view: {
        id: `V${clicks}`,
        team_id: 'T1',
        type: 'modal',
        callback_id: 'promotion_reject',
        private_metadata: requestId,
        hash: `h${clicks}`,
        app_id: 'A1',
        bot_id: 'BBOT',
        root_view_id: `V${clicks}`,
        blocks: [],
        title: { type: 'plain_text', text: 'Reject promotion' },
        state: { values: { reason: { reason: { type: 'plain_text_input', value: reason } } } },
      },
      response_urls: [],
    });
  }

  /** A comment through the API and its message in the request's thread: everything queued before it in the channel was sent. */
  async function marker(requestId: string, channel: string, text: string): Promise<void> {
    ok(await slack.hub.as('admin', AddCommentDocument, { input: { subjectId: requestId, body: text } }));
    await slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes(text));
  }

  describe('posting', () => {
    it('posts a promotion request to every channel following its model or goal, with Approve and Reject buttons', async () => {
      const { goal, model, version, channel: modelChannel } = await scene();
      const goalChannel = `CIXG${seq}`;
      await follow(goalChannel, goal.id);
      // A channel following another model (in another goal) must not get it.
      const other = await scene();

      const request = await requestPromotion(version.id, 'PRODUCTION');
      for (const channel of [modelChannel, goalChannel]) {
        const root = await rootMessage(channel, request.id);
        expect(String(root.args.text)).toContain(`${model.name} v1 NONE → PRODUCTION`);
        const actions = (root.args.blocks as { type: string; elements?: { action_id: string; value: string; type: string }[] }[]).find(
          (b) => b.type === 'actions',
        );
        expect(actions?.elements?.map((e) => [e.type, e.action_id, e.value])).toEqual([
          ['button', 'promotion_approve', request.id],
          ['button', 'promotion_reject', request.id],
        ]);
        expect(slack.fake.of('chat.postMessage').filter((c) => c.args.channel === channel && blocksOf(c).includes(request.id))).toHaveLength(1);
      }
      // Proof of absence: a later event of the other model reaches its channel, which is sent in order.
      await follow(other.channel, other.goal.id);
      const both = ok(await slack.hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: other.version.id, toStage: 'STAGING' } }))
        .requestPromotion.promotionRequest;
      ok(await slack.hub.as('admin', AddCommentDocument, { input: { subjectId: other.model.id, body: `marker for ${other.channel}` } }));
      await slack.fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.channel === other.channel && String(c.args.text).includes(`marker for ${other.channel}`),
      );
      expect(slack.fake.calls.filter((c) => c.args.channel === other.channel && blocksOf(c).includes(request.id))).toEqual([]);
      // A channel that follows both the model and its goal gets the request once.
      expect(slack.fake.of('chat.postMessage').filter((c) => c.args.channel === other.channel && blocksOf(c).includes(both.id))).toHaveLength(1);
    });
  });

  describe('Approve', () => {
    it('reviews as the clicking user, updates the message after each review and drops the buttons once decided', async () => {
      const { version, channel, model } = await scene();
      const request = await requestPromotion(version.id, 'PRODUCTION');
      const root = await rootMessage(channel, request.id);

      const first = await click('USME', 'promotion_approve', request.id, root);
      expect(first.res.status).toBe(200);
      expect(String((await responseTo(first.path)).body.text)).toContain('approved');
      const partial = await slack.fake.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.args.channel === channel &&
          c.args.ts === postedTs(slack.fake, root) &&
          blocksOf(c).includes('Test sme approved as SME'),
      );
      expect(String(partial.args.text)).toContain('waiting for RISK_MANAGER');
      expect(blocksOf(partial)).toContain('waiting for RISK_MANAGER');
      expect(blocksOf(partial)).toContain('promotion_approve');
      let stored = await fetchRequest(request.id);
      expect(stored.status).toBe('PENDING');
      expect(stored.missingRoles).toEqual(['RISK_MANAGER']);
      expect(stored.reviews).toEqual([
        expect.objectContaining({ reviewer: { id: slack.hub.users.sme.id, name: 'Test sme' }, role: 'SME', decision: 'APPROVE', origin: 'SLACK' }),
      ]);

      const second = await click('URISK', 'promotion_approve', request.id, root);
      expect(String((await responseTo(second.path)).body.text)).toContain('APPROVED');
      const decided = await slack.fake.waitFor(
        (c) => c.method === 'chat.update' && c.args.ts === postedTs(slack.fake, root) && String(c.args.text).includes('(APPROVED)'),
      );
      expect(decided.args.channel).toBe(channel);
      expect(blocksOf(decided)).not.toContain('promotion_approve');
      expect(blocksOf(decided)).not.toContain('promotion_reject');
      expect(blocksOf(decided)).toContain('Test sme approved as SME');
      expect(blocksOf(decided)).toContain('Test risk approved as RISK_MANAGER');
      expect(blocksOf(decided)).toContain('Requested by Test scientist: offline metrics are better');
      stored = await fetchRequest(request.id);
      expect(stored.status).toBe('APPROVED');
      expect(stored.reviews).toEqual([
        expect.objectContaining({ reviewer: { id: slack.hub.users.sme.id, name: 'Test sme' }, role: 'SME', decision: 'APPROVE', origin: 'SLACK' }),
        expect.objectContaining({
          reviewer: { id: slack.hub.users.risk.id, name: 'Test risk' },
          role: 'RISK_MANAGER',
          decision: 'APPROVE',
          origin: 'SLACK',
        }),
      ]);
      // Every update is of the first message; none brings the buttons back after the decision.
      await marker(request.id, channel, `marker ${model.name}`);
      const updates = slack.fake.of('chat.update').filter((c) => c.args.channel === channel);
      expect(updates.every((u) => u.args.ts === postedTs(slack.fake, root))).toBe(true);
      const afterDecision = updates.slice(updates.indexOf(decided));
      expect(afterDecision.every((u) => !blocksOf(u).includes('promotion_approve'))).toBe(true);
      expect(
        slack.fake
          .of('chat.update')
          .filter((c) => c.args.channel === channel)
          .at(-1)!.args.text,
      ).toContain('(APPROVED)');
    });

    it('refuses the requester (four eyes) ephemerally and changes nothing', async () => {
      const { version, channel } = await scene();
      const request = await requestPromotion(version.id, 'STAGING');
      const root = await rootMessage(channel, request.id);
      const { res, path } = await click('USCI', 'promotion_approve', request.id, root);
      expect(res.status).toBe(200);
      const answer = (await responseTo(path)).body;
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.replace_original).toBe(false);
      expect(String(answer.text)).toMatch(/four eyes/i);
      await expectUnreviewed(request.id);
      await marker(request.id, channel, `marker four eyes ${request.id}`);
      expect(slack.fake.of('chat.update').filter((c) => c.args.ts === postedTs(slack.fake, root))).toEqual([]);
    });

    it('refuses a user who holds none of the missing roles, with the reason', async () => {
      const { version, channel } = await scene();
      const request = await requestPromotion(version.id, 'PRODUCTION');
      const root = await rootMessage(channel, request.id);
      const sme = await click('USME', 'promotion_approve', request.id, root);
      await responseTo(sme.path);
      // SME has approved; a second SME holds no role still missing (RISK_MANAGER).
      const { path } = await click('USME2', 'promotion_approve', request.id, root);
      const answer = (await responseTo(path)).body;
      expect(answer.response_type).toBe('ephemeral');
      expect(String(answer.text)).toContain('RISK_MANAGER');
      expect(String(answer.text)).toContain('you hold SME');
      // Nor does the ML engineer: PRODUCTION needs SME and RISK_MANAGER.
      const { path: path2 } = await click('UMLE', 'promotion_approve', request.id, root);
      expect(String((await responseTo(path2)).body.text)).toContain('awaits RISK_MANAGER');
      const stored = await fetchRequest(request.id);
      expect(stored.status).toBe('PENDING');
      expect(stored.reviews.map((r) => r.reviewer.id)).toEqual([slack.hub.users.sme.id]);
      expect(await eventTypes(request.id)).toEqual(['PROMOTION_REQUESTED', 'PROMOTION_REVIEWED']);
    });

    it('counts a double click once and answers the second click with a conflict', async () => {
      const { version, channel, model } = await scene();
      const request = await requestPromotion(version.id, 'STAGING');
      const root = await rootMessage(channel, request.id);
      const both = await Promise.all([click('UMLE', 'promotion_approve', request.id, root), click('UMLE', 'promotion_approve', request.id, root)]);
      expect(both.map((c) => c.res.status)).toEqual([200, 200]);
      const answers = await Promise.all(both.map((c) => responseTo(c.path)));
      const texts = answers.map((a) => String(a.body.text)).sort();
      expect(texts.filter((t) => t.startsWith('You approved'))).toHaveLength(1);
      expect(texts.filter((t) => /already reviewed|already APPROVED/.test(t))).toHaveLength(1);
      const stored = await fetchRequest(request.id);
      expect(stored.status).toBe('APPROVED');
      expect(stored.reviews).toHaveLength(1);
      expect(stored.reviews[0]).toMatchObject({ reviewer: { id: slack.hub.users.mlEngineer.id }, role: 'ML_ENGINEER', origin: 'SLACK' });
      expect(await eventTypes(request.id)).toEqual(['PROMOTION_REQUESTED', 'PROMOTION_REVIEWED', 'PROMOTION_APPROVED']);
      // No duplicate messages: once everything queued before a marker is out, each event was posted once.
      await marker(request.id, channel, `marker double ${model.name}`);
      const inThread = slack.fake.of('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === postedTs(slack.fake, root));
      expect(inThread.filter((c) => String(c.args.text).includes('as ML_ENGINEER') && !String(c.args.text).includes('(needs'))).toHaveLength(1);
      expect(inThread.filter((c) => String(c.args.text).includes('STAGING approved'))).toHaveLength(1);
      expect(slack.fake.of('chat.postMessage').filter((c) => c.args.channel === channel && blocksOf(c).includes('promotion_approve'))).toHaveLength(
        1,
      );
    });

    it('counts two reviewers clicking at once: both reviews, one approval, one stage change', async () => {
      const { version, channel, model } = await scene();
      const request = await requestPromotion(version.id, 'PRODUCTION');
      const root = await rootMessage(channel, request.id);
      const clicks = await Promise.all([click('USME', 'promotion_approve', request.id, root), click('URISK', 'promotion_approve', request.id, root)]);
      const texts = (await Promise.all(clicks.map((c) => responseTo(c.path)))).map((r) => String(r.body.text));
      expect(
        texts.every((t) => t.startsWith('You approved')),
        texts.join(' | '),
      ).toBe(true);
      expect(texts.filter((t) => t.includes('APPROVED'))).toHaveLength(1);
      const stored = await fetchRequest(request.id);
      expect(stored.status).toBe('APPROVED');
      expect(stored.reviews.map((r) => r.role).sort()).toEqual(['RISK_MANAGER', 'SME']);
      expect(await eventTypes(request.id)).toEqual(['PROMOTION_REQUESTED', 'PROMOTION_REVIEWED', 'PROMOTION_REVIEWED', 'PROMOTION_APPROVED']);
      await marker(request.id, channel, `marker together ${model.name}`);
      const inThread = slack.fake
        .of('chat.postMessage')
        .filter((c) => c.args.channel === channel && c.args.thread_ts === postedTs(slack.fake, root))
        .map((c) => String(c.args.text));
      expect(inThread.filter((t) => t.includes('moved NONE → PRODUCTION'))).toHaveLength(1);
      expect(inThread.filter((t) => t.includes('PRODUCTION approved'))).toHaveLength(1);
      expect(
        slack.fake
          .of('chat.update')
          .filter((c) => c.args.ts === postedTs(slack.fake, root))
          .at(-1)!.args.text,
      ).toContain('(APPROVED)');
    });

    it('tells an unlinked Slack member how to get linked and changes nothing', async () => {
      const { version, channel } = await scene();
      const request = await requestPromotion(version.id, 'STAGING');
      const root = await rootMessage(channel, request.id);
      const approve = await click(UNLINKED, 'promotion_approve', request.id, root);
      const reject = await click(UNLINKED, 'promotion_reject', request.id, root);
      for (const { path } of [approve, reject]) {
        const answer = (await responseTo(path)).body;
        expect(answer.response_type).toBe('ephemeral');
        expect(String(answer.text)).toContain(`(${UNLINKED}) is not linked`);
      }
      expect(slack.fake.of('views.open').filter((c) => c.args.trigger_id === reject.trigger)).toEqual([]);
      await expectUnreviewed(request.id);
    });

    it('answers 401 to a click with a bad signature and changes nothing', async () => {
      const { version, channel } = await scene();
      const request = await requestPromotion(version.id, 'STAGING');
      const root = await rootMessage(channel, request.id);
      const path = `/response/forged-${request.id}`;
      const form = new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          team: { id: 'T1' },
          user: { id: 'UMLE', team_id: 'T1' },
          api_app_id: 'A1',
          trigger_id: 'forged',
          response_url: slack.fake.url.replace(/api\/$/, path.slice(1)),
          container: { type: 'message', message_ts: postedTs(slack.fake, root), channel_id: channel },
          actions: [{ action_id: 'promotion_approve', block_id: 'promotion_review', value: request.id, type: 'button', action_ts: '1' }],
        }),
      }).toString();
      const forged = await postToSlackEndpoint(slack.events, form, 'application/x-www-form-urlencoded', sign(form, undefined, 'not-the-secret'));
      expect(forged.status).toBe(401);
      const unsigned = await postToSlackEndpoint(slack.events, form, 'application/x-www-form-urlencoded', {});
      expect(unsigned.status).toBe(401);
      // A signature over another body does not carry over either.
      const tampered = await postToSlackEndpoint(slack.events, form, 'application/x-www-form-urlencoded', sign(`${form}&x=1`));
      expect(tampered.status).toBe(401);
      await marker(request.id, channel, `marker forged ${request.id}`);
      expect(slack.fake.responses.filter((r) => r.path === path)).toEqual([]);
      await expectUnreviewed(request.id);
    });
  });

  describe('Reject', () => {
    it('opens a modal for the reason and rejects with it as the review comment', async () => {
      const { version, channel } = await scene();
      const request = await requestPromotion(version.id, 'STAGING');
      const root = await rootMessage(channel, request.id);
      const { res, trigger } = await click('UMLE', 'promotion_reject', request.id, root);
      expect(res.status).toBe(200);
      const opened = await slack.fake.waitFor((c) => c.method === 'views.open' && c.args.trigger_id === trigger);
      const view = opened.args.view as {
        type: string;
        callback_id: string;
        private_metadata: string;
        blocks: { block_id: string; element: { action_id: string } }[];
      };
      expect(view).toMatchObject({ type: 'modal', callback_id: 'promotion_reject', private_metadata: request.id });
      expect(view.blocks.map((b) => [b.block_id, b.element.action_id])).toEqual([['reason', 'reason']]);
      // Opening the modal changes nothing yet.
      expect((await fetchRequest(request.id)).reviews).toEqual([]);

      const submitted = await submitReason('UMLE', request.id, 'AUC drops on the holdout set');
      expect(submitted.status).toBe(200);
      expect(submitted.json?.response_action).toBeUndefined();
      const stored = await fetchRequest(request.id);
      expect(stored.status).toBe('REJECTED');
      expect(stored.reviews).toEqual([
        expect.objectContaining({
          reviewer: { id: slack.hub.users.mlEngineer.id, name: 'Test mlEngineer' },
          role: 'ML_ENGINEER',
          decision: 'REJECT',
          comment: 'AUC drops on the holdout set',
          origin: 'SLACK',
        }),
      ]);
      const updated = await slack.fake.waitFor(
        (c) => c.method === 'chat.update' && c.args.ts === postedTs(slack.fake, root) && String(c.args.text).includes('(REJECTED)'),
      );
      expect(updated.args.channel).toBe(channel);
      expect(blocksOf(updated)).not.toContain('promotion_approve');
      expect(blocksOf(updated)).toContain('Test mlEngineer rejected as ML_ENGINEER: AUC drops on the holdout set');
    });

    it('asks again for an empty reason and changes nothing', async () => {
      const { version, channel } = await scene();
      const request = await requestPromotion(version.id, 'STAGING');
      const root = await rootMessage(channel, request.id);
      for (const reason of ['', '   \n ']) {
        const res = await submitReason('UMLE', request.id, reason);
        expect(res.status).toBe(200);
        expect(res.json?.response_action).toBe('errors');
        expect(Object.keys(res.json?.errors as object)).toEqual(['reason']);
      }
      await expectUnreviewed(request.id);
      await marker(request.id, channel, `marker empty reason ${request.id}`);
      expect(slack.fake.of('chat.update').filter((c) => c.args.ts === postedTs(slack.fake, root))).toEqual([]);
    });

    it('shows a refusal in the modal (four eyes) and changes nothing', async () => {
      const { version } = await scene();
      const request = await requestPromotion(version.id, 'STAGING');
      const res = await submitReason('USCI', request.id, 'I changed my mind');
      expect(res.json?.response_action).toBe('errors');
      expect(String((res.json?.errors as Record<string, string>).reason)).toMatch(/four eyes/i);
      await expectUnreviewed(request.id);
    });
  });
});
