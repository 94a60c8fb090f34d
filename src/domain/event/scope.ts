import type { EntityManager } from '@mikro-orm/knex';
import { DriftFlag } from '../drift/drift-flag.entity';
import { Experiment } from '../experiment/experiment.entity';
import { Model } from '../model/model.entity';
import { ModelVersion } from '../model/model-version.entity';
import { PromotionRequest } from '../promotion/promotion-request.entity';
import type { EventScope } from './event.recorder';

/** The goal, model and version a model version belongs to. */
export async function versionScope(em: EntityManager, versionId: number): Promise<{ goalId: number; modelId: number; modelVersionId: number; modelName: string; version: number }> {
  const version = await em.findOneOrFail(ModelVersion, versionId, { populate: ['model'] });
  const model = version.model.getEntity();
  return { goalId: model.goal.id, modelId: model.id, modelVersionId: version.id, modelName: model.name, version: version.version };
}

/** Where an object sits in the graph: what a comment on it is "about" for event filters. */
export async function scopeOf(em: EntityManager, type: string, id: number): Promise<EventScope> {
  switch (type) {
    case 'Goal':
      return { goalId: id };
    case 'Experiment':
      return { goalId: (await em.findOneOrFail(Experiment, id)).goal.id };
    case 'Model':
      return { goalId: (await em.findOneOrFail(Model, id)).goal.id, modelId: id };
    case 'ModelVersion':
      return versionScope(em, id);
    case 'PromotionRequest':
      return versionScope(em, (await em.findOneOrFail(PromotionRequest, id)).modelVersion.id);
    case 'DriftFlag':
      return versionScope(em, (await em.findOneOrFail(DriftFlag, id)).modelVersion.id);
    default:
      return {};
  }
}
