/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * My queue: promotion requests awaiting my review (the API's one rule, `viewer.awaitingMyReview`, which
 * Slack's `pending` shares), drift flags I can acknowledge or resolve,
 * and forms to flag drift and give feedback.
 */
import { gql } from '../api';
import { holds, type View } from '../app';
import { h } from '../dom';
import { DashQueueDocument, type DashQueueQuery } from '../generated/operations';
import { DRIFT_ROLES, driftCard, feedbackForm, flagDriftForm, promotionCard, roleName, versionOptions, type FeedbackTarget } from './parts';

export function queueView(): View<DashQueueQuery> {
  return {
    key: 'queue',
    fetch: () => gql(DashQueueDocument, {}),
    title: () => 'My queue',
    build(data) {
      const roles = data.viewer.roles;
      const { nodes: awaiting, totalCount } = data.viewer.awaitingMyReview;
      const flags = [...data.open.nodes, ...data.acknowledged.nodes];
      const models = data.models.nodes;
      const targets: FeedbackTarget[] = [
        ...data.goals.nodes.map((g) => ({ value: `g:${g.id}`, label: `Goal: ${g.title}`, goalId: g.id })),
        ...versionOptions(models).map((v) => ({ value: `v:${v.id}`, label: v.label, modelVersionId: v.id })),
      ];
      return [
        h('h2', { id: 'view-title', tabindex: -1 }, 'My queue'),
        h('p', { class: 'meta' }, `You hold: ${roles.map(roleName).join(', ')}.`),
        h('section', { class: 'card', 'aria-labelledby': 'q-promotions' },
          h('h3', { id: 'q-promotions' }, `Promotion requests awaiting you (${totalCount})`),
          awaiting.length ? awaiting.map((r) => promotionCard(r)) : h('p', { class: 'empty' }, 'Nothing awaits a role you hold.'),
          totalCount > awaiting.length ? h('p', { class: 'meta' }, `The ${awaiting.length} oldest of ${totalCount} requests.`) : null),
        h('section', { class: 'card', 'aria-labelledby': 'q-drift' },
          h('h3', { id: 'q-drift' }, `Drift flags to acknowledge or resolve (${holds(...DRIFT_ROLES) ? flags.length : 0})`),
          !holds(...DRIFT_ROLES)
            ? h('p', { class: 'empty' }, 'Data scientists, ML engineers and admins acknowledge and resolve drift; you can still flag it and comment.')
            : flags.length ? flags.map((f) => driftCard(f)) : h('p', { class: 'empty' }, 'No unresolved drift flags.')),
        h('section', { class: 'card', 'aria-labelledby': 'q-flag' },
          h('h3', { id: 'q-flag' }, 'Flag drift'),
          flagDriftForm('queue', versionOptions(models))),
        h('section', { class: 'card', 'aria-labelledby': 'q-feedback' },
          h('h3', { id: 'q-feedback' }, 'Give feedback'),
          feedbackForm('queue', targets)),
      ];
    },
  };
}
