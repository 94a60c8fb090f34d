/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * My models: the models I own (`modelSearch(filter: { ownerId })`), each with its unresolved drift
 * flags, its pending promotion request and its open questions.
 */
import { gql } from '../api';
import { app, type View } from '../app';
import { h } from '../dom';
import { DashMyModelsDocument, type DashMyModelsQuery } from '../generated/operations';
import { modelLink } from './parts';

export function myModelsView(): View<DashMyModelsQuery> {
  return {
    key: 'models',
    fetch: () => gql(DashMyModelsDocument, { me: app.viewer!.id }),
    title: () => 'My models',
    build(data) {
      const { nodes, totalCount } = data.modelSearch;
      return [
        h('h2', { id: 'view-title', tabindex: -1 }, `My models (${totalCount})`),
        nodes.length
          ? h(
              'ul',
              { class: 'my-models' },
              nodes.map((m) => {
                const questions = m.comments.nodes.filter((c) => c.isQuestion && !c.answeredAt).length;
                return h(
                  'li',
                  { class: 'card my-model', 'data-model': m.id },
                  h('h3', null, modelLink(m)),
                  h(
                    'p',
                    { class: 'meta' },
                    `Goal: ${m.goal.title}`,
                    m.productionVersion ? ` · v${m.productionVersion.version} in production` : ' · nothing in production',
                  ),
                  m.description ? h('p', null, m.description) : null,
                  h(
                    'ul',
                    { class: 'my-model-facts' },
                    h('li', { 'data-fact': 'flags' }, `${m.openDriftFlags.length} open drift flag${m.openDriftFlags.length === 1 ? '' : 's'}`),
                    h(
                      'li',
                      { 'data-fact': 'request' },
                      m.pendingPromotion
                        ? `v${m.pendingPromotion.modelVersion.version} awaits promotion to ${m.pendingPromotion.toStage}`
                        : 'no pending request',
                    ),
                    h('li', { 'data-fact': 'questions' }, `${questions} open question${questions === 1 ? '' : 's'}`),
                  ),
                );
              }),
            )
          : h('p', { class: 'empty' }, 'You own no models. Models you register, or that are handed to you, appear here.'),
      ];
    },
  };
}
