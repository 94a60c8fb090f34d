/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** Pieces several views share: badges, promotion and drift cards, discussions and the forms. */
import { gql } from '../api';
import { act, app, holds, isBusy, note, resetForm, setNote, type Role } from '../app';
import { fmtNum, h, time, words, type Child } from '../dom';
import {
  DashAcknowledgeDriftDocument,
  DashAddCommentDocument,
  DashFlagDriftDocument,
  DashRequestPromotionDocument,
  DashResolveDriftDocument,
  DashReviewPromotionDocument,
  DashSubmitFeedbackDocument,
  type DashCommentFragment,
  type DashDriftFragment,
  type DashPromotionFragment,
  type DriftKind,
  type FeedbackVerdict,
  type Severity,
  type Stage,
} from '../generated/operations';

export const STAGE_ORDER: Stage[] = ['PRODUCTION', 'STAGING', 'NONE', 'ARCHIVED'];
export const SEVERITIES: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const KINDS: DriftKind[] = ['PERFORMANCE', 'DATA', 'CONCEPT', 'BUSINESS'];
const VERDICTS: { value: FeedbackVerdict; label: string }[] = [
  { value: 'MEETS_GOAL', label: 'Meets the goal' },
  { value: 'PARTIALLY_MEETS', label: 'Partially meets the goal' },
  { value: 'MISSES_GOAL', label: 'Misses the goal' },
];
const ROLE_NAMES: Record<Role, string> = {
  ADMIN: 'admin',
  SME: 'SME',
  DATA_SCIENTIST: 'data scientist',
  DATA_ENGINEER: 'data engineer',
  ML_ENGINEER: 'ML engineer',
  RISK_MANAGER: 'risk manager',
};

export const roleName = (role: Role) => ROLE_NAMES[role] ?? words(role);

/** Roles the API documents for acknowledging and resolving drift (to offer the buttons; the API decides). */
export const DRIFT_ROLES: Role[] = ['DATA_SCIENTIST', 'ML_ENGINEER', 'ADMIN'];
/** Roles the API documents for requesting a promotion. */
export const PROMOTION_ROLES: Role[] = ['DATA_SCIENTIST', 'ML_ENGINEER', 'ADMIN'];

export function stageBadge(stage: Stage): HTMLElement {
  return h('span', { class: `badge stage stage-${stage.toLowerCase()}` }, stage);
}

export function severityBadge(severity: Severity, count?: number): HTMLElement {
  return h('span', { class: `badge sev sev-${severity.toLowerCase()}` }, count === undefined ? severity : `${count} ${severity}`);
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status status-${status.toLowerCase()}` }, status);
}

export function modelLink(model: { id: string; name: string }, version?: number): HTMLAnchorElement {
  const href = `#/model/${encodeURIComponent(model.id)}${version ? `/${version}` : ''}`;
  return h('a', { href }, version ? `${model.name} v${version}` : model.name);
}

/** UI state that survives redraws: which "Reject…" and "Resolve…" forms are open. */
const expanded = new Set<string>();

function toggle(key: string, focusId: string): void {
  if (expanded.has(key)) expanded.delete(key);
  else expanded.add(key);
  app.rerender(expanded.has(key) ? focusId : undefined);
}

export function field(id: string, label: Child, control: HTMLElement, hint?: string): HTMLElement {
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

export function submit(label: string, key: string): HTMLButtonElement {
  return h('button', { type: 'submit', disabled: isBusy(key) }, isBusy(key) ? `${label}…` : label);
}

/** A promotion request: what, who, the reviews so far, and Approve / Reject for a holder of a missing role. */
export function promotionCard(req: DashPromotionFragment, headingLevel: 'h3' | 'h4' = 'h4'): HTMLElement {
  const { model } = req.modelVersion;
  const key = `review:${req.id}`;
  const mine = (app.viewer?.roles ?? []).filter((r) => req.missingRoles.includes(r));
  const ownRequest = req.requestedBy.id === app.viewer?.id;
  const rejecting = expanded.has(key);
  const reasonId = `reason-${req.id}`;

  const onReject = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const reason = (form.elements.namedItem('reason') as HTMLTextAreaElement).value.trim();
    if (!reason) {
      setNote(key, 'Give a reason for rejecting: the requester reads it.', 'error');
      app.rerender(reasonId);
      return;
    }
    void act(key, async () => {
      const { reviewPromotion } = await gql(DashReviewPromotionDocument, {
        input: { promotionRequestId: req.id, decision: 'REJECT', comment: reason },
      });
      expanded.delete(key);
      resetForm(`rejectform-${req.id}`);
      const v = reviewPromotion.promotionRequest.modelVersion;
      return `Rejected: ${v.model.name} v${v.version} stays in ${v.stage}.`;
    });
  };
  const onApprove = () =>
    void act(key, async () => {
      const { reviewPromotion } = await gql(DashReviewPromotionDocument, { input: { promotionRequestId: req.id, decision: 'APPROVE' } });
      const r = reviewPromotion.promotionRequest;
      const v = r.modelVersion;
      return r.status === 'APPROVED'
        ? `Approved: ${v.model.name} v${v.version} is now in ${v.stage}.`
        : `Approval recorded; ${v.model.name} v${v.version} → ${r.toStage} still awaits ${r.missingRoles.map(roleName).join(', ')}.`;
    });

  return h(
    'article',
    { class: `card promotion pr-${req.status.toLowerCase()}`, 'data-request': req.id, 'aria-labelledby': `pr-${req.id}` },
    h(
      headingLevel,
      { id: `pr-${req.id}` },
      modelLink(model, req.modelVersion.version),
      ': ',
      stageBadge(req.fromStage),
      ' → ',
      stageBadge(req.toStage),
      ' ',
      statusBadge(req.status),
    ),
    h(
      'p',
      { class: 'meta' },
      `Requested by ${ownRequest ? 'you' : req.requestedBy.name} `,
      time(req.createdAt, true),
      model.goal ? [' for ', h('a', { href: '#/goals' }, model.goal.title)] : null,
    ),
    req.justification ? h('blockquote', null, req.justification) : null,
    h(
      'ul',
      { class: 'roles', 'aria-label': 'Required approvals' },
      req.requiredRoles.map((role) => {
        const missing = req.missingRoles.includes(role);
        return h(
          'li',
          { class: missing ? 'role-missing' : 'role-done' },
          roleName(role),
          ': ',
          missing ? (req.status === 'PENDING' ? 'awaiting' : 'not given') : 'approved',
        );
      }),
    ),
    req.reviews.length
      ? h(
          'ul',
          { class: 'reviews', 'aria-label': 'Reviews' },
          req.reviews.map((r) =>
            h(
              'li',
              null,
              h('strong', null, r.reviewer.name),
              ` ${r.decision === 'APPROVE' ? 'approved' : 'rejected'} as ${roleName(r.role)} `,
              time(r.createdAt, true),
              r.comment ? `: “${r.comment}”` : '',
            ),
          ),
        )
      : null,
    req.status === 'PENDING' && mine.length
      ? h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', id: `approve-${req.id}`, class: 'primary', disabled: isBusy(key), onclick: onApprove }, 'Approve'),
          h(
            'button',
            {
              type: 'button',
              id: `reject-${req.id}`,
              'aria-expanded': String(rejecting),
              'aria-controls': `rejectform-${req.id}`,
              onclick: () => toggle(key, reasonId),
            },
            'Reject…',
          ),
          ownRequest ? h('span', { class: 'hint' }, 'You made this request.') : null,
        )
      : null,
    req.status === 'PENDING' && mine.length && rejecting
      ? h(
          'form',
          { class: 'inline-form', id: `rejectform-${req.id}`, novalidate: true, onsubmit: onReject },
          field(reasonId, 'Reason for rejecting (required)', h('textarea', { id: reasonId, name: 'reason', rows: 2, required: true })),
          h(
            'div',
            { class: 'actions' },
            submit('Reject', key),
            h('button', { type: 'button', onclick: () => toggle(key, `reject-${req.id}`) }, 'Cancel'),
          ),
        )
      : null,
    note(key),
    discussion(req.id, req.comments, `the request for ${model.name} v${req.modelVersion.version}`, true),
  );
}

/** A drift flag, with Acknowledge and Resolve for data scientists, ML engineers and admins. */
export function driftCard(flag: DashDriftFragment, headingLevel: 'h3' | 'h4' = 'h4'): HTMLElement {
  const key = `drift:${flag.id}`;
  const resolving = expanded.has(key);
  const resolutionId = `resolution-${flag.id}`;
  const { model } = flag.modelVersion;
  const canAct = holds(...DRIFT_ROLES) && flag.status !== 'RESOLVED';

  const onAcknowledge = () =>
    void act(key, async () => {
      await gql(DashAcknowledgeDriftDocument, { input: { driftFlagId: flag.id } });
      return `Acknowledged the ${flag.severity} drift flag on ${model.name} v${flag.modelVersion.version}.`;
    });
  const onResolve = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const resolution = (form.elements.namedItem('resolution') as HTMLTextAreaElement).value.trim();
    if (!resolution) {
      setNote(key, 'Say how the drift was resolved.', 'error');
      app.rerender(resolutionId);
      return;
    }
    void act(key, async () => {
      await gql(DashResolveDriftDocument, { input: { driftFlagId: flag.id, resolution } });
      expanded.delete(key);
      resetForm(`resolveform-${flag.id}`);
      return `Resolved the drift flag on ${model.name} v${flag.modelVersion.version}.`;
    });
  };
  const measured =
    flag.metric || flag.observed !== null || flag.expected !== null
      ? h('p', { class: 'meta' }, flag.metric ? `${flag.metric}: ` : '', `observed ${fmtNum(flag.observed)}, expected ${fmtNum(flag.expected)}`)
      : null;

  return h(
    'article',
    { class: `card drift drift-${flag.severity.toLowerCase()}`, 'data-drift': flag.id, 'aria-labelledby': `df-${flag.id}` },
    h(
      headingLevel,
      { id: `df-${flag.id}` },
      severityBadge(flag.severity),
      ` ${words(flag.kind)} drift on `,
      modelLink(model, flag.modelVersion.version),
      ' ',
      statusBadge(flag.status),
    ),
    h('p', null, flag.description),
    measured,
    h(
      'p',
      { class: 'meta' },
      `Raised by ${flag.raisedBy.name} `,
      time(flag.createdAt, true),
      flag.origin !== 'API' ? ` via ${words(flag.origin)}` : '',
      flag.acknowledgedAt ? ['; acknowledged ', time(flag.acknowledgedAt, true)] : null,
      flag.resolvedAt ? ['; resolved ', time(flag.resolvedAt, true)] : null,
    ),
    flag.resolution ? h('p', null, h('strong', null, 'Resolution: '), flag.resolution) : null,
    canAct
      ? h(
          'div',
          { class: 'actions' },
          flag.status === 'OPEN'
            ? h('button', { type: 'button', id: `ack-${flag.id}`, disabled: isBusy(key), onclick: onAcknowledge }, 'Acknowledge')
            : null,
          h(
            'button',
            {
              type: 'button',
              id: `resolve-${flag.id}`,
              'aria-expanded': String(resolving),
              'aria-controls': `resolveform-${flag.id}`,
              onclick: () => toggle(key, resolutionId),
            },
            'Resolve…',
          ),
        )
      : null,
    canAct && resolving
      ? h(
          'form',
          { class: 'inline-form', id: `resolveform-${flag.id}`, novalidate: true, onsubmit: onResolve },
          field(resolutionId, 'How was it resolved? (required)', h('textarea', { id: resolutionId, name: 'resolution', rows: 2 })),
          h(
            'div',
            { class: 'actions' },
            submit('Resolve', key),
            h('button', { type: 'button', onclick: () => toggle(key, `resolve-${flag.id}`) }, 'Cancel'),
          ),
        )
      : null,
    note(key),
    discussion(flag.id, flag.comments, `the drift flag on ${model.name} v${flag.modelVersion.version}`, true),
  );
}

/** Comments on any Discussable object, oldest first, with a form to add one. */
export function discussion(
  subjectId: string,
  comments: { totalCount: number; nodes: DashCommentFragment[] },
  about: string,
  collapsible = false,
): HTMLElement {
  const key = `comment:${subjectId}`;
  const inputId = `comment-${subjectId}`;
  const sorted = [...comments.nodes].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const body = (form.elements.namedItem('body') as HTMLTextAreaElement).value.trim();
    if (!body) {
      setNote(key, 'Write something first.', 'error');
      app.rerender(inputId);
      return;
    }
    void act(key, async () => {
      await gql(DashAddCommentDocument, { input: { subjectId, body } });
      resetForm(`commentform-${subjectId}`);
      return 'Comment added.';
    });
  };
  const content = [
    comments.totalCount > sorted.length ? h('p', { class: 'meta' }, `The ${sorted.length} latest of ${comments.totalCount} comments.`) : null,
    sorted.length
      ? h(
          'ol',
          { class: 'comments' },
          sorted.map((c) =>
            h(
              'li',
              { class: 'comment' },
              h(
                'p',
                { class: 'meta' },
                h('strong', null, c.author.name),
                ' ',
                time(c.createdAt, true),
                c.origin !== 'API' ? ` via ${words(c.origin)}` : '',
              ),
              h('p', { class: 'body' }, c.body),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No comments yet.'),
    h(
      'form',
      { class: 'comment-form', id: `commentform-${subjectId}`, novalidate: true, onsubmit: onSubmit },
      field(inputId, ['Comment on ', about], h('textarea', { id: inputId, name: 'body', rows: 2 })),
      h('div', { class: 'actions' }, submit('Add comment', key)),
      note(key),
    ),
  ];
  if (!collapsible) return h('div', { class: 'discussion' }, content);
  return h('details', { class: 'discussion', id: `disc-${subjectId}` }, h('summary', null, `Discussion (${comments.totalCount})`), content);
}

export interface VersionOption {
  id: string;
  label: string;
}

/** Options "churn-model v3 (STAGING)" for every version of the given models. */
export function versionOptions(models: { name: string; versions: { nodes: { id: string; version: number; stage: Stage }[] } }[]): VersionOption[] {
  return models.flatMap((m) => m.versions.nodes.map((v) => ({ id: v.id, label: `${m.name} v${v.version} (${v.stage})` })));
}

function select(id: string, name: string, options: { value: string; label: string }[], selected?: string): HTMLSelectElement {
  return h(
    'select',
    { id, name },
    options.map((o) => h('option', { value: o.value, selected: o.value === selected }, o.label)),
  );
}

function optionalNumber(form: HTMLFormElement, name: string): number | undefined | 'bad' {
  const raw = (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : 'bad';
}

/** Anyone can flag drift on a version. */
export function flagDriftForm(prefix: string, versions: VersionOption[], selected?: string): HTMLElement {
  const key = `flag:${prefix}`;
  const id = (name: string) => `${prefix}-flag-${name}`;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const description = value('description');
    const observed = optionalNumber(form, 'observed');
    const expected = optionalNumber(form, 'expected');
    const problem = !description
      ? ['Describe what drifted.', id('description')]
      : observed === 'bad'
        ? ['Observed must be a number.', id('observed')]
        : expected === 'bad'
          ? ['Expected must be a number.', id('expected')]
          : null;
    if (problem) {
      setNote(key, problem[0], 'error');
      app.rerender(problem[1]);
      return;
    }
    void act(key, async () => {
      const { flagDrift } = await gql(DashFlagDriftDocument, {
        input: {
          modelVersionId: value('version'),
          kind: value('kind') as DriftKind,
          severity: value('severity') as Severity,
          description,
          metric: value('metric') || undefined,
          observed: observed as number | undefined,
          expected: expected as number | undefined,
        },
      });
      resetForm(id('form'));
      const f = flagDrift.driftFlag;
      return `Flagged ${f.severity} drift on ${f.modelVersion.model.name} v${f.modelVersion.version}.`;
    });
  };
  if (!versions.length) return h('p', { class: 'empty' }, 'No model versions to flag yet.');
  return h(
    'form',
    { class: 'form flag-form', id: id('form'), novalidate: true, onsubmit: onSubmit, 'aria-label': 'Flag drift' },
    h(
      'div',
      { class: 'row' },
      field(
        id('version'),
        'Model version',
        select(
          id('version'),
          'version',
          versions.map((v) => ({ value: v.id, label: v.label })),
          selected,
        ),
      ),
      field(
        id('severity'),
        'Severity',
        select(
          id('severity'),
          'severity',
          SEVERITIES.map((s) => ({ value: s, label: words(s) })),
          'MEDIUM',
        ),
      ),
      field(
        id('kind'),
        'Kind',
        select(
          id('kind'),
          'kind',
          KINDS.map((k) => ({ value: k, label: words(k) })),
          'PERFORMANCE',
        ),
      ),
    ),
    field(id('description'), 'What did you notice? (required)', h('textarea', { id: id('description'), name: 'description', rows: 2 })),
    h(
      'div',
      { class: 'row' },
      field(id('metric'), 'Metric (optional)', h('input', { id: id('metric'), name: 'metric', type: 'text', autocomplete: 'off' })),
      field(
        id('observed'),
        'Observed (optional)',
        h('input', { id: id('observed'), name: 'observed', type: 'text', inputmode: 'decimal', autocomplete: 'off' }),
      ),
      field(
        id('expected'),
        'Expected (optional)',
        h('input', { id: id('expected'), name: 'expected', type: 'text', inputmode: 'decimal', autocomplete: 'off' }),
      ),
    ),
    h('div', { class: 'actions' }, submit('Flag drift', key)),
    note(key),
  );
}

export interface FeedbackTarget {
  value: string;
  label: string;
  goalId?: string;
  modelVersionId?: string;
}

/** Anyone can tell whether a model meets its goal (on a goal, a version, or both). */
export function feedbackForm(prefix: string, targets: FeedbackTarget[], selected?: string): HTMLElement {
  const key = `feedback:${prefix}`;
  const id = (name: string) => `${prefix}-fb-${name}`;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const targetValue = (form.elements.namedItem('target') as HTMLSelectElement).value;
    const target = targets.find((t) => t.value === targetValue);
    const verdict = (form.querySelector('input[name="verdict"]:checked') as HTMLInputElement | null)?.value as FeedbackVerdict | undefined;
    const comment = (form.elements.namedItem('comment') as HTMLTextAreaElement).value.trim();
    if (!verdict || !target) {
      setNote(key, 'Choose whether the model meets the goal.', 'error');
      app.rerender(id(`verdict-${VERDICTS[0].value}`));
      return;
    }
    void act(key, async () => {
      await gql(DashSubmitFeedbackDocument, {
        input: { goalId: target.goalId, modelVersionId: target.modelVersionId, verdict, comment: comment || undefined },
      });
      resetForm(id('form'));
      return `Feedback recorded: ${VERDICTS.find((v) => v.value === verdict)!.label.toLowerCase()} (${target.label}).`;
    });
  };
  if (!targets.length) return h('p', { class: 'empty' }, 'Nothing to give feedback on yet.');
  return h(
    'form',
    { class: 'form feedback-form', id: id('form'), novalidate: true, onsubmit: onSubmit, 'aria-label': 'Give feedback' },
    field(id('target'), 'About', select(id('target'), 'target', targets, selected)),
    h(
      'fieldset',
      { class: 'verdicts' },
      h('legend', null, 'Does the model answer the business question?'),
      VERDICTS.map((v) =>
        h(
          'div',
          { class: 'choice' },
          h('input', { type: 'radio', name: 'verdict', value: v.value, id: id(`verdict-${v.value}`) }),
          h('label', { for: id(`verdict-${v.value}`) }, v.label),
        ),
      ),
    ),
    field(id('comment'), 'Comment (optional)', h('textarea', { id: id('comment'), name: 'comment', rows: 2 })),
    h('div', { class: 'actions' }, submit('Give feedback', key)),
    note(key),
  );
}

/**
 * Asks for a version to move to another stage (data scientists, ML engineers, admins). Its outcome
 * goes in the note `request:<version id>`, shown by the caller: the form goes once a request is pending.
 */
export function requestPromotionForm(version: { id: string; version: number; stage: Stage }, modelName: string): HTMLElement {
  const key = `request:${version.id}`;
  const id = (name: string) => `rq-${version.id}-${name}`;
  const targets = (['STAGING', 'PRODUCTION', 'ARCHIVED'] as Stage[]).filter((s) => s !== version.stage);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const toStage = (form.elements.namedItem('toStage') as HTMLSelectElement).value as Stage;
    const justification = (form.elements.namedItem('justification') as HTMLTextAreaElement).value.trim();
    void act(key, async () => {
      const { requestPromotion } = await gql(DashRequestPromotionDocument, {
        input: { modelVersionId: version.id, toStage, justification: justification || undefined },
      });
      resetForm(id('form'));
      const r = requestPromotion.promotionRequest;
      return r.status === 'APPROVED'
        ? `${modelName} v${version.version} moved to ${r.modelVersion.stage}.`
        : `Requested ${modelName} v${version.version} → ${r.toStage}; awaiting ${r.missingRoles.map(roleName).join(', ')}.`;
    });
  };
  return h(
    'form',
    { class: 'form request-form', id: id('form'), novalidate: true, onsubmit: onSubmit, 'aria-label': `Request a promotion of v${version.version}` },
    h(
      'div',
      { class: 'row' },
      field(
        id('to'),
        `Move v${version.version} to`,
        select(
          id('to'),
          'toStage',
          targets.map((s) => ({ value: s, label: s })),
          targets.includes('PRODUCTION') ? 'PRODUCTION' : targets[0],
        ),
      ),
    ),
    field(id('why'), 'Justification (optional)', h('textarea', { id: id('why'), name: 'justification', rows: 2 })),
    h('div', { class: 'actions' }, submit('Request promotion', key)),
  );
}
