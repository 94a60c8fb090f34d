import { Comment } from '../domain/comment/comment.entity';
import { DriftFlag, DriftStatus } from '../domain/drift/drift-flag.entity';
import { LifecycleEvent } from '../domain/event/lifecycle-event.entity';
import { Feedback } from '../domain/feedback/feedback.entity';
import { PromotionRequest, PromotionStatus } from '../domain/promotion/promotion-request.entity';
import { Review } from '../domain/promotion/review.entity';
import { Experiment } from '../domain/experiment/experiment.entity';
import { Run } from '../domain/experiment/run.entity';
import { Goal } from '../domain/goal/goal.entity';
import { Kpi } from '../domain/goal/kpi.entity';
import { KpiObservation } from '../domain/goal/kpi-observation.entity';
import { Model } from '../domain/model/model.entity';
import { ModelVersion } from '../domain/model/model-version.entity';
import { User } from '../domain/user/user.entity';
import { NEWEST_FIRST, type Order } from '../db/reader';
import { CommentType } from './comment/comment.type';
import { DriftFlagType } from './drift/drift.type';
import { LifecycleEventRecord } from './event/event.type';
import { FeedbackType } from './feedback/feedback.type';
import { PromotionRequestType, ReviewType } from './promotion/promotion.type';
import { ExperimentType, RunType } from './experiment/experiment.type';
import { GoalType, KpiObservationType, KpiType } from './goal/goal.type';
import type { ChildSpec, Loaders } from './loaders';
import { ModelType, ModelVersionType } from './model/model.type';
import { UserType } from './user/user.type';

type EntityClass = abstract new (...args: never[]) => object;

/** Every node type: its entity and the prototype its records inherit from. */
export const NODE_TYPES: Record<string, { entity: EntityClass; proto: object }> = {
  User: { entity: User, proto: UserType.prototype },
  Goal: { entity: Goal, proto: GoalType.prototype },
  Kpi: { entity: Kpi, proto: KpiType.prototype },
  Experiment: { entity: Experiment, proto: ExperimentType.prototype },
  Run: { entity: Run, proto: RunType.prototype },
  Model: { entity: Model, proto: ModelType.prototype },
  ModelVersion: { entity: ModelVersion, proto: ModelVersionType.prototype },
  Comment: { entity: Comment, proto: CommentType.prototype },
  PromotionRequest: { entity: PromotionRequest, proto: PromotionRequestType.prototype },
  DriftFlag: { entity: DriftFlag, proto: DriftFlagType.prototype },
  Feedback: { entity: Feedback, proto: FeedbackType.prototype },
  LifecycleEvent: { entity: LifecycleEvent, proto: LifecycleEventRecord.prototype },
};

export const VERSIONS_HIGHEST_FIRST: Order = { props: ['version'], direction: 'desc' };
export const HISTORY_NEWEST_FIRST: Order = { props: ['observedAt', 'id'], direction: 'desc' };

export const KPIS_OF_GOAL: ChildSpec<KpiType> = { name: 'goal.kpis', entity: Kpi, parentKey: 'goalId', order: { props: ['id'], direction: 'asc' }, proto: KpiType.prototype };
export const MODELS_OF_GOAL: ChildSpec<ModelType> = { name: 'goal.models', entity: Model, parentKey: 'goalId', order: NEWEST_FIRST, proto: ModelType.prototype };
export const EXPERIMENTS_OF_GOAL: ChildSpec<ExperimentType> = { name: 'goal.experiments', entity: Experiment, parentKey: 'goalId', order: NEWEST_FIRST, proto: ExperimentType.prototype };
export const HISTORY_OF_KPI: ChildSpec<KpiObservationType> = { name: 'kpi.history', entity: KpiObservation, parentKey: 'kpiId', order: HISTORY_NEWEST_FIRST, proto: KpiObservationType.prototype };
export const RUNS_OF_EXPERIMENT: ChildSpec<RunType> = { name: 'experiment.runs', entity: Run, parentKey: 'experimentId', order: NEWEST_FIRST, proto: RunType.prototype };

export const OLDEST_FIRST: Order = { props: ['id'], direction: 'asc' };
export const MOST_SEVERE_FIRST: Order = { props: ['severityRank', 'id'], direction: 'desc' };

export const REVIEWS_OF_REQUEST: ChildSpec<ReviewType> = { name: 'request.reviews', entity: Review, parentKey: 'promotionRequestId', order: OLDEST_FIRST, proto: ReviewType.prototype };
export const REQUESTS_OF_VERSION: ChildSpec<PromotionRequestType> = { name: 'version.promotionRequests', entity: PromotionRequest, parentKey: 'modelVersionId', order: NEWEST_FIRST, proto: PromotionRequestType.prototype };
export const PENDING_OF_MODEL: ChildSpec<PromotionRequestType> = {
  name: 'model.pendingPromotion', entity: PromotionRequest, parentKey: 'modelId', order: NEWEST_FIRST, proto: PromotionRequestType.prototype,
  where: (qb) => void qb.where('status', PromotionStatus.PENDING),
};
export const OPEN_FLAGS_OF_MODEL: ChildSpec<DriftFlagType> = {
  name: 'model.openDriftFlags', entity: DriftFlag, parentKey: 'modelId', order: MOST_SEVERE_FIRST, proto: DriftFlagType.prototype,
  where: (qb) => void qb.whereNot('status', DriftStatus.RESOLVED),
};
export const FEEDBACK_OF_GOAL: ChildSpec<FeedbackType> = { name: 'goal.feedback', entity: Feedback, parentKey: 'goalId', order: NEWEST_FIRST, proto: FeedbackType.prototype };
export const FEEDBACK_OF_VERSION: ChildSpec<FeedbackType> = { name: 'version.feedback', entity: Feedback, parentKey: 'modelVersionId', order: NEWEST_FIRST, proto: FeedbackType.prototype };

/** The drift flags of each version, newest first, optionally in one status. */
export function flagsOfVersion(status: string | null | undefined): ChildSpec<DriftFlagType> {
  return {
    name: `version.driftFlags:${status ?? ''}`, entity: DriftFlag, parentKey: 'modelVersionId', order: NEWEST_FIRST, proto: DriftFlagType.prototype,
    where: status ? (qb) => void qb.where('status', status) : undefined,
  };
}

/** The comments of one kind of subject (one spec per type keeps the parent key a plain integer). */
export function commentsOf(subjectType: string): ChildSpec<CommentType> {
  return {
    name: `${subjectType}.comments`,
    entity: Comment,
    parentKey: 'subjectId',
    order: NEWEST_FIRST,
    proto: CommentType.prototype,
    where: (qb) => void qb.where('subject_type', subjectType),
  };
}

/** The versions of each model, optionally only those in one stage. */
export function versionsOf(stage: string | null | undefined): ChildSpec<ModelVersionType> {
  return {
    name: `model.versions:${stage ?? ''}`,
    entity: ModelVersion,
    parentKey: 'modelId',
    order: VERSIONS_HIGHEST_FIRST,
    proto: ModelVersionType.prototype,
    where: stage ? (qb) => void qb.where('stage', stage) : undefined,
  };
}

/** A record by type name and database id, batched per request; null when it does not exist. */
export function loadNode<T = unknown>(ctx: { loaders: Loaders }, typeName: string, id: number): Promise<T | null> {
  const { entity, proto } = NODE_TYPES[typeName];
  return ctx.loaders.byId(entity, proto).load(id) as Promise<T | null>;
}

/** Like `loadNode` for an object just written: it must exist. */
export async function loadWritten<T = unknown>(ctx: { loaders: Loaders }, typeName: string, id: number): Promise<T> {
  const { entity, proto } = NODE_TYPES[typeName];
  const loader = ctx.loaders.byId(entity, proto);
  loader.clear(id);
  return (await loader.load(id)) as T;
}
