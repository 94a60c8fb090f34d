import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/events/bus';
import { eventSource } from '../../src/events/outbox-relay';
import { createRedisBus } from '../../src/events/redis-bus';
import { AddCommentDocument, CreateGoalDocument, LvEventsDocument } from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { PG_URL, REDIS_URL } from '../helpers/db';
import { startHub, startInstance, type Person, type TestHub } from '../helpers/hub';
import { Live, ready } from '../helpers/live';

const missing = !PG_URL ? 'TEST_DATABASE_URL is not set' : !REDIS_URL ? 'TEST_REDIS_URL is not set' : undefined;

describe.skipIf(missing !== undefined)(`Redis bus: two instances on one PostgreSQL database${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let first: TestHub;
  let second: TestHub;
  const buses: EventBus[] = [];
  let probeGoal: string;
  let goal: string;
  const opened: Live[] = [];

  function live(who: Person, target: TestHub): Live {
    const l = new Live(target, target.users[who].token, probeGoal);
    opened.push(l);
    return l;
  }

  async function run<T, V>(who: Person, document: TypedDocumentNode<T, V>, variables: V, target: TestHub): Promise<T> {
    return ok(await target.as(who, document, variables));
  }

  const comment = async (target: TestHub, body: string) =>
    (await run('scientist', AddCommentDocument, { input: { subjectId: goal, body } }, target)).addComment.comment;

  /** Both relays have published all they took: nothing committed so far can be published again. */
  const flushBoth = () => Promise.all([first.server.relay.flush(), second.server.relay.flush()]);

  beforeAll(async () => {
    // Each bus reads the events behind the ids it hears from the hub's database, once it exists.
    const events = eventSource(() => first.domain);
    buses.push(await createRedisBus(REDIS_URL!, { events }), await createRedisBus(REDIS_URL!, { events }));
    first = await startHub('postgresql', { bus: buses[0] });
    // Other hubs (other test files, on other databases) may publish on the same Redis channel, and
    // their numeric ids would match this database's (the feed filters and de-duplicates by them):
    // move every id of this database far away from theirs.
    const base = 100_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const sequences = (await first.db.knex.raw(`select sequencename from pg_sequences where schemaname = current_schema()`)).rows as {
      sequencename: string;
    }[];
    for (const { sequencename } of sequences) await first.db.knex.raw('select setval(?::regclass, ?)', [sequencename, base]);
    second = await startInstance(first, { bus: buses[1] });
    probeGoal = (await run('sme', CreateGoalDocument, { input: { title: 'Feed probe', businessQuestion: 'Is the feed live?' } }, first)).createGoal
      .goal.id;
    goal = (await run('sme', CreateGoalDocument, { input: { title: 'Across instances', businessQuestion: 'Does every instance hear it?' } }, first))
      .createGoal.goal.id;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.dispose()));
  });

  afterAll(async () => {
    await Promise.all(opened.splice(0).map((l) => l.dispose()));
    await second?.close();
    await first?.close();
    await Promise.all(buses.map((b) => b.close()));
  });

  it('delivers a mutation on instance A to a subscriber on B and one on A, each exactly once', async () => {
    const onA = live('risk', first);
    const feedA = onA.subscribe({ goalId: goal });
    const onB = live('sme2', second);
    const feedB = onB.subscribe({ goalId: goal });
    await ready([onA, onB]);

    const c = await comment(first, 'said on A');
    for (const feed of [feedA, feedB]) {
      const event = await feed.waitFor('the comment made on A', (e) => e.subject.id === c.id);
      expect(event).toMatchObject({ type: 'COMMENT_ADDED', actor: { id: first.users.scientist.id }, goal: { id: goal } });
    }

    await flushBoth();
    const marker = await comment(second, 'marker on B');
    for (const feed of [feedA, feedB]) {
      await feed.waitFor('the marker', (e) => e.subject.id === marker.id);
      expect(feed.events.map((e) => e.subject.id)).toEqual([c.id, marker.id]);
      expect(feed.errors).toEqual([]);
    }
  });

  it('delivers the events of sequential mutations made alternately on A and B in commit order', async () => {
    const onB = live('risk', second);
    const feedB = onB.subscribe({ goalId: goal });
    const onA = live('sme2', first);
    const feedA = onA.subscribe({ goalId: goal });
    await ready([onB, onA]);

    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await comment(i % 2 ? second : first, `turn ${i}`)).id);
    for (const feed of [feedA, feedB]) {
      await feed.waitFor('the last comment', (e) => e.subject.id === ids.at(-1));
      expect(feed.events.map((e) => e.subject.id)).toEqual(ids);
    }
  });

  it('delivers a burst of 20 mutations on A and 20 on B to subscribers once each, with no loss', async () => {
    const onB = live('risk', second);
    const feedB = onB.subscribe({ goalId: goal });
    const onA = live('mlEngineer', first);
    const feedA = onA.subscribe({ goalId: goal });
    await ready([onB, onA]);

    const burst = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => comment(first, `A ${i}`)),
      ...Array.from({ length: 20 }, (_, i) => comment(second, `B ${i}`)),
    ]);
    const ids = burst.map((c) => c.id);
    expect(new Set(ids).size).toBe(40);
    for (const id of ids) await feedB.waitFor(`comment ${id} on B`, (e) => e.subject.id === id);
    for (const id of ids) await feedA.waitFor(`comment ${id} on A`, (e) => e.subject.id === id);

    await flushBoth();
    const markers = [await comment(first, 'marker on A'), await comment(second, 'marker on B')].map((c) => c.id);
    for (const feed of [feedA, feedB]) {
      for (const id of markers) await feed.waitFor('a marker', (e) => e.subject.id === id);
      const subjects = feed.events.map((e) => e.subject.id);
      expect(subjects.filter((s) => !markers.includes(s)).sort()).toEqual([...ids].sort());
      expect(subjects.filter((s) => markers.includes(s))).toHaveLength(2);
      expect(new Set(feed.events.map((e) => e.id)).size).toBe(42);
    }
    // One channel: every instance hears the events in the same order.
    expect(feedA.events.map((e) => e.id)).toEqual(feedB.events.map((e) => e.id));
    // And the audit trail has each once.
    const trail = (await run('risk', LvEventsDocument, { first: 100, filter: { goalId: goal, types: ['COMMENT_ADDED'] } }, second)).events.nodes;
    expect(
      trail
        .filter((e) => ids.includes(e.subject.id))
        .map((e) => e.subject.id)
        .sort(),
    ).toEqual([...ids].sort());
  });
});
