import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The hub's one metrics registry, served as Prometheus text at `/metrics` (README "Metrics"). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Client-chosen label values (operation names) beyond this many distinct ones count as `other`. */
const MAX_LABEL_VALUES = 200;

/** Keeps a label's distinct values bounded, so that a client inventing names cannot grow the registry without end. */
export function boundedLabel(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= MAX_LABEL_VALUES) return 'other';
    seen.add(value);
    return value;
  };
}

export const httpRequests = new Counter({
  name: 'hub_http_requests_total',
  help: 'HTTP requests answered, by route and status.',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});
export const graphqlOperations = new Counter({
  name: 'hub_graphql_operations_total',
  help: 'GraphQL operations over HTTP and WebSocket, by operation name, type and outcome (ok or the first error code).',
  labelNames: ['operation', 'type', 'outcome'] as const,
  registers: [registry],
});
export const graphqlDuration = new Histogram({
  name: 'hub_graphql_operation_duration_seconds',
  help: 'Time to answer a GraphQL query or mutation, by operation name and type.',
  labelNames: ['operation', 'type'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
export const graphqlCost = new Histogram({
  name: 'hub_graphql_operation_cost',
  help: 'Cost points of GraphQL operations (README "Limits"), by operation name.',
  labelNames: ['operation'] as const,
  buckets: [1, 10, 100, 1_000, 10_000, 100_000],
  registers: [registry],
});
export const rateLimited = new Counter({
  name: 'hub_rate_limited_total',
  help: 'Operations refused because their token spent its points for the minute.',
  registers: [registry],
});
export const graphqlExecutions = new Gauge({
  name: 'hub_graphql_executions',
  help: 'GraphQL operations over HTTP executing, and waiting for a slot (MAX_CONCURRENT_EXECUTIONS), by state (running, queued).',
  labelNames: ['state'] as const,
  registers: [registry],
});
export const executionsSkipped = new Counter({
  name: 'hub_graphql_executions_skipped_total',
  help: 'Queries over HTTP not executed because their client closed its connection while they waited for a slot.',
  registers: [registry],
});
export const wsConnections = new Gauge({ name: 'hub_ws_connections', help: 'Open WebSocket connections (authenticated).', registers: [registry] });
export const wsSubscriptions = new Gauge({ name: 'hub_ws_subscriptions', help: 'Active subscriptions over WebSocket.', registers: [registry] });
export const eventsRecorded = new Counter({
  name: 'hub_events_recorded_total',
  help: 'Lifecycle events committed, by type.',
  labelNames: ['type'] as const,
  registers: [registry],
});
export const eventsPublished = new Counter({
  name: 'hub_events_published_total',
  help: 'Lifecycle events relayed from the outbox to the bus (in-process or Redis), towards subscribers.',
  registers: [registry],
});
export const backgroundErrors = new Counter({
  name: 'hub_background_errors_total',
  help: 'Errors caught in background work (bus listeners, Redis callbacks, timers, delivery workers), by where; none ends the process.',
  labelNames: ['where'] as const,
  registers: [registry],
});
export const deliveries = new Counter({
  name: 'hub_deliveries_total',
  help: 'Outbound delivery attempts, by channel (slack) and outcome (sent, retry, failed).',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

/** Numbers read from the database (or the pool) when Prometheus scrapes; one source per running server. */
export interface ScrapeSource {
  outbox(): Promise<{ depth: number; oldestAgeSeconds: number }>;
  deliveryQueue(): Promise<{ pending: number; oldestAgeSeconds: number }>;
  pool(): { used: number; free: number; pending: number } | null;
}

const sources = new Set<ScrapeSource>();

/** Adds what a running server reports at scrape time; returns how to take it away again. */
export function addScrapeSource(source: ScrapeSource): () => void {
  sources.add(source);
  return () => void sources.delete(source);
}

async function sum<T extends Record<string, number>>(
  read: (s: ScrapeSource) => Promise<T | null> | T | null,
  keys: (keyof T)[],
  max: (keyof T)[] = [],
): Promise<T> {
  const total = Object.fromEntries(keys.map((k) => [k, 0])) as T;
  const values = await Promise.all([...sources].map((s) => Promise.resolve(read(s)).catch(() => null)));
  for (const value of values) {
    if (!value) continue;
    for (const k of keys) (total[k] as number) = max.includes(k) ? Math.max(total[k], value[k]) : total[k] + value[k];
  }
  return total;
}

new Gauge({
  name: 'hub_outbox_depth',
  help: 'Committed events not yet relayed to the bus.',
  registers: [registry],
  async collect() {
    this.set((await sum((s) => s.outbox(), ['depth', 'oldestAgeSeconds'], ['oldestAgeSeconds'])).depth);
  },
});
new Gauge({
  name: 'hub_outbox_oldest_age_seconds',
  help: 'Age of the oldest event waiting in the outbox (0 when empty).',
  registers: [registry],
  async collect() {
    this.set((await sum((s) => s.outbox(), ['depth', 'oldestAgeSeconds'], ['oldestAgeSeconds'])).oldestAgeSeconds);
  },
});
new Gauge({
  name: 'hub_delivery_queue_depth',
  help: 'Outbound messages waiting to be sent, by channel (slack).',
  labelNames: ['channel'] as const,
  registers: [registry],
  async collect() {
    this.set({ channel: 'slack' }, (await sum((s) => s.deliveryQueue(), ['pending', 'oldestAgeSeconds'], ['oldestAgeSeconds'])).pending);
  },
});
new Gauge({
  name: 'hub_delivery_queue_oldest_age_seconds',
  help: 'Age of the oldest outbound message waiting (0 when none), by channel.',
  labelNames: ['channel'] as const,
  registers: [registry],
  async collect() {
    this.set({ channel: 'slack' }, (await sum((s) => s.deliveryQueue(), ['pending', 'oldestAgeSeconds'], ['oldestAgeSeconds'])).oldestAgeSeconds);
  },
});
new Gauge({
  name: 'hub_db_pool_connections',
  help: 'Database pool connections, by state (used, free, pending: requests waiting for one).',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    const pool = await sum((s) => s.pool(), ['used', 'free', 'pending']);
    for (const state of ['used', 'free', 'pending'] as const) this.set({ state }, pool[state]);
  },
});
