import type { Reader, Row } from '../../db/reader';
import { Stage } from '../enums';
import { Model } from './model.entity';
import { ModelVersion } from './model-version.entity';

/** Read queries about models and versions, each answering many models in one statement. */
export const modelRepository = {
  /** Versions by `[modelId, number]` pairs. */
  async versionsByNumber<T extends object>(reader: Reader, keys: readonly (readonly [number, number])[], proto: T): Promise<Map<string, T & Row>> {
    if (!keys.length) return new Map();
    const raws = await reader.knex(reader.table(ModelVersion)).select('*').whereIn(['model_id', 'version'], keys.map((k) => [...k]));
    return new Map(reader.decode(ModelVersion, raws, proto).map((v) => [`${v.modelId}:${v.version}`, v]));
  },

  /** The PRODUCTION version of each model (the highest, should there ever be two). */
  async productionVersions<T extends object>(reader: Reader, modelIds: readonly number[], proto: T): Promise<Map<number, T & Row>> {
    const raws = await reader.knex(reader.table(ModelVersion)).select('*')
      .whereIn('model_id', [...new Set(modelIds)]).andWhere('stage', Stage.PRODUCTION).orderBy('version', 'asc');
    return new Map(reader.decode(ModelVersion, raws, proto).map((v) => [v.modelId as number, v]));
  },

  /** Restricts a models query to those with a version in `stage`. */
  withVersionIn(reader: Reader, stage: Stage) {
    const models = reader.table(Model);
    const versions = reader.table(ModelVersion);
    return (qb: import('@mikro-orm/knex').Knex.QueryBuilder) =>
      void qb.whereExists(
        reader.knex(versions).select(reader.knex.raw('1')).whereRaw('??.?? = ??.??', [versions, 'model_id', models, 'id']).andWhere(`${versions}.stage`, stage),
      );
  },
};
