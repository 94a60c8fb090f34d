import { BUILDERS, authorize, requireRole, type ServiceContext } from '../context';
import { RunStatus } from '../enums';
import { conflict } from '../errors';
import { Goal } from '../goal/goal.entity';
import { findByGlobalId } from '../lookup';
import { write } from '../unit-of-work';
import { changesOf, jsonObject, LIMITS, mergeMetrics, metrics, oneOf, optionalText, requiredText, type MetricInput } from '../validate';
import { ModelVersion } from '../model/model-version.entity';
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
    return write(ctx, async (uow) => {
      const goal = await findByGlobalId(uow.em, Goal, 'Goal', input.goalId);
      const experiment = uow.em.create(Experiment, { name, hypothesis, goal, owner: viewer.id });
      uow.record({
        type: 'EXPERIMENT_CREATED',
        subject: experiment,
        scope: { goalId: goal.id },
        summary: `${uow.actor} started experiment "${name}" for goal "${goal.title}"`,
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
    return write(ctx, async (uow) => {
      const experiment = await findByGlobalId(uow.em, Experiment, 'Experiment', input.experimentId);
      const run = uow.em.create(Run, { ...data, experiment, author: viewer.id });
      uow.record({
        type: 'RUN_LOGGED',
        subject: run,
        scope: { goalId: experiment.goal.id },
        summary: `${uow.actor} logged run ${run.name ? `"${run.name}" ` : ''}in "${experiment.name}" (${run.status}${metricText(run.metrics)})`,
        data: { experiment: experiment.name, status: run.status, metrics: run.metrics, name: data.name, params: data.params, datasetUri: data.datasetUri, codeVersion: data.codeVersion },
      });
      return run;
    });
  },

  /**
   * Same roles as logRun. New metric values replace those of the same key; leaving RUNNING sets
   * `finishedAt`. A finished or failed run cannot run again, and a FINISHED run or one behind a
   * version whose evidence is frozen cannot change at all (CONFLICT).
   */
  async updateRun(ctx: ServiceContext, input: UpdateRunInput): Promise<Run> {
    authorize(ctx, 'updateRun', BUILDERS);
    const status = input.status == null ? undefined : oneOf('status', input.status, RunStatus);
    const updates = input.metrics == null ? [] : metrics('metrics', input.metrics);
    return write(ctx, async (uow) => {
      const run = await findByGlobalId(uow.em, Run, 'Run', input.runId);
      const label = `Run ${run.name ? `"${run.name}"` : input.runId}`;
      if (run.status === RunStatus.FINISHED) throw conflict(`${label} is FINISHED and cannot change: log a new run with logRun instead.`);
      const backing = await uow.em.findOne(ModelVersion, { run: run.id, evidenceFrozenAt: { $ne: null } }, { populate: ['model'] });
      if (backing) {
        throw conflict(`${label} is the evidence of ${backing.model.getEntity().name} v${backing.version}, which is frozen: log a new run and register a new version instead.`);
      }
      const fromStatus = run.status;
      const fromMetrics = run.metrics;
      if (status !== undefined && status !== run.status) {
        if (run.status !== RunStatus.RUNNING) {
          throw conflict(`The run is already ${run.status}; a closed run cannot become ${status}.`);
        }
        run.status = status;
        run.finishedAt = new Date();
      }
      if (updates.length) run.metrics = mergeMetrics(run.metrics, updates);
      const experiment = await uow.em.findOneOrFail(Experiment, run.experiment.id);
      uow.record({
        type: 'RUN_UPDATED',
        subject: run,
        scope: { goalId: experiment.goal.id },
        summary: `${uow.actor} updated run ${run.name ? `"${run.name}" ` : ''}in "${experiment.name}" (${fromStatus === run.status ? run.status : `${fromStatus} → ${run.status}`}${metricText(updates)})`,
        data: { fromStatus, status: run.status, metrics: updates, changes: changesOf({ status: [fromStatus, run.status], metrics: [fromMetrics, run.metrics] }) },
      });
      return run;
    });
  },
};
