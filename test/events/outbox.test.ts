import { Domain } from '../../src/domain/domain';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Knex } from '@mikro-orm/knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, type Database } from '../../src/db/orm';
import type { ServiceContext } from '../../src/domain/context';
import { PrincipalKind, Role } from '../../src/domain/enums';
import { goalService } from '../../src/domain/goal/goal.service';
import { toGlobalId } from '../../src/domain/ids';
import { AddCommentDocument, CreateGoalDocument, LvEventsDocument } from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, startInstance, type Person, type TestHub } from '../helpers/hub';
import { Live, ready, type Ev } from '../helpers/live';

/**
 * A second ORM on the hub's database with no server and no relay: a process that commits and then
 * dies before publishing. On PostgreSQL it has its own connection pool. An in-memory SQLite
 * database exists only on the hub's one connection, so there the second ORM (its own entity
 * managers, event manager and identity map) is pointed at that connection.
 */
async function secondOrm(hub: TestHub): Promise<{ db: Database; close(): Promise<void> }> {
  const db = await initOrm({ target: hub.target, poolMax: 4 });
  if (hub.dialect === 'postgresql') return { db, close: () => db.close() };
  const connection = db.orm.em.getConnection() as unknown as { client: Knex };
  const own = connection.client;
  connection.client = hub.db.knex;
  return {
    db,
    close: async () => {
      connection.client = own;
      await db.close();
    },
  };
}

forEachDialect((dialect) => {
  let hub: TestHub;
  let probeGoal: string;
  let other: { db: Database; close(): Promise<void> };
  const opened: Live[] = [];

  function live(who: Person, target: TestHub = hub): Live {
    const l = new Live(target, target.users[who].token, probeGoal);
    opened.push(l);
    return l;
  }

  async function run<T, V>(who: Person, document: TypedDocumentNode<T, V>, variables: V, target: TestHub = hub): Promise<T> {
    return ok(await target.as(who, document, variables));
  }

  /** The service context of the SME, acting through the second ORM (or `db`). */
  function asSme(db: Database = other.db): ServiceContext {
    const sme = hub.users.sme;
    return new Domain(db).as({ id: sme.dbId, name: sme.name, email: 'sme@test.example', roles: [Role.SME], kind: PrincipalKind.PERSON });
  }

  const outboxRows = async (target: TestHub = hub) => Number((await target.db.knex('event_outbox').count({ n: '*' }))[0].n);
  const eventRows = async (summary: string) =>
    Number((await hub.db.knex('lifecycle_events').where('summary', 'like', `%${summary}%`).count({ n: '*' }))[0].n);

  beforeAll(async () => {
    hub = await startHub(dialect, { outboxPollMs: 100 });
    probeGoal = (await run('sme', CreateGoalDocument, { input: { title: 'Feed probe', businessQuestion: 'Is the feed live?' } })).createGoal.goal.id;
    other = await secondOrm(hub);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.dispose()));
  });

  afterAll(async () => {
    await Promise.all(opened.splice(0).map((l) => l.dispose()));
    await other?.close();
    await hub?.close();
  });

  it('delivers a change committed by another connection, which never publishes: the relay finds it by polling', async () => {
    const socket = live('risk');
    const feed = socket.subscribe();
    await ready([socket]);

    const goal = await goalService.create(asSme(), { title: 'Committed elsewhere', businessQuestion: 'Does the relay find it?' });
    const goalId = toGlobalId('Goal', goal.id);
    const event = await feed.waitFor('GOAL_CREATED of the goal committed elsewhere', (e) => e.subject.id === goalId);
    expect(event).toMatchObject({
      type: 'GOAL_CREATED',
      actor: { id: hub.users.sme.id },
      origin: 'API',
      goal: { id: goalId, title: 'Committed elsewhere' },
    });

    // Once: a later marker is the next thing the subscriber gets.
    const marker = (await run('sme', AddCommentDocument, { input: { subjectId: goalId, body: 'marker' } })).addComment.comment;
    await feed.waitFor('the marker', (e) => e.subject.id === marker.id);
    expect(feed.events.map((e) => e.subject.id)).toEqual([goalId, marker.id]);
  });

  it('empties the outbox once the relay has published', async () => {
    const socket = live('risk');
    const feed = socket.subscribe();
    await ready([socket]);

    const elsewhere = [];
    for (let i = 0; i < 5; i++) elsewhere.push(await goalService.create(asSme(), { title: `OBX-E ${i}`, businessQuestion: 'Published?' }));
    const here = [];
    for (let i = 0; i < 5; i++)
      here.push((await run('sme', CreateGoalDocument, { input: { title: `OBX-H ${i}`, businessQuestion: 'Published?' } })).createGoal.goal.id);
    const subjects = [...elsewhere.map((goal) => toGlobalId('Goal', goal.id)), ...here];
    for (const id of subjects) await feed.waitFor(`GOAL_CREATED of ${id}`, (e) => e.subject.id === id);

    // Let the pass that published the last of them finish (it deletes their entries as it commits).
    await hub.server.relay.flush();
    expect(await outboxRows()).toBe(0);
    expect(await eventRows('"OBX-E ')).toBe(5);
    expect(await eventRows('"OBX-H ')).toBe(5);
    expect(new Set(feed.events.map((e) => e.id)).size).toBe(feed.events.length);
    expect(feed.events.map((e) => e.subject.id).sort()).toEqual([...subjects].sort());
  });

  it.each([
    ['another connection', () => other.db],
    ["the hub's own connection", () => hub.db],
  ])('leaves no event and publishes nothing for a change rolled back on %s', async (_where, db) => {
    const socket = live('risk');
    const feed = socket.subscribe();
    await ready([socket]);
    const title = `Rolled back on ${_where}`;

    await expect(
      db()
        .fork()
        .transactional(async (em) => {
          await goalService.create({ ...asSme(db()), em }, { title, businessQuestion: 'Will it stay?' });
          throw new Error('changed my mind');
        }),
    ).rejects.toThrow('changed my mind');

    expect(await eventRows(title)).toBe(0);
    expect(Number((await hub.db.knex('goals').where({ title }).count({ n: '*' }))[0].n)).toBe(0);
    expect(await outboxRows()).toBe(0);

    // Nothing was published: a later commit (on the same connection) is the first thing to arrive.
    const marker = await goalService.create(asSme(db()), { title: `Marker after ${_where}`, businessQuestion: 'Arrives?' });
    const markerId = toGlobalId('Goal', marker.id);
    await feed.waitFor('the marker', (e) => e.subject.id === markerId);
    expect(feed.events.map((e) => e.subject.id)).toEqual([markerId]);
    const trail = (await run('risk', LvEventsDocument, { first: 5 })).events.nodes;
    expect(trail.map((e) => e.goal?.title)).not.toContain(title);
  });

  describe('a relay that never polls', () => {
    // Only commits that recorded events set the relay off here: whatever it publishes, it was kicked.
    let quiet: TestHub;
    let quietProbe: string;
    let looks = 0;
    const liveOnQuiet = () => {
      const l = new Live(quiet, quiet.users.risk.token, quietProbe);
      opened.push(l);
      return l;
    };
    beforeAll(async () => {
      quiet = await startHub(dialect, { outboxPollMs: 3_600_000 });
      quietProbe = (await run('sme', CreateGoalDocument, { input: { title: 'Quiet probe', businessQuestion: 'Live?' } }, quiet)).createGoal.goal.id;
      await quiet.server.relay.flush();
      quiet.db.knex.on('query', (q: { sql: string }) => {
        if (/^select ["`]id["`] from ["`]event_outbox["`]/.test(q.sql)) looks += 1;
      });
    });
    afterAll(async () => {
      await Promise.all(opened.splice(0).map((l) => l.dispose()));
      await quiet?.close();
    });

    it("publishes a write's event without looking in the outbox first, and its own commit sets off no further pass", async () => {
      const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Kicked', businessQuestion: 'At once?' } }, quiet)).createGoal.goal.id;
      const socket = liveOnQuiet();
      const feed = socket.subscribe({ goalId: goal });
      await ready([socket]);
      looks = 0;

      const comment = (await run('sme', AddCommentDocument, { input: { subjectId: goal, body: 'now' } }, quiet)).addComment.comment;
      await feed.waitFor('the comment', (e) => e.subject.id === comment.id);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(looks).toBe(0);
      expect(await outboxRows(quiet)).toBe(0);
    });

    it("publishes at once what a write inside a caller's transaction recorded, once that transaction commits", async () => {
      const socket = liveOnQuiet();
      const feed = socket.subscribe();
      await ready([socket]);
      const goal = await quiet.db
        .fork()
        .transactional((em) =>
          goalService.create({ ...asSme(quiet.db), em }, { title: 'Inside a transaction', businessQuestion: 'Published at commit?' }),
        );
      const goalId = toGlobalId('Goal', goal.id);
      await feed.waitFor('GOAL_CREATED of the goal', (e) => e.subject.id === goalId);
    });
  });

  describe('two relays sharing the outbox', () => {
    if (dialect !== 'postgresql') {
      it.skip('needs PostgreSQL (SQLite serves one instance: an in-memory database cannot be shared)', () => undefined);
      return;
    }

    let second: TestHub;
    beforeAll(async () => {
      second = await startInstance(hub, { outboxPollMs: 100 });
    });
    afterAll(async () => {
      await Promise.all(opened.splice(0).map((l) => l.dispose()));
      await second?.close();
    });

    it('publish every event once in total, and `events` lists each once', async () => {
      const goal = (await run('sme', CreateGoalDocument, { input: { title: 'Shared outbox', businessQuestion: 'Once each?' } })).createGoal.goal.id;
      const onFirst = live('risk', hub);
      const feedFirst = onFirst.subscribe({ goalId: goal });
      const onSecond = live('scientist', second);
      const feedSecond = onSecond.subscribe({ goalId: goal });
      await ready([onFirst, onSecond]);

      // Committed at once through both instances (each kicks its own relay) and the connection
      // with no relay (both relays' polls race for those).
      const commented = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => run('scientist', AddCommentDocument, { input: { subjectId: goal, body: `first ${i}` } }, hub)),
        ...Array.from({ length: 10 }, (_, i) => run('scientist', AddCommentDocument, { input: { subjectId: goal, body: `second ${i}` } }, second)),
      ]);
      const fromOther = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          goalService.update({ ...asSme(), em: other.db.fork() }, { goalId: goal, description: `elsewhere ${i}` }),
        ),
      );
      expect(fromOther).toHaveLength(10);

      const trail = (await run('risk', LvEventsDocument, { first: 100, filter: { goalId: goal } })).events;
      const expected = trail.nodes.filter((e) => e.type !== 'GOAL_CREATED').map((e) => e.id);
      expect(expected).toHaveLength(30);
      expect(new Set(expected).size).toBe(30);
      expect(trail.nodes.map((e) => e.subject.id)).toEqual(expect.arrayContaining(commented.map((c) => c.addComment.comment.id)));
      // Both instances read the same audit trail.
      expect((await run('risk', LvEventsDocument, { first: 100, filter: { goalId: goal } }, second)).events.nodes.map((e) => e.id)).toEqual(
        trail.nodes.map((e) => e.id),
      );

      for (const id of expected) {
        await Promise.any([feedFirst, feedSecond].map((f) => f.waitFor(`event ${id} on either instance`, (e) => e.id === id))).catch(() => {
          throw new Error(`event ${id} reached neither instance (first: ${feedFirst.events.length}, second: ${feedSecond.events.length} events)`);
        });
      }
      // Both relays done: nothing left to publish, so nothing can arrive twice later…
      await Promise.all([hub.server.relay.flush(), second.server.relay.flush()]);
      expect(await outboxRows()).toBe(0);
      // …and whatever was published before has arrived once a marker on each bus has.
      const markers = new Set<string>();
      const isMarker = (e: Ev) => markers.has(e.subject.id);
      for (let attempt = 1; ; attempt++) {
        for (const [feed, target] of [
          [feedFirst, hub],
          [feedSecond, second],
        ] as const) {
          if (!feed.events.some(isMarker))
            markers.add(
              (await run('sme', AddCommentDocument, { input: { subjectId: goal, body: `marker ${attempt}` } }, target)).addComment.comment.id,
            );
        }
        try {
          await Promise.all([feedFirst, feedSecond].map((f) => f.waitFor('a marker', isMarker, 1_000)));
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
        }
      }

      const delivered = [...feedFirst.events, ...feedSecond.events].filter((e) => !isMarker(e)).map((e) => e.id);
      expect([...delivered].sort()).toEqual([...expected].sort());
      // Both relays took part (each instance's commits kick its own relay).
      for (const feed of [feedFirst, feedSecond]) expect(feed.events.filter((e) => !isMarker(e)).length).toBeGreaterThan(0);
      expect(feedFirst.errors).toEqual([]);
      expect(feedSecond.errors).toEqual([]);
    });
  });
});
