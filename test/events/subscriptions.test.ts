import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../../src/domain/enums';
import { toGlobalId } from '../../src/domain/ids';
import { userService } from '../../src/domain/user/user.service';
import {
  AddCommentDocument,
  AddKpiDocument,
  CreateExperimentDocument,
  CreateGoalDocument,
  CreateModelVersionDocument,
  LvEventsDocument,
  RecordKpiValueDocument,
  RegisterModelDocument,
  UpdateGoalDocument,
  UpdateModelVersionDocument,
  type EventFilter,
} from '../../src/generated/operations';
import { captureLog } from '../helpers/log';
import { eventCount } from '../helpers/audit';
import { errorCode, ok, post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { Live, ready, WAIT_MS, type Ev } from '../helpers/live';
import { within } from '../helpers/wait';

/** Type and subject of each event: what a sequence of mutations predicts. */
const shape = (events: Ev[]) => events.map((e) => `${e.type} ${e.subject.id}`);

// ---------------------------------------------------------------------------------------------

forEachDialect((dialect) => {
  let hub: TestHub;
  let probeGoal: string;
  const opened: Live[] = [];

  /** A WebSocket as `who` (a test person, or a raw token, or none). */
  function live(who: Person | { token: string | null }, target: TestHub = hub, probe: string = probeGoal): Live {
    const token = typeof who === 'string' ? target.users[who].token : who.token;
    const l = new Live(target, token, probe);
    opened.push(l);
    return l;
  }

  async function run<T, V>(who: Person, document: TypedDocumentNode<T, V>, variables: V, target: TestHub = hub): Promise<T> {
    return ok(await target.as(who, document, variables));
  }

  const comment = async (who: Person, subjectId: string, body: string, target: TestHub = hub) =>
    (await run(who, AddCommentDocument, { input: { subjectId, body } }, target)).addComment.comment;

  /** The newest event's ID in the audit trail. */
  async function newestEventId(target: TestHub = hub): Promise<string> {
    return (await run('risk', LvEventsDocument, { first: 1 }, target)).events.nodes[0].id;
  }

  /** The audit trail's events after `since`, oldest first (at most 100, `filter` applied). */
  async function auditTrailSince(since: string, filter?: EventFilter, target: TestHub = hub): Promise<Ev[]> {
    const nodes = (await run('risk', LvEventsDocument, { first: 100, filter }, target)).events.nodes;
    const all = (await run('risk', LvEventsDocument, { first: 100 }, target)).events.nodes;
    const cut = all.findIndex((e) => e.id === since);
    expect(cut, 'the watermark event is in the last 100').toBeGreaterThanOrEqual(0);
    const after = new Set(all.slice(0, cut).map((e) => e.id));
    return nodes.filter((e) => after.has(e.id)).reverse();
  }

  // The graph the tests act on: goal A (sme) with a KPI and model M1 (v1); goal B (sme2) with a KPI and model M2.
  const g = {} as Record<'A' | 'B' | 'kpiA' | 'kpiB' | 'M1' | 'V1' | 'M2', string>;

  beforeAll(async () => {
    hub = await startHub(dialect);
    probeGoal = (await run('sme', CreateGoalDocument, { input: { title: 'Feed probe', businessQuestion: 'Is the feed live?' } })).createGoal.goal.id;
    g.A = (await run('sme', CreateGoalDocument, { input: { title: 'Reduce churn', businessQuestion: 'Who leaves?' } })).createGoal.goal.id;
    g.B = (await run('sme2', CreateGoalDocument, { input: { title: 'Grow upsell', businessQuestion: 'Who buys more?' } })).createGoal.goal.id;
    g.kpiA = (await run('sme', AddKpiDocument, { input: { goalId: g.A, name: 'Churn rate', direction: 'LOWER_IS_BETTER' } })).addKpi.kpi.id;
    g.kpiB = (await run('sme2', AddKpiDocument, { input: { goalId: g.B, name: 'Upsell rate', direction: 'HIGHER_IS_BETTER' } })).addKpi.kpi.id;
    g.M1 = (await run('scientist', RegisterModelDocument, { input: { goalId: g.A, name: 'lv-churn' } })).registerModel.model.id;
    g.V1 = (await run('scientist', CreateModelVersionDocument, { input: { modelId: g.M1 } })).createModelVersion.modelVersion.id;
    g.M2 = (await run('scientist', RegisterModelDocument, { input: { goalId: g.B, name: 'lv-upsell' } })).registerModel.model.id;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.dispose()));
  });

  afterAll(async () => {
    await Promise.all(opened.splice(0).map((l) => l.dispose()));
    await hub?.close();
  });

  describe('delivery', () => {
    it('delivers a committed event once to every subscription, with its subject resolving to what the mutation returned', async () => {
      const socket = live('risk');
      const first = socket.subscribe();
      const second = socket.subscribe();
      const other = live('scientist');
      const third = other.subscribe();
      await ready([socket, other]);

      const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Live goal', businessQuestion: 'Does it arrive?' } })).createGoal.goal;
      for (const feed of [first, second, third]) {
        const event = await feed.waitFor('GOAL_CREATED of the new goal', (e) => e.subject.id === goal.id);
        expect(event).toMatchObject({
          type: 'GOAL_CREATED',
          subject: { __typename: 'Goal', id: goal.id },
          goal: { id: goal.id, title: 'Live goal' },
        });
      }

      // Exactly once: a later marker is the next (and last) thing each subscription gets.
      const marker = await comment('sme', goal.id, 'marker');
      for (const feed of [first, second, third]) {
        await feed.waitFor('the marker', (e) => e.subject.id === marker.id);
        expect(shape(feed.events)).toEqual([`GOAL_CREATED ${goal.id}`, `COMMENT_ADDED ${marker.id}`]);
        expect(feed.errors).toEqual([]);
      }
    });

    it('serves many subscribers at once (30), each getting the event once, without a listener-leak warning', async () => {
      const crowded = await startHub(dialect);
      const warnings: Error[] = [];
      const onWarning = (w: Error) => warnings.push(w);
      process.on('warning', onWarning);
      try {
        const probe = (await run('sme', CreateGoalDocument, { input: { title: 'Probe', businessQuestion: 'Live?' } }, crowded)).createGoal.goal.id;
        const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Popular', businessQuestion: 'Who watches?' } }, crowded)).createGoal
          .goal.id;
        const sockets = (['risk', 'scientist', 'mlEngineer'] as const).map((who) => live(who, crowded, probe));
        const feeds = sockets.flatMap((s) => Array.from({ length: 10 }, () => s.subscribe({ goalId: goal })));
        await ready(sockets);
        const c = await comment('sme', goal, 'to everyone', crowded);
        await Promise.all(feeds.map((f) => f.waitFor('the comment', (e) => e.subject.id === c.id)));
        await crowded.server.relay.flush();
        const marker = await comment('sme', goal, 'marker', crowded);
        for (const feed of feeds) {
          await feed.waitFor('the marker', (e) => e.subject.id === marker.id);
          expect(feed.events.map((e) => e.subject.id)).toEqual([c.id, marker.id]);
        }
        expect(warnings.map((w) => `${w.name}: ${w.message}`).filter((w) => /MaxListeners|memory leak/i.test(w))).toEqual([]);
      } finally {
        process.off('warning', onWarning);
        await Promise.all(opened.splice(0).map((l) => l.dispose()));
        await crowded.close();
      }
    });

    it('delivers the events of sequential mutations in commit order to each subscriber', async () => {
      const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Ordered goal', businessQuestion: 'In order?' } })).createGoal.goal.id;
      const risk = live('risk');
      const everything = risk.subscribe();
      const engineer = live('mlEngineer');
      const ofGoal = engineer.subscribe({ goalId: goal });
      await ready([risk, engineer]);
      const since = await newestEventId();

      const expected: string[] = [];
      const kpi = (await run('sme', AddKpiDocument, { input: { goalId: goal, name: 'Order KPI', direction: 'HIGHER_IS_BETTER' } })).addKpi.kpi.id;
      expected.push(`KPI_ADDED ${kpi}`);
      await run('sme', RecordKpiValueDocument, { input: { kpiId: kpi, value: 1 } });
      expected.push(`KPI_RECORDED ${kpi}`);
      expected.push(`COMMENT_ADDED ${(await comment('scientist', goal, 'one')).id}`);
      const experiment = (await run('scientist', CreateExperimentDocument, { input: { goalId: goal, name: 'Order experiment' } })).createExperiment
        .experiment.id;
      expected.push(`EXPERIMENT_CREATED ${experiment}`);
      await run('scientist', RecordKpiValueDocument, { input: { kpiId: kpi, value: 2 } });
      expected.push(`KPI_RECORDED ${kpi}`);
      const model = (await run('scientist', RegisterModelDocument, { input: { goalId: goal, name: `lv-order-${dialect}` } })).registerModel.model.id;
      expected.push(`MODEL_REGISTERED ${model}`);
      expected.push(`COMMENT_ADDED ${(await comment('sme', model, 'two')).id}`);
      const version = (await run('scientist', CreateModelVersionDocument, { input: { modelId: model } })).createModelVersion.modelVersion.id;
      expected.push(`MODEL_VERSION_CREATED ${version}`);
      await run('sme', UpdateGoalDocument, { input: { goalId: goal, description: 'Now described' } });
      expected.push(`GOAL_UPDATED ${goal}`);
      await run('mlEngineer', RecordKpiValueDocument, { input: { kpiId: kpi, value: 3 } });
      expected.push(`KPI_RECORDED ${kpi}`);
      expect(expected).toHaveLength(10);
      const marker = await comment('sme', goal, 'marker');
      expected.push(`COMMENT_ADDED ${marker.id}`);

      const trail = await auditTrailSince(since);
      expect(shape(trail)).toEqual(expected);
      for (const feed of [everything, ofGoal]) {
        await feed.waitFor('the marker', (e) => e.subject.id === marker.id);
        expect(shape(feed.events)).toEqual(expected);
        expect(feed.events.map((e) => e.id)).toEqual(trail.map((e) => e.id));
      }
    });

    it('delivers a burst of concurrent mutations once each, in the same order to every subscriber', async () => {
      const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Burst goal', businessQuestion: 'All of them?' } })).createGoal.goal.id;
      const a = live('risk');
      const feedA = a.subscribe({ goalId: goal });
      const b = live('dataEngineer');
      const feedB = b.subscribe({ goalId: goal });
      await ready([a, b]);

      const comments = await Promise.all(Array.from({ length: 20 }, (_, i) => comment(i % 2 ? 'sme' : 'scientist', goal, `burst ${i}`)));
      const marker = await comment('sme', goal, 'marker');
      for (const feed of [feedA, feedB]) await feed.waitFor('the marker', (e) => e.subject.id === marker.id);

      const subjects = feedA.events.map((e) => e.subject.id);
      expect(subjects.at(-1)).toBe(marker.id);
      expect([...subjects].sort()).toEqual([...comments.map((c) => c.id), marker.id].sort());
      expect(new Set(feedA.events.map((e) => e.id)).size).toBe(21);
      expect(feedB.events.map((e) => e.id)).toEqual(feedA.events.map((e) => e.id));
    });
  });

  describe('answers shared between subscribers', () => {
    type Raw = { data?: { lifecycleEvents?: Record<string, unknown> | null } | null; errors?: readonly { extensions?: Record<string, unknown> }[] };

    /** A subscription with its own document on `socket`'s client: every result as it arrived. */
    function rawFeed(socket: Live, query: string, variables: Record<string, unknown> = {}) {
      const results: Raw[] = [];
      let wake = () => undefined as void;
      socket.client.subscribe<Raw['data']>(
        { query, variables },
        { next: (r) => (results.push(r as Raw), wake()), error: () => undefined, complete: () => undefined },
      );
      return {
        results,
        /** The first result that matches (already here or still to come). */
        waitFor: (what: string, match: (r: Raw) => boolean) =>
          within(
            new Promise<Raw>((resolve) => {
              wake = () => {
                const found = results.find(match);
                if (found) resolve(found);
              };
              wake();
            }),
            WAIT_MS,
            () => `${what} (received: ${JSON.stringify(results)})`,
          ),
      };
    }

    it('gives each subscriber the answer for its own document, variables and viewer, executing each once per event', async () => {
      const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Shared goal', businessQuestion: 'Who shares?' } })).createGoal.goal.id;
      const other = (await run('sme', CreateGoalDocument, { input: { title: 'Other goal', businessQuestion: 'Who else?' } })).createGoal.goal.id;
      // 51 subscribers of one document with the same variables under one token.
      const crowd = Array.from({ length: 3 }, () => live('risk'));
      const same = crowd.flatMap((s) => Array.from({ length: 17 }, () => s.subscribe({ goalId: goal })));
      // Another selection, other variables, and a field whose answer depends on the viewer.
      const apart = live('scientist');
      const titles = rawFeed(apart, 'subscription($filter: EventFilter) { lifecycleEvents(filter: $filter) { type goal { title } } }', {
        filter: { goalId: goal },
      });
      const ofOther = apart.subscribe({ goalId: other });
      const unread = 'subscription($filter: EventFilter) { lifecycleEvents(filter: $filter) { actor { id unreadNotificationCount } } }';
      const asActor = live('sme');
      const asSomeoneElse = live('sme2');
      const own = Array.from({ length: 5 }, () => rawFeed(asActor, unread, { filter: { goalId: goal } }));
      const foreign = Array.from({ length: 5 }, () => rawFeed(asSomeoneElse, unread, { filter: { goalId: goal } }));
      await ready([...crowd, apart, asActor, asSomeoneElse]);

      const { result: c, statements } = await hub.countStatements(async () => {
        const c = await comment('sme', goal, 'to the crowd');
        await Promise.all(same.map((f) => f.waitFor('the comment', (e) => e.subject.id === c.id)));
        await titles.waitFor('the comment with the goal title', (r) => r.data?.lifecycleEvents?.type === 'COMMENT_ADDED');
        for (const f of [...own, ...foreign]) await f.waitFor('the comment', (r) => r.data?.lifecycleEvents !== undefined);
        return c;
      });
      for (const feed of same) {
        expect(feed.events).toHaveLength(1);
        expect(feed.events[0]).toMatchObject({
          type: 'COMMENT_ADDED',
          subject: { __typename: 'Comment', id: c.id },
          goal: { id: goal, title: 'Shared goal' },
        });
      }
      expect(titles.results).toEqual([{ data: { lifecycleEvents: { type: 'COMMENT_ADDED', goal: { title: 'Shared goal' } } } }]);
      // The actor reads their own count; anyone else is refused it.
      for (const f of own)
        expect(f.results).toEqual([{ data: { lifecycleEvents: { actor: { id: hub.users.sme.id, unreadNotificationCount: expect.any(Number) } } } }]);
      for (const f of foreign) {
        expect(f.results).toHaveLength(1);
        expect(f.results[0].data).toEqual({ lifecycleEvents: { actor: null } });
        expect(f.results[0].errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      }
      // Executed once per distinct (document, variables, viewer), not once per subscriber: 51
      // separate executions would read the comment, the goal and the actor 51 times each.
      expect(statements).toBeLessThan(same.length);

      const marker = await comment('sme', other, 'marker');
      await ofOther.waitFor('the marker', (e) => e.subject.id === marker.id);
      expect(shape(ofOther.events)).toEqual([`COMMENT_ADDED ${marker.id}`]);
    });

    it('resolves every event afresh: an object changed between two events shows its new state', async () => {
      const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Before rename', businessQuestion: 'Fresh?' } })).createGoal.goal.id;
      const socket = live('risk');
      const feed = socket.subscribe({ goalId: goal });
      await ready([socket]);

      const c = await comment('sme', goal, 'loads the goal');
      expect(await feed.waitFor('the comment', (e) => e.subject.id === c.id)).toMatchObject({ goal: { id: goal, title: 'Before rename' } });
      await run('sme', UpdateGoalDocument, { input: { goalId: goal, title: 'After rename' } });
      expect(await feed.waitFor('GOAL_UPDATED', (e) => e.type === 'GOAL_UPDATED')).toMatchObject({ goal: { id: goal, title: 'After rename' } });
    });
  });

  describe('filters', () => {
    it('match as in `events`: goalId, modelId, subjectId, types, and combined', async () => {
      const filters: Record<string, EventFilter> = {
        none: {},
        goalA: { goalId: g.A },
        goalB: { goalId: g.B },
        modelM1: { modelId: g.M1 },
        subjectA: { subjectId: g.A },
        subjectV1: { subjectId: g.V1 },
        types: { types: ['KPI_RECORDED', 'MODEL_VERSION_CREATED'] },
        goalAComments: { goalId: g.A, types: ['COMMENT_ADDED'] },
        goalBTypes: { goalId: g.B, types: ['MODEL_VERSION_CREATED', 'KPI_RECORDED'] },
        modelM1Types: { modelId: g.M1, types: ['COMMENT_ADDED', 'MODEL_VERSION_UPDATED'] },
        all4: { goalId: g.A, modelId: g.M1, subjectId: g.V1, types: ['MODEL_VERSION_UPDATED'] },
      };
      const socket = live('risk');
      const feeds = Object.fromEntries(Object.entries(filters).map(([name, filter]) => [name, socket.subscribe(filter)]));
      await ready([socket]);
      const since = await newestEventId();

      // Events under both goals, then a tail that ends every filter's stream.
      await run('scientist', CreateExperimentDocument, { input: { goalId: g.A, name: 'Filter experiment' } });
      await run('scientist', RegisterModelDocument, { input: { goalId: g.B, name: `lv-filter-${dialect}` } });
      await run('scientist', CreateModelVersionDocument, { input: { modelId: g.M1 } });
      await run('scientist', CreateModelVersionDocument, { input: { modelId: g.M2 } });
      await run('sme', RecordKpiValueDocument, { input: { kpiId: g.kpiA, value: 0.2 } });
      await run('sme2', RecordKpiValueDocument, { input: { kpiId: g.kpiB, value: 0.1 } });
      await comment('risk', g.A, 'on goal A');
      await comment('risk', g.M2, 'on model M2');
      await comment('risk', g.V1, 'on version 1 of M1');
      await run('sme2', UpdateGoalDocument, { input: { goalId: g.B, description: 'B, described' } });
      await run('sme', UpdateGoalDocument, { input: { goalId: g.A, description: 'A, described' } });
      await run('sme', RecordKpiValueDocument, { input: { kpiId: g.kpiA, value: 0.18 } });
      await comment('scientist', g.M1, 'on model M1');
      await run('scientist', UpdateModelVersionDocument, { input: { modelVersionId: g.V1, description: 'v1, described' } });
      await comment('sme2', g.B, 'on goal B');
      await run('sme2', RecordKpiValueDocument, { input: { kpiId: g.kpiB, value: 0.12 } });

      const window = await auditTrailSince(since);
      expect(window).toHaveLength(16);
      /** The filter's rule, spelled out on the resolved fields. */
      const rule = (f: EventFilter) => (e: Ev) =>
        (!f.goalId || e.goal?.id === f.goalId) &&
        (!f.modelId || e.model?.id === f.modelId) &&
        (!f.subjectId || e.subject.id === f.subjectId) &&
        (!f.types || f.types.includes(e.type));

      for (const [name, filter] of Object.entries(filters)) {
        const expected = window.filter(rule(filter));
        expect(expected.length, `${name} matches something`).toBeGreaterThan(0);
        if (name !== 'none') expect(expected.length, `${name} leaves something out`).toBeLessThan(window.length);
        // `events` with the same filter: the audit trail's answer.
        expect(
          (await auditTrailSince(since, filter)).map((e) => e.id),
          `events(filter: ${name})`,
        ).toEqual(expected.map((e) => e.id));
        // The live feed: the same events, in the same order, nothing else before the last one.
        const last = expected.at(-1)!;
        await feeds[name].waitFor(`the last event of ${name}`, (e) => e.id === last.id);
        expect(
          feeds[name].events.map((e) => e.id),
          `lifecycleEvents(filter: ${name})`,
        ).toEqual(expected.map((e) => e.id));
        expect(feeds[name].errors).toEqual([]);
      }
      expect(window.filter(rule(filters.all4)).map((e) => e.type)).toEqual(['MODEL_VERSION_UPDATED']);
    });

    it('gives two subscribers with different filters only their own events', async () => {
      const ofA = live('sme');
      const feedA = ofA.subscribe({ goalId: g.A });
      const ofB = live('sme2');
      const feedB = ofB.subscribe({ goalId: g.B });
      await ready([ofA, ofB]);

      const onA: string[] = [];
      const onB: string[] = [];
      for (let i = 0; i < 4; i++) {
        onA.push((await comment('risk', g.A, `A ${i}`)).id);
        onB.push((await comment('risk', g.B, `B ${i}`)).id);
      }
      await feedA.waitFor('the last comment on A', (e) => e.subject.id === onA.at(-1));
      await feedB.waitFor('the last comment on B', (e) => e.subject.id === onB.at(-1));
      expect(feedA.events.map((e) => e.subject.id)).toEqual(onA);
      expect(feedB.events.map((e) => e.subject.id)).toEqual(onB);
    });

    it('refuses a malformed filter as `events` does (BAD_USER_INPUT on that subscription), and the socket stays usable', async () => {
      const overHttp = await hub.as('risk', LvEventsDocument, { first: 1, filter: { subjectId: 'not-an-id' } });
      expect(overHttp.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.subjectId' });

      const socket = live('risk');
      const feed = socket.subscribe({ subjectId: 'not-an-id' });
      const reason = await within(feed.ended, WAIT_MS, 'the subscription to end');
      // The socket stays usable.
      const good = socket.subscribe({ goalId: g.A });
      await ready([socket]);
      const c = await comment('sme', g.A, 'after a bad filter');
      await good.waitFor('the comment', (e) => e.subject.id === c.id);

      expect(feed.events).toEqual([]);
      expect(reason).toEqual([expect.objectContaining({ message: overHttp.errors?.[0].message, extensions: overHttp.errors?.[0].extensions })]);
    });
  });

  describe('errors on delivered events', () => {
    it('are shaped as over HTTP: an unexpected one is INTERNAL_SERVER_ERROR with no detail', async () => {
      const broken = await startHub(dialect);
      const logged = captureLog();
      try {
        const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Soon broken', businessQuestion: 'Will it leak?' } }, broken)).createGoal
          .goal.id;
        const query = 'subscription { lifecycleEvents { type subject { id ... on Goal { comments { totalCount } } } } }';
        const client = createClient({
          url: broken.server.wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${broken.users.risk.token}` },
          retryAttempts: 0,
          lazy: true,
        });
        type Raw = {
          data?: { lifecycleEvents?: { type: string } } | null;
          errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
        };
        const results: Raw[] = [];
        let wake = () => undefined as void;
        const next = (match: (r: Raw) => boolean, what: string) =>
          within(
            new Promise<void>((resolve) => {
              wake = () => void (results.some(match) && resolve());
              wake();
            }),
            2_000,
            what,
          );
        client.subscribe<Raw['data']>(
          { query },
          { next: (r) => (results.push(r as Raw), wake()), error: () => undefined, complete: () => undefined },
        );
        try {
          // Live once a comment's event (whose subject is the comment, not the goal) arrives.
          for (let attempt = 1; ; attempt++) {
            const waiting = next((r) => r.data?.lifecycleEvents?.type === 'COMMENT_ADDED', 'a COMMENT_ADDED result');
            await comment('sme', goal, `probe ${attempt}`, broken);
            try {
              await waiting;
              break;
            } catch (err) {
              if (attempt >= 5) throw err;
            }
          }
          await broken.db.knex.raw(dialect === 'postgresql' ? 'drop table comments cascade' : 'drop table comments');
          const httpGoal = await post<{ node: unknown }>(
            broken.url,
            { query: `{ node(id: "${goal}") { ... on Goal { comments { totalCount } } } }` },
            broken.users.sme.token,
          );
          expect(httpGoal.errors?.[0]).toEqual(
            expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
          );

          results.splice(0);
          logged.clear();
          const failed = next((r) => !!r.errors?.length, 'the GOAL_UPDATED result with an error');
          await run('sme', UpdateGoalDocument, { input: { goalId: goal, description: 'after the drop' } }, broken);
          await failed;
        } finally {
          await client.dispose();
        }
        const text = JSON.stringify(results[0]);
        expect(results[0].errors?.length).toBeGreaterThan(0);
        for (const error of results[0].errors ?? []) {
          expect(error.message).toBe('Internal server error');
          expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
        }
        expect(text).not.toMatch(/select|sqlite|relation|no such table|does not exist|knex|mikro/i);
        // The detail goes to the log instead.
        expect(logged.text()).toMatch(/comments/);
      } finally {
        logged.restore();
        await broken.close();
      }
    });
  });

  describe('refused mutations', () => {
    it('produce no event', async () => {
      const socket = live('admin');
      const feed = socket.subscribe();
      await ready([socket]);
      const before = await eventCount(hub);

      const refusals: [string, string | undefined][] = [
        ['FORBIDDEN', errorCode(await hub.as('risk', CreateGoalDocument, { input: { title: 'Not mine to set', businessQuestion: '?' } }))],
        ['FORBIDDEN', errorCode(await hub.as('sme2', UpdateGoalDocument, { input: { goalId: g.A, title: 'Taken over' } }))],
        ['FORBIDDEN', errorCode(await hub.as('sme', RegisterModelDocument, { input: { goalId: g.A, name: 'lv-not-a-builder' } }))],
        ['FORBIDDEN', errorCode(await hub.as('risk', RecordKpiValueDocument, { input: { kpiId: g.kpiA, value: 1 } }))],
        ['BAD_USER_INPUT', errorCode(await hub.as('sme', CreateGoalDocument, { input: { title: '', businessQuestion: 'Untitled?' } }))],
        ['BAD_USER_INPUT', errorCode(await hub.as('risk', AddCommentDocument, { input: { subjectId: g.A, body: '' } }))],
        ['BAD_USER_INPUT', errorCode(await hub.as('scientist', RegisterModelDocument, { input: { goalId: g.A, name: 'lv@bad' } }))],
        [
          'BAD_USER_INPUT',
          errorCode(await hub.as('sme', AddKpiDocument, { input: { goalId: g.A, name: 'x'.repeat(201), direction: 'HIGHER_IS_BETTER' } })),
        ],
      ];
      for (const [wanted, got] of refusals) expect(got).toBe(wanted);

      const marker = await comment('sme', g.A, 'marker after refusals');
      await feed.waitFor('the marker', (e) => e.subject.id === marker.id);
      expect(shape(feed.events)).toEqual([`COMMENT_ADDED ${marker.id}`]);
      expect(await eventCount(hub)).toBe(before + 1);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no token', null],
      ['an unknown token', 'mh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ])('closes the socket with 4403 for connection_init with %s', async (_what, token) => {
      const socket = live({ token });
      const feed = socket.subscribe();
      const reason = await within(feed.ended, WAIT_MS, 'the socket to close');
      expect(reason).toMatchObject({ code: 4403 });
      expect(feed.events).toEqual([]);
    });

    it('closes the socket with 4403 once its token is revoked, and delivers nothing after', async () => {
      const rechecking = await startHub(dialect, { wsAuthRecheckMs: 200 });
      try {
        const probe = (await run('sme', CreateGoalDocument, { input: { title: 'Probe', businessQuestion: 'Live?' } }, rechecking)).createGoal.goal.id;
        const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Watched', businessQuestion: 'Who watches?' } }, rechecking)).createGoal
          .goal.id;
        const revoked = live('risk', rechecking, probe);
        const revokedFeed = revoked.subscribe({ goalId: goal });
        const witness = live('scientist', rechecking, probe);
        const witnessFeed = witness.subscribe({ goalId: goal });
        await ready([revoked, witness]);

        // Both receive while the token is good, across several re-checks.
        const before = await comment('sme', goal, 'before revocation', rechecking);
        await revokedFeed.waitFor('the comment before revocation', (e) => e.subject.id === before.id);
        await witnessFeed.waitFor('the comment before revocation', (e) => e.subject.id === before.id);

        const { revoked: count } = await userService.revokeTokens(rechecking.domain.operator(), 'risk@test.example');
        expect(count).toBeGreaterThan(0);
        expect(await within(revokedFeed.ended, 5_000, 'the socket of the revoked token to close')).toMatchObject({ code: 4403 });

        const after = await comment('sme', goal, 'after revocation', rechecking);
        await witnessFeed.waitFor('the comment after revocation', (e) => e.subject.id === after.id);
        expect(shape(witnessFeed.events)).toEqual([`COMMENT_ADDED ${before.id}`, `COMMENT_ADDED ${after.id}`]);
        expect(shape(revokedFeed.events)).toEqual([`COMMENT_ADDED ${before.id}`]);
        expect(errorCode(await rechecking.as('risk', LvEventsDocument, { first: 1 }))).toBe('UNAUTHENTICATED');
      } finally {
        await Promise.all(opened.splice(0).map((l) => l.dispose()));
        await rechecking.close();
      }
    });
  });

  describe('LifecycleEvent fields', () => {
    it('are resolved on delivered events as in `events`', async () => {
      const socket = live('risk');
      const feed = socket.subscribe();
      await ready([socket]);

      const t0 = Date.now();
      const version = (
        await run('scientist', CreateModelVersionDocument, {
          input: { modelId: g.M1, description: 'fields', artifactUri: 's3://models/lv-churn/fields', metrics: [{ key: 'auc', value: 0.91 }] },
        })
      ).createModelVersion.modelVersion;
      const c = await comment('sme', g.A, 'a comment with fields');
      const { user } = await userService.create(hub.domain.operator(), {
        name: 'Late Joiner',
        email: `late-${dialect}@test.example`,
        roles: [Role.RISK_MANAGER],
      });
      const t1 = Date.now();
      const created = await feed.waitFor('MODEL_VERSION_CREATED', (e) => e.subject.id === version.id);
      const commented = await feed.waitFor('COMMENT_ADDED', (e) => e.subject.id === c.id);
      const joined = await feed.waitFor('USER_CREATED', (e) => e.type === 'USER_CREATED' && e.summary.includes('Late Joiner'));

      expect(created).toEqual({
        id: expect.any(String),
        type: 'MODEL_VERSION_CREATED',
        occurredAt: expect.any(String),
        actor: { id: hub.users.scientist.id, name: hub.users.scientist.name },
        origin: 'API',
        subject: { __typename: 'ModelVersion', id: version.id },
        goal: { id: g.A, title: 'Reduce churn' },
        model: { id: g.M1, name: 'lv-churn' },
        modelVersion: { id: version.id, version: version.version },
        summary: expect.stringContaining(`lv-churn v${version.version}`),
        data: {
          version: version.version,
          metrics: [{ key: 'auc', value: 0.91 }],
          runId: null,
          artifactUri: 's3://models/lv-churn/fields',
          artifactDigest: null,
          card: null,
          description: 'fields',
          externalId: null,
          tags: [],
        },
      });
      expect(commented).toMatchObject({
        type: 'COMMENT_ADDED',
        actor: { id: hub.users.sme.id },
        subject: { __typename: 'Comment', id: c.id },
        goal: { id: g.A },
        model: null,
        modelVersion: null,
        data: { on: { type: 'Goal', id: g.A }, body: 'a comment with fields' },
      });
      expect(joined).toMatchObject({
        actor: null,
        origin: 'API',
        subject: { __typename: 'User', id: toGlobalId('User', user.id) },
        goal: null,
        model: null,
        modelVersion: null,
      });

      for (const event of [created, commented, joined]) {
        const at = Date.parse(event.occurredAt);
        expect(at).toBeGreaterThanOrEqual(t0 - 1_000);
        expect(at).toBeLessThanOrEqual(t1 + 1_000);
        expect(event.summary.length).toBeGreaterThan(0);
      }
      // The live event and the audit trail's record of it resolve to the same thing.
      const trail = (await run('risk', LvEventsDocument, { first: 10 })).events.nodes;
      for (const event of [created, commented, joined]) expect(trail.find((e) => e.id === event.id)).toEqual(event);
    });
  });
});
