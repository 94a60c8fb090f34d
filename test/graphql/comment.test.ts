import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentDocument,
  CoCommentDocument,
  CoInboxDocument,
  MarkAnsweredDocument,
  SubmitFeedbackDocument,
  UpdateUserDocument,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { worldMaker } from '../helpers/fixtures';
import { startHub, type Person, type TestHub } from '../helpers/hub';

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  const world = worldMaker(
    () => hub,
    (n) => ({
      title: `Questions ${n}`,
      businessQuestion: 'Who answers?',
      model: `questions-model-${n}`,
      secondVersionBy: 'scientist',
    }),
  );

  async function comment(who: Person, subjectId: string, body: string, isQuestion?: boolean) {
    return ok(await hub.as(who, AddCommentDocument, { input: { subjectId, body, isQuestion } })).addComment.comment;
  }

  const unread = async (who: Person) => ok(await hub.as(who, CoInboxDocument, { unreadOnly: true, first: 100 })).viewer.notifications.nodes;

  describe('comments on every object', () => {
    it('can be added to feedback, and the feedback lists them', async () => {
      const { goal } = await world();
      const feedback = ok(await hub.as('sme2', SubmitFeedbackDocument, { input: { goalId: goal.id, verdict: 'MISSES_GOAL' } })).submitFeedback
        .feedback;
      const added = await comment('scientist', feedback.id, 'Which segment misses?');
      expect(added.subject).toEqual({ id: feedback.id, __typename: 'Feedback' });
    });
  });

  describe('@mentions', () => {
    it('name users by handle, the local part of their email', async () => {
      expect(ok(await hub.as('sme2', CoInboxDocument, {})).viewer.handle).toBe('sme2');
      const { goal } = await world();
      const added = await comment('scientist', goal.id, 'Hi @sme2 and @RISK, see @nobody-here and mail x@sme.example.');
      expect(added.mentions).toEqual([
        { id: hub.users.sme2.id, handle: 'sme2' },
        { id: hub.users.risk.id, handle: 'risk' },
      ]);
      expect(having(ok(await hub.as('sme', CoCommentDocument, { id: added.id })).node, 'mentions').mentions.map((m) => m.handle)).toEqual([
        'sme2',
        'risk',
      ]);
    });

    it('notify each person mentioned once, never the author', async () => {
      const { goal } = await world();
      const added = await comment('scientist', goal.id, '@sme2 @sme2 @scientist please look');
      const mine = (await unread('sme2')).filter((n) => n.event.subject.id === added.id);
      expect(mine).toEqual([expect.objectContaining({ reason: 'MENTIONED', read: false })]);
      expect((await unread('scientist')).some((n) => n.event.subject.id === added.id)).toBe(false);
    });

    it('take a linked Slack member mention as a mention', async () => {
      ok(await hub.as('admin', UpdateUserDocument, { input: { userId: hub.users.dataEngineer.id, slackUserId: 'U0DATAENG' } }));
      const { goal } = await world();
      const added = await comment('risk', goal.id, 'Ask <@U0DATAENG> about the feed');
      expect(added.mentions.map((m) => m.id)).toEqual([hub.users.dataEngineer.id]);
    });
  });

  describe('questions', () => {
    it('notify the owner of what they are on (QUESTION_ON_OWNED) and earlier commenters (FOLLOWED_ACTIVITY)', async () => {
      const { model } = await world();
      await comment('mlEngineer', model.id, 'Deployed to the cluster.');
      const question = await comment('sme', model.id, 'Why did approvals drop last week?', true);
      expect(question).toMatchObject({ isQuestion: true, answeredAt: null });
      expect((await unread('scientist')).find((n) => n.event.subject.id === question.id)?.reason).toBe('QUESTION_ON_OWNED');
      expect((await unread('mlEngineer')).find((n) => n.event.subject.id === question.id)?.reason).toBe('FOLLOWED_ACTIVITY');
    });

    it('are marked answered by the owner of what they are on, which tells the person who asked', async () => {
      const { model } = await world();
      const question = await comment('sme', model.id, 'Is v2 calibrated?', true);
      const answered = ok(await hub.as('scientist', MarkAnsweredDocument, { input: { commentId: question.id } })).markAnswered.comment;
      expect(answered.answeredAt).not.toBeNull();
      const told = (await unread('sme')).find((n) => n.event.type === 'QUESTION_ANSWERED' && n.event.subject.id === question.id);
      expect(told).toMatchObject({ reason: 'FOLLOWED_ACTIVITY', event: { actor: { id: hub.users.scientist.id } } });
    });

    it('are marked answered by their author', async () => {
      const { goal } = await world();
      const question = await comment('risk', goal.id, 'Who signs this off?', true);
      expect(ok(await hub.as('risk', MarkAnsweredDocument, { input: { commentId: question.id } })).markAnswered.comment.answeredAt).not.toBeNull();
    });

    it('refuse anyone else (FORBIDDEN), a second mark (CONFLICT) and a plain comment (BAD_USER_INPUT), writing nothing', async () => {
      const { goal } = await world();
      const question = await comment('risk', goal.id, 'Who signs this off?', true);
      const plain = await comment('risk', goal.id, 'Just saying.');
      const events = await eventCount(hub);
      expect(errorCode(await hub.as('sme2', MarkAnsweredDocument, { input: { commentId: question.id } }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('risk', MarkAnsweredDocument, { input: { commentId: plain.id } }))).toBe('BAD_USER_INPUT');
      expect(errorCode(await hub.as('risk', MarkAnsweredDocument, { input: { commentId: goal.id } }))).toBe('NOT_FOUND');
      expect(await eventCount(hub)).toBe(events);
      ok(await hub.as('sme', MarkAnsweredDocument, { input: { commentId: question.id } }));
      expect(errorCode(await hub.as('risk', MarkAnsweredDocument, { input: { commentId: question.id } }))).toBe('CONFLICT');
    });
  });

  describe('limits', () => {
    it('notify at most 20 people from one comment; the rest of the mentions stay text', async () => {
      const { goal } = await world();
      const body = `${Array.from({ length: 200 }, (_, i) => `@someone${i}`).join(' ')} @sme2`;
      const added = await comment('scientist', goal.id, body);
      expect(added.mentions).toEqual([]);
    });
  });
});
