/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A model: its versions by stage on a timeline, the selected version's model card and lineage
 * (version → run → experiment → goal), feedback, drift flags, promotions and the discussion.
 */
import { ApiError, downloadAuditPack, gql } from '../api';
import { act, holds, note, resetForm, type View } from '../app';
import { barChart, waterfallChart } from '../charts';
import { fmtNum, h, time, words, type Child } from '../dom';
import {
  DashDisputeOutcomeDocument,
  DashExplanationDocument,
  DashModelDocument,
  DashModelVersionDocument,
  type DashExplanationQuery,
  type DashModelQuery,
  type DashModelVersionQuery,
} from '../generated/operations';
import {
  discussion,
  driftCard,
  feedbackForm,
  field,
  flagDriftForm,
  modelLink,
  submit,
  promotionCard,
  PROMOTION_ROLES,
  requestPromotionForm,
  STAGE_ORDER,
  stageBadge,
  statusBadge,
  versionOptions,
} from './parts';

type Model = Extract<NonNullable<DashModelQuery['node']>, { __typename: 'Model' }>;
type Version = NonNullable<Extract<NonNullable<DashModelVersionQuery['node']>, { __typename: 'Model' }>['version']>;

interface ModelData {
  model: Model;
  /** The version shown: the one in the address, else the one in production, else the latest. */
  version: Version | null;
}

function dl(entries: [string, Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    entries.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

function metricsList(metrics: { key: string; value: number }[]): Child {
  if (!metrics.length) return null;
  return h(
    'ul',
    { class: 'metrics' },
    metrics.map((m) => h('li', null, h('span', { class: 'metric-key' }, m.key), ' ', h('span', { class: 'metric-value' }, fmtNum(m.value)))),
  );
}

function paramsList(params: Record<string, unknown>): Child {
  const entries = Object.entries(params);
  if (!entries.length) return null;
  return h(
    'ul',
    { class: 'metrics params' },
    entries.map(([k, v]) =>
      h('li', null, h('span', { class: 'metric-key' }, k), ' ', h('span', { class: 'metric-value' }, typeof v === 'string' ? v : JSON.stringify(v))),
    ),
  );
}

const OVERDUE = 'Approved for production but not deployed';

/** Where a version runs: the latest reported status per environment, newest first. */
function whereItRuns(deployments: readonly { environment: string; status: string }[]): { environment: string; status: string }[] {
  const seen = new Set<string>();
  return deployments.filter((d) => !seen.has(d.environment) && seen.add(d.environment));
}

function deploymentsSection(version: Version): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'deployments-title' },
    h('h3', { id: 'deployments-title' }, `Deployments of v${version.version}`),
    version.deploymentOverdue
      ? h('p', { class: 'overdue', role: 'status' }, `${OVERDUE}: no successful deployment reported since it reached production.`)
      : null,
    version.deployments.length
      ? h(
          'ul',
          { class: 'deployments' },
          version.deployments.map((d) =>
            h(
              'li',
              { 'data-environment': d.environment },
              h('strong', null, d.environment),
              ' ',
              statusBadge(d.status),
              ' ',
              time(d.createdAt, true),
              ` · ${d.recordedBy.name}${d.recordedBy.kind === 'SERVICE' ? ' (service account)' : ''}`,
              d.url ? [' · ', h('a', { href: d.url, rel: 'noopener noreferrer', target: '_blank' }, d.url)] : null,
              d.detail ? h('p', { class: 'meta' }, d.detail) : null,
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No deployment reported for this version.'),
  );
}

function timeline(model: Model, selected: { id: string }): HTMLElement {
  const versions = [...model.versions.nodes].sort((a, b) => a.version - b.version);
  const byStage = STAGE_ORDER.map((stage) => [stage, versions.filter((v) => v.stage === stage)] as const).filter(([, vs]) => vs.length);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'versions-title' },
    h(
      'div',
      { class: 'section-head' },
      h('h3', { id: 'versions-title' }, 'Versions'),
      h(
        'ul',
        { class: 'by-stage', 'aria-label': 'Versions by stage' },
        byStage.map(([stage, vs]) => h('li', { 'data-stage': stage }, stageBadge(stage), ' ', vs.map((v) => `v${v.version}`).join(', '))),
      ),
    ),
    model.versions.totalCount > versions.length
      ? h('p', { class: 'meta' }, `The ${versions.length} newest of ${model.versions.totalCount} versions.`)
      : null,
    h(
      'ol',
      { class: 'timeline', 'aria-label': 'Versions over time' },
      versions.map((v) => {
        const decided = [...v.promotionRequests]
          .filter((r) => r.status === 'APPROVED' && r.decidedAt)
          .sort((a, b) => Date.parse(a.decidedAt!) - Date.parse(b.decidedAt!));
        const pending = v.promotionRequests.find((r) => r.status === 'PENDING');
        const current = v.id === selected.id;
        return h(
          'li',
          { class: `tl-item tl-${v.stage.toLowerCase()}${current ? ' selected' : ''}`, 'data-version': v.version },
          h(
            'a',
            { href: `#/model/${encodeURIComponent(model.id)}/${v.version}`, 'aria-current': current ? 'true' : null, class: 'tl-link' },
            h('span', { class: 'tl-version' }, `v${v.version}`),
            ' ',
            stageBadge(v.stage),
          ),
          h(
            'ul',
            { class: 'tl-moves' },
            h('li', null, 'created ', time(v.createdAt)),
            decided.map((r) => h('li', null, `→ ${r.toStage} `, time(r.decidedAt))),
            pending ? h('li', { class: 'tl-pending' }, `pending → ${pending.toStage}`) : null,
            whereItRuns(v.deployments).map((d) => h('li', { class: 'tl-runs' }, `on ${d.environment}: `, statusBadge(d.status))),
            v.deploymentOverdue ? h('li', { class: 'tl-overdue' }, OVERDUE) : null,
          ),
        );
      }),
    ),
  );
}

function card(version: Version): HTMLElement {
  const c = version.card;
  return h(
    'section',
    { class: 'card model-card', 'aria-labelledby': 'card-title' },
    h('h3', { id: 'card-title' }, `Model card · v${version.version}`),
    c
      ? [
          dl([
            ['Intended use', c.intendedUse ?? 'Not stated'],
            ['Limitations', c.limitations ?? 'Not stated'],
            ['Training data', c.trainingData ?? 'Not stated'],
          ]),
          h('h4', { id: 'fi-title' }, 'Feature importance'),
          barChart(`fi-${version.id}`, `Feature importance of v${version.version}`, c.featureImportance),
          dl([
            ['Evaluation data', c.evaluationData],
            ['Ethical considerations', c.ethicalConsiderations],
          ]),
        ]
      : h('p', { class: 'empty' }, 'This version has no model card yet.'),
  );
}

/** For those who sign off and audit: the version's audit pack, as printable HTML or JSON. */
function auditLinks(modelName: string, version: Version): HTMLElement {
  const key = `audit:${version.id}`;
  const download = (format: 'html' | 'json') => (event: Event) => {
    event.preventDefault();
    void act(key, async () => {
      await downloadAuditPack(version.id, format);
      return `Downloaded the audit pack of ${modelName} v${version.version} (audit.${format}).`;
    });
  };
  return h(
    'section',
    { class: 'card audit', 'aria-labelledby': 'audit-title' },
    h('h3', { id: 'audit-title' }, 'Audit pack'),
    h('p', null, `Evidence, reviews, drift, feedback and the verified event trail of v${version.version}.`),
    h(
      'p',
      null,
      h('a', { href: '#', class: 'audit-link', 'data-format': 'html', onclick: download('html') }, 'audit.html (printable)'),
      ' · ',
      h('a', { href: '#', class: 'audit-link', 'data-format': 'json', onclick: download('json') }, 'audit.json'),
    ),
    note(key),
  );
}

function lineage(model: Model, version: Version): HTMLElement {
  const run = version.run;
  return h(
    'section',
    { class: 'card lineage', 'aria-labelledby': 'lineage-title' },
    h('h3', { id: 'lineage-title' }, 'Lineage'),
    h(
      'ol',
      { class: 'chain' },
      h(
        'li',
        { 'data-step': 'version' },
        h('h4', null, `Version v${version.version} `, stageBadge(version.stage)),
        version.description ? h('p', null, version.description) : null,
        dl([
          ['Created', [time(version.createdAt), ` by ${version.createdBy.name}`]],
          ['Artifact', version.artifactUri ? h('code', null, version.artifactUri) : null],
        ]),
        metricsList(version.metrics),
      ),
      run
        ? h(
            'li',
            { 'data-step': 'run' },
            h('h4', null, `Run ${run.name ?? ''} `, statusBadge(run.status)),
            dl([
              ['By', run.author.name],
              ['Started', time(run.startedAt, true)],
              ['Finished', time(run.finishedAt, true)],
              ['Data', run.datasetUri ? h('code', null, run.datasetUri) : null],
              ['Code', run.codeVersion ? h('code', null, run.codeVersion) : null],
            ]),
            h('p', { class: 'sub' }, 'Params'),
            paramsList(run.params) ?? h('p', { class: 'empty' }, 'none'),
            h('p', { class: 'sub' }, 'Metrics'),
            metricsList(run.metrics) ?? h('p', { class: 'empty' }, 'none'),
          )
        : h('li', { 'data-step': 'run' }, h('p', { class: 'empty' }, 'No run recorded for this version.')),
      run
        ? h(
            'li',
            { 'data-step': 'experiment' },
            h('h4', null, `Experiment ${run.experiment.name}`),
            run.experiment.hypothesis ? h('p', null, h('strong', null, 'Hypothesis: '), run.experiment.hypothesis) : null,
          )
        : null,
      h(
        'li',
        { 'data-step': 'goal' },
        h('h4', null, 'Goal ', h('a', { href: '#/goals' }, (run?.experiment.goal ?? model.goal).title)),
        h('p', null, (run?.experiment.goal ?? model.goal).businessQuestion),
      ),
    ),
  );
}

type Explanation = NonNullable<Extract<NonNullable<DashExplanationQuery['node']>, { __typename: 'ModelVersion' }>['explanation']>;

/** The last subject looked up on each version, and what the hub knows of it (null: nothing). */
const lookedUp = new Map<string, { subjectKey: string; explanation: Explanation | null }>();

function disputeForm(explanation: Explanation): HTMLElement {
  const key = `dispute:${explanation.id}`;
  const id = `dispute-${explanation.id}`;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const comment = ((event.currentTarget as HTMLFormElement).elements.namedItem('comment') as HTMLTextAreaElement).value;
    void act(key, async () => {
      await gql(DashDisputeOutcomeDocument, { input: { explanationId: explanation.id, comment } });
      resetForm(id);
      return `Dispute of the outcome for ${explanation.subjectKey} recorded; the model's owner is notified.`;
    });
  };
  return h(
    'form',
    { class: 'form dispute-form', id, novalidate: true, onsubmit: onSubmit, 'aria-label': `Dispute the outcome for ${explanation.subjectKey}` },
    field(`${id}-comment`, 'Why is this outcome wrong?', h('textarea', { id: `${id}-comment`, name: 'comment', rows: 2, required: true })),
    h('div', { class: 'actions' }, submit('Dispute', key)),
    note(key),
  );
}

/** "Why was customer 4711 flagged?": look a subject up, see its waterfall, dispute it. */
function explanationSection(model: Model, version: Version): HTMLElement {
  const key = `explain:${version.id}`;
  const id = `explain-${version.id}`;
  const found = lookedUp.get(version.id);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const subjectKey = ((event.currentTarget as HTMLFormElement).elements.namedItem('subjectKey') as HTMLInputElement).value.trim();
    if (!subjectKey) return;
    void act(key, async () => {
      const { node } = await gql(DashExplanationDocument, { versionId: version.id, subjectKey });
      const explanation = node?.__typename === 'ModelVersion' ? (node.explanation ?? null) : null;
      lookedUp.set(version.id, { subjectKey, explanation });
      return explanation ? `${subjectKey}: ${explanation.prediction}.` : `v${version.version} has no explanation for ${subjectKey}.`;
    });
  };
  const e = found?.explanation;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'explain-title' },
    h('h3', { id: 'explain-title' }, `Explained outcomes of v${version.version}`),
    h(
      'form',
      { class: 'form explain-form', role: 'search', novalidate: true, onsubmit: onSubmit, 'aria-label': 'Look up an outcome' },
      field(
        `${id}-key`,
        'Subject key (e.g. a customer number)',
        h('input', { id: `${id}-key`, name: 'subjectKey', type: 'search', maxlength: 200, value: found?.subjectKey ?? '' }),
      ),
      h('div', { class: 'actions' }, submit('Explain', key)),
    ),
    note(key),
    e
      ? h(
          'div',
          { class: 'explanation-result', 'data-subject': e.subjectKey },
          h(
            'p',
            null,
            h('strong', null, e.subjectKey),
            ` → ${e.prediction}`,
            e.score === null ? '' : ` (score ${fmtNum(e.score)})`,
            ' · recorded ',
            time(e.updatedAt, true),
          ),
          waterfallChart(`wf-${e.id}`, `Why ${model.name} v${version.version} said "${e.prediction}" for ${e.subjectKey}`, e.score, e.attributions),
          disputeForm(e),
        )
      : null,
  );
}

function feedbackSection(model: Model, version: Version): HTMLElement {
  const items = version.feedback.nodes;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'feedback-title' },
    h('h3', { id: 'feedback-title' }, `Feedback on v${version.version}`),
    items.length
      ? h(
          'ul',
          { class: 'feedback-list' },
          items.map((f) =>
            h(
              'li',
              null,
              h(
                'p',
                null,
                h('span', { class: `badge verdict verdict-${f.verdict.toLowerCase()}` }, words(f.verdict)),
                ' ',
                h('strong', null, f.author.name),
                ' ',
                time(f.createdAt, true),
              ),
              f.comment ? h('p', null, f.comment) : null,
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No feedback on this version yet.'),
    h('h4', null, 'Give feedback'),
    feedbackForm(`model-${version.id}`, [
      { value: `v:${version.id}`, label: `${model.name} v${version.version}`, modelVersionId: version.id },
      { value: `g:${model.goal.id}`, label: `the goal “${model.goal.title}” as a whole`, goalId: model.goal.id },
    ]),
  );
}

export function modelView(id: string, versionNumber: number | null): View<ModelData> {
  return {
    key: `model/${id}/${versionNumber ?? ''}`,
    async fetch() {
      const { node } = await gql(DashModelDocument, { id });
      if (node?.__typename !== 'Model') throw new ApiError('There is no such model (the link may be wrong).', 'NOT_FOUND');
      const number = versionNumber ?? node.productionVersion?.version ?? node.latestVersion?.version;
      if (number === undefined) return { model: node, version: null };
      const detail = await gql(DashModelVersionDocument, { modelId: id, number });
      const version = detail.node?.__typename === 'Model' ? detail.node.version : null;
      if (!version) throw new ApiError(`${node.name} has no version ${number}.`, 'NOT_FOUND');
      return { model: node, version };
    },
    title: ({ model, version }) => (version ? `${model.name} v${version.version}` : model.name),
    build({ model, version: selected }) {
      const header = [
        h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/goals' }, 'Goals'), ' › ', model.goal.title, ' › ', model.name),
        h('h2', { id: 'view-title', tabindex: -1 }, model.name),
        model.description ? h('p', null, model.description) : null,
        h(
          'p',
          { class: 'meta' },
          `Owner: ${model.owner.name} · for the goal `,
          h('a', { href: '#/goals' }, model.goal.title),
          model.productionVersion ? [' · in production: ', modelLink(model, model.productionVersion.version)] : ' · nothing in production',
        ),
      ];
      if (!selected) return [...header, h('p', { class: 'empty' }, 'No versions yet.'), discussion(model.id, model.comments, model.name)];
      const requests = [...selected.promotionRequests].sort((a, b) => (a.status === 'PENDING' ? -1 : 0) - (b.status === 'PENDING' ? -1 : 0));
      return [
        ...header,
        timeline(model, selected),
        h('div', { class: 'pair' }, card(selected), lineage(model, selected)),
        deploymentsSection(selected),
        holds('RISK_MANAGER', 'ADMIN') ? auditLinks(model.name, selected) : null,
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'promotions-title' },
          h('h3', { id: 'promotions-title' }, `Promotions of v${selected.version}`),
          requests.length ? requests.map((r) => promotionCard(r)) : h('p', { class: 'empty' }, 'No promotion requests for this version.'),
          holds(...PROMOTION_ROLES) && !requests.some((r) => r.status === 'PENDING')
            ? [h('h4', null, 'Request a promotion'), requestPromotionForm(selected, model.name)]
            : null,
          note(`request:${selected.id}`),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'drift-title' },
          h('h3', { id: 'drift-title' }, 'Open drift flags'),
          model.openDriftFlags.length ? model.openDriftFlags.map((f) => driftCard(f)) : h('p', { class: 'empty' }, 'No open drift flags.'),
          h('h4', null, 'Flag drift'),
          flagDriftForm(`model-${model.id}`, versionOptions([model]), selected.id),
        ),
        explanationSection(model, selected),
        feedbackSection(model, selected),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'discussion-title' },
          h('h3', { id: 'discussion-title' }, 'Discussion'),
          h('h4', null, `About ${model.name}`),
          discussion(model.id, model.comments, model.name),
          h('h4', null, `About v${selected.version}`),
          discussion(selected.id, selected.comments, `${model.name} v${selected.version}`),
        ),
      ];
    },
  };
}
