import { raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import { BUILDERS, authorize, requireRole, type ServiceContext } from '../context';
import { Stage } from '../enums';
import { badInput, conflict } from '../errors';
import { isExternalIdClash } from '../experiment/experiment.service';
import { Run } from '../experiment/run.entity';
import { Goal } from '../goal/goal.entity';
import { dbId, toGlobalId } from '../ids';
import { lockRow } from '../lock';
import { findByGlobalId, findLocked } from '../lookup';
import { write, type UnitOfWork } from '../unit-of-work';
import { applyChanges, finite, LIMITS, metrics, optionalText, requiredText, tags, type MetricInput, type Tag } from '../validate';
import { Model } from './model.entity';
import { EDITABLE_WHEN_FROZEN, frozenEvidence, sha256Hex } from './evidence';
import { ModelVersion, type ModelCardData } from './model-version.entity';

export interface RegisterModelInput {
  goalId: string;
  name: string;
  description?: string | null;
}

export interface UpdateModelInput {
  modelId: string;
  description?: string | null;
}

export interface ModelCardInput {
  intendedUse?: string | null;
  limitations?: string | null;
  trainingData?: string | null;
  evaluationData?: string | null;
  ethicalConsiderations?: string | null;
  featureImportance?: { feature: string; importance: number }[] | null;
}

export interface CreateModelVersionInput {
  modelId: string;
  /** The pipeline's id for the version: a known one returns the existing version, unchanged. */
  externalId?: string | null;
  tags?: Tag[] | null;
  runId?: string | null;
  artifactUri?: string | null;
  artifactDigest?: string | null;
  description?: string | null;
  metrics?: MetricInput[] | null;
  card?: ModelCardInput | null;
}

export interface UpdateModelVersionInput {
  modelVersionId: string;
  description?: string | null;
  artifactUri?: string | null;
  artifactDigest?: string | null;
  card?: ModelCardInput | null;
}

/** `@` separates a model from a version number (`churn@3`), so names cannot hold it, nor control characters. */
const MODEL_NAME = /^[^@\p{Cc}]+$/u;

function card(input: ModelCardInput): ModelCardData {
  const features = input.featureImportance ?? [];
  if (features.length > LIMITS.metrics) {
    throw badInput(`card.featureImportance takes at most ${LIMITS.metrics} features.`, 'card.featureImportance');
  }
  return {
    intendedUse: optionalText('card.intendedUse', input.intendedUse, LIMITS.body) ?? null,
    limitations: optionalText('card.limitations', input.limitations, LIMITS.body) ?? null,
    trainingData: optionalText('card.trainingData', input.trainingData, LIMITS.body) ?? null,
    evaluationData: optionalText('card.evaluationData', input.evaluationData, LIMITS.body) ?? null,
    ethicalConsiderations: optionalText('card.ethicalConsiderations', input.ethicalConsiderations, LIMITS.body) ?? null,
    featureImportance: features.map((f, i) => ({
      feature: requiredText(`card.featureImportance[${i}].feature`, f.feature, LIMITS.name),
      importance: finite(`card.featureImportance[${i}].importance`, f.importance),
    })),
  };
}

export const modelService = {
  /** DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN. Names are unique (CONFLICT). */
  async register(ctx: ServiceContext, input: RegisterModelInput): Promise<Model> {
    const viewer = requireRole(ctx, 'registerModel', BUILDERS);
    const { name, description } = modelData(input);
    try {
      return await write(ctx, async (uow) => {
        const goal = await findByGlobalId(uow.em, Goal, 'Goal', input.goalId);
        if (await uow.em.count(Model, { name })) throw conflict(`A model named "${name}" already exists.`);
        return newModel(uow, goal, viewer.id, name, description);
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict(`A model named "${name}" already exists.`);
      throw err;
    }
  },

  /**
   * Same roles as registerModel. The goal's model of that name, or a new one; CONFLICT when the
   * name is taken by a model of another goal. Concurrent calls create one model.
   */
  async ensure(ctx: ServiceContext, input: RegisterModelInput): Promise<{ model: Model; created: boolean }> {
    const viewer = requireRole(ctx, 'ensureModel', BUILDERS);
    const { name, description } = modelData(input);
    const existing = async (em: UnitOfWork['em'], goalId: number) => {
      const model = await em.findOne(Model, { name });
      if (model && model.goal.id !== goalId) throw conflict(`A model named "${name}" already exists under another goal.`);
      return model;
    };
    try {
      return await write(ctx, async (uow) => {
        const goal = await findByGlobalId(uow.em, Goal, 'Goal', input.goalId);
        await lockRow(uow.em, 'goals', goal.id);
        const model = await existing(uow.em, goal.id);
        if (model) return { model, created: false };
        return { model: newModel(uow, goal, viewer.id, name, description), created: true };
      });
    } catch (err) {
      // A concurrent call under another goal registered the name first.
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const model = await existing(ctx.em.fork(), dbId('Goal', input.goalId));
      if (!model) throw err;
      return { model, created: false };
    }
  },

  /** Same roles as registerModel. */
  async update(ctx: ServiceContext, input: UpdateModelInput): Promise<Model> {
    authorize(ctx, 'updateModel', BUILDERS);
    const description = optionalText('description', input.description, LIMITS.body);
    return write(ctx, async (uow) => {
      const model = await findLocked(uow.em, Model, 'Model', input.modelId);
      const changes = applyChanges(model, { description });
      uow.record({
        type: 'MODEL_UPDATED',
        subject: model,
        summary: `${uow.actor} updated model ${model.name}: ${Object.keys(changes).join(', ') || 'no changes'}`,
        data: { changes },
      });
      return model;
    });
  },

  /**
   * Same roles as registerModel. Numbers go 1, 2, 3… per model: the model row's counter is
   * incremented in the transaction, which also locks the row against concurrent calls.
   */
  async createVersion(ctx: ServiceContext, input: CreateModelVersionInput): Promise<ModelVersion> {
    const viewer = requireRole(ctx, 'createModelVersion', BUILDERS);
    const externalId = optionalText('externalId', input.externalId, LIMITS.name) ?? null;
    const known = (em: UnitOfWork['em'], modelId: number) => (externalId ? em.findOne(ModelVersion, { model: modelId, externalId }) : null);
    const data = {
      externalId,
      tags: tags('tags', input.tags ?? []),
      description: optionalText('description', input.description, LIMITS.body) ?? null,
      artifactUri: optionalText('artifactUri', input.artifactUri, LIMITS.uri) ?? null,
      artifactDigest: sha256Hex('artifactDigest', input.artifactDigest) ?? null,
      metrics: metrics('metrics', input.metrics ?? []),
      card: input.card ? card(input.card) : null,
    };
    try {
      return await write(ctx, async (uow) => {
        const { em } = uow;
        const model = await findByGlobalId(em, Model, 'Model', input.modelId);
        // The row lock comes before the lookup: a concurrent call with the same externalId waits, then finds this one's version.
        await lockRow(em, 'models', model.id);
        const existing = await known(em, model.id);
        if (existing) return existing;
        const run = input.runId ? await findByGlobalId(em, Run, 'Run', input.runId) : null;
        await em.nativeUpdate(Model, { id: model.id }, { versionCount: raw('version_count + 1') });
        const [{ versionCount }] = await em.createQueryBuilder(Model).select('versionCount').where({ id: model.id }).execute('all', true);
        const version = em.create(ModelVersion, { ...data, model, version: versionCount, stage: Stage.NONE, run, createdBy: viewer.id });
        uow.record({
          type: 'MODEL_VERSION_CREATED',
          subject: version,
          summary: `${uow.actor} created ${model.name} v${version.version}`,
          data: { ...data, version: version.version, runId: run ? toGlobalId('Run', run.id) : null },
        });
        return version;
      });
    } catch (err) {
      if (!isExternalIdClash(err)) throw err;
      const existing = await known(ctx.em.fork(), dbId('Model', input.modelId));
      if (!existing) throw err;
      return existing;
    }
  },

  /**
   * Same roles as createModelVersion. Fields left out stay; a given card replaces the whole card.
   * Once the evidence is frozen only `description` may change (CONFLICT otherwise).
   */
  async updateVersion(ctx: ServiceContext, input: UpdateModelVersionInput): Promise<ModelVersion> {
    authorize(ctx, 'updateModelVersion', BUILDERS);
    const description = optionalText('description', input.description, LIMITS.body);
    const artifactUri = optionalText('artifactUri', input.artifactUri, LIMITS.uri);
    const artifactDigest = sha256Hex('artifactDigest', input.artifactDigest);
    const newCard = input.card ? card(input.card) : input.card === null ? null : undefined;
    return write(ctx, async (uow) => {
      const version = await findLocked(uow.em, ModelVersion, 'ModelVersion', input.modelVersionId);
      const model = await uow.em.findOneOrFail(Model, version.model.id);
      const changes = applyChanges(version, { description, artifactUri, artifactDigest, card: newCard });
      const frozen = Object.keys(changes).filter((field) => !(EDITABLE_WHEN_FROZEN as readonly string[]).includes(field));
      if (version.evidenceFrozenAt && frozen.length) throw frozenEvidence(`${model.name} v${version.version}`, frozen);
      version.updatedAt = new Date();
      uow.record({
        type: 'MODEL_VERSION_UPDATED',
        subject: version,
        summary: `${uow.actor} updated ${model.name} v${version.version}: ${Object.keys(changes).join(', ') || 'no changes'}`,
        data: { changes },
      });
      return version;
    });
  },
};

function modelData(input: RegisterModelInput): { name: string; description: string | null } {
  const name = requiredText('name', input.name, LIMITS.name);
  if (!MODEL_NAME.test(name)) throw badInput(`name "${name}" may not contain "@" or control characters.`, 'name');
  return { name, description: optionalText('description', input.description, LIMITS.body) ?? null };
}

function newModel(uow: UnitOfWork, goal: Goal, ownerId: number, name: string, description: string | null): Model {
  const model = uow.em.create(Model, { name, description, goal, owner: ownerId });
  uow.record({
    type: 'MODEL_REGISTERED',
    subject: model,
    summary: `${uow.actor} registered model ${name} for goal "${goal.title}"`,
    data: { name, description },
  });
  return model;
}
