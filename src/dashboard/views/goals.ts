/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** Goals: the business question, the owner, KPIs charted against baseline and target, and the models. */
import { gql } from '../api';
import type { View } from '../app';
import { lineChart, lineLegend } from '../charts';
import { fmtNum, h } from '../dom';
import { DashGoalsDocument, DashKpiHistoryDocument, type DashGoalsQuery, type DashKpiHistoryQuery } from '../generated/operations';
import { discussion, modelLink, roleName, SEVERITIES, severityBadge, STAGE_ORDER, stageBadge, statusBadge } from './parts';

type Goal = DashGoalsQuery['goals']['nodes'][number];
type Kpi = Goal['kpis'][number];
type Model = Goal['models']['nodes'][number];
type Monitor = Goal['monitors'][number];
type Observation = Extract<NonNullable<DashKpiHistoryQuery['nodes'][number]>, { __typename: 'Kpi' }>['history']['nodes'][number];

interface GoalsData {
  goals: DashGoalsQuery['goals'];
  history: Map<string, Observation[]>;
}

/** How many values each chart shows, and how many KPIs one history query asks for (40 × 40 stays inside the cost budget). */
const POINTS = 40;
const KPIS_PER_QUERY = 40;

async function fetchGoals(): Promise<GoalsData> {
  const { goals } = await gql(DashGoalsDocument, {});
  const ids = goals.nodes.flatMap((g) => g.kpis.map((k) => k.id));
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += KPIS_PER_QUERY) chunks.push(ids.slice(i, i + KPIS_PER_QUERY));
  const history = new Map<string, Observation[]>();
  for (const { nodes } of await Promise.all(chunks.map((chunk) => gql(DashKpiHistoryDocument, { ids: chunk, points: POINTS })))) {
    for (const node of nodes) if (node?.__typename === 'Kpi') history.set(node.id, node.history.nodes);
  }
  return { goals, history };
}

function kpiFigure(kpi: Kpi, history: Observation[]): HTMLElement {
  const points = history.map((o) => ({
    at: o.observedAt,
    value: o.value,
    version: o.modelVersion ? { id: o.modelVersion.id, label: `${o.modelVersion.model.name} v${o.modelVersion.version}` } : null,
  }));
  const better = kpi.direction === 'LOWER_IS_BETTER' ? 'lower is better' : 'higher is better';
  return h(
    'figure',
    { class: 'kpi', 'data-kpi': kpi.id },
    h(
      'figcaption',
      null,
      h('span', { class: 'kpi-name' }, kpi.name),
      h('span', { class: 'kpi-current' }, fmtNum(kpi.current, kpi.unit)),
      h('span', { class: 'kpi-refs' }, `baseline ${fmtNum(kpi.baseline, kpi.unit)} · target ${fmtNum(kpi.target, kpi.unit)} · ${better}`),
    ),
    lineChart({ id: `chart-${kpi.id}`, title: `${kpi.name} over time`, unit: kpi.unit, points, baseline: kpi.baseline, target: kpi.target }),
    lineLegend(),
  );
}

function modelRow(model: Model): HTMLElement {
  const versions = [...model.versions.nodes].sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) || b.version - a.version);
  const counts = SEVERITIES.map((s) => [s, model.openDriftFlags.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const pending = model.pendingPromotion;
  return h(
    'li',
    { class: 'model-row', 'data-model': model.id },
    h('h4', { class: 'model-name' }, modelLink(model)),
    model.description ? h('p', { class: 'muted' }, model.description) : null,
    h(
      'ul',
      { class: 'badges', 'aria-label': `Versions of ${model.name}` },
      versions.length
        ? versions.map((v) => h('li', { 'data-version': v.version }, `v${v.version} `, stageBadge(v.stage)))
        : h('li', null, 'No versions yet'),
    ),
    h(
      'p',
      { class: 'drift-summary' },
      'Open drift flags: ',
      counts.length ? counts.map(([s, n]) => [severityBadge(s, n), ' ']) : h('span', { class: 'muted' }, 'none'),
    ),
    pending
      ? h(
          'p',
          { class: 'pending' },
          'Pending promotion: ',
          `v${pending.modelVersion.version} `,
          stageBadge(pending.fromStage),
          ' → ',
          stageBadge(pending.toStage),
          `, awaiting ${pending.missingRoles.map(roleName).join(', ') || 'no one'}`,
        )
      : null,
  );
}

const RULES: Record<Monitor['condition'], (m: Monitor) => string> = {
  ABOVE: (m) => `above ${fmtNum(m.threshold, null)}`,
  BELOW: (m) => `below ${fmtNum(m.threshold, null)}`,
  WORSE_THAN_BASELINE_PCT: (m) => `more than ${fmtNum(m.threshold, null)}% worse than the baseline`,
};

/** One monitor as a sentence: what it watches, when it flags, how it resolves. */
function monitorRow(m: Monitor): HTMLElement {
  const watched = m.source === 'KPI' ? `KPI ${m.kpi?.name ?? '(deleted)'}` : `${m.model?.name ?? '(deleted)'} ${m.metricKey}`;
  const streak = m.window > 1 ? ` for ${m.window} values in a row` : '';
  const resolves = m.autoResolveAfter ? `; resolves after ${m.autoResolveAfter} healthy values` : '';
  return h(
    'li',
    { class: 'monitor-row', 'data-monitor': m.id },
    h('strong', null, m.name),
    ': ',
    `${watched} ${RULES[m.condition](m)}${streak} raises `,
    severityBadge(m.severity),
    ` drift${resolves}`,
    m.paused ? [' ', h('span', { class: 'badge muted' }, 'paused')] : null,
  );
}

function goalCard(goal: Goal, history: GoalsData['history']): HTMLElement {
  return h(
    'article',
    { class: 'goal card', 'data-goal': goal.id, 'aria-labelledby': `goal-${goal.id}` },
    h('header', { class: 'goal-head' }, h('h3', { id: `goal-${goal.id}` }, goal.title), statusBadge(goal.status)),
    h('p', { class: 'question' }, h('strong', null, 'Business question: '), goal.businessQuestion),
    h('p', { class: 'meta' }, `Owner: ${goal.owner.name}`),
    goal.description ? h('p', null, goal.description) : null,
    h(
      'section',
      { class: 'kpis', 'aria-label': `KPIs of ${goal.title}` },
      h('h4', null, 'KPIs'),
      goal.kpis.length
        ? h(
            'div',
            { class: 'kpi-grid' },
            goal.kpis.map((k) => kpiFigure(k, history.get(k.id) ?? [])),
          )
        : h('p', { class: 'empty' }, 'No KPIs yet.'),
    ),
    h(
      'section',
      { class: 'monitors', 'aria-label': `Monitors of ${goal.title}` },
      h('h4', null, 'Monitors'),
      goal.monitors.length ? h('ul', { class: 'monitor-list' }, goal.monitors.map(monitorRow)) : h('p', { class: 'empty' }, 'No monitors yet.'),
    ),
    h(
      'section',
      { class: 'models', 'aria-label': `Models of ${goal.title}` },
      h('h4', null, 'Models'),
      goal.models.nodes.length ? h('ul', { class: 'model-list' }, goal.models.nodes.map(modelRow)) : h('p', { class: 'empty' }, 'No models yet.'),
    ),
    discussion(goal.id, goal.comments, `the goal “${goal.title}”`, true),
  );
}

export function goalsView(): View<GoalsData> {
  return {
    key: 'goals',
    fetch: fetchGoals,
    title: () => 'Goals',
    build: ({ goals, history }) => [
      h('h2', { id: 'view-title', tabindex: -1 }, 'Goals'),
      goals.nodes.length
        ? goals.nodes.map((g) => goalCard(g, history))
        : h('p', { class: 'empty' }, 'No goals yet: SMEs create them through the API (createGoal).'),
      goals.pageInfo.hasNextPage ? h('p', { class: 'meta' }, `Showing the ${goals.nodes.length} newest goals.`) : null,
    ],
  };
}
