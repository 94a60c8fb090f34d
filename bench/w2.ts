/**
 * W2, fan-out: many graphql-ws subscribers on `lifecycleEvents` (the dashboard's live-feed selection),
 * spread over one or more hub instances; comments are added one at a time (alternating between the
 * instances) and each subscriber's receipt is timed from the moment the mutation was sent: the
 * whole path (commit, outbox, bus, execution, socket). Timed from the mutation's HTTP response
 * instead (`from_response`), a hub that fanned out before answering looked faster than one that
 * answers first. An event a ready subscriber never receives is lost.
 */
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gql, reason, round, sleep, summarize } from './lib';

const SUBSCRIPTION = `subscription ($filter: EventFilter) { lifecycleEvents(filter: $filter) {
  id type occurredAt summary origin actor { id name } goal { id title } model { id name } modelVersion { id version } } }`;

export interface FanoutResult {
  /** From the mutation's request to receipt. */
  p50_ms: number;
  p99_ms: number;
  /** From the mutation's HTTP response to receipt (negative: received before the response). */
  from_response: { p50_ms: number; p99_ms: number };
  lost: number;
  subscribers: number;
  instances: number;
  /** Subscribers that received the warm-up event (the others never got their subscription running). */
  ready: number;
  events: number;
  expected: number;
  received: number;
  duplicates: number;
  connect_s: number;
  subscriber_errors: number;
  first_error?: string;
}

export interface FanoutOptions {
  /** One entry per hub instance: its HTTP /graphql URL (the WebSocket URL is the same path). */
  urls: string[];
  token: string;
  subscribers: number;
  /** Mutations whose events are timed. */
  events: number;
  /** A Model ID to comment on. */
  modelId: string;
  /** How long to wait for every subscriber to get one event before the next mutation (default 15 s). */
  perEventTimeoutMs?: number;
  /** The subscription's filter (default: COMMENT_ADDED events of `modelId`). */
  filter?: Record<string, unknown>;
  /** How long to wait for every subscription to be running, i.e. to deliver a warm-up event (default 30 s). */
  warmUpTimeoutMs?: number;
}

export async function fanout(options: FanoutOptions): Promise<FanoutResult> {
  const { urls, token, subscribers, events, modelId } = options;
  const perEventTimeoutMs = options.perEventTimeoutMs ?? 15_000;
  const nonce = randomBytes(4).toString('hex');
  /** receipts.get(marker) = receipt time (performance.now()) of each subscriber that got it. */
  const receipts = new Map<string, Map<number, number>>();
  let duplicates = 0;
  let subscriberErrors = 0;
  let firstError: string | undefined;
  const waiters = new Map<string, () => void>();
  const clients: Client[] = [];
  const onEvent = (index: number, summary: string) => {
    const at = performance.now();
    const marker = /fanout ([\w-]+)/.exec(summary)?.[1];
    if (!marker) return;
    let got = receipts.get(marker);
    if (!got) receipts.set(marker, (got = new Map()));
    if (got.has(index)) duplicates += 1;
    else got.set(index, at);
    if (got.size >= expectedPerEvent) waiters.get(marker)?.();
  };
  let expectedPerEvent = subscribers;

  const started = performance.now();
  const connected: Promise<void>[] = [];
  const batch = 250;
  for (let i = 0; i < subscribers; i++) {
    const url = urls[i % urls.length].replace(/^http/, 'ws');
    let resolveConnected!: () => void;
    connected.push(new Promise<void>((resolve) => (resolveConnected = resolve)));
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      keepAlive: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { connected: () => resolveConnected(), closed: () => resolveConnected() },
    });
    clients.push(client);
    client.subscribe<{ lifecycleEvents: { summary: string } }>(
      { query: SUBSCRIPTION, variables: { filter: options.filter ?? { types: ['COMMENT_ADDED'], modelId } } },
      {
        next: (msg) => (msg.data ? onEvent(i, msg.data.lifecycleEvents.summary) : undefined),
        error: (err) => {
          subscriberErrors += 1;
          firstError ??= reason(Array.isArray(err) ? err[0]?.message : err instanceof Error ? err : ((err as { reason?: string }).reason ?? err));
        },
        complete: () => undefined,
      },
    );
    if ((i + 1) % batch === 0) await Promise.all(connected.slice(i + 1 - batch, i + 1));
  }
  await Promise.all(connected);
  const connectS = (performance.now() - started) / 1000;

  const requestAt = new Map<string, number>();
  const responseAt = new Map<string, number>();
  const mutate = async (k: string, url: string, timeoutMs: number) => {
    const marker = `${nonce}-${k}`;
    const done = new Promise<void>((resolve) => {
      waiters.set(marker, resolve);
      setTimeout(resolve, timeoutMs);
    });
    requestAt.set(marker, performance.now());
    await gql(url, token, 'mutation ($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }', {
      input: { subjectId: modelId, body: `fanout ${marker}: the benchmark's comment ${k}` },
    });
    responseAt.set(marker, performance.now());
    await done;
    waiters.delete(marker);
    return marker;
  };

  try {
    // Warm-up: a subscription is running once its subscriber got an event; wait for all (bounded).
    const warm = await mutate('warm', urls[0], options.warmUpTimeoutMs ?? 30_000);
    const ready = new Set(receipts.get(warm)?.keys() ?? []);
    expectedPerEvent = ready.size;
    const markers: string[] = [];
    for (let k = 0; k < events; k++) markers.push(await mutate(String(k), urls[k % urls.length], perEventTimeoutMs));
    // Late deliveries still count: wait (bounded) until every ready subscriber has every event.
    const deadline = performance.now() + perEventTimeoutMs;
    while (performance.now() < deadline && markers.some((m) => (receipts.get(m)?.size ?? 0) < ready.size)) await sleep(50);
    const latencies: number[] = [];
    const afterResponse: number[] = [];
    let received = 0;
    for (const marker of markers) {
      for (const [index, at] of receipts.get(marker) ?? []) {
        if (!ready.has(index)) continue;
        received += 1;
        latencies.push(at - requestAt.get(marker)!);
        afterResponse.push(at - responseAt.get(marker)!);
      }
    }
    const expected = ready.size * events;
    const latency = summarize(latencies);
    const fromResponse = summarize(afterResponse);
    return {
      p50_ms: latency.p50_ms,
      p99_ms: latency.p99_ms,
      from_response: { p50_ms: fromResponse.p50_ms, p99_ms: fromResponse.p99_ms },
      lost: expected - received,
      subscribers,
      instances: urls.length,
      ready: ready.size,
      events,
      expected,
      received,
      duplicates,
      connect_s: round(connectS, 1),
      subscriber_errors: subscriberErrors,
      ...(firstError ? { first_error: firstError } : {}),
    };
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
}
