/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Hand-written inline SVG charts. Colours come from classes in styles.css; only geometry is set
 * here, as attributes (the page's CSP forbids style attributes).
 */
import { fmtDate, fmtNum, h, s } from './dom';

export interface KpiPoint {
  at: string;
  value: number;
  /** The model version in production when the value was recorded. */
  version: { id: string; label: string } | null;
}

export interface LineChartOptions {
  id: string;
  title: string;
  unit: string | null;
  points: KpiPoint[];
  baseline: number | null;
  target: number | null;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A KPI's history as a line, against its baseline (dashed) and target (dotted) lines, over shaded
 * bands that show which model version was in production when each value was recorded.
 */
export function lineChart(options: LineChartOptions): SVGSVGElement {
  const { points: unsorted, baseline, target, unit } = options;
  const points = [...unsorted].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const W = 360;
  const H = 170;
  const m = { left: 44, right: 12, top: 20, bottom: 26 };
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;

  const versions = [...new Set(points.map((p) => p.version?.label).filter((v): v is string => Boolean(v)))];
  const description = points.length
    ? `${points.length} values from ${fmtDate(points[0].at)} (${fmtNum(points[0].value, unit)}) to ${fmtDate(points[points.length - 1].at)} (${fmtNum(points[points.length - 1].value, unit)})` +
      `${baseline !== null ? `; baseline ${fmtNum(baseline, unit)}` : ''}${target !== null ? `; target ${fmtNum(target, unit)}` : ''}` +
      `${versions.length ? `; in production: ${versions.join(', ')}` : '; no model in production'}.`
    : 'No values recorded yet.';
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'chart line-chart',
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      'data-points': points.length,
    },
    s('title', { id: titleId }, options.title),
    s('desc', { id: descId }, description),
  );
  if (!points.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, class: 'chart-empty', 'text-anchor': 'middle' }, 'No values recorded yet'));
    return svg;
  }

  const values = points.map((p) => p.value);
  for (const ref of [baseline, target]) if (ref !== null) values.push(ref);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const pad = (hi - lo) * 0.1;
  lo -= pad;
  hi += pad;
  const times = points.map((p) => Date.parse(p.at));
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (t0 === t1) {
    t0 -= 86_400_000;
    t1 += 86_400_000;
  }
  const inset = 8;
  const x = (t: number) => r1(m.left + inset + ((t - t0) / (t1 - t0)) * (W - m.left - m.right - 2 * inset));
  const y = (v: number) => r1(m.top + (1 - (v - lo) / (hi - lo)) * (H - m.top - m.bottom));
  const plotTop = m.top;
  const plotBottom = H - m.bottom;

  // Production bands: one per run of consecutive values under the same version.
  const bands = s('g', { class: 'bands' });
  let start = 0;
  const versionIndex = new Map<string, number>();
  for (let i = 1; i <= points.length; i++) {
    const version = points[start].version;
    if (i < points.length && points[i].version?.id === version?.id) continue;
    if (version) {
      if (!versionIndex.has(version.id)) versionIndex.set(version.id, versionIndex.size);
      const xs = start === 0 ? m.left : (x(times[start - 1]) + x(times[start])) / 2;
      const xe = i === points.length ? W - m.right : (x(times[i - 1]) + x(times[i])) / 2;
      const k = versionIndex.get(version.id)! % 4;
      bands.append(
        s(
          'rect',
          { x: r1(xs), y: plotTop, width: r1(Math.max(xe - xs, 2)), height: plotBottom - plotTop, class: `band band-${k}` },
          s('title', null, `${version.label} in production`),
        ),
        s('line', { x1: r1(xs), x2: r1(xs), y1: plotTop - 4, y2: plotBottom, class: 'band-edge' }),
        s('text', { x: r1(xs) + 3, y: plotTop - 6, class: 'band-label' }, truncate(version.label, 24)),
      );
    }
    start = i;
  }
  svg.append(bands);

  // Axes: three value ticks, the first and last dates.
  const axis = s('g', { class: 'axis' });
  for (const v of [lo + pad, (lo + hi) / 2, hi - pad]) {
    axis.append(
      s('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: m.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, fmtNum(Number(v.toPrecision(3)))),
    );
  }
  axis.append(
    s('text', { x: m.left, y: H - 8, 'text-anchor': 'start' }, fmtDate(points[0].at)),
    s('text', { x: W - m.right, y: H - 8, 'text-anchor': 'end' }, fmtDate(points[points.length - 1].at)),
  );
  svg.append(axis);

  const refs = s('g', { class: 'refs' });
  if (baseline !== null) {
    refs.append(
      s('line', { x1: m.left, x2: W - m.right, y1: y(baseline), y2: y(baseline), class: 'baseline' }),
      s('text', { x: W - m.right - 2, y: y(baseline) - 4, 'text-anchor': 'end', class: 'ref-label baseline-label' }, `baseline ${fmtNum(baseline)}`),
    );
  }
  if (target !== null) {
    refs.append(
      s('line', { x1: m.left, x2: W - m.right, y1: y(target), y2: y(target), class: 'target' }),
      s('text', { x: W - m.right - 2, y: y(target) - 4, 'text-anchor': 'end', class: 'ref-label target-label' }, `target ${fmtNum(target)}`),
    );
  }
  svg.append(refs);

  svg.append(s('polyline', { points: points.map((p, i) => `${x(times[i])},${y(p.value)}`).join(' '), class: 'series' }));
  const dots = s('g', { class: 'dots' });
  points.forEach((p, i) => {
    dots.append(
      s(
        'circle',
        { cx: x(times[i]), cy: y(p.value), r: 3.5, class: p.version ? 'dot' : 'dot dot-none' },
        s(
          'title',
          null,
          `${fmtDate(p.at)}: ${fmtNum(p.value, unit)}${p.version ? ` (${p.version.label} in production)` : ' (no model in production)'}`,
        ),
      ),
    );
  });
  svg.append(dots);
  return svg;
}

/** The legend under a KPI chart (HTML, so it wraps on narrow screens). */
export function lineLegend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    h('li', { class: 'lg-series' }, 'value'),
    h('li', { class: 'lg-baseline' }, 'baseline'),
    h('li', { class: 'lg-target' }, 'target'),
    h('li', { class: 'lg-band' }, 'version in production'),
  );
}

/** Feature importance as horizontal bars, largest first. */
export function barChart(id: string, title: string, rows: { feature: string; importance: number }[]): SVGSVGElement {
  const sorted = [...rows].sort((a, b) => b.importance - a.importance);
  const W = 420;
  const row = 24;
  const labelW = 150;
  const valueW = 44;
  const H = Math.max(sorted.length, 1) * row + 8;
  const max = Math.max(...sorted.map((r) => r.importance), 0) || 1;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'chart bar-chart',
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      'data-bars': sorted.length,
    },
    s('title', { id: titleId }, title),
    s(
      'desc',
      { id: descId },
      sorted.length ? sorted.map((r) => `${r.feature} ${fmtNum(r.importance)}`).join(', ') : 'No feature importance recorded.',
    ),
  );
  if (!sorted.length) {
    svg.append(s('text', { x: W / 2, y: H / 2 + 4, class: 'chart-empty', 'text-anchor': 'middle' }, 'No feature importance recorded'));
    return svg;
  }
  sorted.forEach((r, i) => {
    const top = 4 + i * row;
    const width = r1(Math.max(0, (r.importance / max) * (W - labelW - valueW - 8)));
    svg.append(
      s(
        'g',
        { class: 'bar-row' },
        s('text', { x: labelW - 6, y: top + row / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, truncate(r.feature, 22)),
        s('rect', { x: labelW, y: top + 4, width, height: row - 8, rx: 2, class: 'bar' }, s('title', null, `${r.feature}: ${fmtNum(r.importance)}`)),
        s('text', { x: labelW + width + 4, y: top + row / 2 + 4, class: 'bar-value' }, fmtNum(r.importance)),
      ),
    );
  });
  return svg;
}

export interface Attribution {
  feature: string;
  value: string | null;
  contribution: number;
}

/** The features a waterfall draws one by one; the rest share one row. */
export const WATERFALL_FEATURES = 12;

/**
 * One outcome explained as a waterfall: from the base value (the score less all contributions) each
 * feature's contribution moves the running total up (positive) or down (negative) to the score.
 * Without a score the base is 0 and the total is the sum of the contributions.
 */
export function waterfallChart(id: string, title: string, score: number | null, attributions: readonly Attribution[]): SVGSVGElement {
  const sorted = [...attributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const shown = sorted.slice(0, WATERFALL_FEATURES);
  const rest = sorted.slice(WATERFALL_FEATURES);
  const steps: { label: string; delta: number; kind: 'feature' | 'rest' }[] = shown.map((a) => ({
    label: a.value === null ? a.feature : `${a.feature} = ${a.value}`,
    delta: a.contribution,
    kind: 'feature',
  }));
  if (rest.length)
    steps.push({
      label: `${rest.length} other feature${rest.length === 1 ? '' : 's'}`,
      delta: rest.reduce((sum, a) => sum + a.contribution, 0),
      kind: 'rest',
    });
  const sum = steps.reduce((total, step) => total + step.delta, 0);
  const total = score ?? sum;
  const base = total - sum;

  const W = 460;
  const row = 24;
  const labelW = 170;
  const valueW = 56;
  const H = (steps.length + 2) * row + 8;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'chart waterfall-chart',
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      'data-steps': steps.length,
    },
    s('title', { id: titleId }, title),
    s(
      'desc',
      { id: descId },
      `Base ${fmtNum(base)}; ${steps.map((st) => `${st.label} ${st.delta >= 0 ? '+' : ''}${fmtNum(st.delta)}`).join(', ')}; ${score === null ? 'total' : 'score'} ${fmtNum(total)}.`,
    ),
  );

  let running = base;
  const ends = [0, base, total];
  for (const step of steps) ends.push((running += step.delta));
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const span = hi - lo || 1;
  const x = (v: number) => r1(labelW + ((v - lo) / span) * (W - labelW - valueW - 8));
  const bar = (i: number, from: number, to: number, cls: string, label: string, value: string, tip: string) => {
    const top = 4 + i * row;
    const left = Math.min(x(from), x(to));
    const width = Math.max(1, r1(Math.abs(x(to) - x(from))));
    return s(
      'g',
      { class: 'wf-row', 'data-label': label },
      s('text', { x: labelW - 6, y: top + row / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, truncate(label, 26)),
      s('rect', { x: left, y: top + 4, width, height: row - 8, rx: 2, class: cls }, s('title', null, tip)),
      s('text', { x: left + width + 4, y: top + row / 2 + 4, class: 'bar-value' }, value),
    );
  };
  svg.append(s('line', { x1: x(0), x2: x(0), y1: 0, y2: H, class: 'grid' }));
  svg.append(bar(0, 0, base, 'wf-total', 'base', fmtNum(base), `base value ${fmtNum(base)}`));
  running = base;
  steps.forEach((step, i) => {
    const from = running;
    running += step.delta;
    const cls = step.kind === 'rest' ? 'wf-rest' : step.delta >= 0 ? 'wf-up' : 'wf-down';
    const signed = `${step.delta >= 0 ? '+' : ''}${fmtNum(step.delta)}`;
    svg.append(bar(i + 1, from, running, cls, step.label, signed, `${step.label}: ${signed}`));
  });
  svg.append(
    bar(
      steps.length + 1,
      0,
      total,
      'wf-total',
      score === null ? 'total' : 'score',
      fmtNum(total),
      `${score === null ? 'total' : 'score'} ${fmtNum(total)}`,
    ),
  );
  return svg;
}
