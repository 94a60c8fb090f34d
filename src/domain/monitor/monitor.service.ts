import type { EntityManager } from '@mikro-orm/knex';
import { authorize, requireRole, type ServiceContext } from '../context';
import { DriftFlag, Severity } from '../drift/drift-flag.entity';
import { Role } from '../enums';
import { badInput, notFound } from '../errors';
import { Goal } from '../goal/goal.entity';
import { Kpi } from '../goal/kpi.entity';
import { dbId, toGlobalId } from '../ids';
import { lockRow } from '../lock';
import { findByGlobalId } from '../lookup';
import { Model } from '../model/model.entity';
import { write } from '../unit-of-work';
import { applyChanges, finite, LIMITS, oneOf, optionalFinite, optionalText, requiredText } from '../validate';
import { Monitor, MonitorCondition, MonitorSource } from './monitor.entity';

export interface CreateMonitorInput {
  goalId: string;
  name: string;
  source: MonitorSource;
  kpiId?: string | null;
  modelId?: string | null;
  metricKey?: string | null;
  condition: MonitorCondition;
  threshold: number;
  window?: number | null;
  severity: Severity;
  autoResolveAfter?: number | null;
}

export interface UpdateMonitorInput {
  monitorId: string;
  name?: string | null;
  threshold?: number | null;
  window?: number | null;
  severity?: Severity | null;
  /** 0 turns auto-resolving off. */
  autoResolveAfter?: number | null;
}

export interface PauseMonitorInput {
  monitorId: string;
  paused: boolean;
}

/** At most this many monitors per goal: each observation is evaluated against all of a KPI's or model's. */
export const MAX_MONITORS_PER_GOAL = 20;
/** The largest `window` and `autoResolveAfter`. */
export const MAX_STREAK = 1_000;

/** Who manages monitors. */
const MONITOR_MANAGERS = [Role.SME, Role.DATA_SCIENTIST];

function count(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > MAX_STREAK)
    throw badInput(`${field} must be an integer from ${min} to ${MAX_STREAK}.`, field);
  return value;
}

function threshold(condition: MonitorCondition, value: number): number {
  const valid = finite('threshold', value);
  if (condition === MonitorCondition.WORSE_THAN_BASELINE_PCT && valid < 0) throw badInput('threshold is a percentage: 0 or more.', 'threshold');
  return valid;
}

/** The monitor, with its row locked. */
async function monitorById(em: EntityManager, globalId: string): Promise<Monitor> {
  const id = dbId('Monitor', globalId);
  if (!(await lockRow(em, 'monitors', id))) throw notFound('Monitor', JSON.stringify(globalId));
  return em.findOneOrFail(Monitor, id, { refresh: true });
}

export const monitorService = {
  /**
   * SME, DATA_SCIENTIST or ADMIN. A KPI monitor names a KPI of the goal; a version-metric monitor a
   * model of the goal and a metric key. A baseline rule needs a KPI with a non-zero baseline.
   */
  async create(ctx: ServiceContext, input: CreateMonitorInput): Promise<Monitor> {
    const viewer = requireRole(ctx, 'createMonitor', MONITOR_MANAGERS);
    const source = oneOf('source', input.source, MonitorSource);
    const condition = oneOf('condition', input.condition, MonitorCondition);
    const data = {
      name: requiredText('name', input.name, LIMITS.name),
      source,
      condition,
      threshold: threshold(condition, input.threshold),
      window: input.window == null ? 1 : count('window', input.window, 1),
      severity: oneOf('severity', input.severity, Severity),
      autoResolveAfter: input.autoResolveAfter == null ? null : count('autoResolveAfter', input.autoResolveAfter, 1),
    };
    const metricKey = optionalText('metricKey', input.metricKey, LIMITS.metricKey) ?? null;
    if (source === MonitorSource.KPI && (!input.kpiId || input.modelId || metricKey))
      throw badInput('A KPI monitor takes kpiId, and no modelId or metricKey.', 'kpiId');
    if (source === MonitorSource.VERSION_METRIC && (input.kpiId || !input.modelId || !metricKey))
      throw badInput('A VERSION_METRIC monitor takes modelId and metricKey, and no kpiId.', 'modelId');
    if (source === MonitorSource.VERSION_METRIC && condition === MonitorCondition.WORSE_THAN_BASELINE_PCT)
      throw badInput('Only a KPI has a baseline: use ABOVE or BELOW for a metric.', 'condition');
    return write(ctx, async (uow) => {
      const goalId = dbId('Goal', input.goalId);
      if (!(await lockRow(uow.em, 'goals', goalId))) throw notFound('Goal', JSON.stringify(input.goalId));
      const goal = await uow.em.findOneOrFail(Goal, goalId);
      if ((await uow.em.count(Monitor, { goal: goalId })) >= MAX_MONITORS_PER_GOAL)
        throw badInput(`A goal has at most ${MAX_MONITORS_PER_GOAL} monitors; delete one first.`, 'goalId');
      const kpi = input.kpiId ? await findByGlobalId(uow.em, Kpi, 'Kpi', input.kpiId) : null;
      const model = input.modelId ? await findByGlobalId(uow.em, Model, 'Model', input.modelId) : null;
      if ((kpi ?? model)!.goal.id !== goalId) throw badInput(`That ${kpi ? 'KPI' : 'model'} belongs to another goal.`, kpi ? 'kpiId' : 'modelId');
      if (condition === MonitorCondition.WORSE_THAN_BASELINE_PCT && !kpi!.baseline)
        throw badInput('A baseline rule needs a KPI with a non-zero baseline.', 'condition');
      const monitor = uow.em.create(Monitor, { ...data, goal, kpi, model, metricKey, createdBy: viewer.id });
      uow.record({
        type: 'MONITOR_CREATED',
        subject: monitor,
        scope: { goalId, modelId: model?.id ?? null },
        summary: `${uow.actor} created monitor "${monitor.name}" on ${kpi ? `KPI ${kpi.name}` : `${model!.name} ${metricKey}`} for goal "${goal.title}"`,
        data: {
          ...data,
          metricKey,
          kpiId: kpi ? toGlobalId('Kpi', kpi.id) : null,
          modelId: model ? toGlobalId('Model', model.id) : null,
        },
      });
      return monitor;
    });
  },

  /** SME, DATA_SCIENTIST or ADMIN; fields left out stay as they are. */
  async update(ctx: ServiceContext, input: UpdateMonitorInput): Promise<Monitor> {
    authorize(ctx, 'updateMonitor', MONITOR_MANAGERS);
    const name = input.name == null ? undefined : requiredText('name', input.name, LIMITS.name);
    const window = input.window == null ? undefined : count('window', input.window, 1);
    const severity = input.severity == null ? undefined : oneOf('severity', input.severity, Severity);
    const autoResolveAfter = input.autoResolveAfter == null ? undefined : count('autoResolveAfter', input.autoResolveAfter, 0) || null;
    const newThreshold = optionalFinite('threshold', input.threshold) ?? undefined;
    return write(ctx, async (uow) => {
      const monitor = await monitorById(uow.em, input.monitorId);
      const changes = applyChanges(monitor, {
        name,
        window,
        severity,
        autoResolveAfter,
        threshold: newThreshold === undefined ? undefined : threshold(monitor.condition, newThreshold),
      });
      uow.record({
        type: 'MONITOR_UPDATED',
        subject: monitor,
        summary: `${uow.actor} updated monitor "${monitor.name}": ${Object.keys(changes).join(', ') || 'no changes'}`,
        data: { changes },
      });
      return monitor;
    });
  },

  /** SME, DATA_SCIENTIST or ADMIN. A paused monitor evaluates nothing; resuming starts its streaks afresh. */
  async pause(ctx: ServiceContext, input: PauseMonitorInput): Promise<Monitor> {
    authorize(ctx, 'pauseMonitor', MONITOR_MANAGERS);
    if (typeof input.paused !== 'boolean') throw badInput('paused must be true or false.', 'paused');
    return write(ctx, async (uow) => {
      const monitor = await monitorById(uow.em, input.monitorId);
      const changes = applyChanges(monitor, { paused: input.paused });
      monitor.breachStreak = 0;
      monitor.healthyStreak = 0;
      uow.record({
        type: 'MONITOR_UPDATED',
        subject: monitor,
        summary: `${uow.actor} ${input.paused ? 'paused' : 'resumed'} monitor "${monitor.name}"`,
        data: { changes },
      });
      return monitor;
    });
  },

  /** SME, DATA_SCIENTIST or ADMIN. Its flags stay, no longer linked to it. */
  async delete(ctx: ServiceContext, monitorId: string): Promise<void> {
    authorize(ctx, 'deleteMonitor', MONITOR_MANAGERS);
    await write(ctx, async (uow) => {
      const monitor = await monitorById(uow.em, monitorId);
      uow.record({
        type: 'MONITOR_DELETED',
        subject: monitor,
        scope: { goalId: monitor.goal.id, modelId: monitor.model?.id ?? null },
        summary: `${uow.actor} deleted monitor "${monitor.name}"`,
        data: { name: monitor.name },
      });
      await uow.em.nativeUpdate(DriftFlag, { monitor: monitor.id }, { monitor: null });
      await uow.em.nativeDelete(Monitor, monitor.id);
    });
  },
};
