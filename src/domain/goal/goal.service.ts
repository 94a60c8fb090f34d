import { authorize, requireRole, requireViewer, type ServiceContext } from '../context';
import { GoalStatus, KpiDirection, Role } from '../enums';
import { badInput, forbidden, notFound } from '../errors';
import type { Changes } from '../event/event.types';
import { dbId, toGlobalId } from '../ids';
import { lockRow } from '../lock';
import { findByGlobalId, findLocked } from '../lookup';
import { MonitorEvaluation } from '../monitor/monitor.evaluator';
import { write, type UnitOfWork } from '../unit-of-work';
import { applyChanges, changesOf, finite, LIMITS, oneOf, optionalFinite, optionalText, pastDate, requiredText, validDate } from '../validate';
import { Goal } from './goal.entity';
import { Kpi } from './kpi.entity';
import { KpiObservation } from './kpi-observation.entity';
import { StageHistory } from './stage-history';

export interface CreateGoalInput {
  title: string;
  businessQuestion: string;
  description?: string | null;
  status?: GoalStatus | null;
}

export interface UpdateGoalInput {
  goalId: string;
  title?: string | null;
  businessQuestion?: string | null;
  description?: string | null;
  status?: GoalStatus | null;
}

export interface AddKpiInput {
  goalId: string;
  name: string;
  description?: string | null;
  unit?: string | null;
  direction: KpiDirection;
  baseline?: number | null;
  target?: number | null;
}

export interface RecordKpiValueInput {
  kpiId: string;
  value: number;
  observedAt?: Date | null;
}

export interface KpiValueInput {
  value: number;
  observedAt: Date;
  sourceKey?: string | null;
}

export interface RecordKpiValuesInput {
  kpiId: string;
  values: KpiValueInput[];
}

export const goalService = {
  /** SME or ADMIN; the creator owns the goal. */
  async create(ctx: ServiceContext, input: CreateGoalInput): Promise<Goal> {
    const viewer = requireRole(ctx, 'createGoal', [Role.SME]);
    const data = {
      title: requiredText('title', input.title, LIMITS.name),
      businessQuestion: requiredText('businessQuestion', input.businessQuestion, LIMITS.body),
      description: optionalText('description', input.description, LIMITS.body) ?? null,
      status: input.status ? oneOf('status', input.status, GoalStatus) : GoalStatus.ACTIVE,
    };
    return write(ctx, async (uow) => {
      const goal = uow.em.create(Goal, { ...data, owner: viewer.id });
      uow.record({
        type: 'GOAL_CREATED',
        subject: goal,
        summary: `${uow.actor} created goal "${goal.title}"`,
        data: { title: goal.title, status: goal.status, businessQuestion: goal.businessQuestion, description: goal.description ?? null },
      });
      return goal;
    });
  },

  /** The goal's owner or ADMIN; fields left out stay as they are. */
  async update(ctx: ServiceContext, input: UpdateGoalInput): Promise<Goal> {
    const viewer = requireViewer(ctx);
    const title = input.title == null ? undefined : requiredText('title', input.title, LIMITS.name);
    const question = input.businessQuestion == null ? undefined : requiredText('businessQuestion', input.businessQuestion, LIMITS.body);
    const description = optionalText('description', input.description, LIMITS.body);
    const status = input.status == null ? undefined : oneOf('status', input.status, GoalStatus);
    return write(ctx, async (uow) => {
      const goal = await findLocked(uow.em, Goal, 'Goal', input.goalId);
      if (goal.owner.id !== viewer.id && !viewer.roles.includes(Role.ADMIN)) {
        throw forbidden("updateGoal is for the goal's owner or an ADMIN.");
      }
      const changes = applyChanges(goal, { title, businessQuestion: question, description, status });
      goal.updatedAt = new Date();
      uow.record({
        type: 'GOAL_UPDATED',
        subject: goal,
        summary: changes.status
          ? `${uow.actor} set goal "${goal.title}" to ${goal.status}`
          : `${uow.actor} updated goal "${goal.title}": ${Object.keys(changes).join(', ') || 'no changes'}`,
        data: { changes },
      });
      return goal;
    });
  },

  /** SME or ADMIN. */
  async addKpi(ctx: ServiceContext, input: AddKpiInput): Promise<Kpi> {
    authorize(ctx, 'addKpi', [Role.SME]);
    const data = {
      name: requiredText('name', input.name, LIMITS.name),
      description: optionalText('description', input.description, LIMITS.body) ?? null,
      unit: optionalText('unit', input.unit, LIMITS.short) ?? null,
      direction: oneOf('direction', input.direction, KpiDirection),
      baseline: optionalFinite('baseline', input.baseline) ?? null,
      target: optionalFinite('target', input.target) ?? null,
    };
    return write(ctx, async (uow) => {
      const goal = await findByGlobalId(uow.em, Goal, 'Goal', input.goalId);
      const kpi = uow.em.create(Kpi, { ...data, goal });
      uow.record({
        type: 'KPI_ADDED',
        subject: kpi,
        scope: { goalId: goal.id },
        summary: `${uow.actor} added KPI "${kpi.name}" to goal "${goal.title}"`,
        data: {
          name: kpi.name,
          direction: kpi.direction,
          baseline: kpi.baseline ?? null,
          target: kpi.target ?? null,
          unit: kpi.unit ?? null,
          description: kpi.description ?? null,
        },
      });
      return kpi;
    });
  },

  /**
   * SME, DATA_SCIENTIST, ML_ENGINEER or ADMIN. The value is credited to the goal's version that was
   * in PRODUCTION at `observedAt` (default now); `current` follows the latest `observedAt`.
   */
  async recordKpiValue(ctx: ServiceContext, input: RecordKpiValueInput): Promise<Kpi> {
    const viewer = requireRole(ctx, 'recordKpiValue', KPI_RECORDERS);
    const value = finite('value', input.value);
    const observedAt = input.observedAt ? pastDate('observedAt', input.observedAt) : new Date();
    return write(ctx, async (uow) => {
      const kpi = await findLocked(uow.em, Kpi, 'Kpi', input.kpiId);
      const history = await StageHistory.ofGoal(uow.em, kpi.goal.id);
      const production = history.productionAt(observedAt);
      const changes = observe(uow, kpi, viewer.id, { value, observedAt, sourceKey: null }, production);
      const unit = kpi.unit ? ` ${kpi.unit}` : '';
      uow.record({
        type: 'KPI_RECORDED',
        subject: kpi,
        scope: { goalId: kpi.goal.id, modelVersionId: production },
        summary: `${uow.actor} recorded ${kpi.name} = ${value}${unit}`,
        data: {
          value,
          observedAt: observedAt.toISOString(),
          baseline: kpi.baseline ?? null,
          target: kpi.target ?? null,
          modelVersionId: production ? toGlobalId('ModelVersion', production) : null,
          changes,
        },
      });
      // After the value's event, so that the trail shows the value before the drift it raised.
      await (await MonitorEvaluation.forKpi(uow, kpi)).observe({ value, at: observedAt, versionId: production });
      return kpi;
    });
  },

  /**
   * Same roles as recordKpiValue. All values or none: one bad value is BAD_USER_INPUT naming it.
   * A value whose `sourceKey` the KPI already holds is skipped, so importing the same export again
   * changes nothing. Each value is credited to the version in PRODUCTION at its `observedAt`.
   */
  async recordKpiValues(ctx: ServiceContext, input: RecordKpiValuesInput): Promise<{ kpi: Kpi; recorded: number; skipped: number }> {
    const viewer = requireRole(ctx, 'recordKpiValues', KPI_RECORDERS);
    const values = kpiValues(input.values);
    return write(ctx, async (uow) => {
      const { em } = uow;
      const kpiId = dbId('Kpi', input.kpiId);
      if (!(await lockRow(em, 'kpis', kpiId))) throw notFound('Kpi', JSON.stringify(input.kpiId));
      const kpi = await em.findOneOrFail(Kpi, kpiId);
      const keys = values.map((v) => v.sourceKey).filter((k): k is string => k !== null);
      const known = new Set<string>();
      for (let i = 0; i < keys.length; i += 500) {
        const found = await em.find(KpiObservation, { kpi: kpi.id, sourceKey: { $in: keys.slice(i, i + 500) } }, { fields: ['sourceKey'] });
        for (const o of found) known.add(o.sourceKey!);
      }
      const fresh = values.filter((v) => v.sourceKey === null || !known.has(v.sourceKey));
      const history = await StageHistory.ofGoal(em, kpi.goal.id);
      const before = { current: kpi.current ?? null, currentObservedAt: kpi.currentObservedAt ?? null };
      const credited = fresh.map((v) => ({ value: v.value, at: v.observedAt, versionId: history.productionAt(v.observedAt) }));
      fresh.forEach((v, i) => observe(uow, kpi, viewer.id, v, credited[i].versionId));
      const skipped = values.length - fresh.length;
      // Recorded even when every value was known: the attempt is part of the trail.
      uow.record({
        type: 'KPI_VALUES_RECORDED',
        subject: kpi,
        scope: { goalId: kpi.goal.id },
        summary: `${uow.actor} imported ${fresh.length} value${fresh.length === 1 ? '' : 's'} of ${kpi.name}${skipped ? ` (${skipped} already known)` : ''}`,
        data: {
          recorded: fresh.length,
          skipped,
          changes: changesOf({
            current: [before.current, kpi.current ?? null],
            currentObservedAt: [before.currentObservedAt, kpi.currentObservedAt ?? null],
          }),
        },
      });
      // After the import's event; monitors see the values in the order they were observed.
      const monitors = await MonitorEvaluation.forKpi(uow, kpi);
      for (const observation of credited.sort((a, b) => a.at.getTime() - b.at.getTime())) await monitors.observe(observation);
      return { kpi, recorded: fresh.length, skipped };
    });
  },
};

const KPI_RECORDERS = [Role.SME, Role.DATA_SCIENTIST, Role.ML_ENGINEER];

interface KpiValue {
  value: number;
  observedAt: Date;
  sourceKey: string | null;
}

/** Validates a batch: every value and date, source keys not repeated within it. */
function kpiValues(input: readonly KpiValueInput[]): KpiValue[] {
  if (!Array.isArray(input) || !input.length) throw badInput('values must hold at least one value.', 'values');
  if (input.length > LIMITS.kpiValues) throw badInput(`values takes at most ${LIMITS.kpiValues} values per call.`, 'values');
  const seen = new Map<string, number>();
  return input.map((v, i) => {
    const sourceKey = optionalText(`values[${i}].sourceKey`, v.sourceKey, LIMITS.name) ?? null;
    if (sourceKey !== null) {
      if (seen.has(sourceKey)) throw badInput(`values[${i}].sourceKey repeats values[${seen.get(sourceKey)}].`, `values[${i}].sourceKey`);
      seen.set(sourceKey, i);
    }
    if (!v.observedAt) throw badInput(`values[${i}].observedAt is required.`, `values[${i}].observedAt`);
    return { value: finite(`values[${i}].value`, v.value), observedAt: validDate(`values[${i}].observedAt`, v.observedAt), sourceKey };
  });
}

/** Adds one observation credited to `versionId`, moves `current` when it is the latest, and returns what changed on the KPI. */
function observe(uow: UnitOfWork, kpi: Kpi, recordedBy: number, v: KpiValue, versionId: number | null): Changes {
  uow.em.create(KpiObservation, { kpi, value: v.value, observedAt: v.observedAt, sourceKey: v.sourceKey, recordedBy, modelVersion: versionId });
  const before = { current: kpi.current ?? null, currentObservedAt: kpi.currentObservedAt ?? null };
  if (!kpi.currentObservedAt || v.observedAt >= kpi.currentObservedAt) {
    kpi.current = v.value;
    kpi.currentObservedAt = v.observedAt;
  }
  return changesOf({ current: [before.current, kpi.current ?? null], currentObservedAt: [before.currentObservedAt, kpi.currentObservedAt ?? null] });
}
