import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventBus } from '../../src/events/bus';
import { createRedisBus } from '../../src/events/redis-bus';
import {
  LvAddCommentDocument,
  LvCreateGoalDocument,
  LvEventsDocument,
  LvLifecycleEventsDocument,
  type EventFilter,
  type LvEventFragment,
  type LvLifecycleEventsSubscription,
} from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { PG_URL, REDIS_URL } from '../helpers/db';
import { startHub, startInstance, type Person, type TestHub } from '../helpers/hub';

// ---------------------------------------------------------------------------------------------
// The live feed over a real WebSocket: one graphql-ws client per person, any number of
// subscriptions on it, each collecting what arrives. Nothing here sleeps: waits are on promises
// with bounded timeouts, and absence is proven with a later marker event.
// ---------------------------------------------------------------------------------------------

type Ev = LvEventFragment;
const LIVE_QUERY = print(LvLifecycleEventsDocument);
const WAIT_MS = 5_000;

/** Rejects after `ms`, naming what did not happen. */
function within<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Feed {
  /** What arrived, in order (probe events of the readiness check left out). */
  readonly events: Ev[];
  /** Results that came with GraphQL errors instead of an event. */
  readonly errors: unknown[];
  /** Settles when the subscription ends: with the socket's CloseEvent or an error, or 'complete'. */
  readonly ended: Promise<unknown>;
  /** The first event (already received or still to come) that matches. */
  waitFor(what: string, match: (e: Ev) => boolean, ms?: number): Promise<Ev>;
  clear(): void;
  stop(): void;
}

function openFeed(client: Client, filter: EventFilter | undefined, drop: (e: Ev) => boolean): Feed {
  const events: Ev[] = [];
  const errors: unknown[] = [];
  let waiters: { match: (e: Ev) => boolean; resolve: (e: Ev) => void }[] = [];
  let end!: (reason: unknown) => void;
  const ended = new Promise<unknown>((resolve) => (end = resolve));
  const stop = client.subscribe<LvLifecycleEventsSubscription>(
    { query: LIVE_QUERY, variables: filter ? { filter } : {} },
    {
      next: (result) => {
        if (result.errors?.length || !result.data) {
          errors.push(result.errors ?? result);
          return;
        }
        const event = result.data.lifecycleEvents;
        if (drop(event)) return;
        events.push(event);
        waiters = waiters.filter((w) => {
          if (!w.match(event)) return true;
          w.resolve(event);
          return false;
        });
      },
      error: (err) => end(err),
      complete: () => end('complete'),
    },
  );
  return {
    events,
    errors,
    ended,
    waitFor(what, match, ms = WAIT_MS) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return within(
        new Promise<Ev>((resolve) => waiters.push({ match, resolve })),
        ms,
        () => `${what} (received so far: ${events.map((e) => e.type).join(', ') || 'nothing'}; errors: ${JSON.stringify(errors)})`,
      );
    },
    clear: () => void events.splice(0),
    stop,
  };
}

/** One person's WebSocket to a hub (opened with the first subscription). */
class Live {
  readonly client: Client;
  /** Settles once the server has acknowledged connection_init. */
  readonly connected: Promise<void>;
  private readonly feeds: Feed[] = [];

  constructor(
    readonly hub: TestHub,
    token: string | null,
    /** The goal whose comments the readiness check uses; their events are left out of every feed. */
    readonly probeGoalId: string,
  ) {
    this.client = createClient({
      url: hub.server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
    });
    this.connected = new Promise((resolve) => this.client.on('connected', () => resolve()));
  }

  subscribe(filter?: EventFilter, keepProbes = false): Feed {
    const feed = openFeed(this.client, filter, (e) => !keepProbes && e.goal?.id === this.probeGoalId);
    this.feeds.push(feed);
    return feed;
  }

  clear(): void {
    for (const f of this.feeds) f.clear();
  }

  async dispose(): Promise<void> {
    for (const f of this.feeds) f.stop();
    await this.client.dispose();
  }
}

/**
 * Resolves once every subscription opened so far on these sockets listens: each socket gets one
 * more subscription (on its probe goal), and probe comments are committed, through the hub of each
 * socket not reached yet, until each of those has received one. The server sets a socket's
 * subscriptions up in the order they were sent, so the earlier ones listen too. What arrived
 * before is then cleared: it was committed before the test began.
 */
async function ready(lives: Live[]): Promise<void> {
  const sentinels = lives.map((l) => l.subscribe({ goalId: l.probeGoalId }, true));
  const probes = new Set<string>();
  const isProbe = (e: Ev) => probes.has(e.subject.id);
  await within(Promise.all(lives.map((l) => l.connected)), WAIT_MS, 'the sockets to be acknowledged');
  try {
    for (const [attempt, ms] of [300, 1_000, 2_000, 3_000].entries()) {
      const behind = lives.filter((_, i) => !sentinels[i].events.some(isProbe));
      for (const l of new Map(behind.map((b) => [b.hub, b])).values()) {
        const probe = ok(await l.hub.as('sme', LvAddCommentDocument, { input: { subjectId: l.probeGoalId, body: `probe ${attempt}` } }));
        probes.add(probe.addComment.comment.id);
      }
      try {
        await Promise.all(sentinels.map((s) => s.waitFor('a probe event', isProbe, ms)));
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
  } finally {
    for (const s of sentinels) s.stop();
  }
  for (const l of lives) l.clear();
}

// ---------------------------------------------------------------------------------------------

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
    (await run('scientist', LvAddCommentDocument, { input: { subjectId: goal, body } }, target)).addComment.comment;

  /** Both relays have published all they took: nothing committed so far can be published again. */
  const flushBoth = () => Promise.all([first.server.relay.flush(), second.server.relay.flush()]);

  beforeAll(async () => {
    buses.push(await createRedisBus(REDIS_URL!), await createRedisBus(REDIS_URL!));
    first = await startHub('postgresql', { bus: buses[0] });
    // Other hubs (other test files, on other databases) may publish on the same Redis channel, and
    // their numeric ids would match this database's (the feed filters and de-duplicates by them):
    // move every id of this database far away from theirs.
    const base = 100_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const sequences = (await first.db.knex.raw(`select sequencename from pg_sequences where schemaname = current_schema()`)).rows as { sequencename: string }[];
    for (const { sequencename } of sequences) await first.db.knex.raw('select setval(?::regclass, ?)', [sequencename, base]);
    second = await startInstance(first, { bus: buses[1] });
    probeGoal = (await run('sme', LvCreateGoalDocument, { input: { title: 'Feed probe', businessQuestion: 'Is the feed live?' } }, first)).createGoal.goal.id;
    goal = (await run('sme', LvCreateGoalDocument, { input: { title: 'Across instances', businessQuestion: 'Does every instance hear it?' } }, first)).createGoal.goal.id;
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
    expect(trail.filter((e) => ids.includes(e.subject.id)).map((e) => e.subject.id).sort()).toEqual([...ids].sort());
  });
});
