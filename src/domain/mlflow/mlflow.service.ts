import type { ServiceContext, Viewer } from '../context';
import { PrincipalKind, Role, RunStatus } from '../enums';
import { experimentService } from '../experiment/experiment.service';
import { Goal } from '../goal/goal.entity';
import { goalService } from '../goal/goal.service';
import { fromGlobalId, toGlobalId } from '../ids';
import { ModelVersion } from '../model/model-version.entity';
import { Model } from '../model/model.entity';
import { modelService } from '../model/model.service';
import { User } from '../user/user.entity';
import { serviceAccountEmail, userService } from '../user/user.service';
import { MLFLOW_PREFIX } from './mlflow.projection';

/** A key-value pair as MLflow's REST API writes tags and params. */
export interface MlflowPair {
  key: string;
  value: string;
}

/** A registered model as `registered-models/search` answers it (the fields the bridge reads). */
export interface MlflowRegisteredModel {
  name: string;
  description?: string;
  tags?: MlflowPair[];
}

/** A model version as `model-versions/search` answers it. */
export interface MlflowModelVersion {
  name: string;
  version: string;
  description?: string;
  source?: string;
  run_id?: string;
  tags?: MlflowPair[];
}

/** A run as `runs/get` answers it. */
export interface MlflowRun {
  info: { run_id: string; experiment_id: string; run_name?: string; status?: string };
  data?: {
    metrics?: { key: string; value: number | string | null; step?: number | string; timestamp?: number | string }[];
    params?: MlflowPair[];
    tags?: MlflowPair[];
  };
}

/** An experiment as `experiments/get` answers it. */
export interface MlflowExperiment {
  experiment_id: string;
  name: string;
}

/** What the sync reads from an MLflow tracking server (the REST client implements it; tests may too). */
export interface MlflowSource {
  /** Every registered model, page after page. */
  registeredModels(): AsyncIterable<MlflowRegisteredModel>;
  /** Every version of a registered model, page after page. */
  modelVersions(name: string): AsyncIterable<MlflowModelVersion>;
  run(runId: string): Promise<MlflowRun>;
  experiment(experimentId: string): Promise<MlflowExperiment>;
}

/** What one sync did. */
export interface SyncReport {
  models: number;
  modelsCreated: number;
  versions: number;
  versionsCreated: number;
  /** Registered models that could not be mirrored, with why (the others still are). */
  errors: { model: string; error: string }[];
}

/** The goal of registered models without a `hub.goal` tag; an SME moves them to their goal. */
export const TRIAGE_GOAL = 'Needs triage';
/** The registered-model tag naming the hub goal (its ID, or its title). */
export const GOAL_TAG = 'hub.goal';
/** The model-version tag carrying the artifact's sha256, which a PRODUCTION request needs (README "Audits"). */
export const DIGEST_TAG = 'hub.artifactDigest';
const BRIDGE_NAME = 'MLflow bridge';

/** MLflow run statuses as the hub's (SCHEDULED and RUNNING are still running; KILLED failed). */
const RUN_STATUS: Record<string, RunStatus> = { FINISHED: RunStatus.FINISHED, FAILED: RunStatus.FAILED, KILLED: RunStatus.FAILED };

const pairs = (values: readonly MlflowPair[] | undefined) => (values ?? []).map(({ key, value }) => ({ key, value: String(value ?? '') }));

export const mlflowService = {
  /**
   * The service account the bridge acts as (created on first use by the operator): the actor of
   * what it mirrors, and, being a service account, never a reviewer. It creates the triage goal
   * (SME) and models, runs and versions (DATA_SCIENTIST).
   */
  async bridgeUser(operator: ServiceContext): Promise<Viewer> {
    const existing = await operator.em.fork().findOne(User, { email: serviceAccountEmail(BRIDGE_NAME), kind: PrincipalKind.SERVICE });
    const user = existing ?? (await userService.createServiceAccount(operator, { name: BRIDGE_NAME, roles: [Role.SME, Role.DATA_SCIENTIST] })).user;
    return { id: user.id, name: user.name, email: user.email, roles: user.roles, kind: user.kind };
  },

  /**
   * Mirrors every registered model and version of an MLflow server, acting as the bridge user:
   * a model under the goal its `hub.goal` tag names (else the triage goal), each version with
   * externalId `mlflow:NAME/VERSION`, linked to its run (params, metrics, tags) in an experiment
   * named as MLflow's. What is already mirrored is left alone, so a second sync changes nothing.
   */
  async sync(ctx: ServiceContext, source: MlflowSource): Promise<SyncReport> {
    const report: SyncReport = { models: 0, modelsCreated: 0, versions: 0, versionsCreated: 0, errors: [] };
    for await (const registered of source.registeredModels()) {
      report.models++;
      try {
        await mirrorModel(ctx, source, registered, report);
      } catch (err) {
        report.errors.push({ model: registered.name, error: (err as Error).message });
      }
    }
    return report;
  },
};

async function goalFor(ctx: ServiceContext, registered: MlflowRegisteredModel): Promise<string> {
  const em = ctx.em.fork();
  const named = registered.tags?.find((t) => t.key === GOAL_TAG)?.value?.trim();
  if (named) {
    const ref = fromGlobalId(named);
    const byId = ref?.type === 'Goal' ? await em.findOne(Goal, ref.id) : null;
    const goal = byId ?? (await em.findOne(Goal, { title: named }, { orderBy: { id: 'asc' } }));
    if (goal) return toGlobalId('Goal', goal.id);
  }
  const triage = await em.findOne(Goal, { title: TRIAGE_GOAL }, { orderBy: { id: 'asc' } });
  if (triage) return toGlobalId('Goal', triage.id);
  const created = await goalService.create(ctx, {
    title: TRIAGE_GOAL,
    businessQuestion: 'Which goal does each model registered in MLflow serve? Tag it hub.goal in MLflow, or move it here.',
  });
  return toGlobalId('Goal', created.id);
}

async function mirrorModel(ctx: ServiceContext, source: MlflowSource, registered: MlflowRegisteredModel, report: SyncReport): Promise<void> {
  const em = ctx.em.fork();
  // A model of that name is the one mirrored before, even if an SME has moved it to another goal since.
  let model = await em.findOne(Model, { name: registered.name });
  if (!model) {
    const ensured = await modelService.ensure(ctx, {
      goalId: await goalFor(ctx, registered),
      name: registered.name,
      description: registered.description || null,
    });
    model = ensured.model;
    if (ensured.created) report.modelsCreated++;
  }
  const modelId = toGlobalId('Model', model.id);
  const goalId = toGlobalId('Goal', model.goal.id);
  const versions: MlflowModelVersion[] = [];
  for await (const version of source.modelVersions(registered.name)) versions.push(version);
  // Oldest first, so that hub numbers follow MLflow's.
  versions.sort((a, b) => Number(a.version) - Number(b.version));
  for (const version of versions) {
    report.versions++;
    const externalId = `${MLFLOW_PREFIX}${registered.name}/${version.version}`;
    if (await em.findOne(ModelVersion, { model: model.id, externalId }, { fields: ['id'] })) continue;
    const run = version.run_id ? await mirrorRun(ctx, source, goalId, version.run_id) : null;
    const tags = pairs(version.tags);
    await modelService.createVersion(ctx, {
      modelId,
      externalId,
      runId: run,
      tags,
      description: version.description || null,
      artifactUri: version.source || null,
      artifactDigest: tags.find((t) => t.key === DIGEST_TAG)?.value || null,
    });
    report.versionsCreated++;
  }
}

/** The hub run of an MLflow run (logged once, by externalId `mlflow:RUN_ID`), in the experiment named as MLflow's. */
async function mirrorRun(ctx: ServiceContext, source: MlflowSource, goalId: string, runId: string): Promise<string> {
  const { info, data } = await source.run(runId);
  const experiment = await source.experiment(info.experiment_id);
  const { experiment: hubExperiment } = await experimentService.ensure(ctx, { goalId, name: experiment.name });
  const run = await experimentService.logRun(ctx, {
    experimentId: toGlobalId('Experiment', hubExperiment.id),
    externalId: `${MLFLOW_PREFIX}${info.run_id}`,
    name: info.run_name || null,
    status: RUN_STATUS[info.status ?? ''] ?? RunStatus.RUNNING,
    params: Object.fromEntries(pairs(data?.params).map((p) => [p.key, p.value])),
    // MLflow keeps NaN and infinities; the hub keeps finite numbers only.
    metrics: (data?.metrics ?? [])
      .filter((m) => m.value !== null)
      .map((m) => ({ key: m.key, value: Number(m.value) }))
      .filter((m) => Number.isFinite(m.value)),
    tags: pairs(data?.tags).filter((t) => !t.key.startsWith('mlflow.')),
  });
  return toGlobalId('Run', run.id);
}
