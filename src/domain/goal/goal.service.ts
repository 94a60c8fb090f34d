import { authorize, requireRole, requireViewer, type ServiceContext } from '../context';
import { GoalStatus, KpiDirection, Role, Stage } from '../enums';
import { forbidden } from '../errors';
import { toGlobalId } from '../ids';
import { findByGlobalId } from '../lookup';
import { ModelVersion } from '../model/model-version.entity';
import { write } from '../unit-of-work';
import { applyChanges, finite, LIMITS, oneOf, optionalFinite, optionalText, requiredText, validDate } from '../validate';
import { Goal } from './goal.entity';
import { Kpi } from './kpi.entity';
import { KpiObservation } from './kpi-observation.entity';

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
      const goal = await findByGlobalId(uow.em, Goal, 'Goal', input.goalId);
      if (goal.owner.id !== viewer.id && !viewer.roles.includes(Role.ADMIN)) {
        throw forbidden('updateGoal is for the goal\'s owner or an ADMIN.');
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
        data: { name: kpi.name, direction: kpi.direction, baseline: kpi.baseline ?? null, target: kpi.target ?? null, unit: kpi.unit ?? null, description: kpi.description ?? null },
      });
      return kpi;
    });
  },

  /**
   * SME, DATA_SCIENTIST, ML_ENGINEER or ADMIN. The observation remembers the goal's production
   * version at recording time; `current` follows the observation with the latest `observedAt`.
   */
  async recordKpiValue(ctx: ServiceContext, input: RecordKpiValueInput): Promise<Kpi> {
    const viewer = requireRole(ctx, 'recordKpiValue', [Role.SME, Role.DATA_SCIENTIST, Role.ML_ENGINEER]);
    const value = finite('value', input.value);
    const observedAt = input.observedAt ? validDate('observedAt', input.observedAt) : new Date();
    return write(ctx, async (uow) => {
      const { em } = uow;
      const kpi = await findByGlobalId(em, Kpi, 'Kpi', input.kpiId);
      const production = await em.findOne(
        ModelVersion,
        { stage: Stage.PRODUCTION, model: { goal: kpi.goal.id } },
        { orderBy: { stageChangedAt: 'desc', id: 'desc' }, fields: ['id'] },
      );
      em.create(KpiObservation, { kpi, value, observedAt, recordedBy: viewer.id, modelVersion: production?.id ?? null });
      if (!kpi.currentObservedAt || observedAt >= kpi.currentObservedAt) {
        kpi.current = value;
        kpi.currentObservedAt = observedAt;
      }
      const unit = kpi.unit ? ` ${kpi.unit}` : '';
      uow.record({
        type: 'KPI_RECORDED',
        subject: kpi,
        scope: { goalId: kpi.goal.id, modelVersionId: production?.id ?? null },
        summary: `${uow.actor} recorded ${kpi.name} = ${value}${unit}`,
        data: { value, observedAt: observedAt.toISOString(), baseline: kpi.baseline ?? null, target: kpi.target ?? null, modelVersionId: production ? toGlobalId('ModelVersion', production.id) : null },
      });
      return kpi;
    });
  },
};
