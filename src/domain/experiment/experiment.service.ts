import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { BUILDERS, authorize, requireRole, type ServiceContext } from '../context';
import { RunStatus } from '../enums';
import { conflict } from '../errors';
import { Goal } from '../goal/goal.entity';
import { dbId } from '../ids';
import { lockRow } from '../lock';
import { findByGlobalId, findLocked } from '../lookup';
import { write, type UnitOfWork } from '../unit-of-work';
import { changesOf, jsonObject, LIMITS, metrics, oneOf, optionalText, requiredText, tags, type MetricInput, type Tag } from '../validate';
import { ModelVersion } from '../model/model-version.entity';
import { evaluateRunMetrics } from '../monitor/monitor.evaluator';
import { Experiment } from './experiment.entity';
import { appendMetrics, metricPoints, type MetricPointInput } from './metric-history';
import { Run } from './run.entity';

export interface CreateExperimentInput {
  goalId: string;
  name: string;
  hypothesis?: string | null;
}

export interface LogRunInput {
  experimentId: string;
  /** The pipeline's id for the run: a known one returns the existing run, unchanged. */
  externalId?: string | null;
  tags?: Tag[] | null;
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

export interface LogMetricsInput {
  runId: string;
  metrics: MetricPointInput[];
}

/** Points logged now, at step 0: what logRun and updateRun add to the history. */
const nowPoints = (values: readonly MetricInput[]) => values.map((m) => ({ ...m, step: 0, timestamp: null }));

/** Whether the error is the unique (experiment, externalId) or (model, externalId) index refusing a second row. */
export function isExternalIdClash(err: unknown): boolean {
  return err instanceof UniqueConstraintViolationException && /external_id/.test(String(err.message));
}

function runName(run: Run): string {
  return run.name ? `"${run.name}" ` : '';
}

function metricText(values: readonly MetricInput[]): string {
  return values.length
    ? `, ${values
        .slice(0, 3)
        .map((m) => `${m.key}=${m.value}`)
        .join(', ')}${values.length > 3 ? ', …' : ''}`
    : '';
}

export const experimentService = {
  /** DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN; the creator owns it. */
  async create(ctx: ServiceContext, input: CreateExperimentInput): Promise<Experiment> {
    const viewer = requireRole(ctx, 'createExperiment', BUILDERS);
    const name = requiredText('name', input.name, LIMITS.name);
    const hypothesis = optionalText('hypothesis', input.hypothesis, LIMITS.body) ?? null;
    return write(ctx, async (uow) => newExperiment(uow, await findByGlobalId(uow.em, Goal, 'Goal', input.goalId), viewer.id, name, hypothesis));
  },

  /**
   * Same roles as createExperiment. The goal's (oldest) experiment of that name, or a new one:
   * the goal's row lock makes concurrent calls create one.
   */
  async ensure(ctx: ServiceContext, input: CreateExperimentInput): Promise<{ experiment: Experiment; created: boolean }> {
    const viewer = requireRole(ctx, 'ensureExperiment', BUILDERS);
    const name = requiredText('name', input.name, LIMITS.name);
    const hypothesis = optionalText('hypothesis', input.hypothesis, LIMITS.body) ?? null;
    return write(ctx, async (uow) => {
      const goal = await findByGlobalId(uow.em, Goal, 'Goal', input.goalId);
      await lockRow(uow.em, 'goals', goal.id);
      const existing = await uow.em.findOne(Experiment, { goal: goal.id, name }, { orderBy: { id: 'asc' } });
      if (existing) return { experiment: existing, created: false };
      return { experiment: await newExperiment(uow, goal, viewer.id, name, hypothesis), created: true };
    });
  },

  /** Same roles as createExperiment. A run logged as FINISHED or FAILED is closed at once. */
  async logRun(ctx: ServiceContext, input: LogRunInput): Promise<Run> {
    const viewer = requireRole(ctx, 'logRun', BUILDERS);
    const status = input.status ? oneOf('status', input.status, RunStatus) : RunStatus.RUNNING;
    const now = new Date();
    const externalId = optionalText('externalId', input.externalId, LIMITS.name) ?? null;
    const values = metrics('metrics', input.metrics ?? []);
    const data = {
      name: optionalText('name', input.name, LIMITS.name) ?? null,
      externalId,
      status,
      params: input.params == null ? {} : jsonObject('params', input.params),
      tags: tags('tags', input.tags ?? []),
      datasetUri: optionalText('datasetUri', input.datasetUri, LIMITS.uri) ?? null,
      codeVersion: optionalText('codeVersion', input.codeVersion, LIMITS.name) ?? null,
      startedAt: now,
      finishedAt: status === RunStatus.RUNNING ? null : now,
    };
    const known = (em: UnitOfWork['em'], experimentId: number) => (externalId ? em.findOne(Run, { experiment: experimentId, externalId }) : null);
    try {
      return await write(ctx, async (uow) => {
        const experiment = await findByGlobalId(uow.em, Experiment, 'Experiment', input.experimentId);
        const existing = await known(uow.em, experiment.id);
        if (existing) return existing;
        const run = uow.em.create(Run, { ...data, experiment, author: viewer.id });
        await uow.em.flush();
        await appendMetrics(uow, run, metricPoints('metrics', nowPoints(values)));
        uow.record({
          type: 'RUN_LOGGED',
          subject: run,
          scope: { goalId: experiment.goal.id },
          summary: `${uow.actor} logged run ${runName(run)}in "${experiment.name}" (${run.status}${metricText(run.metrics)})`,
          data: {
            experiment: experiment.name,
            status: run.status,
            metrics: run.metrics,
            name: data.name,
            params: data.params,
            datasetUri: data.datasetUri,
            codeVersion: data.codeVersion,
          },
        });
        return run;
      });
    } catch (err) {
      // Another call logged the same externalId first: that run is the answer.
      if (!isExternalIdClash(err)) throw err;
      const existing = await known(ctx.em.fork(), dbId('Experiment', input.experimentId));
      if (!existing) throw err;
      return existing;
    }
  },

  /**
   * Same roles as logRun. Appends each point to its key's history (a point the history already
   * ends with at that step is skipped); `Run.metrics` keeps the latest value per key.
   */
  async logMetrics(ctx: ServiceContext, input: LogMetricsInput): Promise<Run> {
    authorize(ctx, 'logMetrics', BUILDERS);
    const points = metricPoints('metrics', input.metrics ?? []);
    return write(ctx, async (uow) => {
      const run = await findByGlobalId(uow.em, Run, 'Run', input.runId);
      await lockRow(uow.em, 'runs', run.id);
      const { appended, latest } = await appendMetrics(uow, run, points);
      if (!appended.length) return run;
      const experiment = await uow.em.findOneOrFail(Experiment, run.experiment.id);
      uow.record({
        type: 'METRICS_LOGGED',
        subject: run,
        scope: { goalId: experiment.goal.id },
        summary: `${uow.actor} logged ${appended.length} metric point${appended.length === 1 ? '' : 's'} on run ${runName(run)}in "${experiment.name}"${metricText(latest)}`,
        data: { points: appended.length, latest },
      });
      await evaluateRunMetrics(uow, run.id, appended);
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
      const run = await findLocked(uow.em, Run, 'Run', input.runId);
      const label = `Run ${run.name ? `"${run.name}"` : input.runId}`;
      if (run.status === RunStatus.FINISHED) throw conflict(`${label} is FINISHED and cannot change: log a new run with logRun instead.`);
      const backing = await uow.em.findOne(ModelVersion, { run: run.id, evidenceFrozenAt: { $ne: null } }, { populate: ['model'] });
      if (backing) {
        throw conflict(
          `${label} is the evidence of ${backing.model.getEntity().name} v${backing.version}, which is frozen: log a new run and register a new version instead.`,
        );
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
      await appendMetrics(uow, run, metricPoints('metrics', nowPoints(updates)));
      const experiment = await uow.em.findOneOrFail(Experiment, run.experiment.id);
      uow.record({
        type: 'RUN_UPDATED',
        subject: run,
        scope: { goalId: experiment.goal.id },
        summary: `${uow.actor} updated run ${runName(run)}in "${experiment.name}" (${fromStatus === run.status ? run.status : `${fromStatus} → ${run.status}`}${metricText(updates)})`,
        data: {
          fromStatus,
          status: run.status,
          metrics: updates,
          changes: changesOf({ status: [fromStatus, run.status], metrics: [fromMetrics, run.metrics] }),
        },
      });
      return run;
    });
  },
};

async function newExperiment(uow: UnitOfWork, goal: Goal, ownerId: number, name: string, hypothesis: string | null): Promise<Experiment> {
  const experiment = uow.em.create(Experiment, { name, hypothesis, goal, owner: ownerId });
  uow.record({
    type: 'EXPERIMENT_CREATED',
    subject: experiment,
    scope: { goalId: goal.id },
    summary: `${uow.actor} started experiment "${name}" for goal "${goal.title}"`,
    data: { name, hypothesis },
  });
  return experiment;
}
