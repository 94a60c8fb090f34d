/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Notifications: what mentioned me, asked me, or touched what I own or follow, newest first, with
 * the unread ones marked; reading the list does not mark them, the button does.
 */
import { gql } from '../api';
import { act, app, isBusy, note, type View } from '../app';
import { h, time, words } from '../dom';
import { DashInboxDocument, DashMarkNotificationsReadDocument, type DashInboxQuery } from '../generated/operations';
import { modelLink } from './parts';

export function inboxView(): View<DashInboxQuery> {
  return {
    key: 'inbox',
    fetch: () => gql(DashInboxDocument, {}),
    title: () => 'Notifications',
    build(data) {
      const { notifications, unreadNotificationCount: unread } = data.viewer;
      app.setUnread(unread);
      return [
        h('h2', { id: 'view-title', tabindex: -1 }, 'Notifications'),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'inbox-list' },
          h('h3', { id: 'inbox-list' }, `${unread} unread of ${notifications.totalCount}`),
          unread
            ? h(
                'button',
                {
                  type: 'button',
                  id: 'mark-read',
                  disabled: isBusy('inbox'),
                  onclick: () =>
                    act('inbox', async () => {
                      const { markNotificationsRead } = await gql(DashMarkNotificationsReadDocument, { input: {} });
                      app.setUnread(markNotificationsRead.unreadNotificationCount);
                      return 'Marked all notifications read.';
                    }),
                },
                'Mark all read',
              )
            : null,
          note('inbox'),
          notifications.nodes.length
            ? h(
                'ol',
                { class: 'notifications' },
                notifications.nodes.map((n) =>
                  h(
                    'li',
                    { class: `notification${n.read ? '' : ' unread'}`, 'data-notification': n.id },
                    h('p', { class: 'meta' }, h('strong', null, words(n.reason)), n.read ? '' : ' · unread'),
                    h('p', null, n.event.summary),
                    h(
                      'p',
                      { class: 'meta' },
                      time(n.event.occurredAt, true),
                      n.event.model ? [' · ', modelLink(n.event.model, n.event.modelVersion?.version)] : null,
                    ),
                  ),
                ),
              )
            : h('p', { class: 'empty' }, 'Nothing for you yet: mentions, questions on what you own and news of what you follow arrive here.'),
        ),
      ];
    },
  };
}
