import { defineAggregate } from '../aggregate';
import { MlflowDecision } from './mlflow.entities';
import { mlflowProjection } from './mlflow.projection';

/**
 * The MLflow bridge: what it mirrors goes through the core services (models, versions, runs), so
 * all it keeps is the outbox of decisions to write back, filled by its projection. The rest of
 * the domain never imports it.
 */
export const mlflowAggregate = defineAggregate({
  name: 'mlflow',
  entities: [MlflowDecision],
  nodes: [],
  events: {},
  projections: [mlflowProjection],
});
