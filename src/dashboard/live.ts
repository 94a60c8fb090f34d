/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The live feed: the public `lifecycleEvents` subscription over graphql-ws, authenticated in
 * connection_init like any client. It reconnects on its own and tells when it is down and back,
 * so the page can catch up from `events` (a disconnected subscriber misses what happened meanwhile).
 */
import { createClient, type Client } from 'graphql-ws/client';
import {
  DashLifecycleEventsDocument,
  DashNotificationsDocument,
  type DashEventFragment,
  type DashLifecycleEventsSubscription,
  type DashNotificationFragment,
  type DashNotificationsSubscription,
} from './generated/operations';

export type LiveState = 'connecting' | 'live' | 'lost';

export interface LiveHandlers {
  event(event: DashEventFragment): void;
  /** One of the viewer's own notifications, as it is created. */
  notification(notification: DashNotificationFragment): void;
  /** `back` is true when the connection returns after it was lost (time to catch up). */
  state(state: LiveState, back: boolean): void;
  /** The hub closed the socket with 4403: the token may have been revoked. */
  forbidden(): void;
}

/** Backoff between reconnection attempts: quick first, at most 5 s. */
const retryDelay = (retries: number) => Math.min(400 * 2 ** retries, 5_000);

/** Starts the subscription; returns a function that stops it for good. */
export function startLive(token: string, handlers: LiveHandlers): () => void {
  let stopped = false;
  let client: Client | null = null;
  let unsubscribe: (() => void) | null = null;
  let unsubscribeNotifications: (() => void) | null = null;
  let wasLost = false;
  let restartTimer: number | undefined;

  const lost = () => {
    if (stopped) return;
    wasLost = true;
    handlers.state('lost', false);
  };

  const start = () => {
    handlers.state(wasLost ? 'lost' : 'connecting', false);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    client = createClient({
      url,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      onNonLazyError: () => undefined,
      keepAlive: 15_000,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelay(retries))),
      on: {
        connected: () => {
          if (stopped) return;
          handlers.state('live', wasLost);
          wasLost = false;
        },
        closed: (event) => {
          if (stopped) return;
          lost();
          if (event && typeof event === 'object' && (event as CloseEvent).code === 4403) handlers.forbidden();
        },
      },
    });
    unsubscribe = client.subscribe<DashLifecycleEventsSubscription>(
      { query: DashLifecycleEventsDocument.toString() },
      {
        next: (result) => {
          if (!stopped && result.data) handlers.event(result.data.lifecycleEvents);
        },
        // A close the client will not retry (e.g. the server failed): start over with a new client.
        error: () => restart(),
        complete: () => restart(),
      },
    );
    unsubscribeNotifications = client.subscribe<DashNotificationsSubscription>(
      { query: DashNotificationsDocument.toString() },
      {
        next: (result) => {
          if (!stopped && result.data) handlers.notification(result.data.notifications);
        },
        error: () => restart(),
        complete: () => restart(),
      },
    );
  };

  const restart = () => {
    if (stopped) return;
    lost();
    unsubscribe?.();
    unsubscribeNotifications?.();
    void client?.dispose();
    window.clearTimeout(restartTimer);
    restartTimer = window.setTimeout(() => !stopped && start(), 2_000);
  };

  start();
  return () => {
    stopped = true;
    window.clearTimeout(restartTimer);
    unsubscribe?.();
    unsubscribeNotifications?.();
    void client?.dispose();
  };
}
