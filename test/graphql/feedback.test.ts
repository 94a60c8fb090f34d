import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LcEventsDocument,
  LcFeedbackNodeDocument,
  LcGoalFeedbackDocument,
  LcVersionFeedbackDocument,
  SubmitFeedbackDocument,
  type SubmitFeedbackInput,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { worldMaker } from '../helpers/fixtures';
import { EVERYONE, startHub, type Person, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  /** A goal with a model and two versions of it, all new. */
  const world = worldMaker(
    () => hub,
    (n) => ({
      title: `Approve good loans ${n}`,
      businessQuestion: 'Which applicants will repay?',
      model: `credit-feedback-${n}`,
      secondVersionBy: 'scientist',
    }),
  );

  async function submit(who: Person, input: SubmitFeedbackInput) {
    return ok(await hub.as(who, SubmitFeedbackDocument, { input })).submitFeedback.feedback;
  }

  async function goalFeedback(id: string, first?: number, after?: string | null) {
    return having(ok(await hub.as('risk', LcGoalFeedbackDocument, { id, first, after })).node, 'feedback').feedback;
  }

  async function versionFeedback(id: string, first?: number, after?: string | null) {
    return having(ok(await hub.as('risk', LcVersionFeedbackDocument, { id, first, after })).node, 'feedback').feedback;
  }

  describe('submitFeedback', () => {
    it.each(EVERYONE)('lets %s give feedback on a goal', async (who) => {
      const { goal } = await world();
      const feedback = await submit(who, { goalId: goal.id, verdict: 'PARTIALLY_MEETS', comment: '  Good on small loans, weak on mortgages.  ' });
      expect(feedback).toMatchObject({
        verdict: 'PARTIALLY_MEETS',
        comment: 'Good on small loans, weak on mortgages.',
        origin: 'API',
        goal: { id: goal.id },
        modelVersion: null,
        author: { id: hub.users[who].id, name: hub.users[who].name },
      });
      expect(new Date(feedback.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(ok(await hub.as('sme2', LcFeedbackNodeDocument, { id: feedback.id })).node).toMatchObject({
        __typename: 'Feedback',
        id: feedback.id,
        verdict: 'PARTIALLY_MEETS',
      });
    });

    it('with only a version, takes the goal of its model', async () => {
      const { goal, v2 } = await world();
      const feedback = await submit('risk', { modelVersionId: v2.id, verdict: 'MISSES_GOAL' });
      expect(feedback).toMatchObject({ goal: { id: goal.id }, modelVersion: { id: v2.id }, verdict: 'MISSES_GOAL', comment: null });
    });

    it('accepts a goal and a version that agree', async () => {
      const { goal, v1 } = await world();
      const feedback = await submit('sme', { goalId: goal.id, modelVersionId: v1.id, verdict: 'MEETS_GOAL' });
      expect(feedback).toMatchObject({ goal: { id: goal.id }, modelVersion: { id: v1.id } });
    });

    it('refuses neither a goal nor a version with BAD_USER_INPUT and writes nothing', async () => {
      const events = await eventCount(hub);
      expect(errorCode(await hub.as('sme', SubmitFeedbackDocument, { input: { verdict: 'MEETS_GOAL', comment: 'About what?' } }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(errorCode(await hub.as('sme', SubmitFeedbackDocument, { input: { goalId: null, modelVersionId: null, verdict: 'MEETS_GOAL' } }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(await eventCount(hub)).toBe(events);
    });

    it("refuses a version of another goal's model with BAD_USER_INPUT and writes nothing", async () => {
      const mine = await world();
      const theirs = await world();
      const events = await eventCount(hub);
      const result = await hub.as('sme', SubmitFeedbackDocument, {
        input: { goalId: mine.goal.id, modelVersionId: theirs.v1.id, verdict: 'MISSES_GOAL' },
      });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(await eventCount(hub)).toBe(events);
      expect((await goalFeedback(mine.goal.id)).totalCount).toBe(0);
      expect((await goalFeedback(theirs.goal.id)).totalCount).toBe(0);
      expect((await versionFeedback(theirs.v1.id)).totalCount).toBe(0);
    });

    it.each<[string, { goalId?: string; modelVersionId?: string }]>([
      ['an unknown goal', { goalId: unknownId('Goal') }],
      ['an unknown version', { modelVersionId: unknownId('ModelVersion') }],
      ['a malformed goal ID', { goalId: 'what-goal' }],
      ['an unknown version with a real goal', { goalId: 'real', modelVersionId: unknownId('ModelVersion') }],
      ['an unknown goal with a real version', { goalId: unknownId('Goal'), modelVersionId: 'real' }],
    ])('answers NOT_FOUND for %s and writes nothing', async (_what, ids) => {
      const { goal, v1 } = await world();
      const input = {
        ...(ids.goalId ? { goalId: ids.goalId === 'real' ? goal.id : ids.goalId } : {}),
        ...(ids.modelVersionId ? { modelVersionId: ids.modelVersionId === 'real' ? v1.id : ids.modelVersionId } : {}),
        verdict: 'MEETS_GOAL' as const,
      };
      const events = await eventCount(hub);
      expect(errorCode(await hub.as('sme', SubmitFeedbackDocument, { input }))).toBe('NOT_FOUND');
      expect(await eventCount(hub)).toBe(events);
      expect((await goalFeedback(goal.id)).totalCount).toBe(0);
      expect((await versionFeedback(v1.id)).totalCount).toBe(0);
    });

    it('answers NOT_FOUND when the goal ID names a version (and vice versa)', async () => {
      const { goal, v1 } = await world();
      expect(errorCode(await hub.as('sme', SubmitFeedbackDocument, { input: { goalId: v1.id, verdict: 'MEETS_GOAL' } }))).toBe('NOT_FOUND');
      expect(errorCode(await hub.as('sme', SubmitFeedbackDocument, { input: { modelVersionId: goal.id, verdict: 'MEETS_GOAL' } }))).toBe('NOT_FOUND');
    });
  });

  describe('connections', () => {
    it('Goal.feedback lists the feedback on the goal and its versions, newest first, in pages', async () => {
      const { goal, v1, v2 } = await world();
      const other = await world();
      const a = await submit('sme', { goalId: goal.id, verdict: 'MISSES_GOAL', comment: 'a' });
      const b = await submit('risk', { modelVersionId: v1.id, verdict: 'PARTIALLY_MEETS', comment: 'b' });
      await submit('sme', { goalId: other.goal.id, verdict: 'MEETS_GOAL', comment: 'elsewhere' });
      const c = await submit('sme2', { goalId: goal.id, modelVersionId: v2.id, verdict: 'MEETS_GOAL', comment: 'c' });
      const d = await submit('admin', { goalId: goal.id, verdict: 'MEETS_GOAL', comment: 'd' });

      const all = await goalFeedback(goal.id);
      expect(all.totalCount).toBe(4);
      expect(all.nodes.map((f) => f.id)).toEqual([d.id, c.id, b.id, a.id]);
      expect(all.nodes.every((f) => f.goal.id === goal.id)).toBe(true);

      const first = await goalFeedback(goal.id, 3);
      expect(first.nodes.map((f) => f.id)).toEqual([d.id, c.id, b.id]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const rest = await goalFeedback(goal.id, 3, first.pageInfo.endCursor);
      expect(rest.nodes.map((f) => f.id)).toEqual([a.id]);
      expect(rest.pageInfo.hasNextPage).toBe(false);
      expect(rest.totalCount).toBe(4);

      expect((await goalFeedback(other.goal.id)).nodes.map((f) => f.comment)).toEqual(['elsewhere']);
    });

    it("ModelVersion.feedback lists only that version's feedback, newest first", async () => {
      const { goal, v1, v2 } = await world();
      const x = await submit('sme', { modelVersionId: v1.id, verdict: 'MISSES_GOAL' });
      await submit('sme', { modelVersionId: v2.id, verdict: 'MEETS_GOAL' });
      await submit('sme', { goalId: goal.id, verdict: 'MEETS_GOAL' });
      const y = await submit('risk', { goalId: goal.id, modelVersionId: v1.id, verdict: 'PARTIALLY_MEETS' });

      const list = await versionFeedback(v1.id);
      expect(list.totalCount).toBe(2);
      expect(list.nodes.map((f) => f.id)).toEqual([y.id, x.id]);
      expect(list.nodes.every((f) => f.modelVersion?.id === v1.id)).toBe(true);
      const page = await versionFeedback(v1.id, 1);
      expect(page.nodes.map((f) => f.id)).toEqual([y.id]);
      expect(page.pageInfo.hasNextPage).toBe(true);
      expect((await versionFeedback(v1.id, 1, page.pageInfo.endCursor)).nodes.map((f) => f.id)).toEqual([x.id]);
    });
  });

  describe('events', () => {
    it('writes FEEDBACK_SUBMITTED with the goal, model and version when a version is given', async () => {
      const { goal, model, v2 } = await world();
      const events = await eventCount(hub);
      const feedback = await submit('sme2', { modelVersionId: v2.id, verdict: 'PARTIALLY_MEETS', comment: 'Too many false declines.' });
      expect(await eventCount(hub)).toBe(events + 1);
      const { nodes } = ok(await hub.as('risk', LcEventsDocument, { first: 10, filter: { subjectId: feedback.id } })).events;
      expect(nodes).toHaveLength(1);
      const [event] = nodes;
      expect(event).toMatchObject({
        type: 'FEEDBACK_SUBMITTED',
        origin: 'API',
        actor: { id: hub.users.sme2.id },
        subject: { __typename: 'Feedback', id: feedback.id },
        goal: { id: goal.id },
        model: { id: model.id },
        modelVersion: { id: v2.id },
      });
      expect(event.data).toMatchObject({ verdict: 'PARTIALLY_MEETS' });
      expect(event.summary).toContain(model.name);
      expect(event.summary).toContain(goal.title);
      expect(event.summary).not.toMatch(/[\r\n]/);
    });

    it('writes FEEDBACK_SUBMITTED with only the goal when no version is given', async () => {
      const { goal } = await world();
      const feedback = await submit('sme', { goalId: goal.id, verdict: 'MEETS_GOAL' });
      const [event] = ok(await hub.as('risk', LcEventsDocument, { first: 10, filter: { subjectId: feedback.id } })).events.nodes;
      expect(event).toMatchObject({
        type: 'FEEDBACK_SUBMITTED',
        goal: { id: goal.id },
        model: null,
        modelVersion: null,
        subject: { id: feedback.id },
      });
      expect(event.summary).toContain(goal.title);
      expect(event.summary.trim()).not.toBe('');
    });

    it('keeps the summary on one line when the comment has several lines', async () => {
      const { v1 } = await world();
      const feedback = await submit('sme', {
        modelVersionId: v1.id,
        verdict: 'MISSES_GOAL',
        comment: 'Declines too many students.\nAnd pensioners.',
      });
      expect(feedback.comment).toBe('Declines too many students.\nAnd pensioners.');
      const [event] = ok(await hub.as('risk', LcEventsDocument, { first: 10, filter: { subjectId: feedback.id } })).events.nodes;
      expect(event.summary).not.toMatch(/[\r\n]/);
    });
  });
});
