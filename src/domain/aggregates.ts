import { commentAggregate } from './comment/comment.aggregate';
import { deploymentAggregate } from './deployment/deployment.aggregate';
import { driftAggregate } from './drift/drift.aggregate';
import { eventAggregate } from './event/event.aggregate';
import { explanationAggregate } from './explanation/explanation.aggregate';
import { experimentAggregate } from './experiment/experiment.aggregate';
import { feedbackAggregate } from './feedback/feedback.aggregate';
import { goalAggregate } from './goal/goal.aggregate';
import { mlflowAggregate } from './mlflow/mlflow.aggregate';
import { modelAggregate } from './model/model.aggregate';
import { monitorAggregate } from './monitor/monitor.aggregate';
import { notificationAggregate } from './notification/notification.aggregate';
import { ownershipAggregate } from './ownership/ownership.aggregate';
import { registerProjection } from './event/projections';
import { registerNodeTypes } from './node-registry';
import { promotionAggregate } from './promotion/promotion.aggregate';
import { slackAggregate } from './slack/slack.aggregate';
import { userAggregate } from './user/user.aggregate';
import { webhookAggregate } from './webhook/webhook.aggregate';

/**
 * Every aggregate, one line each: the entity list, the node registry, the discussable types, the
 * event scopes, the lifecycle event types and the projections all derive from these declarations
 * (the node types and projections are registered when this module loads, which `Domain` does).
 * Adding an aggregate is its folder plus one line here (and its API module in
 * `src/graphql/modules.ts`, which the compiler asks for).
 */
export const AGGREGATES = [
  userAggregate,
  goalAggregate,
  experimentAggregate,
  modelAggregate,
  promotionAggregate,
  driftAggregate,
  monitorAggregate,
  feedbackAggregate,
  explanationAggregate,
  deploymentAggregate,
  commentAggregate,
  ownershipAggregate,
  eventAggregate,
  // Before Slack: its projection sends direct messages for the notifications this one writes.
  notificationAggregate,
  slackAggregate,
  webhookAggregate,
  mlflowAggregate,
] as const;

registerNodeTypes(AGGREGATES.flatMap((a) => a.nodes));
for (const projection of AGGREGATES.flatMap((a) => a.projections ?? [])) registerProjection(projection);

export type AggregateName = (typeof AGGREGATES)[number]['name'];

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** Each lifecycle event type's payload, collected from the aggregates' declarations. */
export type EventDataMap = UnionToIntersection<(typeof AGGREGATES)[number]['events']>;

/** The lifecycle event types. */
export type LifecycleEventType = Extract<keyof EventDataMap, string>;

/** The lifecycle event types as values (`LifecycleEventType.GOAL_CREATED`), in declaration order. */
export const LifecycleEventType = Object.freeze(Object.fromEntries(AGGREGATES.flatMap((a) => Object.keys(a.events)).map((type) => [type, type]))) as {
  readonly [T in LifecycleEventType]: T;
};

/** Every entity the hub persists. */
export const ENTITIES = AGGREGATES.flatMap((a) => a.entities);
