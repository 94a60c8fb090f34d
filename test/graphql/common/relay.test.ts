import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentDocument,
  AddKpiDocument,
  CreateExperimentDocument,
  CreateGoalDocument,
  CreateModelVersionDocument,
  KpiHistoryDocument,
  LogRunDocument,
  NodesDocument,
  RegisterModelDocument,
  RlCommentsDocument,
  RlGoalsPageDocument,
  RlNodeDocument,
} from '../../../src/generated/operations';
import { fromGlobalId, toGlobalId } from '../../../src/domain/ids';
import { errorCode, having, ok } from '../../helpers/client';
import { forEachDialect } from '../../helpers/db';
import { startHub, type TestHub } from '../../helpers/hub';
import { b64, unknownId } from '../../helpers/ids';

forEachDialect((dialect) => {
  let hub: TestHub;
  /** One object of every type the API hands out an ID for. */
  const ids = {} as Record<'User' | 'Goal' | 'Kpi' | 'Experiment' | 'Run' | 'Model' | 'ModelVersion' | 'Comment', string>;

  beforeAll(async () => {
    hub = await startHub(dialect);
    ids.User = hub.users.risk.id;
    ids.Goal = ok(
      await hub.as('sme', CreateGoalDocument, { input: { title: 'Reduce churn', businessQuestion: 'Who will cancel next month?' } }),
    ).createGoal.goal.id;
    ids.Kpi = ok(
      await hub.as('sme', AddKpiDocument, { input: { goalId: ids.Goal, name: 'Churn rate', direction: 'LOWER_IS_BETTER' } }),
    ).addKpi.kpi.id;
    ids.Experiment = ok(
      await hub.as('scientist', CreateExperimentDocument, { input: { goalId: ids.Goal, name: 'Gradient boosting' } }),
    ).createExperiment.experiment.id;
    ids.Run = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId: ids.Experiment, name: 'run 1' } })).logRun.run.id;
    ids.Model = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: ids.Goal, name: 'churn-relay' } })).registerModel.model.id;
    ids.ModelVersion = ok(
      await hub.as('mlEngineer', CreateModelVersionDocument, { input: { modelId: ids.Model, runId: ids.Run } }),
    ).createModelVersion.modelVersion.id;
    ids.Comment = ok(await hub.as('risk', AddCommentDocument, { input: { subjectId: ids.Goal, body: 'Who signs this off?' } })).addComment.comment.id;
  });
  afterAll(() => hub?.close());

  /** A fresh goal with `n` comments; returns the goal ID and the comment IDs in the order they were added. */
  async function goalWithComments(n: number): Promise<{ goalId: string; commentIds: string[] }> {
    const goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: `Goal with ${n} comments`, businessQuestion: 'q' } })).createGoal.goal
      .id;
    const commentIds: string[] = [];
    for (let i = 0; i < n; i++) {
      commentIds.push(
        ok(await hub.as(i % 2 ? 'scientist' : 'sme', AddCommentDocument, { input: { subjectId: goalId, body: `comment ${i}` } })).addComment.comment
          .id,
      );
    }
    return { goalId, commentIds };
  }

  const commentsOf = async (id: string, first?: number | null, after?: string | null) =>
    having(ok(await hub.as('risk', RlCommentsDocument, { id, first, after })).node, 'comments').comments;

  describe('node(id:)', () => {
    it.each(['User', 'Goal', 'Kpi', 'Experiment', 'Run', 'Model', 'ModelVersion', 'Comment'] as const)(
      'resolves a %s ID to that object with the right __typename',
      async (type) => {
        const { node } = ok(await hub.as('dataEngineer', RlNodeDocument, { id: ids[type] }));
        expect(node).toMatchObject({ id: ids[type], __typename: type });
      },
    );

    it('resolves the IDs that mutations and nested fields hand out, not only the ones it was given', async () => {
      const comment = having(ok(await hub.as('sme', RlNodeDocument, { id: ids.Comment })).node, 'subject');
      const subject = ok(await hub.as('sme', RlNodeDocument, { id: comment.subject.id })).node;
      expect(subject).toMatchObject({ id: ids.Goal, __typename: 'Goal' });
    });

    it.each([
      ['a well-formed ID of an unknown type', b64('Widget:1')],
      ['a well-formed ID of a type that is not a node', b64('KpiObservation:1')],
      ['a well-formed Goal ID that no row has', unknownId('Goal')],
      ['a well-formed ID with id 0', b64('Goal:0')],
      ['garbage', 'garbage'],
      ['an empty string', ''],
      ['punctuation', '!!!:::'],
      ['a very long string', 'x'.repeat(5_000)],
      ['a Goal ID with the type in the wrong case', b64('goal:1')],
      ['a Goal ID with trailing junk', `${b64('Goal:1')}==`],
    ])('returns null, not an error, for %s', async (_what, id) => {
      const result = await hub.as('sme', RlNodeDocument, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ node: null });
    });

    it('returns null for the ID of a row that has been deleted', async () => {
      const { commentIds } = await goalWithComments(1);
      expect(ok(await hub.as('sme', RlNodeDocument, { id: commentIds[0] })).node).toMatchObject({ __typename: 'Comment' });
      await hub.db.knex('comments').where('id', fromGlobalId(commentIds[0])!.id).del();
      expect(ok(await hub.as('sme', RlNodeDocument, { id: commentIds[0] })).node).toBeNull();
    });

    it('keeps the type in the ID: a goal and a user with the same database number have different IDs and resolve to their own type', async () => {
      const number = fromGlobalId(ids.Goal)!.id;
      const userId = toGlobalId('User', number);
      expect(userId).not.toBe(ids.Goal);
      const { nodes } = ok(await hub.as('sme', NodesDocument, { ids: [ids.Goal, userId] }));
      expect(nodes.map((n) => n?.__typename)).toEqual(['Goal', 'User']);
    });
  });

  describe('nodes(ids:)', () => {
    it('answers in the order asked, with null where there is no object', async () => {
      const asked = [ids.Run, 'garbage', ids.User, unknownId('Goal'), ids.Comment, ids.Goal, ids.Run];
      const { nodes } = ok(await hub.as('risk', NodesDocument, { ids: asked }));
      expect(nodes).toEqual([
        { id: ids.Run, __typename: 'Run' },
        null,
        { id: ids.User, __typename: 'User' },
        null,
        { id: ids.Comment, __typename: 'Comment' },
        { id: ids.Goal, __typename: 'Goal' },
        { id: ids.Run, __typename: 'Run' },
      ]);
    });

    it('answers an empty list for no IDs', async () => {
      expect(ok(await hub.as('risk', NodesDocument, { ids: [] })).nodes).toEqual([]);
    });
  });

  describe('IDs', () => {
    it('are opaque: not the raw database integer, and the raw integer resolves to nothing', async () => {
      const me = hub.users.sme;
      expect(me.id).not.toBe(String(me.dbId));
      for (const id of Object.values(ids)) expect(id).not.toMatch(/^\d+$/);
      expect(ok(await hub.as('sme', RlNodeDocument, { id: String(me.dbId) })).node).toBeNull();
    });

    it('are unique across types', async () => {
      expect(new Set(Object.values(ids)).size).toBe(Object.keys(ids).length);
    });
  });

  describe('connections', () => {
    let goalId: string;
    let newestFirst: string[];
    beforeAll(async () => {
      const made = await goalWithComments(26);
      goalId = made.goalId;
      newestFirst = [...made.commentIds].reverse();
    });

    it('give 20 items when first is left out', async () => {
      const page = await commentsOf(goalId);
      expect(page.nodes).toHaveLength(20);
      expect(page.edges).toHaveLength(20);
      expect(page.nodes.map((n) => n.id)).toEqual(newestFirst.slice(0, 20));
      expect(page).toMatchObject({ totalCount: 26, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    });

    it('give 20 items when first is null', async () => {
      expect((await commentsOf(goalId, null)).nodes).toHaveLength(20);
    });

    it('give no items but the right totalCount and hasNextPage for first: 0', async () => {
      const page = await commentsOf(goalId, 0);
      expect(page).toMatchObject({
        totalCount: 26,
        nodes: [],
        edges: [],
        pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
      const empty = ok(await hub.as('risk', RlCommentsDocument, { id: ids.Model, first: 0 }));
      expect(having(empty.node, 'comments').comments).toMatchObject({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false } });
    });

    it('give all items and hasNextPage false for first: 100', async () => {
      const page = await commentsOf(goalId, 100);
      expect(page.nodes.map((n) => n.id)).toEqual(newestFirst);
      expect(page.pageInfo.hasNextPage).toBe(false);
    });

    it('give hasNextPage false when the page ends exactly at the last item', async () => {
      const page = await commentsOf(goalId, 26);
      expect(page.nodes).toHaveLength(26);
      expect(page.pageInfo.hasNextPage).toBe(false);
    });

    it.each([101, -1, 1_000_000])('refuse first: %d with BAD_USER_INPUT on nested and top-level connections', async (first) => {
      const nested = await hub.as('risk', RlCommentsDocument, { id: goalId, first });
      expect(errorCode(nested)).toBe('BAD_USER_INPUT');
      expect(nested.errors?.[0].extensions?.field).toBe('first');
      expect(errorCode(await hub.as('risk', RlGoalsPageDocument, { first }))).toBe('BAD_USER_INPUT');
    });

    it.each([
      ['a string that is not base64 JSON', 'abc'],
      ['base64 of junk', b64('}{ not json')],
      ['base64 of a JSON object', b64('{"id":3}')],
      ['a cursor with too many values', b64('[3,4]')],
      ['a cursor with no values', b64('[]')],
      ['a cursor holding null', b64('[null]')],
      ['a cursor holding a non-numeric string', b64('["abc"]')],
      ['a cursor holding a fraction', b64('[1.5]')],
      ['a cursor holding a number out of range', b64('[1e300]')],
      ['a cursor holding a nested array', b64('[[1]]')],
      ['an empty string', ''],
    ])('refuse %s as after with BAD_USER_INPUT', async (_what, after) => {
      const nested = await hub.as('risk', RlCommentsDocument, { id: goalId, first: 5, after });
      expect(errorCode(nested)).toBe('BAD_USER_INPUT');
      expect(nested.errors?.[0].extensions?.field).toBe('after');
      expect(errorCode(await hub.as('risk', RlGoalsPageDocument, { first: 5, after }))).toBe('BAD_USER_INPUT');
    });

    it('refuse a cursor of another connection with a different number of values (KPI history) with BAD_USER_INPUT', async () => {
      const commentCursor = (await commentsOf(goalId, 1)).pageInfo.endCursor;
      const result = await hub.as('risk', KpiHistoryDocument, { id: ids.Kpi, first: 5, after: commentCursor });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.field).toBe('after');
    });

    it('page with first: 7 through every item exactly once, newest first, ending with hasNextPage false', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      const pages: { hasNextPage: boolean; hasPreviousPage: boolean; size: number }[] = [];
      for (let guard = 0; guard < 10; guard++) {
        const page: Awaited<ReturnType<typeof commentsOf>> = await commentsOf(goalId, 7, after);
        expect(page.totalCount).toBe(26);
        seen.push(...page.nodes.map((n) => n.id));
        pages.push({ hasNextPage: page.pageInfo.hasNextPage, hasPreviousPage: page.pageInfo.hasPreviousPage, size: page.nodes.length });
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
        expect(after).toBeTruthy();
      }
      expect(seen).toEqual(newestFirst);
      expect(new Set(seen).size).toBe(26);
      expect(pages).toEqual([
        { hasNextPage: true, hasPreviousPage: false, size: 7 },
        { hasNextPage: true, hasPreviousPage: true, size: 7 },
        { hasNextPage: true, hasPreviousPage: true, size: 7 },
        { hasNextPage: false, hasPreviousPage: true, size: 5 },
      ]);
    });

    it('page the same way twice (the order is stable)', async () => {
      const twice = await Promise.all([commentsOf(goalId, 7), commentsOf(goalId, 7)]);
      expect(twice[0].nodes).toEqual(twice[1].nodes);
      const next = await Promise.all(twice.map((p) => commentsOf(goalId, 7, p.pageInfo.endCursor)));
      expect(next[0].nodes).toEqual(next[1].nodes);
    });

    it('give an empty last page after the endCursor of the final item', async () => {
      const all = await commentsOf(goalId, 100);
      const after = await commentsOf(goalId, 5, all.pageInfo.endCursor);
      expect(after).toMatchObject({ totalCount: 26, nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, endCursor: null } });
    });

    it('give each edge a cursor that resumes right after its node, and start/end cursors of the first and last edge', async () => {
      const page = await commentsOf(goalId, 26);
      expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
      expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges[25].cursor);
      for (let i = 0; i < 25; i++) {
        const next = await commentsOf(goalId, 1, page.edges[i].cursor);
        expect(next.nodes.map((n) => n.id)).toEqual([newestFirst[i + 1]]);
        expect(next.edges[0].cursor).toBe(page.edges[i + 1].cursor);
      }
    });

    it('cursors are opaque, not the raw database id', async () => {
      const page = await commentsOf(goalId, 3);
      for (const edge of page.edges) {
        expect(edge.cursor).not.toBe(String(fromGlobalId(edge.node.id)!.id));
        expect(edge.cursor).not.toBe(edge.node.id);
      }
    });

    it('page top-level connections (goals) newest first with first: 7 and after, each once', async () => {
      const created: string[] = [];
      for (let i = 0; i < 25; i++) {
        created.push(ok(await hub.as('sme', CreateGoalDocument, { input: { title: `Paged goal ${i}`, businessQuestion: 'q' } })).createGoal.goal.id);
      }
      const first = ok(await hub.as('risk', RlGoalsPageDocument, {})).goals;
      expect(first.nodes).toHaveLength(20);
      const total = first.totalCount;
      expect(total).toBeGreaterThanOrEqual(27);

      const seen: string[] = [];
      let after: string | null | undefined;
      const hasPrevious: boolean[] = [];
      for (let guard = 0; guard < 20; guard++) {
        const goals = ok(await hub.as('risk', RlGoalsPageDocument, { first: 7, after })).goals;
        expect(goals.edges.map((e) => e.node.id)).toEqual(goals.nodes.map((n) => n.id));
        seen.push(...goals.nodes.map((n) => n.id));
        hasPrevious.push(goals.pageInfo.hasPreviousPage);
        if (!goals.pageInfo.hasNextPage) break;
        after = goals.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      expect(seen.slice(0, 25)).toEqual([...created].reverse());
      expect(hasPrevious[0]).toBe(false);
      expect(hasPrevious.slice(1).every(Boolean)).toBe(true);
    });
  });

  describe('comments', () => {
    it.each(['Goal', 'Kpi', 'Experiment', 'Run', 'Model', 'ModelVersion'] as const)(
      'on a %s are newest first and name it as their subject',
      async (type) => {
        const added: string[] = [];
        for (const [who, body] of [
          ['sme', 'first'],
          ['scientist', 'second'],
          ['risk', 'third'],
        ] as const) {
          const { comment } = ok(await hub.as(who, AddCommentDocument, { input: { subjectId: ids[type], body: `${type} ${body}` } })).addComment;
          expect(comment.subject).toEqual({ id: ids[type], __typename: type });
          added.push(comment.id);
        }
        const comments = await commentsOf(ids[type], 3);
        expect(comments.nodes.map((c) => c.id)).toEqual([...added].reverse());
        expect(comments.nodes.map((c) => c.body)).toEqual([`${type} third`, `${type} second`, `${type} first`]);
        for (const c of comments.nodes) expect(c.subject).toEqual({ id: ids[type], __typename: type });
      },
    );

    it('resolve their subject through node(id:) too', async () => {
      const { comment } = ok(await hub.as('mlEngineer', AddCommentDocument, { input: { subjectId: ids.ModelVersion, body: 'Shipped?' } })).addComment;
      const node = having(ok(await hub.as('risk', RlNodeDocument, { id: comment.id })).node, 'subject');
      expect(node).toMatchObject({ __typename: 'Comment', body: 'Shipped?', subject: { id: ids.ModelVersion, __typename: 'ModelVersion' } });
    });

    it('keep the comments of each subject apart', async () => {
      const model = await commentsOf(ids.Model, 100);
      for (const c of model.nodes) expect(c.subject.id).toBe(ids.Model);
    });

    it.each([
      ['a User', 'User'],
      ['a Comment', 'Comment'],
    ] as const)('cannot be added to %s (NOT_FOUND)', async (_what, type) => {
      expect(errorCode(await hub.as('sme', AddCommentDocument, { input: { subjectId: ids[type], body: 'hello' } }))).toBe('NOT_FOUND');
    });
  });
});
