import { BUILDERS, authorize, requireRole, type ServiceContext } from '../context';
import { RunStatus } from '../enums';
import { conflict } from '../errors';
import { Goal } from '../goal/goal.entity';
import { findByGlobalId } from '../lookup';
import { jsonObject, LIMITS, mergeMetrics, metrics, oneOf, optionalText, requiredText, type MetricInput } from '../validate';
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
      if (status !== undefined && status !== run.status) {
        if (run.status !== RunStatus.RUNNING) {
          throw conflict(`The run is already ${run.status}; a closed run cannot become ${status}.`);
        }
        run.status = status;
        run.finishedAt = new Date();
      }
      if (updates.length) run.metrics = mergeMetrics(run.metrics, updates);
      await em.flush();
      return run;
    });
  },
};
