import type { MetricValue } from './run.entity';
import { badInput } from '../errors';
import type { UnitOfWork } from '../unit-of-work';
import { finite, LIMITS, mergeMetrics, requiredText, validDate } from '../validate';
import { MetricPoint } from './metric-point.entity';
import type { Run } from './run.entity';

/** A metric value as a pipeline logs it: at a step (default 0) and a time (default now). */
export interface MetricPointInput {
  key: string;
  value: number;
  step?: number | null;
  timestamp?: Date | null;
}

/** A validated point; `timestamp` null when the pipeline gave none. */
export interface ValidPoint {
  key: string;
  value: number;
  step: number;
  timestamp: Date | null;
}

/** Validates points, at most LIMITS.metrics of them. */
export function metricPoints(field: string, values: readonly MetricPointInput[]): ValidPoint[] {
  if (values.length > LIMITS.metrics) throw badInput(`${field} takes at most ${LIMITS.metrics} points.`, field);
  return values.map((p, i) => {
    const step = p.step ?? 0;
    if (!Number.isInteger(step) || step < 0 || step > 2 ** 31 - 1)
      throw badInput(`${field}[${i}].step must be an integer from 0 to 2147483647.`, `${field}[${i}].step`);
    return {
      key: requiredText(`${field}[${i}].key`, p.key, LIMITS.metricKey),
      value: finite(`${field}[${i}].value`, p.value),
      step,
      timestamp: p.timestamp == null ? null : validDate(`${field}[${i}].timestamp`, p.timestamp),
    };
  });
}

const stepKey = (key: string, step: number) => `${step}\u0000${key}`;

/**
 * Appends `points` to the run's metric history and sets `run.metrics` to the latest point of
 * each key (highest step, then latest timestamp, then last logged). A point whose key and step
 * already end with the same value (and the same timestamp, when one is given) is not appended
 * again: re-running a pipeline does not grow its history. Returns the appended points and the
 * latest values of the keys they touch.
 */
export async function appendMetrics(
  uow: UnitOfWork,
  run: Run,
  points: readonly ValidPoint[],
): Promise<{ appended: ValidPoint[]; latest: MetricValue[] }> {
  if (!points.length) return { appended: [], latest: [] };
  const { em } = uow;
  const keys = [...new Set(points.map((p) => p.key))];
  const existing = await em.find(
    MetricPoint,
    { run: run.id, key: { $in: keys }, step: { $in: [...new Set(points.map((p) => p.step))] } },
    { orderBy: { id: 'asc' }, fields: ['key', 'step', 'value', 'timestamp'] },
  );
  const last = new Map<string, { value: number; timestamp: Date }>();
  for (const p of existing) last.set(stepKey(p.key, p.step), p);
  const now = new Date();
  const appended: ValidPoint[] = [];
  for (const p of points) {
    const before = last.get(stepKey(p.key, p.step));
    if (before && before.value === p.value && (p.timestamp === null || before.timestamp.getTime() === p.timestamp.getTime())) continue;
    const timestamp = p.timestamp ?? now;
    em.create(MetricPoint, { run, key: p.key, value: p.value, step: p.step, timestamp });
    last.set(stepKey(p.key, p.step), { value: p.value, timestamp });
    appended.push(p);
  }
  if (!appended.length) return { appended, latest: [] };
  await em.flush();
  const touched = [...new Set(appended.map((p) => p.key))];
  const knex = uow.reader.knex;
  const ranked = knex('metric_points')
    .select('key', 'value', knex.raw('row_number() over (partition by "key" order by "step" desc, "timestamp" desc, "id" desc) as "rank"'))
    .where('run_id', run.id)
    .whereIn('key', touched)
    .as('ranked');
  const rows: { key: string; value: number }[] = await knex.select('key', 'value').from(ranked).where('rank', 1);
  const byKey = new Map(rows.map((r) => [r.key, Number(r.value)]));
  const latest = touched.map((key) => ({ key, value: byKey.get(key)! }));
  run.metrics = mergeMetrics(run.metrics, latest);
  return { appended, latest };
}
