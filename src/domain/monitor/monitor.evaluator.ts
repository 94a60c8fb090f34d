import { close, raise } from '../drift/drift.service';
import { DriftFlag, DriftKind, DriftStatus } from '../drift/drift-flag.entity';
import { KpiDirection } from '../enums';
import { lockRow } from '../lock';
import type { Kpi } from '../goal/kpi.entity';
import { StageHistory } from '../goal/stage-history';
import { ModelVersion } from '../model/model-version.entity';
import { versionScope, type VersionScope } from '../model/model.repository';
import type { UnitOfWork } from '../unit-of-work';
import { Monitor, MonitorCondition, MonitorSource } from './monitor.entity';

/** One new value a monitor watches: when it was observed and the version then in PRODUCTION (null: none). */
export interface Observation {
  value: number;
  at: Date;
  versionId: number | null;
}

/** Whether `value` breaches the rule; null when it cannot tell (a baseline rule on a KPI without a usable baseline). */
function breaches(monitor: Monitor, value: number, kpi: Kpi | null): boolean | null {
  switch (monitor.condition) {
    case MonitorCondition.ABOVE:
      return value > monitor.threshold;
    case MonitorCondition.BELOW:
      return value < monitor.threshold;
    case MonitorCondition.WORSE_THAN_BASELINE_PCT: {
      if (!kpi?.baseline) return null;
      const worse = kpi.direction === KpiDirection.HIGHER_IS_BETTER ? kpi.baseline - value : value - kpi.baseline;
      return (worse / Math.abs(kpi.baseline)) * 100 > monitor.threshold;
    }
  }
}

/** The rule in words: "below 0.8", "more than 10% worse than the baseline 0.9". */
function ruleText(monitor: Monitor, kpi: Kpi | null): string {
  switch (monitor.condition) {
    case MonitorCondition.ABOVE:
      return `above ${monitor.threshold}`;
    case MonitorCondition.BELOW:
      return `below ${monitor.threshold}`;
    case MonitorCondition.WORSE_THAN_BASELINE_PCT:
      return `more than ${monitor.threshold}% worse than the baseline ${kpi?.baseline}`;
  }
}

/**
 * The monitors one write evaluates, loaded once with their unresolved flags, so that a call with
 * many observations costs one pass over them: streaks and open flags are kept here and flushed
 * with the write. A breach after `window` breaching observations in a row raises a flag (origin
 * MONITOR) on the version in PRODUCTION at the observation, or adds to the monitor's unresolved
 * flag on that version; `autoResolveAfter` healthy ones in a row resolve that flag.
 */
export class MonitorEvaluation {
  private readonly scopes = new Map<number, VersionScope>();

  private constructor(
    private readonly uow: UnitOfWork,
    private readonly monitors: readonly Monitor[],
    private readonly open: Map<string, DriftFlag>,
    private readonly kpi: Kpi | null,
  ) {}

  /** The active monitors of a KPI. */
  static forKpi(uow: UnitOfWork, kpi: Kpi): Promise<MonitorEvaluation> {
    return MonitorEvaluation.load(uow, { source: MonitorSource.KPI, kpi: kpi.id }, kpi);
  }

  /** The active monitors of these metric keys on a model. */
  static forMetrics(uow: UnitOfWork, modelId: number, keys: readonly string[]): Promise<MonitorEvaluation> {
    return MonitorEvaluation.load(uow, { source: MonitorSource.VERSION_METRIC, model: modelId, metricKey: { $in: [...keys] } }, null);
  }

  private static async load(uow: UnitOfWork, where: object, kpi: Kpi | null): Promise<MonitorEvaluation> {
    const found = await uow.em.find(Monitor, { ...where, paused: false }, { orderBy: { id: 'asc' }, fields: ['id'] });
    // Locked, so that concurrent writes see each other's streaks and flags.
    for (const { id } of found) await lockRow(uow.em, 'monitors', id);
    const monitors = found.length
      ? await uow.em.find(Monitor, { id: { $in: found.map((m) => m.id) }, paused: false }, { orderBy: { id: 'asc' }, refresh: true })
      : [];
    const open = new Map<string, DriftFlag>();
    if (monitors.length) {
      const flags = await uow.em.find(
        DriftFlag,
        { monitor: { $in: monitors.map((m) => m.id) }, status: { $ne: DriftStatus.RESOLVED } },
        { orderBy: { id: 'asc' } },
      );
      for (const flag of flags) open.set(`${flag.monitor!.id}:${flag.modelVersion.id}`, flag);
    }
    return new MonitorEvaluation(uow, monitors, open, kpi);
  }

  /** Whether there is no monitor to evaluate. */
  get empty(): boolean {
    return !this.monitors.length;
  }

  /** Evaluates one observation against every monitor (of `metricKey`, for version metrics). */
  async observe(observation: Observation, metricKey?: string): Promise<void> {
    for (const monitor of this.monitors) {
      if (metricKey !== undefined && monitor.metricKey !== metricKey) continue;
      const breach = breaches(monitor, observation.value, this.kpi);
      if (breach === true) await this.breach(monitor, observation);
      else if (breach === false) await this.healthy(monitor, observation);
    }
  }

  private async breach(monitor: Monitor, { value, at, versionId }: Observation): Promise<void> {
    monitor.healthyStreak = 0;
    monitor.breachStreak += 1;
    if (monitor.breachStreak < monitor.window || versionId === null) return;
    const key = `${monitor.id}:${versionId}`;
    const flag = this.open.get(key);
    if (flag) {
      flag.occurrences += 1;
      if (!flag.lastSeenAt || at > flag.lastSeenAt) flag.lastSeenAt = at;
      flag.observed = value;
      return;
    }
    const what = monitor.metricKey ?? this.kpi?.name ?? 'value';
    const expected = monitor.condition === MonitorCondition.WORSE_THAN_BASELINE_PCT ? (this.kpi?.baseline ?? null) : monitor.threshold;
    this.open.set(
      key,
      raise(
        this.uow,
        await this.scope(versionId),
        {
          kind: monitor.source === MonitorSource.KPI ? DriftKind.BUSINESS : DriftKind.PERFORMANCE,
          severity: monitor.severity,
          description: `Monitor "${monitor.name}": ${what} = ${value}, ${ruleText(monitor, this.kpi)}${monitor.window > 1 ? ` for ${monitor.window} observations in a row` : ''}.`,
          metric: what,
          observed: value,
          expected,
        },
        { monitorId: monitor.id, raisedBy: monitor.createdBy.id, seenAt: at },
      ),
    );
  }

  private async healthy(monitor: Monitor, { versionId }: Observation): Promise<void> {
    monitor.breachStreak = 0;
    monitor.healthyStreak += 1;
    if (!monitor.autoResolveAfter || monitor.healthyStreak < monitor.autoResolveAfter || versionId === null) return;
    const key = `${monitor.id}:${versionId}`;
    const flag = this.open.get(key);
    if (!flag) return;
    this.open.delete(key);
    close(this.uow, flag, await this.scope(versionId), `Monitor "${monitor.name}" saw ${monitor.healthyStreak} healthy observations in a row.`);
  }

  private async scope(versionId: number): Promise<VersionScope> {
    let scope = this.scopes.get(versionId);
    if (!scope) {
      scope = await versionScope(this.uow.em, versionId);
      this.scopes.set(versionId, scope);
    }
    return scope;
  }
}

/** A metric point a pipeline logged on a run. */
export interface LoggedPoint {
  key: string;
  value: number;
  /** Null: logged now. */
  timestamp: Date | null;
}

/**
 * Evaluates points logged on a run against the VERSION_METRIC monitors of each version the run
 * backs; a point counts only when that version was in PRODUCTION at the point's timestamp.
 */
export async function evaluateRunMetrics(uow: UnitOfWork, runId: number, points: readonly LoggedPoint[]): Promise<void> {
  if (!points.length) return;
  const versions = await uow.em.find(ModelVersion, { run: runId }, { populate: ['model'], orderBy: { id: 'asc' } });
  const keys = [...new Set(points.map((p) => p.key))];
  const now = new Date();
  const inTime = points.map((p) => ({ ...p, at: p.timestamp ?? now })).sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const version of versions) {
    const monitors = await MonitorEvaluation.forMetrics(uow, version.model.id, keys);
    if (monitors.empty) continue;
    const history = await StageHistory.ofGoal(uow.em, version.model.getEntity().goal.id);
    for (const p of inTime) {
      if (history.wasInProduction(version.id, p.at)) await monitors.observe({ value: p.value, at: p.at, versionId: version.id }, p.key);
    }
  }
}
