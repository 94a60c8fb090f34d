/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * My queue, only what awaits me: promotion requests awaiting my review (the API's one rule,
 * `viewer.awaitingMyReview`, which Slack's `pending` shares), unresolved drift flags on the models
 * I own, the questions and mentions addressed to me that I have not read, and forms to flag drift
 * and give feedback.
 */
import { gql } from '../api';
import { app, holds, type View } from '../app';
import { h, time, words } from '../dom';
import { DashQueueDocument, type DashQueueQuery } from '../generated/operations';
import { DRIFT_ROLES, driftCard, feedbackForm, flagDriftForm, promotionCard, roleName, versionOptions, type FeedbackTarget } from './parts';

export function queueView(): View<DashQueueQuery> {
  return {
    key: 'queue',
    fetch: () => gql(DashQueueDocument, { me: app.viewer!.id }),
    title: () => 'My queue',
    build(data) {
      const roles = data.viewer.roles;
      const { nodes: awaiting, totalCount } = data.viewer.awaitingMyReview;
      const flags = data.flagged.nodes.flatMap((m) => m.openDriftFlags);
      const asked = data.viewer.notifications.nodes.filter((n) => n.reason === 'MENTIONED' || n.reason === 'QUESTION_ON_OWNED');
      const models = data.models.nodes;
      const targets: FeedbackTarget[] = [
        ...data.goals.nodes.map((g) => ({ value: `g:${g.id}`, label: `Goal: ${g.title}`, goalId: g.id })),
        ...versionOptions(models).map((v) => ({ value: `v:${v.id}`, label: v.label, modelVersionId: v.id })),
      ];
      return [
        h('h2', { id: 'view-title', tabindex: -1 }, 'My queue'),
        h('p', { class: 'meta' }, `You hold: ${roles.map(roleName).join(', ')}.`),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'q-promotions' },
          h('h3', { id: 'q-promotions' }, `Promotion requests awaiting you (${totalCount})`),
          awaiting.length ? awaiting.map((r) => promotionCard(r)) : h('p', { class: 'empty' }, 'Nothing awaits a role you hold.'),
          totalCount > awaiting.length ? h('p', { class: 'meta' }, `The ${awaiting.length} oldest of ${totalCount} requests.`) : null,
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'q-asked' },
          h('h3', { id: 'q-asked' }, `Questions and mentions for you (${asked.length})`),
          asked.length
            ? h(
                'ul',
                { class: 'notifications' },
                asked.map((n) =>
                  h(
                    'li',
                    { class: 'notification unread', 'data-notification': n.id },
                    h('p', { class: 'meta' }, h('strong', null, words(n.reason)), ' · ', time(n.event.occurredAt, true)),
                    h('p', null, n.event.summary),
                  ),
                ),
              )
            : h('p', { class: 'empty' }, 'Nobody is waiting for an answer from you.'),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'q-drift' },
          h('h3', { id: 'q-drift' }, `Drift flags on your models (${holds(...DRIFT_ROLES) ? flags.length : 0})`),
          !holds(...DRIFT_ROLES)
            ? h('p', { class: 'empty' }, 'Data scientists, ML engineers and admins acknowledge and resolve drift; you can still flag it and comment.')
            : flags.length
              ? flags.map((f) => driftCard(f))
              : h('p', { class: 'empty' }, 'No unresolved drift flags on the models you own.'),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'q-flag' },
          h('h3', { id: 'q-flag' }, 'Flag drift'),
          flagDriftForm('queue', versionOptions(models)),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'q-feedback' },
          h('h3', { id: 'q-feedback' }, 'Give feedback'),
          feedbackForm('queue', targets),
        ),
      ];
    },
  };
}
