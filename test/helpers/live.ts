import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  AddCommentDocument,
  LvLifecycleEventsDocument,
  type EventFilter,
  type LvEventFragment,
  type LvLifecycleEventsSubscription,
} from '../../src/generated/operations';
import { ok } from './client';
import type { TestHub } from './hub';
import { within } from './wait';

// ---------------------------------------------------------------------------------------------
// The live feed over a real WebSocket: one graphql-ws client per person, any number of
// subscriptions on it, each collecting what arrives. Nothing here sleeps: waits are on promises
// with bounded timeouts, and absence is proven with a later marker event.
// ---------------------------------------------------------------------------------------------

export type Ev = LvEventFragment;
const LIVE_QUERY = print(LvLifecycleEventsDocument);
export const WAIT_MS = 5_000;

export interface Feed {
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
export class Live {
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
export async function ready(lives: Live[]): Promise<void> {
  const sentinels = lives.map((l) => l.subscribe({ goalId: l.probeGoalId }, true));
  const probes = new Set<string>();
  const isProbe = (e: Ev) => probes.has(e.subject.id);
  await within(Promise.all(lives.map((l) => l.connected)), WAIT_MS, 'the sockets to be acknowledged');
  try {
    for (const [attempt, ms] of [300, 1_000, 2_000, 3_000].entries()) {
      const behind = lives.filter((_, i) => !sentinels[i].events.some(isProbe));
      for (const l of new Map(behind.map((b) => [b.hub, b])).values()) {
        const probe = ok(await l.hub.as('sme', AddCommentDocument, { input: { subjectId: l.probeGoalId, body: `probe ${attempt}` } }));
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
