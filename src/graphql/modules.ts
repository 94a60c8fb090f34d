import type { EntityClass } from '../db/reader';
import type { AggregateName } from '../domain/aggregates';
import { commentApi } from './comment';
import { deploymentApi } from './deployment';
import { driftApi } from './drift';
import { eventApi } from './event';
import { experimentApi } from './experiment';
import { explanationApi } from './explanation';
import { feedbackApi } from './feedback';
import { goalApi } from './goal';
import type { GraphQLModule } from './module';
import { modelApi } from './model';
import { monitorApi } from './monitor';
import { notificationApi } from './notification';
import { ownershipApi } from './ownership';
import { promotionApi } from './promotion';
import { userApi } from './user';
import { webhookApi } from './webhook';

/** An aggregate the API shows nothing of (Slack's and MLflow's bookkeeping). */
const NONE: GraphQLModule = { resolvers: [], records: [] };

/**
 * Each aggregate's part of the API, keyed by aggregate: the compiler refuses an aggregate of
 * `src/domain/aggregates.ts` without its entry here, so none can be forgotten.
 */
export const GRAPHQL_MODULES = {
  user: userApi,
  goal: goalApi,
  experiment: experimentApi,
  model: modelApi,
  promotion: promotionApi,
  drift: driftApi,
  monitor: monitorApi,
  feedback: feedbackApi,
  explanation: explanationApi,
  deployment: deploymentApi,
  comment: commentApi,
  ownership: ownershipApi,
  event: eventApi,
  notification: notificationApi,
  slack: NONE,
  webhook: webhookApi,
  mlflow: NONE,
} satisfies Record<AggregateName, GraphQLModule>;

/** The GraphQL type each entity's rows inherit from, so that resolvers need no conversion. */
export const RECORD_PROTOTYPES: ReadonlyMap<EntityClass, object> = new Map(
  Object.values(GRAPHQL_MODULES).flatMap((m) => m.records.map(([entity, type]) => [entity, type.prototype] as const)),
);
