import { describe, expect, it } from 'vitest';
import {
  AcknowledgeDriftDocument,
  AddCommentDocument,
  FlagDriftDocument,
  RequestPromotionDocument,
  ResolveDriftDocument,
  ReviewPromotionDocument,
  SfDriftFlagDocument,
  SfRequestDocument,
} from '../../../../src/generated/operations';
import { having, ok } from '../../../helpers/client';
import { forEachDialect } from '../../../helpers/db';
import { goalWithModel } from '../../../helpers/fixtures';
import { eventCallback, postedTs, postToSlackEndpoint, sign, type SlackCall } from '../../../helpers/slack';
import { follow, useSlackHub, type SlackIds } from '../../../helpers/slack-hub';
import { until } from '../../../helpers/wait';

const SLACK_IDS: SlackIds = { scientist: 'USCI', mlEngineer: 'UMLE', sme: 'USME', risk: 'URISK' };
const UNLINKED = 'UNOBODY';

forEachDialect((dialect) => {
  const slack = useSlackHub(dialect, SLACK_IDS);
  let seq = 0;
  let eventSeq = 0;
  let tsSeq = 0;

  /** A goal with a model and its version 1, the model followed by one channel and the goal by another. */
  async function scene() {
    const n = ++seq;
    const {
      goal,
      model,
      versions: [version],
    } = await goalWithModel(slack.hub, { title: `Thread goal ${n}`, businessQuestion: 'Does it pay?', model: `th-model-${n}` });
    const modelChannel = `CTHM${n}`;
    const goalChannel = `CTHG${n}`;
    await follow(slack, 'USCI', modelChannel, model.name);
    await follow(slack, 'USCI', goalChannel, goal.id);
    return { n, goal, model, version, channels: [modelChannel, goalChannel] };
  }

  const posted = (channel: string, text: string) =>
    slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes(text));

  /** The first message about a request or flag: posted to the channel itself, not into a thread. */
  async function root(channel: string, text: string): Promise<{ call: SlackCall; ts: string }> {
    const call = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.args.thread_ts === undefined && String(c.args.text).includes(text),
    );
    const ts = postedTs(slack.fake, call);
    // The fake records the call before answering it; the hub records the thread once it has the answer.
    // People reply only to a message they can see, so wait for that too.
    await until(() => slack.hub.db.knex('slack_threads').where({ channel_id: channel, ts }).first(), `the thread of ${ts} in ${channel}`);
    return { call, ts };
  }

  function reply(
    channel: string,
    threadTs: string,
    user: string,
    text: string,
    extra: Record<string, unknown> = {},
    eventId = `Ev${++eventSeq}`,
    retryNum?: number,
  ) {
    const ts = `1800000000.${String(++tsSeq).padStart(6, '0')}`;
    return {
      eventId,
      send: (retry = retryNum) =>
        eventCallback(
          slack.events,
          eventId,
          { type: 'message', channel, channel_type: 'channel', user, text, ts, thread_ts: threadTs, event_ts: ts, ...extra },
          retry,
        ),
    };
  }

  /** A request's comments, oldest first (the API lists them newest first). */
  async function requestComments(id: string) {
    const { comments } = having(ok(await slack.hub.as('admin', SfRequestDocument, { id })).node, 'reviews');
    return { ...comments, nodes: [...comments.nodes].reverse() };
  }

  async function flagComments(id: string) {
    const { comments } = having(ok(await slack.hub.as('admin', SfDriftFlagDocument, { id })).node, 'comments');
    return { ...comments, nodes: [...comments.nodes].reverse() };
  }

  async function commentsWith(fetch: () => Promise<{ nodes: { body: string }[] }>, body: string, count = 1) {
    return until(async () => {
      const found = (await fetch()).nodes.filter((c) => c.body === body);
      return found.length >= count ? found : undefined;
    }, `${count} comment(s) "${body}"`);
  }

  /** A promotion request in both channels, and each channel's root ts. */
  async function requestScene() {
    const s = await scene();
    const request = ok(await slack.hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: s.version.id, toStage: 'PRODUCTION' } }))
      .requestPromotion.promotionRequest;
    const roots = await Promise.all(s.channels.map((ch) => root(ch, `${s.model.name} v1 NONE → PRODUCTION`)));
    return { ...s, request, roots };
  }

  describe('threads', () => {
    it('puts the reviews, the approval, the stage change and API comments of a request into its thread in each channel', async () => {
      const { model, request, channels, roots } = await requestScene();
      expect(roots[0].ts).not.toBe(roots[1].ts);
      ok(
        await slack.hub.as('sme', ReviewPromotionDocument, { input: { promotionRequestId: request.id, decision: 'APPROVE', comment: 'fine by me' } }),
      );
      ok(await slack.hub.as('admin', AddCommentDocument, { input: { subjectId: request.id, body: 'Please watch the latency too.' } }));
      ok(await slack.hub.as('risk', ReviewPromotionDocument, { input: { promotionRequestId: request.id, decision: 'APPROVE' } }));
      const expected = [
        `Test sme approved ${model.name} v1 → PRODUCTION as SME`,
        'commented: Please watch the latency too.',
        `Test risk approved ${model.name} v1 → PRODUCTION as RISK_MANAGER`,
        `${model.name} v1 → PRODUCTION approved`,
        `${model.name} v1 moved NONE → PRODUCTION`,
      ];
      for (const [i, channel] of channels.entries()) {
        const calls = [];
        for (const text of expected) calls.push(await posted(channel, text));
        expect(calls.map((c) => c.args.thread_ts)).toEqual(expected.map(() => roots[i].ts));
        // In the order the events happened, and each once.
        const threadTexts = slack.fake
          .of('chat.postMessage')
          .filter((c) => c.args.channel === channel && c.args.thread_ts === roots[i].ts)
          .map((c) => String(c.args.text));
        expect(expected.map((t) => threadTexts.findIndex((x) => x.includes(t)))).toEqual([0, 1, 2, 3, 4]);
        expect(threadTexts).toHaveLength(expected.length);
        // Only the first message went to the channel itself.
        expect(slack.fake.of('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === undefined)).toEqual([
          roots[i].call,
        ]);
      }
    });

    it('puts a rejection into the thread', async () => {
      const { model, request, channels, roots } = await requestScene();
      ok(
        await slack.hub.as('sme', ReviewPromotionDocument, {
          input: { promotionRequestId: request.id, decision: 'REJECT', comment: 'not this quarter' },
        }),
      );
      const rejected = await posted(channels[0], `${model.name} v1 → PRODUCTION rejected by Test sme (SME): not this quarter`);
      expect(rejected.args.thread_ts).toBe(roots[0].ts);
    });

    it('puts acknowledgement, resolution and API comments of a drift flag into its thread', async () => {
      const { model, version, channels } = await scene();
      const flag = ok(
        await slack.hub.as('scientist', FlagDriftDocument, {
          input: { modelVersionId: version.id, kind: 'PERFORMANCE', severity: 'HIGH', description: 'precision fell' },
        }),
      ).flagDrift.driftFlag;
      const roots = await Promise.all(channels.map((ch) => root(ch, `flagged HIGH performance drift on ${model.name} v1`)));
      ok(await slack.hub.as('mlEngineer', AcknowledgeDriftDocument, { input: { driftFlagId: flag.id, comment: 'looking' } }));
      ok(await slack.hub.as('sme', AddCommentDocument, { input: { subjectId: flag.id, body: 'Business sees it too.' } }));
      ok(await slack.hub.as('mlEngineer', ResolveDriftDocument, { input: { driftFlagId: flag.id, resolution: 'retrained on fresh data' } }));
      const expected = [
        `Test mlEngineer acknowledged the HIGH drift on ${model.name} v1: looking`,
        'Test sme commented: Business sees it too.',
        `Test mlEngineer resolved the HIGH drift on ${model.name} v1: retrained on fresh data`,
      ];
      for (const [i, channel] of channels.entries()) {
        for (const text of expected) expect((await posted(channel, text)).args.thread_ts).toBe(roots[i].ts);
        const threadTexts = slack.fake
          .of('chat.postMessage')
          .filter((c) => c.args.channel === channel && c.args.thread_ts === roots[i].ts)
          .map((c) => String(c.args.text));
        expect(expected.map((t) => threadTexts.findIndex((x) => x.includes(t)))).toEqual([0, 1, 2]);
      }
    });
  });

  describe('replies', () => {
    it('turns a reply in a request thread into a comment from Slack, and does not echo it back', async () => {
      const { request, channels, roots } = await requestScene();
      const res = await reply(channels[0], roots[0].ts, 'USME', '  Can we see the fairness report first?  ').send();
      expect(res.status).toBe(200);
      const [comment] = await commentsWith(() => requestComments(request.id), 'Can we see the fairness report first?');
      expect(comment).toMatchObject({ origin: 'SLACK', author: { id: slack.hub.users.sme.id, name: 'Test sme' } });
      // An API comment afterwards reaches both threads; the Slack-born one reached neither.
      ok(await slack.hub.as('admin', AddCommentDocument, { input: { subjectId: request.id, body: 'Report attached.' } }));
      for (const [i, channel] of channels.entries()) {
        expect((await posted(channel, 'Report attached.')).args.thread_ts).toBe(roots[i].ts);
        expect(
          slack.fake.of('chat.postMessage').filter((c) => c.args.channel === channel && String(c.args.text).includes('fairness report')),
        ).toEqual([]);
      }
      const comments = await requestComments(request.id);
      expect(comments.nodes.map((c) => [c.body, c.origin])).toEqual([
        ['Can we see the fairness report first?', 'SLACK'],
        ['Report attached.', 'API'],
      ]);
    });

    it('stores a reply with &, < and > as the person typed it (Slack sends them escaped)', async () => {
      const { request, channels, roots } = await requestScene();
      // Slack sends message text with &, < and > escaped (its mrkdwn control characters).
      await reply(channels[0], roots[0].ts, 'USME', 'precision &lt; 0.8 &amp; recall &gt; 0.9?').send();
      const [comment] = await until(async () => {
        const { nodes } = await requestComments(request.id);
        return nodes.length > 0 && nodes;
      }, 'the comment');
      expect(comment).toMatchObject({ body: 'precision < 0.8 & recall > 0.9?', origin: 'SLACK' });
    });

    it('escapes &, < and > in what it posts, so that a comment cannot forge a link or a mention', async () => {
      const { request, channels, roots } = await requestScene();
      ok(
        await slack.hub.as('admin', AddCommentDocument, {
          input: { subjectId: request.id, body: 'see <https://evil.example|the report> & <!channel>' },
        }),
      );
      const posted_ = await posted(channels[0], 'see &lt;https://evil.example|the report&gt; &amp; &lt;!channel&gt;');
      expect(posted_.args.thread_ts).toBe(roots[0].ts);
    });

    it('turns a reply in a drift flag thread into a comment on the flag', async () => {
      const { model, version, channels } = await scene();
      const flag = ok(
        await slack.hub.as('scientist', FlagDriftDocument, {
          input: { modelVersionId: version.id, kind: 'DATA', severity: 'LOW', description: 'new country in traffic' },
        }),
      ).flagDrift.driftFlag;
      const flagRoot = await root(channels[1], `flagged LOW data drift on ${model.name} v1`);
      await reply(channels[1], flagRoot.ts, 'UMLE', 'Only 0.3% of traffic, keeping an eye on it').send();
      const [comment] = await commentsWith(() => flagComments(flag.id), 'Only 0.3% of traffic, keeping an eye on it');
      expect(comment).toMatchObject({ origin: 'SLACK', author: { id: slack.hub.users.mlEngineer.id } });
      ok(await slack.hub.as('admin', AddCommentDocument, { input: { subjectId: flag.id, body: 'noted (drift marker)' } }));
      for (const channel of channels) {
        await posted(channel, 'noted (drift marker)');
        expect(
          slack.fake.of('chat.postMessage').filter((c) => c.args.channel === channel && String(c.args.text).includes('0.3% of traffic')),
        ).toEqual([]);
      }
    });

    it("ignores bot messages, messages with a subtype, top-level messages and threads that are not the bot's", async () => {
      const { request, channels, roots } = await requestScene();
      const [channel] = channels;
      const ts = roots[0].ts;
      const ignored = [
        reply(channel, ts, 'USME', 'from another bot', { bot_id: 'BOTHER' }),
        reply(channel, ts, 'USME', 'the bot itself', { bot_id: 'BBOT', app_id: 'A1' }),
        reply(channel, ts, 'USME', 'a bot message', { subtype: 'bot_message', bot_id: 'BOTHER' }),
        reply(channel, ts, 'USME', 'an edit', { subtype: 'message_changed' }),
        reply(channel, ts, 'USME', 'a channel join', { subtype: 'channel_join' }),
        reply(channel, '1799999999.000001', 'USME', 'a thread of someone else'),
        reply(channels[1], ts, 'USME', 'the right ts in another channel'),
      ];
      for (const r of ignored) expect((await r.send()).status).toBe(200);
      // Top level: thread_ts missing, or equal to its own ts (the thread's parent).
      const top = `1800000001.${String(++tsSeq).padStart(6, '0')}`;
      await eventCallback(slack.events, `Ev${++eventSeq}`, { type: 'message', channel, user: 'USME', text: 'top level', ts: top, event_ts: top });
      await eventCallback(slack.events, `Ev${++eventSeq}`, {
        type: 'message',
        channel,
        user: 'USME',
        text: 'a parent',
        ts,
        thread_ts: ts,
        event_ts: ts,
      });
      await reply(channel, ts, 'USME', 'the real one').send();
      await commentsWith(() => requestComments(request.id), 'the real one');
      expect((await requestComments(request.id)).nodes.map((c) => c.body)).toEqual(['the real one']);
    });

    it('keeps one comment when Slack retries an event, one after another or while the first is still being handled', async () => {
      const { request, channels, roots } = await requestScene();
      const sequential = reply(channels[0], roots[0].ts, 'USME', 'retried one by one');
      expect((await sequential.send()).status).toBe(200);
      await commentsWith(() => requestComments(request.id), 'retried one by one');
      for (const retry of [1, 2, 3]) expect((await sequential.send(retry)).status).toBe(200);

      const concurrent = reply(channels[0], roots[0].ts, 'USME', 'retried all at once');
      const answers = await Promise.all([concurrent.send(), concurrent.send(1), concurrent.send(2), concurrent.send(3)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      await commentsWith(() => requestComments(request.id), 'retried all at once');

      // A later reply is handled after them; by then any duplicate would be there.
      await reply(channels[0], roots[0].ts, 'USME', 'later reply').send();
      await commentsWith(() => requestComments(request.id), 'later reply');
      const bodies = (await requestComments(request.id)).nodes.map((c) => c.body);
      expect(bodies).toEqual(['retried one by one', 'retried all at once', 'later reply']);
    });

    it('answers an unlinked member privately and keeps no comment', async () => {
      const { request, channels, roots } = await requestScene();
      await reply(channels[0], roots[0].ts, UNLINKED, 'who am I?').send();
      const note = await slack.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === UNLINKED);
      expect(note.args).toMatchObject({ channel: channels[0], thread_ts: roots[0].ts });
      expect(String(note.args.text)).toContain(`(${UNLINKED}) is not linked`);
      await reply(channels[0], roots[0].ts, 'USME', 'after the unlinked one').send();
      await commentsWith(() => requestComments(request.id), 'after the unlinked one');
      expect((await requestComments(request.id)).nodes.map((c) => c.body)).toEqual(['after the unlinked one']);
    });

    it('answers 401 to a badly signed or stale event and keeps nothing', async () => {
      const { request, channels, roots } = await requestScene();
      const event = { type: 'message', channel: channels[0], user: 'USME', text: 'forged reply', ts: '1800000002.000001', thread_ts: roots[0].ts };
      const raw = JSON.stringify({
        token: 'legacy',
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: 'EvForged',
        event_time: Math.floor(Date.now() / 1000),
        event,
      });
      const now = Math.floor(Date.now() / 1000);
      const attempts = [sign(raw, now, 'not-the-secret'), sign(raw, now - 10 * 60), sign(raw.replace('forged reply', 'tampered'), now), {}];
      for (const headers of attempts) expect((await postToSlackEndpoint(slack.events, raw, 'application/json', headers)).status).toBe(401);
      await reply(channels[0], roots[0].ts, 'USME', 'signed reply').send();
      await commentsWith(() => requestComments(request.id), 'signed reply');
      expect((await requestComments(request.id)).nodes.map((c) => c.body)).toEqual(['signed reply']);
      // The refused event id was never recorded: Slack delivering it properly later still counts.
      await eventCallback(slack.events, 'EvForged', event);
      await commentsWith(() => requestComments(request.id), 'forged reply');
    });
  });
});
