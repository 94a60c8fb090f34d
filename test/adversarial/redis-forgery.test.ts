/**
 * Whoever can publish on the hub's Redis channel must not be able to inject lifecycle events: the
 * channel carries only event ids, and each instance reads the events from the database. Forged
 * messages (a whole fake event as JSON, an id no event has, garbage) are published straight onto
 * the channel while a subscriber listens: none is delivered, and none moves the position a replay
 * after a Redis reconnect starts from. The hub reaches Redis through a local TCP relay, so that the
 * test can cut its connections without touching other clients of the same Redis.
 */
import net from 'node:net';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/domain/ids';
import type { EventBus } from '../../src/events/bus';
import { eventSource, lastEventId } from '../../src/events/outbox-relay';
import { createRedisBus, type EventSource } from '../../src/events/redis-bus';
import { AddCommentDocument, CreateGoalDocument } from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { PG_URL, REDIS_URL } from '../helpers/db';
import { busEvent } from '../helpers/events';
import { startHub, type TestHub } from '../helpers/hub';
import { Live, ready } from '../helpers/live';
import { until } from '../helpers/wait';

const missing = !PG_URL ? 'TEST_DATABASE_URL is not set' : !REDIS_URL ? 'TEST_REDIS_URL is not set' : undefined;
const CHANNEL = `modelops-forgery-${process.pid}-${Date.now()}`;
/** Far beyond any id this test's database hands out. */
const FORGED_ID = 2_000_000_000;

/** A TCP relay to Redis whose open connections the test can cut. */
async function relayTo(target: URL): Promise<{ url: string; cut: () => void; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(target.href);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.href,
    cut: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(missing !== undefined)(`forged messages on the Redis channel${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let hub: TestHub;
  let bus: EventBus;
  let relay: Awaited<ReturnType<typeof relayTo>>;
  let forger: Redis;
  /** Where each replay after a reconnect started. */
  const replayedFrom: number[] = [];

  beforeAll(async () => {
    relay = await relayTo(new URL(REDIS_URL!));
    const events = eventSource(() => hub.domain);
    const recording: EventSource = {
      byIds: events.byIds,
      after: (afterId) => {
        replayedFrom.push(afterId);
        return events.after(afterId);
      },
    };
    bus = await createRedisBus(relay.url, { events: recording, channel: CHANNEL });
    hub = await startHub('postgresql', { bus });
    forger = new Redis(REDIS_URL!);
  });

  afterAll(async () => {
    forger?.disconnect();
    await hub?.close();
    await bus?.close();
    await relay?.close();
  });

  it('delivers no forged event and replays from the last real one after a reconnect', async () => {
    const goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Forgery target', businessQuestion: 'Can Redis lie?' } })).createGoal
      .goal.id;
    const probeGoalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Feed probe', businessQuestion: 'Is the feed live?' } }))
      .createGoal.goal.id;
    const live = new Live(hub, hub.users.risk.token, probeGoalId);
    try {
      const feed = live.subscribe();
      await ready([live]);

      const goalDbId = fromGlobalId(goalId)!.id;
      const fake = { ...busEvent(FORGED_ID, 'FORGED: the model was approved'), goalId: goalDbId, subjectId: goalDbId };
      for (const message of [JSON.stringify(fake), String(FORGED_ID + 1), '-5', '99999999999', '1e3', '[]', 'not json', '0x10', ' 1']) {
        await forger.publish(CHANNEL, message);
      }
      const real = ok(await hub.as('scientist', AddCommentDocument, { input: { subjectId: goalId, body: 'a real comment' } })).addComment.comment;
      await feed.waitFor('the real comment', (e) => e.subject.id === real.id);

      expect(feed.events.map((e) => e.summary)).not.toContain(fake.summary);
      expect(feed.events.map((e) => e.subject.id)).toEqual([real.id]);
      const lastReal = await lastEventId(hub.domain);

      // A reconnect replays from the last event actually delivered, not from a forged id.
      relay.cut();
      await until(() => replayedFrom.length > 0, 'a replay after the reconnect');
      expect(replayedFrom).toEqual([lastReal]);

      const after = ok(await hub.as('scientist', AddCommentDocument, { input: { subjectId: goalId, body: 'after the reconnect' } })).addComment
        .comment;
      await feed.waitFor('the comment after the reconnect', (e) => e.subject.id === after.id);
      expect(feed.events.map((e) => e.subject.id)).toEqual([real.id, after.id]);
      expect(feed.errors).toEqual([]);
    } finally {
      await live.dispose();
    }
  }, 60_000);
});
