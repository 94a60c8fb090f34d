import type { EntityManager, Knex } from '@mikro-orm/knex';
import { NEWEST_FIRST, type ChildList, type Filter, type ListQuery, type Order, type Reader, type RowOf } from '../../db/reader';
import type { ServiceContext } from '../context';
import { DriftStatus } from '../drift/drift-flag.entity';
import { Stage } from '../enums';
import { DomainError, notFound } from '../errors';
import { isStorable } from '../validate';
import { ModelVersion } from './model-version.entity';
import { Model } from './model.entity';

export interface ModelFilter {
  goalId?: number | null;
  /** Models with a version in this stage. */
  stage?: Stage | null;
}

/** `modelSearch`'s conditions, all of which must hold. */
export interface ModelSearch extends ModelFilter {
  ownerId?: number | null;
  /** Case-insensitive substring of the name or description. */
  search?: string | null;
  /** Models with (true) or without (false) an unresolved drift flag on any version. */
  hasOpenDrift?: boolean | null;
}

/** `%`, `_` and the escape character itself, made literal in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Where a version sits: its goal, model and itself (an event's scope), with its model's name and its number. */
export interface VersionScope {
  goalId: number;
  modelId: number;
  modelVersionId: number;
  modelName: string;
  version: number;
}

export const VERSIONS_HIGHEST_FIRST: Order = { props: ['version'], direction: 'desc' };

/** The goal, model and version a model version belongs to; NOT_FOUND when there is no such version. */
export async function versionScope(em: EntityManager, versionId: number): Promise<VersionScope> {
  const version = await em.findOne(ModelVersion, versionId, { populate: ['model'] });
  if (!version) throw notFound('Model version', String(versionId));
  const model = version.model.getEntity();
  return { goalId: model.goal.id, modelId: model.id, modelVersionId: version.id, modelName: model.name, version: version.version };
}

/** A model's version in production: the one in PRODUCTION, the highest-numbered should there be several. */
export const PRODUCTION_VERSION = { filter: { stage: Stage.PRODUCTION }, order: VERSIONS_HIGHEST_FIRST } satisfies {
  filter: Filter<ModelVersion>;
  order: Order;
};

/** Read queries about models and versions, each answering many models in one statement. */
export const modelRepository = {
  /** Models, newest first. */
  models(filter: ModelFilter): ListQuery<Model> {
    const { stage } = filter;
    return {
      entity: Model,
      order: NEWEST_FIRST,
      where: stage
        ? (qb) => {
            if (filter.goalId != null) qb.where('goal_id', filter.goalId);
            qb.whereExists(
              (sub) =>
                void sub
                  .select('model_versions.id')
                  .from('model_versions')
                  .whereRaw('model_versions.model_id = models.id')
                  .andWhere('model_versions.stage', stage),
            );
          }
        : { goalId: filter.goalId ?? undefined },
    };
  },

  /** Models matching every condition given, newest first. */
  search(filter: ModelSearch): ListQuery<Model> {
    return {
      entity: Model,
      order: NEWEST_FIRST,
      where: (qb) => {
        if (filter.goalId != null) qb.where('models.goal_id', filter.goalId);
        if (filter.ownerId != null) qb.where('models.owner_id', filter.ownerId);
        if (filter.search) {
          const pattern = `%${likeLiteral(filter.search.toLowerCase())}%`;
          qb.where(
            (or) =>
              void or
                .whereRaw("lower(models.name) like ? escape '\\'", [pattern])
                .orWhereRaw("lower(coalesce(models.description, '')) like ? escape '\\'", [pattern]),
          );
        }
        if (filter.stage) {
          qb.whereExists(
            (sub) =>
              void sub
                .select('model_versions.id')
                .from('model_versions')
                .whereRaw('model_versions.model_id = models.id')
                .andWhere('model_versions.stage', filter.stage!),
          );
        }
        if (filter.hasOpenDrift != null) {
          const unresolved = (sub: Knex.QueryBuilder) =>
            void sub
              .select('drift_flags.id')
              .from('drift_flags')
              .whereRaw('drift_flags.model_id = models.id')
              .whereIn('drift_flags.status', [DriftStatus.OPEN, DriftStatus.ACKNOWLEDGED]);
          if (filter.hasOpenDrift) qb.whereExists(unresolved);
          else qb.whereNotExists(unresolved);
        }
      },
    };
  },

  /** The model of that name, or null (also for a name no model can have, which PostgreSQL would refuse to compare). */
  async byName(reader: Reader, name: string): Promise<RowOf<Model> | null> {
    return isStorable(name) ? reader.first(Model, { name: name.trim() }, NEWEST_FIRST) : null;
  },

  /** The models of each goal, newest first. */
  modelsOf: { name: 'goal.models', entity: Model, parentKey: 'goalId', order: NEWEST_FIRST } satisfies ChildList<Model>,

  /** The versions of each model, highest number first, optionally only those in one stage. */
  versionsOf(stage: Stage | null | undefined): ChildList<ModelVersion> {
    return {
      name: `model.versions:${stage ?? ''}`,
      entity: ModelVersion,
      parentKey: 'modelId',
      order: VERSIONS_HIGHEST_FIRST,
      filter: { stage: stage ?? undefined },
    };
  },

  /** Versions by `[modelId, number]` pairs, keyed `modelId:number`. */
  async versionsByNumber(
    reader: Reader,
    keys: readonly (readonly [number, number])[],
    omit?: readonly string[],
  ): Promise<Map<string, RowOf<ModelVersion>>> {
    if (!keys.length) return new Map();
    const raws = await reader
      .knex(reader.table(ModelVersion))
      .select(reader.selection(ModelVersion, omit))
      .whereIn(
        ['model_id', 'version'],
        keys.map((k) => [...k]),
      );
    return new Map(reader.decode(ModelVersion, raws, omit).map((v) => [`${v.modelId}:${v.version}`, v]));
  },

  /** The PRODUCTION version of each model (the highest, should there ever be two). */
  async productionVersions(reader: Reader, modelIds: readonly number[], omit?: readonly string[]): Promise<Map<number, RowOf<ModelVersion>>> {
    const rows = await reader.list(
      ModelVersion,
      { modelId: { in: [...new Set(modelIds)] }, ...PRODUCTION_VERSION.filter },
      { props: ['version'], direction: 'asc' },
      undefined,
      omit,
    );
    return new Map(rows.map((v) => [v.modelId, v]));
  },

  /**
   * A version as people name it: `number` of the model `name`, or without a number its PRODUCTION
   * version (`fallback: 'production'`) or its latest one. NOT_FOUND says which part is missing.
   */
  async findVersion(
    ctx: ServiceContext,
    name: string,
    number: number | null,
    fallback: 'production' | 'latest',
  ): Promise<{ model: RowOf<Model>; version: RowOf<ModelVersion> }> {
    const model = await modelRepository.byName(ctx.reader, name);
    if (!model) throw new DomainError('NOT_FOUND', `There is no model named "${name}".`);
    const version =
      number !== null
        ? await ctx.reader.first(ModelVersion, { modelId: model.dbId, version: number }, VERSIONS_HIGHEST_FIRST)
        : await ctx.reader.first(
            ModelVersion,
            { modelId: model.dbId, stage: fallback === 'production' ? Stage.PRODUCTION : undefined },
            VERSIONS_HIGHEST_FIRST,
          );
    if (!version) {
      throw new DomainError(
        'NOT_FOUND',
        number !== null
          ? `${name} has no version ${number}.`
          : `${name} has no ${fallback === 'production' ? 'production version; name one with @<n>' : 'versions yet'}.`,
      );
    }
    return { model, version };
  },
};
