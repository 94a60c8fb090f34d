import type { AuditPack } from '../domain/event/audit-pack';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML: whatever people typed cannot become markup. */
function esc(value: unknown): string {
  return String(value ?? '—').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const when = (isoTime: string | null) => esc(isoTime ? isoTime.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : null);

function table(head: string[], rows: string[][]): string {
  if (!rows.length) return '<p class="none">None.</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Print styles: A4 with margins, no background colours needed, tables that break between rows. */
const STYLE = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; border-bottom: 1px solid #444; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm; break-after: avoid; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; table-layout: fixed; }
th, td { border: 1px solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
tr { break-inside: avoid; }
dl { display: grid; grid-template-columns: 42mm 1fr; gap: 0.5mm 3mm; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
code, .mono { font: 8.5pt/1.3 Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.ok { color: #0a6b2d; font-weight: bold; }
.broken { color: #a4000f; font-weight: bold; }
.none { color: #555; font-style: italic; }
.meta { color: #444; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`;

/** `audit.html`: the pack as one self-contained printable page (no scripts, no external assets). */
export function renderAuditHtml(pack: AuditPack): string {
  const { version: v, evidence: e, lineage: l } = pack;
  const title = `Audit pack: ${v.model} v${v.number}`;
  const chain = pack.chain.ok
    ? `<span class="ok">Intact</span>: ${pack.chain.checkedEvents} events checked.`
    : `<span class="broken">Broken</span> at event <code>${esc(pack.chain.firstBrokenEventId)}</code>: ${esc(pack.chain.reason)}`;
  const card = e.card;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">Generated ${when(pack.generatedAt)} by ModelOps Hub · version <code>${esc(v.id)}</code> · stage ${esc(v.stage)}</p>

<h2>Evidence</h2>
<dl>
<dt>Evidence digest</dt><dd><code>${esc(pack.evidenceDigest)}</code></dd>
<dt>Frozen since</dt><dd>${when(v.evidenceFrozenAt)}</dd>
<dt>Artifact</dt><dd><code>${esc(e.artifactUri)}</code></dd>
<dt>Artifact sha256</dt><dd><code>${esc(e.artifactDigest)}</code></dd>
<dt>Description</dt><dd>${esc(v.description)}</dd>
<dt>Created</dt><dd>${when(v.createdAt)} by ${esc(v.createdBy)}</dd>
</dl>
<h3>Metrics</h3>
${table(
  ['Metric', 'Value'],
  e.metrics.map((m) => [esc(m.key), esc(m.value)]),
)}
<h3>Model card</h3>
${
  card
    ? `<dl>
<dt>Intended use</dt><dd>${esc(card.intendedUse)}</dd>
<dt>Limitations</dt><dd>${esc(card.limitations)}</dd>
<dt>Training data</dt><dd>${esc(card.trainingData)}</dd>
<dt>Evaluation data</dt><dd>${esc(card.evaluationData)}</dd>
<dt>Ethical considerations</dt><dd>${esc(card.ethicalConsiderations)}</dd>
</dl>
${table(
  ['Feature', 'Importance'],
  card.featureImportance.map((f) => [esc(f.feature), esc(f.importance)]),
)}`
    : '<p class="none">No model card.</p>'
}

<h2>Lineage</h2>
<dl>
<dt>Goal</dt><dd>${esc(l.goal.title)} (${esc(l.goal.status)}): ${esc(l.goal.businessQuestion)}</dd>
<dt>Experiment</dt><dd>${l.experiment ? `${esc(l.experiment.name)}${l.experiment.hypothesis ? ` — ${esc(l.experiment.hypothesis)}` : ''}` : '—'}</dd>
<dt>Run</dt><dd>${l.run ? `${esc(l.run.name)} (${esc(l.run.status)}), ${when(l.run.startedAt)} – ${when(l.run.finishedAt)}` : '—'}</dd>
${
  e.run
    ? `<dt>Dataset</dt><dd><code>${esc(e.run.datasetUri)}</code></dd>
<dt>Code version</dt><dd><code>${esc(e.run.codeVersion)}</code></dd>
<dt>Parameters</dt><dd><code>${esc(JSON.stringify(e.run.params))}</code></dd>
<dt>Run metrics</dt><dd>${esc(e.run.metrics.map((m) => `${m.key}=${m.value}`).join(', ') || null)}</dd>`
    : ''
}
</dl>
<h3>KPIs of the goal</h3>
${table(
  ['KPI', 'Direction', 'Baseline', 'Target', 'Current'],
  l.kpis.map((k) => [
    esc(k.name),
    esc(k.direction),
    esc(k.baseline),
    esc(k.target),
    `${esc(k.current)}${k.unit && k.current !== null ? ` ${esc(k.unit)}` : ''}`,
  ]),
)}

<h2>Promotion requests and reviews</h2>
${
  pack.promotionRequests
    .map(
      (r) => `<h3>${esc(r.fromStage)} → ${esc(r.toStage)}: ${esc(r.status)}</h3>
<p>Requested ${when(r.requestedAt)} by ${esc(r.requestedBy)}${r.justification ? `: “${esc(r.justification)}”` : ''}. Required by the policy in force: ${esc(r.requiredRoles.join(', ') || 'no approval')}. Decided ${when(r.decidedAt)}.</p>
${table(
  ['Reviewer', 'Role', 'Decision', 'Comment', 'Evidence digest', 'When'],
  r.reviews.map((x) => [
    esc(x.reviewer),
    esc(x.role),
    esc(x.decision),
    esc(x.comment),
    `<code>${esc(x.evidenceDigest)}</code>${x.evidenceDigest === pack.evidenceDigest ? '' : ' <span class="broken">(differs)</span>'}`,
    when(x.at),
  ]),
)}`,
    )
    .join('\n') || '<p class="none">None.</p>'
}

<h2>Drift flags</h2>
${table(
  ['Raised', 'By', 'Kind', 'Severity', 'Status', 'Description', 'Resolution'],
  pack.driftFlags.map((f) => [when(f.raisedAt), esc(f.raisedBy), esc(f.kind), esc(f.severity), esc(f.status), esc(f.description), esc(f.resolution)]),
)}

<h2>Feedback</h2>
${table(
  ['When', 'By', 'Verdict', 'Comment'],
  pack.feedback.map((f) => [when(f.at), esc(f.author), esc(f.verdict), esc(f.comment)]),
)}

<h2>Events and the chain</h2>
<p>Event chain: ${chain}</p>
${table(
  ['When', 'Event', 'By', 'Summary', 'Hash', 'Intact'],
  pack.events.map((ev) => [
    when(ev.occurredAt),
    esc(ev.type),
    esc(ev.actor),
    esc(ev.summary),
    `<code>${esc(ev.hash?.slice(0, 16))}…</code>`,
    ev.intact ? '<span class="ok">yes</span>' : '<span class="broken">no</span>',
  ]),
)}
</body>
</html>
`;
}
