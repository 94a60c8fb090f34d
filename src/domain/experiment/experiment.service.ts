import { BUILDERS, authorize, requireRole, type ServiceContext } from '../context';
import { RunStatus } from '../enums';
import { conflict } from '../errors';
import { Goal } from '../goal/goal.entity';
import { findByGlobalId } from '../lookup';
import { jsonObject, LIMITS, mergeMetrics, metrics, oneOf, optionalText, requiredText, type MetricInput } from '../validate';
import { actorName, recordEvent } from '../event/event.recorder';
import { LifecycleEventType } from '../event/lifecycle-event.entity';
import { Experiment } from './experiment.entity';
import { Run } from './run.entity';

export interface CreateExperimentInput {
  goalId: string;
  name: string;
  hypothesis?: string | null;
}

export interface LogRunInput {
  experimentId: string;
  name?: string | null;
  status?: RunStatus | null;
  params?: Record<string, unknown> | null;
  metrics?: MetricInput[] | null;
  datasetUri?: string | null;
  codeVersion?: string | null;
}

export interface UpdateRunInput {
  runId: string;
  status?: RunStatus | null;
  metrics?: MetricInput[] | null;
}

function metricText(values: readonly MetricInput[]): string {
  return values.length ? `, ${values.slice(0, 3).map((m) => `${m.key}=${m.value}`).join(', ')}${values.length > 3 ? ', …' : ''}` : '';
}

export const experimentService = {
  /** DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN; the creator owns it. */
  async create(ctx: ServiceContext, input: CreateExperimentInput): Promise<Experiment> {
    const viewer = requireRole(ctx, 'createExperiment', BUILDERS);
    const name = requiredText('name', input.name, LIMITS.name);
    const hypothesis = optionalText('hypothesis', input.hypothesis, LIMITS.body) ?? null;
    return ctx.em.transactional(async (em) => {
      const goal = await findByGlobalId(em, Goal, 'Goal', input.goalId);
      const experiment = em.create(Experiment, { name, hypothesis, goal, owner: viewer.id });
      await em.flush();
      await recordEvent(em, ctx, {
        type: LifecycleEventType.EXPERIMENT_CREATED,
        subject: { type: 'Experiment', id: experiment.id },
        goalId: goal.id,
        summary: `${actorName(ctx)} started experiment "${name}" for goal "${goal.title}"`,
        data: { name, hypothesis },
      });
      return experiment;
    });
  },

  /** Same roles as createExperiment. A run logged as FINISHED or FAILED is closed at once. */
  async logRun(ctx: ServiceContext, input: LogRunInput): Promise<Run> {
    const viewer = requireRole(ctx, 'logRun', BUILDERS);
    const status = input.status ? oneOf('status', input.status, RunStatus) : RunStatus.RUNNING;
    const now = new Date();
    const data = {
      name: optionalText('name', input.name, LIMITS.name) ?? null,
      status,
      params: input.params == null ? {} : jsonObject('params', input.params),
      metrics: metrics('metrics', input.metrics ?? []),
      datasetUri: optionalText('datasetUri', input.datasetUri, LIMITS.uri) ?? null,
      codeVersion: optionalText('codeVersion', input.codeVersion, LIMITS.name) ?? null,
      startedAt: now,
      finishedAt: status === RunStatus.RUNNING ? null : now,
    };
    return ctx.em.transactional(async (em) => {
      const experiment = await findByGlobalId(em, Experiment, 'Experiment', input.experimentId);
      const run = em.create(Run, { ...data, experiment, author: viewer.id });
      await em.flush();
      await recordEvent(em, ctx, {
        type: LifecycleEventType.RUN_LOGGED,
        subject: { type: 'Run', id: run.id },
        goalId: experiment.goal.id,
        summary: `${actorName(ctx)} logged run ${run.name ? `"${run.name}" ` : ''}in "${experiment.name}" (${run.status}${metricText(run.metrics)})`,
        data: { experiment: experiment.name, status: run.status, metrics: run.metrics },
      });
      return run;
    });
  },

  /**
   * Same roles as logRun. New metric values replace those of the same key; leaving RUNNING sets
   * `finishedAt`. A finished or failed run cannot run again (CONFLICT).
   */
  async updateRun(ctx: ServiceContext, input: UpdateRunInput): Promise<Run> {
    authorize(ctx, 'updateRun', BUILDERS);
    const status = input.status == null ? undefined : oneOf('status', input.status, RunStatus);
    const updates = input.metrics == null ? [] : metrics('metrics', input.metrics);
    return ctx.em.transactional(async (em) => {
      const run = await findByGlobalId(em, Run, 'Run', input.runId);
      const fromStatus = run.status;
      if (status !== undefined && status !== run.status) {
        if (run.status !== RunStatus.RUNNING) {
          throw conflict(`The run is already ${run.status}; a closed run cannot become ${status}.`);
        }
        run.status = status;
        run.finishedAt = new Date();
      }
      if (updates.length) run.metrics = mergeMetrics(run.metrics, updates);
      await em.flush();
      const experiment = await em.findOneOrFail(Experiment, run.experiment.id);
      await recordEvent(em, ctx, {
        type: LifecycleEventType.RUN_UPDATED,
        subject: { type: 'Run', id: run.id },
        goalId: experiment.goal.id,
        summary: `${actorName(ctx)} updated run ${run.name ? `"${run.name}" ` : ''}in "${experiment.name}" (${fromStatus === run.status ? run.status : `${fromStatus} → ${run.status}`}${metricText(updates)})`,
        data: { fromStatus, status: run.status, metrics: updates },
      });
      return run;
    });
  },
};
