/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard's entry point (bundled by src/server/dashboard.ts): sign-in, the hash router
 * (#/goals, #/model/<id>[/<version>], #/models, #/queue, #/inbox), the live feed and the live-connection indicator.
 * Every view is fetched again, in place, when a lifecycle event arrives.
 */
import { ApiError, gql, storedToken, storeToken, whenUnauthenticated } from './api';
import { app, clearNotes, type View } from './app';
import { h, morph, time, words } from './dom';
import { DashEventsDocument, DashUnreadDocument, DashViewerDocument, type DashEventFragment } from './generated/operations';
import { startLive, type LiveState } from './live';
import { goalsView } from './views/goals';
import { inboxView } from './views/inbox';
import { modelView } from './views/model';
import { myModelsView } from './views/my-models';
import { modelLink, roleName } from './views/parts';
import { queueView } from './views/queue';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const INVALID_TOKEN = 'That token is not valid. Check that you pasted all of it, or ask for a new one.';
const FEED_SIZE = 50;
/** Events arriving together (an approval that changes a stage) cause one refresh. */
const REFRESH_DEBOUNCE_MS = 120;
/** How long after (re)connecting the feed and the view catch up from the API. */
const CATCH_UP_DELAY_MS = 400;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyView = View<any>;

interface Current {
  view: AnyView;
  data: unknown;
  loaded: boolean;
  error: ApiError | null;
}

let current: Current | null = null;
let stopLive: (() => void) | null = null;
let refreshTimer: number | undefined;
let liveTimer: number | undefined;
let catchUpTimer: number | undefined;
const feedItems = new Map<string, { event: DashEventFragment; li: HTMLLIElement }>();

// ---------------------------------------------------------------------------------------------
// Views

function route(): AnyView {
  const [name, id, version] = location.hash.replace(/^#\/?/, '').split('/');
  if (name === 'model' && id) return modelView(decodeURIComponent(id), version && /^\d+$/.test(version) ? Number(version) : null);
  if (name === 'queue') return queueView();
  if (name === 'inbox') return inboxView();
  if (name === 'models') return myModelsView();
  return goalsView();
}

function draw(focusId?: string): void {
  if (!current) return;
  const main = byId('main');
  const { view, data, loaded, error } = current;
  if (!loaded) {
    if (!error) return;
    morph(
      main,
      [
        h('h2', { id: 'view-title', tabindex: -1 }, 'This page could not be loaded'),
        h('p', { class: 'note note-error' }, error.message),
        h('p', null, h('a', { href: '#/goals' }, 'Back to the goals')),
      ],
      focusId,
    );
    document.title = 'ModelOps Hub';
    return;
  }
  morph(
    main,
    [error ? h('p', { class: 'note note-error', role: 'alert' }, `Could not refresh this page: ${error.message}`) : null, ...view.build(data)],
    focusId,
  );
  document.title = `${view.title(data)} · ModelOps Hub`;
}

/** The view whose fetch is on its way, and whether another fetch was asked for meanwhile. */
let fetching: Current | null = null;
let fetchAgain = false;

/**
 * Fetches the current view and draws it. One fetch at a time per view: events that arrive while a
 * fetch is on its way cause one more fetch after it, not one each (the API has a rate limit too).
 */
async function load(focusTitle: boolean): Promise<void> {
  const target = current;
  if (!target) return;
  if (fetching === target) {
    fetchAgain = true;
    return;
  }
  fetching = target;
  fetchAgain = false;
  byId('main').setAttribute('aria-busy', 'true');
  try {
    target.data = await target.view.fetch();
    target.loaded = true;
    target.error = null;
  } catch (err) {
    target.error = err instanceof ApiError ? err : new ApiError(String(err), 'ERROR');
  } finally {
    if (fetching === target) fetching = null;
  }
  if (target !== current || !app.viewer) return;
  byId('main').removeAttribute('aria-busy');
  draw(focusTitle ? 'view-title' : undefined);
  if (fetchAgain) {
    fetchAgain = false;
    void load(false);
  }
}

function navigate(): void {
  if (!app.viewer) return;
  const view = route();
  current = { view, data: undefined, loaded: false, error: null };
  fetchAgain = false;
  clearNotes();
  const section = view.key.split('/')[0];
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  byId('main').replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  void load(true);
}

function scheduleRefresh(): void {
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => void load(false), REFRESH_DEBOUNCE_MS);
}

app.setUnread = (count) => {
  const bell = byId('bell');
  const badge = byId('bell-count');
  badge.textContent = String(count);
  badge.dataset.count = String(count);
  bell.setAttribute('aria-label', `Notifications, ${count ? `${count} unread` : 'none unread'}`);
};

/** Asks the API for the unread count (after a notification arrives, or on catching up). */
async function refreshBell(): Promise<void> {
  try {
    app.setUnread((await gql(DashUnreadDocument, {})).viewer.unreadNotificationCount);
  } catch {
    // The status line already says what is wrong; the next notification or reconnect tries again.
  }
}

app.refresh = () => load(false);
app.rerender = (focusId) => draw(focusId);
let flashTimer: number | undefined;
app.announce = (text) => {
  const el = byId('announcer');
  el.textContent = '';
  window.clearTimeout(flashTimer);
  window.setTimeout(() => (el.textContent = text), 30);
  flashTimer = window.setTimeout(() => (el.textContent = ''), 10_000);
};

// ---------------------------------------------------------------------------------------------
// The live feed

function feedItem(event: DashEventFragment, fresh: boolean): HTMLLIElement {
  return h(
    'li',
    { class: `event${fresh ? ' fresh' : ''}`, 'data-event': event.id, 'data-type': event.type },
    h('p', { class: 'event-summary' }, event.summary),
    h(
      'p',
      { class: 'meta' },
      time(event.occurredAt, true),
      event.model ? [' · ', modelLink(event.model, event.modelVersion?.version)] : null,
      event.origin !== 'API' ? ` · via ${words(event.origin)}` : '',
    ),
  );
}

/** Adds events to the feed, newest first, each once (the live feed and the catch-up overlap). */
function addToFeed(events: DashEventFragment[], fresh: boolean): void {
  const list = byId('feed');
  for (const event of events) {
    if (feedItems.has(event.id)) continue;
    const li = feedItem(event, fresh);
    const at = Date.parse(event.occurredAt);
    const older = [...feedItems.values()]
      .filter((f) => Date.parse(f.event.occurredAt) < at)
      .sort((a, b) => Date.parse(b.event.occurredAt) - Date.parse(a.event.occurredAt))[0];
    list.insertBefore(li, older ? older.li : null);
    feedItems.set(event.id, { event, li });
  }
  const ordered = [...feedItems.values()].sort((a, b) => Date.parse(b.event.occurredAt) - Date.parse(a.event.occurredAt));
  for (const old of ordered.slice(FEED_SIZE)) {
    old.li.remove();
    feedItems.delete(old.event.id);
  }
  if (!feedItems.size && !list.querySelector('.empty')) list.append(h('li', { class: 'empty' }, 'Nothing has happened yet.'));
  else if (feedItems.size) list.querySelector('.empty')?.remove();
}

async function catchUp(): Promise<void> {
  const list = byId('feed');
  list.setAttribute('aria-busy', 'true');
  try {
    const { events } = await gql(DashEventsDocument, { first: FEED_SIZE });
    addToFeed(events.nodes, feedItems.size > 0);
  } catch {
    // The status line already says what is wrong; the next event or reconnect tries again.
  } finally {
    list.removeAttribute('aria-busy');
  }
}

function setLive(state: LiveState, back: boolean): void {
  const el = byId('live-status');
  window.clearTimeout(liveTimer);
  el.dataset.state = state;
  if (state === 'live') {
    el.textContent = back ? 'Live again: catching up…' : 'Live';
    // Catch up with what happened while there was no subscription: the socket is acknowledged a
    // moment before the hub has registered the subscription itself, hence the short delay.
    window.clearTimeout(catchUpTimer);
    catchUpTimer = window.setTimeout(async () => {
      await Promise.all([catchUp(), refreshBell(), back ? load(false) : undefined]);
      if (!back || el.dataset.state !== 'live') return;
      el.textContent = 'Live again: caught up';
      liveTimer = window.setTimeout(() => (el.textContent = 'Live'), 6_000);
    }, CATCH_UP_DELAY_MS);
  } else if (state === 'lost') {
    el.textContent = 'Live connection lost: reconnecting…';
  } else {
    el.textContent = 'Connecting to the live feed…';
  }
}

// ---------------------------------------------------------------------------------------------
// Signing in and out

function showSignIn(message: string, kind: 'error' | 'ok' = 'error'): void {
  window.clearTimeout(catchUpTimer);
  window.clearTimeout(liveTimer);
  stopLive?.();
  stopLive = null;
  app.viewer = null;
  current = null;
  feedItems.clear();
  byId('feed').replaceChildren();
  byId('main').replaceChildren();
  byId('app-view').hidden = true;
  byId('signin-view').hidden = false;
  const note = byId('signin-message');
  note.textContent = message;
  note.className = message ? `note note-${kind}` : 'note';
  document.title = 'Sign in · ModelOps Hub';
  const input = byId<HTMLInputElement>('token');
  input.value = '';
  input.setAttribute('aria-invalid', String(kind === 'error' && Boolean(message)));
  input.focus();
}

function signOut(message = 'You are signed out. The token was removed from this browser tab.', kind: 'error' | 'ok' = 'ok'): void {
  storeToken(null);
  showSignIn(message, kind);
}

function showApp(): void {
  const viewer = app.viewer!;
  byId('signin-view').hidden = true;
  byId('app-view').hidden = false;
  byId('who').textContent = `${viewer.name} (${viewer.roles.map(roleName).join(', ')})`;
  byId('feed').replaceChildren();
  stopLive = startLive(storedToken()!, {
    event: (event) => {
      addToFeed([event], true);
      scheduleRefresh();
    },
    notification: (notification) => {
      app.announce(`New notification: ${notification.event.summary}`);
      void refreshBell();
      if (current?.view.key === 'inbox') scheduleRefresh();
    },
    state: setLive,
    // A 4403 close: the token may have been revoked. Asking the API settles it (UNAUTHENTICATED signs out).
    forbidden: () => void gql(DashViewerDocument, {}).catch(() => undefined),
  });
  void catchUp();
  if (!location.hash.startsWith('#/')) history.replaceState(null, '', '#/goals');
  navigate();
}

async function signIn(token: string, fromForm: boolean): Promise<void> {
  try {
    const { viewer } = await gql(DashViewerDocument, {}, token);
    storeToken(token);
    app.viewer = viewer;
    showApp();
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError(String(err), 'ERROR');
    if (error.code === 'UNAUTHENTICATED') signOut(INVALID_TOKEN, 'error');
    else if (fromForm) showSignIn(error.message);
    else showSignIn(`${error.message} Sign in again when the hub is back.`);
  }
}

whenUnauthenticated(() => {
  if (app.viewer) signOut(INVALID_TOKEN, 'error');
});

function boot(): void {
  byId('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId<HTMLInputElement>('token').value.trim();
    if (!token) {
      showSignIn('Paste your token first.');
      return;
    }
    const note = byId('signin-message');
    note.className = 'note';
    note.textContent = 'Signing in…';
    void signIn(token, true);
  });
  byId('sign-out').addEventListener('click', () => signOut());
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    const target = app.viewer ? byId('main') : byId('token');
    target.focus();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === '' || location.hash.startsWith('#/')) navigate();
  });
  const token = storedToken();
  if (token) void signIn(token, false);
  else showSignIn('');
}

boot();
