import { DriftFlag } from '../drift/drift-flag.entity';
import { Experiment } from '../experiment/experiment.entity';
import { Goal } from '../goal/goal.entity';
import { Model } from '../model/model.entity';
import { ModelVersion } from '../model/model-version.entity';
import { PromotionRequest } from '../promotion/promotion-request.entity';

/** The object types people can comment on, by GraphQL type name. */
export const discussables: Record<string, new (...args: never[]) => object> = {
  Goal,
  Experiment,
  Model,
  ModelVersion,
  PromotionRequest,
  DriftFlag,
};
