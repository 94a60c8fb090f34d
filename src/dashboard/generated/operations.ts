/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Taking on an OPEN drift flag. */
export type AcknowledgeDriftInput = {
  /** Optional note, up to 10,000 characters. */
  comment?: string | null | undefined;
  /** The flag to acknowledge. */
  driftFlagId: string | number;
};

/** A comment on a Discussable object. */
export type AddCommentInput = {
  /** The text, 1 to 10,000 characters; `@handle` mentions notify those people. */
  body: string;
  /** A question stays open until its author or the owner of what it is on marks it answered. */
  isQuestion?: boolean | null | undefined;
  /** The ID of any Discussable object. */
  subjectId: string | number;
};

/** How a deployment went, as the deploying pipeline reported it. */
export type DeploymentStatus =
  /** Did not come up. */
  | 'FAILED'
  /** Undone after it was deployed. */
  | 'ROLLED_BACK'
  /** Under way. */
  | 'STARTED'
  /** Running in the environment. */
  | 'SUCCEEDED';

/** An outcome you believe is wrong, and why. */
export type DisputeOutcomeInput = {
  /** Why, 1 to 10,000 characters. */
  comment: string;
  /** The explained outcome disputed. */
  explanationId: string | number;
};

/** What drifted. */
export type DriftKind =
  /** The business KPI the model serves got worse. */
  | 'BUSINESS'
  /** The relation between inputs and outcome changed. */
  | 'CONCEPT'
  /** The input data: its distribution moved away from the training data. */
  | 'DATA'
  /** The model's own metrics got worse. */
  | 'PERFORMANCE';

/** Where a drift flag stands: OPEN, perhaps ACKNOWLEDGED, then RESOLVED. */
export type DriftStatus =
  /** Someone has taken it on. */
  | 'ACKNOWLEDGED'
  /** Raised; nobody has taken it on yet. */
  | 'OPEN'
  /** Dealt with; the resolution says how. */
  | 'RESOLVED';

/** What feedback is about. */
export type FeedbackKind =
  /** The model against its goal. */
  | 'GENERAL'
  /** One explained outcome the model produced, disputed (`disputeOutcome`). */
  | 'OUTCOME';

/** Whether a model answers the business question of its goal, as a business user judges it. */
export type FeedbackVerdict =
  /** It does. */
  | 'MEETS_GOAL'
  /** It does not. */
  | 'MISSES_GOAL'
  /** In part. */
  | 'PARTIALLY_MEETS';

/** A drift seen on a model version. */
export type FlagDriftInput = {
  /** 1 to 5,000 characters. */
  description: string;
  /** The value expected, in the metric's unit; a finite number. */
  expected?: number | null | undefined;
  /** What drifted. */
  kind: DriftKind;
  /** The metric that shows the drift, up to 200 characters; null: none in particular. */
  metric?: string | null | undefined;
  /** The model version that drifted. */
  modelVersionId: string | number;
  /** The value observed, in the metric's unit; a finite number. */
  observed?: number | null | undefined;
  /** How urgent it is. */
  severity: Severity;
};

/** Where a goal stands in its life. */
export type GoalStatus =
  /** Declared met by its owner. */
  | 'ACHIEVED'
  /** Being pursued: models are built and judged against it. */
  | 'ACTIVE'
  /** Being written; not yet pursued. */
  | 'DRAFT'
  /** No longer pursued. */
  | 'RETIRED';

/** Which way a KPI improves. */
export type KpiDirection =
  /** Larger values are better (e.g. retention). */
  | 'HIGHER_IS_BETTER'
  /** Smaller values are better (e.g. churn). */
  | 'LOWER_IS_BETTER';

/** What happened; the event subject is the object the type names. */
export type LifecycleEventType =
  /** A comment was added to a discussable object. */
  | 'COMMENT_ADDED'
  /** A deployment of a model version was reported; the subject is the deployment. */
  | 'DEPLOYMENT_RECORDED'
  /** A drift flag was acknowledged. */
  | 'DRIFT_ACKNOWLEDGED'
  /** Drift was flagged on a model version. */
  | 'DRIFT_FLAGGED'
  /** A drift flag was resolved. */
  | 'DRIFT_RESOLVED'
  /** An experiment was created under a goal. */
  | 'EXPERIMENT_CREATED'
  /** A business user judged a model against its goal. */
  | 'FEEDBACK_SUBMITTED'
  /** A goal was created. */
  | 'GOAL_CREATED'
  /** A goal changed; the data lists the changes. */
  | 'GOAL_UPDATED'
  /** A KPI was added to a goal. */
  | 'KPI_ADDED'
  /** A value was recorded for a KPI. */
  | 'KPI_RECORDED'
  /** A batch of values was recorded for a KPI; the data counts those recorded and skipped. */
  | 'KPI_VALUES_RECORDED'
  /** Metric points were appended to a run's history. */
  | 'METRICS_LOGGED'
  /** A model was registered under a goal. */
  | 'MODEL_REGISTERED'
  /** A model's description changed. */
  | 'MODEL_UPDATED'
  /** A new version of a model was created. */
  | 'MODEL_VERSION_CREATED'
  /** A model version's description, artifact or card changed. */
  | 'MODEL_VERSION_UPDATED'
  /** A monitor was created on a KPI or a version metric. */
  | 'MONITOR_CREATED'
  /** A monitor was deleted; its flags stay. */
  | 'MONITOR_DELETED'
  /** A monitor changed, was paused or resumed; the data lists the changes. */
  | 'MONITOR_UPDATED'
  /** Someone disputed one explained outcome; the model's owner is notified. */
  | 'OUTCOME_DISPUTED'
  /** A goal, model or experiment was handed to another owner; the data names both. */
  | 'OWNERSHIP_TRANSFERRED'
  /** A pipeline recorded or replaced explained outcomes for a model version; the data counts both. */
  | 'PREDICTION_EXPLANATIONS_RECORDED'
  /** Every required role approved a promotion request. */
  | 'PROMOTION_APPROVED'
  /** A promotion request was cancelled. */
  | 'PROMOTION_CANCELLED'
  /** A promotion request was rejected. */
  | 'PROMOTION_REJECTED'
  /** Someone asked to move a model version to another stage. */
  | 'PROMOTION_REQUESTED'
  /** A reviewer approved or rejected a promotion request. */
  | 'PROMOTION_REVIEWED'
  /** A question (a comment asked as one) was marked answered; the subject is the comment. */
  | 'QUESTION_ANSWERED'
  /** A run was logged for an experiment. */
  | 'RUN_LOGGED'
  /** A run's status or metrics changed. */
  | 'RUN_UPDATED'
  /** A model version moved to another stage; the subject is the version. */
  | 'STAGE_CHANGED'
  /** A user's API tokens were revoked; the data says how many. */
  | 'TOKENS_REVOKED'
  /** An API token was issued to a user or service account; the token itself is never recorded. */
  | 'TOKEN_CREATED'
  /** A user was created. */
  | 'USER_CREATED'
  /** A user's name, roles or Slack link changed. */
  | 'USER_UPDATED';

/** Which of the viewer's notifications to mark read. */
export type MarkNotificationsReadInput = {
  /** Empty or absent: all of the viewer's. */
  notificationIds?: Array<string | number> | null | undefined;
};

/** When an observation breaches a monitor. */
export type MonitorCondition =
  /** Greater than the threshold. */
  | 'ABOVE'
  /** Less than the threshold. */
  | 'BELOW'
  /** Worse than the KPI's baseline, in its direction, by more than threshold percent. */
  | 'WORSE_THAN_BASELINE_PCT';

/** What a monitor watches. */
export type MonitorSource =
  /** Each new value of the KPI. */
  | 'KPI'
  /** Each new value of a metric logged for the version in production (metricKey). */
  | 'VERSION_METRIC';

/** Why an event reached a person. */
export type NotificationReason =
  /** Activity on something they own or have commented on, or an answer to their question. */
  | 'FOLLOWED_ACTIVITY'
  /** A comment named them with @handle. */
  | 'MENTIONED'
  /** An outcome of their model was disputed. */
  | 'OUTCOME_DISPUTED'
  /** Something was handed to them. */
  | 'OWNERSHIP_TRANSFERRED'
  /** A question on something they own. */
  | 'QUESTION_ON_OWNED'
  /** A promotion request awaits a role they hold. */
  | 'REVIEW_REQUESTED';

/** Where an action came from. */
export type Origin =
  /** The GraphQL API. */
  | 'API'
  /** The hub command line (npx hub ...). */
  | 'CLI'
  /** An automatic check by the hub itself. */
  | 'MONITOR'
  /** A Slack command, action or message. */
  | 'SLACK';

/** A person, or a service account (a pipeline, a CI job) that never reviews. */
export type PrincipalKind =
  /** A person, who may review promotions their roles allow. */
  | 'PERSON'
  /** A service account, created by an ADMIN with createServiceAccount; it never reviews promotions. */
  | 'SERVICE';

/** Where a promotion request stands; only a PENDING request can be reviewed or cancelled. */
export type PromotionStatus =
  /** Every required role approved; the version moved to the requested stage. */
  | 'APPROVED'
  /** Withdrawn by its requester or an ADMIN, or overtaken by another stage change. */
  | 'CANCELLED'
  /** Awaiting the approvals of its required roles. */
  | 'PENDING'
  /** A reviewer rejected it; the version stayed where it was. */
  | 'REJECTED';

/** A request to move a model version to another stage. */
export type RequestPromotionInput = {
  /** Why, for the reviewers; up to 10,000 characters. */
  justification?: string | null | undefined;
  /** The version to move; it may have one PENDING request at a time. */
  modelVersionId: string | number;
  /** STAGING, PRODUCTION or ARCHIVED; not the current stage. */
  toStage: Stage;
};

/** Closing a drift flag, saying how it was dealt with. */
export type ResolveDriftInput = {
  /** The flag to resolve. */
  driftFlagId: string | number;
  /** How it was dealt with, 1 to 10,000 characters. */
  resolution: string;
};

/** A reviewer's answer to a promotion request. */
export type ReviewDecision =
  /** Counts as the approval of the first missing role the reviewer holds. */
  | 'APPROVE'
  /** Rejects the whole request at once. */
  | 'REJECT';

/** A review of a PENDING promotion request. */
export type ReviewPromotionInput = {
  /** Why, up to 10,000 characters. */
  comment?: string | null | undefined;
  /** Approve or reject. */
  decision: ReviewDecision;
  /** The request to review. */
  promotionRequestId: string | number;
};

/** The people of MLOps. A user may hold several roles. */
export type Role =
  /** Manages users, and passes every role check; a review still counts only for a role the reviewer holds. */
  | 'ADMIN'
  /** Provides the data that runs and models are built from. */
  | 'DATA_ENGINEER'
  /** Runs experiments and builds model versions. */
  | 'DATA_SCIENTIST'
  /** Deploys and operates model versions. */
  | 'ML_ENGINEER'
  /** Reviews model risk, typically before production. */
  | 'RISK_MANAGER'
  /** Subject matter expert: owns business goals and their KPIs, and judges whether models meet them. */
  | 'SME';

/** Where a run stands; a FINISHED or FAILED run is closed and stays so. */
export type RunStatus =
  /** Stopped by an error. */
  | 'FAILED'
  /** Completed. */
  | 'FINISHED'
  /** Still going: metrics may still change. */
  | 'RUNNING';

/** How urgent a drift flag is, from LOW to CRITICAL; lists sort and filter in that order. */
export type Severity =
  /** The model should not keep serving as it is. */
  | 'CRITICAL'
  /** Needs attention now. */
  | 'HIGH'
  /** Worth a look. */
  | 'LOW'
  /** Needs attention soon. */
  | 'MEDIUM';

/** Where a model version stands in its release: it moves between stages only through an approved promotion request. */
export type Stage =
  /** Withdrawn from use. */
  | 'ARCHIVED'
  /** Not released: where every new version starts. */
  | 'NONE'
  /** Serving; a model has one version here at most, so a new one archives the previous. */
  | 'PRODUCTION'
  /** Being tried before production. */
  | 'STAGING';

/** Needs goalId, modelVersionId or both (then they must agree). */
export type SubmitFeedbackInput = {
  /** Why, up to 10,000 characters. */
  comment?: string | null | undefined;
  /** The goal judged; null: the goal of modelVersionId. */
  goalId?: string | number | null | undefined;
  /** The model version judged; null: the goal as a whole. */
  modelVersionId?: string | number | null | undefined;
  /** Whether the model meets the goal. */
  verdict: FeedbackVerdict;
};

export type DashViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type DashViewerQuery = { viewer: { id: string, name: string, email: string, roles: Array<Role> } };

export type DashCommentFragment = { id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } };

export type DashEventFragment = { id: string, type: LifecycleEventType, occurredAt: string, summary: string, origin: Origin, actor: { id: string, name: string } | null, goal: { id: string, title: string } | null, model: { id: string, name: string } | null, modelVersion: { id: string, version: number } | null };

export type DashEventsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type DashEventsQuery = { events: { nodes: Array<{ id: string, type: LifecycleEventType, occurredAt: string, summary: string, origin: Origin, actor: { id: string, name: string } | null, goal: { id: string, title: string } | null, model: { id: string, name: string } | null, modelVersion: { id: string, version: number } | null }> } };

export type DashLifecycleEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashLifecycleEventsSubscription = { lifecycleEvents: { id: string, type: LifecycleEventType, occurredAt: string, summary: string, origin: Origin, actor: { id: string, name: string } | null, goal: { id: string, title: string } | null, model: { id: string, name: string } | null, modelVersion: { id: string, version: number } | null } };

export type DashPromotionFragment = { id: string, fromStage: Stage, toStage: Stage, status: PromotionStatus, justification: string | null, requiredRoles: Array<Role>, missingRoles: Array<Role>, createdAt: string, decidedAt: string | null, requestedBy: { id: string, name: string }, reviews: Array<{ role: Role, decision: ReviewDecision, comment: string | null, createdAt: string, reviewer: { id: string, name: string } }>, modelVersion: { id: string, version: number, stage: Stage, model: { id: string, name: string, goal: { id: string, title: string } } }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } };

export type DashDriftFragment = { id: string, kind: DriftKind, severity: Severity, status: DriftStatus, description: string, metric: string | null, observed: number | null, expected: number | null, createdAt: string, acknowledgedAt: string | null, resolvedAt: string | null, resolution: string | null, origin: Origin, raisedBy: { id: string, name: string }, modelVersion: { id: string, version: number, model: { id: string, name: string } }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } };

export type DashVersionOptionFragment = { id: string, name: string, versions: { nodes: Array<{ id: string, version: number, stage: Stage }> } };

export type DashGoalsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashGoalsQuery = { goals: { pageInfo: { hasNextPage: boolean }, nodes: Array<{ id: string, title: string, businessQuestion: string, description: string | null, status: GoalStatus, owner: { id: string, name: string }, kpis: Array<{ id: string, name: string, unit: string | null, description: string | null, direction: KpiDirection, baseline: number | null, target: number | null, current: number | null }>, monitors: Array<{ id: string, name: string, source: MonitorSource, metricKey: string | null, condition: MonitorCondition, threshold: number, window: number, severity: Severity, autoResolveAfter: number | null, paused: boolean, kpi: { name: string } | null, model: { name: string } | null }>, models: { nodes: Array<{ description: string | null, id: string, name: string, productionVersion: { id: string, version: number } | null, openDriftFlags: Array<{ id: string, severity: Severity }>, pendingPromotion: { id: string, fromStage: Stage, toStage: Stage, missingRoles: Array<Role>, modelVersion: { id: string, version: number } } | null, versions: { nodes: Array<{ id: string, version: number, stage: Stage }> } }> }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } }> } };

export type DashKpiHistoryQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
  points: number;
}>;


export type DashKpiHistoryQuery = { nodes: Array<
    | { __typename: 'Comment' }
    | { __typename: 'Deployment' }
    | { __typename: 'DriftFlag' }
    | { __typename: 'Experiment' }
    | { __typename: 'Feedback' }
    | { __typename: 'Goal' }
    | { __typename: 'Kpi', id: string, history: { nodes: Array<{ value: number, observedAt: string, modelVersion: { id: string, version: number, model: { id: string, name: string } } | null }> } }
    | { __typename: 'LifecycleEvent' }
    | { __typename: 'Model' }
    | { __typename: 'ModelVersion' }
    | { __typename: 'Monitor' }
    | { __typename: 'Notification' }
    | { __typename: 'PredictionExplanation' }
    | { __typename: 'PromotionRequest' }
    | { __typename: 'Run' }
    | { __typename: 'User' }
    | { __typename: 'Webhook' }
    | { __typename: 'WebhookDelivery' }
   | null> };

export type DashModelQueryVariables = Exact<{
  id: string | number;
}>;


export type DashModelQuery = { node:
    | { __typename: 'Comment' }
    | { __typename: 'Deployment' }
    | { __typename: 'DriftFlag' }
    | { __typename: 'Experiment' }
    | { __typename: 'Feedback' }
    | { __typename: 'Goal' }
    | { __typename: 'Kpi' }
    | { __typename: 'LifecycleEvent' }
    | { __typename: 'Model', id: string, name: string, description: string | null, createdAt: string, owner: { id: string, name: string }, goal: { id: string, title: string, businessQuestion: string }, productionVersion: { id: string, version: number } | null, latestVersion: { id: string, version: number } | null, openDriftFlags: Array<{ id: string, kind: DriftKind, severity: Severity, status: DriftStatus, description: string, metric: string | null, observed: number | null, expected: number | null, createdAt: string, acknowledgedAt: string | null, resolvedAt: string | null, resolution: string | null, origin: Origin, raisedBy: { id: string, name: string }, modelVersion: { id: string, version: number, model: { id: string, name: string } }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } }>, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> }, versions: { totalCount: number, nodes: Array<{ id: string, version: number, stage: Stage, createdAt: string, deploymentOverdue: boolean, promotionRequests: Array<{ id: string, status: PromotionStatus, fromStage: Stage, toStage: Stage, decidedAt: string | null }>, deployments: Array<{ id: string, environment: string, status: DeploymentStatus, createdAt: string }> }> } }
    | { __typename: 'ModelVersion' }
    | { __typename: 'Monitor' }
    | { __typename: 'Notification' }
    | { __typename: 'PredictionExplanation' }
    | { __typename: 'PromotionRequest' }
    | { __typename: 'Run' }
    | { __typename: 'User' }
    | { __typename: 'Webhook' }
    | { __typename: 'WebhookDelivery' }
   | null };

export type DashModelVersionQueryVariables = Exact<{
  modelId: string | number;
  number: number;
}>;


export type DashModelVersionQuery = { node:
    | { __typename: 'Comment' }
    | { __typename: 'Deployment' }
    | { __typename: 'DriftFlag' }
    | { __typename: 'Experiment' }
    | { __typename: 'Feedback' }
    | { __typename: 'Goal' }
    | { __typename: 'Kpi' }
    | { __typename: 'LifecycleEvent' }
    | { __typename: 'Model', version: { id: string, version: number, stage: Stage, description: string | null, artifactUri: string | null, createdAt: string, deploymentOverdue: boolean, createdBy: { id: string, name: string }, metrics: Array<{ key: string, value: number }>, card: { intendedUse: string | null, limitations: string | null, trainingData: string | null, evaluationData: string | null, ethicalConsiderations: string | null, featureImportance: Array<{ feature: string, importance: number }> } | null, run: { id: string, name: string | null, status: RunStatus, params: Record<string, unknown>, datasetUri: string | null, codeVersion: string | null, startedAt: string, finishedAt: string | null, author: { id: string, name: string }, metrics: Array<{ key: string, value: number }>, experiment: { id: string, name: string, hypothesis: string | null, goal: { id: string, title: string, businessQuestion: string } } } | null, promotionRequests: Array<{ id: string, fromStage: Stage, toStage: Stage, status: PromotionStatus, justification: string | null, requiredRoles: Array<Role>, missingRoles: Array<Role>, createdAt: string, decidedAt: string | null, requestedBy: { id: string, name: string }, reviews: Array<{ role: Role, decision: ReviewDecision, comment: string | null, createdAt: string, reviewer: { id: string, name: string } }>, modelVersion: { id: string, version: number, stage: Stage, model: { id: string, name: string, goal: { id: string, title: string } } }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } }>, deployments: Array<{ id: string, environment: string, status: DeploymentStatus, url: string | null, detail: string | null, createdAt: string, recordedBy: { id: string, name: string, kind: PrincipalKind } }>, feedback: { nodes: Array<{ id: string, verdict: FeedbackVerdict, comment: string | null, createdAt: string, origin: Origin, author: { id: string, name: string }, goal: { id: string, title: string } }> }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } } | null }
    | { __typename: 'ModelVersion' }
    | { __typename: 'Monitor' }
    | { __typename: 'Notification' }
    | { __typename: 'PredictionExplanation' }
    | { __typename: 'PromotionRequest' }
    | { __typename: 'Run' }
    | { __typename: 'User' }
    | { __typename: 'Webhook' }
    | { __typename: 'WebhookDelivery' }
   | null };

export type DashQueueQueryVariables = Exact<{
  me: string | number;
}>;


export type DashQueueQuery = { viewer: { id: string, roles: Array<Role>, awaitingMyReview: { totalCount: number, nodes: Array<{ id: string, fromStage: Stage, toStage: Stage, status: PromotionStatus, justification: string | null, requiredRoles: Array<Role>, missingRoles: Array<Role>, createdAt: string, decidedAt: string | null, requestedBy: { id: string, name: string }, reviews: Array<{ role: Role, decision: ReviewDecision, comment: string | null, createdAt: string, reviewer: { id: string, name: string } }>, modelVersion: { id: string, version: number, stage: Stage, model: { id: string, name: string, goal: { id: string, title: string } } }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } }> }, notifications: { nodes: Array<{ id: string, reason: NotificationReason, read: boolean, createdAt: string, event: { id: string, type: LifecycleEventType, occurredAt: string, summary: string, origin: Origin, actor: { id: string, name: string } | null, goal: { id: string, title: string } | null, model: { id: string, name: string } | null, modelVersion: { id: string, version: number } | null } }> } }, flagged: { nodes: Array<{ id: string, openDriftFlags: Array<{ id: string, kind: DriftKind, severity: Severity, status: DriftStatus, description: string, metric: string | null, observed: number | null, expected: number | null, createdAt: string, acknowledgedAt: string | null, resolvedAt: string | null, resolution: string | null, origin: Origin, raisedBy: { id: string, name: string }, modelVersion: { id: string, version: number, model: { id: string, name: string } }, comments: { totalCount: number, nodes: Array<{ id: string, body: string, createdAt: string, origin: Origin, author: { id: string, name: string } }> } }> }> }, goals: { nodes: Array<{ id: string, title: string }> }, models: { nodes: Array<{ id: string, name: string, versions: { nodes: Array<{ id: string, version: number, stage: Stage }> } }> } };

export type DashReviewPromotionMutationVariables = Exact<{
  input: ReviewPromotionInput;
}>;


export type DashReviewPromotionMutation = { reviewPromotion: { promotionRequest: { id: string, status: PromotionStatus, missingRoles: Array<Role>, toStage: Stage, modelVersion: { id: string, version: number, stage: Stage, model: { id: string, name: string } } } } };

export type DashRequestPromotionMutationVariables = Exact<{
  input: RequestPromotionInput;
}>;


export type DashRequestPromotionMutation = { requestPromotion: { promotionRequest: { id: string, status: PromotionStatus, toStage: Stage, missingRoles: Array<Role>, modelVersion: { id: string, version: number, stage: Stage, model: { id: string, name: string } } } } };

export type DashAcknowledgeDriftMutationVariables = Exact<{
  input: AcknowledgeDriftInput;
}>;


export type DashAcknowledgeDriftMutation = { acknowledgeDrift: { driftFlag: { id: string, status: DriftStatus } } };

export type DashResolveDriftMutationVariables = Exact<{
  input: ResolveDriftInput;
}>;


export type DashResolveDriftMutation = { resolveDrift: { driftFlag: { id: string, status: DriftStatus } } };

export type DashFlagDriftMutationVariables = Exact<{
  input: FlagDriftInput;
}>;


export type DashFlagDriftMutation = { flagDrift: { driftFlag: { id: string, severity: Severity, status: DriftStatus, modelVersion: { id: string, version: number, model: { id: string, name: string } } } } };

export type DashSubmitFeedbackMutationVariables = Exact<{
  input: SubmitFeedbackInput;
}>;


export type DashSubmitFeedbackMutation = { submitFeedback: { feedback: { id: string, verdict: FeedbackVerdict } } };

export type DashAddCommentMutationVariables = Exact<{
  input: AddCommentInput;
}>;


export type DashAddCommentMutation = { addComment: { comment: { id: string } } };

export type DashMyModelsQueryVariables = Exact<{
  me: string | number;
}>;


export type DashMyModelsQuery = { modelSearch: { totalCount: number, nodes: Array<{ id: string, name: string, description: string | null, goal: { id: string, title: string }, productionVersion: { id: string, version: number } | null, openDriftFlags: Array<{ id: string, severity: Severity }>, pendingPromotion: { id: string, toStage: Stage, modelVersion: { id: string, version: number } } | null, comments: { nodes: Array<{ id: string, isQuestion: boolean, answeredAt: string | null }> } }> } };

export type DashNotificationFragment = { id: string, reason: NotificationReason, read: boolean, createdAt: string, event: { id: string, type: LifecycleEventType, occurredAt: string, summary: string, origin: Origin, actor: { id: string, name: string } | null, goal: { id: string, title: string } | null, model: { id: string, name: string } | null, modelVersion: { id: string, version: number } | null } };

export type DashUnreadQueryVariables = Exact<{ [key: string]: never; }>;


export type DashUnreadQuery = { viewer: { id: string, unreadNotificationCount: number } };

export type DashInboxQueryVariables = Exact<{ [key: string]: never; }>;


export type DashInboxQuery = { viewer: { id: string, unreadNotificationCount: number, notifications: { totalCount: number, nodes: Array<{ id: string, reason: NotificationReason, read: boolean, createdAt: string, event: { id: string, type: LifecycleEventType, occurredAt: string, summary: string, origin: Origin, actor: { id: string, name: string } | null, goal: { id: string, title: string } | null, model: { id: string, name: string } | null, modelVersion: { id: string, version: number } | null } }> } } };

export type DashNotificationsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashNotificationsSubscription = { notifications: { id: string, reason: NotificationReason, read: boolean, createdAt: string, event: { id: string, type: LifecycleEventType, occurredAt: string, summary: string, origin: Origin, actor: { id: string, name: string } | null, goal: { id: string, title: string } | null, model: { id: string, name: string } | null, modelVersion: { id: string, version: number } | null } } };

export type DashMarkNotificationsReadMutationVariables = Exact<{
  input: MarkNotificationsReadInput;
}>;


export type DashMarkNotificationsReadMutation = { markNotificationsRead: { unreadNotificationCount: number } };

export type DashExplanationQueryVariables = Exact<{
  versionId: string | number;
  subjectKey: string;
}>;


export type DashExplanationQuery = { node:
    | { __typename: 'Comment' }
    | { __typename: 'Deployment' }
    | { __typename: 'DriftFlag' }
    | { __typename: 'Experiment' }
    | { __typename: 'Feedback' }
    | { __typename: 'Goal' }
    | { __typename: 'Kpi' }
    | { __typename: 'LifecycleEvent' }
    | { __typename: 'Model' }
    | { __typename: 'ModelVersion', id: string, explanation: { id: string, subjectKey: string, prediction: string, score: number | null, updatedAt: string, attributions: Array<{ feature: string, value: string | null, contribution: number }> } | null }
    | { __typename: 'Monitor' }
    | { __typename: 'Notification' }
    | { __typename: 'PredictionExplanation' }
    | { __typename: 'PromotionRequest' }
    | { __typename: 'Run' }
    | { __typename: 'User' }
    | { __typename: 'Webhook' }
    | { __typename: 'WebhookDelivery' }
   | null };

export type DashDisputeOutcomeMutationVariables = Exact<{
  input: DisputeOutcomeInput;
}>;


export type DashDisputeOutcomeMutation = { disputeOutcome: { feedback: { id: string, kind: FeedbackKind } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const DashCommentFragmentDoc = new TypedDocumentString(`
    fragment DashComment on Comment {
  id
  body
  createdAt
  origin
  author {
    id
    name
  }
}
    `, {"fragmentName":"DashComment"}) as unknown as TypedDocumentString<DashCommentFragment, unknown>;
export const DashPromotionFragmentDoc = new TypedDocumentString(`
    fragment DashPromotion on PromotionRequest {
  id
  fromStage
  toStage
  status
  justification
  requiredRoles
  missingRoles
  createdAt
  decidedAt
  requestedBy {
    id
    name
  }
  reviews {
    role
    decision
    comment
    createdAt
    reviewer {
      id
      name
    }
  }
  modelVersion {
    id
    version
    stage
    model {
      id
      name
      goal {
        id
        title
      }
    }
  }
  comments(first: 10) {
    totalCount
    nodes {
      ...DashComment
    }
  }
}
    fragment DashComment on Comment {
  id
  body
  createdAt
  origin
  author {
    id
    name
  }
}`, {"fragmentName":"DashPromotion"}) as unknown as TypedDocumentString<DashPromotionFragment, unknown>;
export const DashDriftFragmentDoc = new TypedDocumentString(`
    fragment DashDrift on DriftFlag {
  id
  kind
  severity
  status
  description
  metric
  observed
  expected
  createdAt
  acknowledgedAt
  resolvedAt
  resolution
  origin
  raisedBy {
    id
    name
  }
  modelVersion {
    id
    version
    model {
      id
      name
    }
  }
  comments(first: 10) {
    totalCount
    nodes {
      ...DashComment
    }
  }
}
    fragment DashComment on Comment {
  id
  body
  createdAt
  origin
  author {
    id
    name
  }
}`, {"fragmentName":"DashDrift"}) as unknown as TypedDocumentString<DashDriftFragment, unknown>;
export const DashVersionOptionFragmentDoc = new TypedDocumentString(`
    fragment DashVersionOption on Model {
  id
  name
  versions(first: 10) {
    nodes {
      id
      version
      stage
    }
  }
}
    `, {"fragmentName":"DashVersionOption"}) as unknown as TypedDocumentString<DashVersionOptionFragment, unknown>;
export const DashEventFragmentDoc = new TypedDocumentString(`
    fragment DashEvent on LifecycleEvent {
  id
  type
  occurredAt
  summary
  origin
  actor {
    id
    name
  }
  goal {
    id
    title
  }
  model {
    id
    name
  }
  modelVersion {
    id
    version
  }
}
    `, {"fragmentName":"DashEvent"}) as unknown as TypedDocumentString<DashEventFragment, unknown>;
export const DashNotificationFragmentDoc = new TypedDocumentString(`
    fragment DashNotification on Notification {
  id
  reason
  read
  createdAt
  event {
    ...DashEvent
  }
}
    fragment DashEvent on LifecycleEvent {
  id
  type
  occurredAt
  summary
  origin
  actor {
    id
    name
  }
  goal {
    id
    title
  }
  model {
    id
    name
  }
  modelVersion {
    id
    version
  }
}`, {"fragmentName":"DashNotification"}) as unknown as TypedDocumentString<DashNotificationFragment, unknown>;
export const DashViewerDocument = new TypedDocumentString(`
    query DashViewer {
  viewer {
    id
    name
    email
    roles
  }
}
    `) as unknown as TypedDocumentString<DashViewerQuery, DashViewerQueryVariables>;
export const DashEventsDocument = new TypedDocumentString(`
    query DashEvents($first: Int) {
  events(first: $first) {
    nodes {
      ...DashEvent
    }
  }
}
    fragment DashEvent on LifecycleEvent {
  id
  type
  occurredAt
  summary
  origin
  actor {
    id
    name
  }
  goal {
    id
    title
  }
  model {
    id
    name
  }
  modelVersion {
    id
    version
  }
}`) as unknown as TypedDocumentString<DashEventsQuery, DashEventsQueryVariables>;
export const DashLifecycleEventsDocument = new TypedDocumentString(`
    subscription DashLifecycleEvents {
  lifecycleEvents {
    ...DashEvent
  }
}
    fragment DashEvent on LifecycleEvent {
  id
  type
  occurredAt
  summary
  origin
  actor {
    id
    name
  }
  goal {
    id
    title
  }
  model {
    id
    name
  }
  modelVersion {
    id
    version
  }
}`) as unknown as TypedDocumentString<DashLifecycleEventsSubscription, DashLifecycleEventsSubscriptionVariables>;
export const DashGoalsDocument = new TypedDocumentString(`
    query DashGoals {
  goals(first: 20) {
    pageInfo {
      hasNextPage
    }
    nodes {
      id
      title
      businessQuestion
      description
      status
      owner {
        id
        name
      }
      kpis {
        id
        name
        unit
        description
        direction
        baseline
        target
        current
      }
      monitors {
        id
        name
        source
        kpi {
          name
        }
        model {
          name
        }
        metricKey
        condition
        threshold
        window
        severity
        autoResolveAfter
        paused
      }
      models(first: 10) {
        nodes {
          ...DashVersionOption
          description
          productionVersion {
            id
            version
          }
          openDriftFlags {
            id
            severity
          }
          pendingPromotion {
            id
            fromStage
            toStage
            missingRoles
            modelVersion {
              id
              version
            }
          }
        }
      }
      comments(first: 10) {
        totalCount
        nodes {
          ...DashComment
        }
      }
    }
  }
}
    fragment DashComment on Comment {
  id
  body
  createdAt
  origin
  author {
    id
    name
  }
}
fragment DashVersionOption on Model {
  id
  name
  versions(first: 10) {
    nodes {
      id
      version
      stage
    }
  }
}`) as unknown as TypedDocumentString<DashGoalsQuery, DashGoalsQueryVariables>;
export const DashKpiHistoryDocument = new TypedDocumentString(`
    query DashKpiHistory($ids: [ID!]!, $points: Int!) {
  nodes(ids: $ids) {
    __typename
    ... on Kpi {
      id
      history(first: $points) {
        nodes {
          value
          observedAt
          modelVersion {
            id
            version
            model {
              id
              name
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashKpiHistoryQuery, DashKpiHistoryQueryVariables>;
export const DashModelDocument = new TypedDocumentString(`
    query DashModel($id: ID!) {
  node(id: $id) {
    __typename
    ... on Model {
      id
      name
      description
      createdAt
      owner {
        id
        name
      }
      goal {
        id
        title
        businessQuestion
      }
      productionVersion {
        id
        version
      }
      latestVersion {
        id
        version
      }
      openDriftFlags {
        ...DashDrift
      }
      comments(first: 20) {
        totalCount
        nodes {
          ...DashComment
        }
      }
      versions(first: 20) {
        totalCount
        nodes {
          id
          version
          stage
          createdAt
          promotionRequests {
            id
            status
            fromStage
            toStage
            decidedAt
          }
          deploymentOverdue
          deployments {
            id
            environment
            status
            createdAt
          }
        }
      }
    }
  }
}
    fragment DashComment on Comment {
  id
  body
  createdAt
  origin
  author {
    id
    name
  }
}
fragment DashDrift on DriftFlag {
  id
  kind
  severity
  status
  description
  metric
  observed
  expected
  createdAt
  acknowledgedAt
  resolvedAt
  resolution
  origin
  raisedBy {
    id
    name
  }
  modelVersion {
    id
    version
    model {
      id
      name
    }
  }
  comments(first: 10) {
    totalCount
    nodes {
      ...DashComment
    }
  }
}`) as unknown as TypedDocumentString<DashModelQuery, DashModelQueryVariables>;
export const DashModelVersionDocument = new TypedDocumentString(`
    query DashModelVersion($modelId: ID!, $number: Int!) {
  node(id: $modelId) {
    __typename
    ... on Model {
      version(number: $number) {
        id
        version
        stage
        description
        artifactUri
        createdAt
        createdBy {
          id
          name
        }
        metrics {
          key
          value
        }
        card {
          intendedUse
          limitations
          trainingData
          evaluationData
          ethicalConsiderations
          featureImportance {
            feature
            importance
          }
        }
        run {
          id
          name
          status
          params
          datasetUri
          codeVersion
          startedAt
          finishedAt
          author {
            id
            name
          }
          metrics {
            key
            value
          }
          experiment {
            id
            name
            hypothesis
            goal {
              id
              title
              businessQuestion
            }
          }
        }
        promotionRequests {
          ...DashPromotion
        }
        deploymentOverdue
        deployments {
          id
          environment
          status
          url
          detail
          createdAt
          recordedBy {
            id
            name
            kind
          }
        }
        feedback(first: 20) {
          nodes {
            id
            verdict
            comment
            createdAt
            origin
            author {
              id
              name
            }
            goal {
              id
              title
            }
          }
        }
        comments(first: 20) {
          totalCount
          nodes {
            ...DashComment
          }
        }
      }
    }
  }
}
    fragment DashComment on Comment {
  id
  body
  createdAt
  origin
  author {
    id
    name
  }
}
fragment DashPromotion on PromotionRequest {
  id
  fromStage
  toStage
  status
  justification
  requiredRoles
  missingRoles
  createdAt
  decidedAt
  requestedBy {
    id
    name
  }
  reviews {
    role
    decision
    comment
    createdAt
    reviewer {
      id
      name
    }
  }
  modelVersion {
    id
    version
    stage
    model {
      id
      name
      goal {
        id
        title
      }
    }
  }
  comments(first: 10) {
    totalCount
    nodes {
      ...DashComment
    }
  }
}`) as unknown as TypedDocumentString<DashModelVersionQuery, DashModelVersionQueryVariables>;
export const DashQueueDocument = new TypedDocumentString(`
    query DashQueue($me: ID!) {
  viewer {
    id
    roles
    awaitingMyReview(first: 50) {
      totalCount
      nodes {
        ...DashPromotion
      }
    }
    notifications(first: 50, unreadOnly: true) {
      nodes {
        ...DashNotification
      }
    }
  }
  flagged: modelSearch(first: 20, filter: {ownerId: $me, hasOpenDrift: true}) {
    nodes {
      id
      openDriftFlags {
        ...DashDrift
      }
    }
  }
  goals(first: 20) {
    nodes {
      id
      title
    }
  }
  models(first: 50) {
    nodes {
      ...DashVersionOption
    }
  }
}
    fragment DashComment on Comment {
  id
  body
  createdAt
  origin
  author {
    id
    name
  }
}
fragment DashEvent on LifecycleEvent {
  id
  type
  occurredAt
  summary
  origin
  actor {
    id
    name
  }
  goal {
    id
    title
  }
  model {
    id
    name
  }
  modelVersion {
    id
    version
  }
}
fragment DashPromotion on PromotionRequest {
  id
  fromStage
  toStage
  status
  justification
  requiredRoles
  missingRoles
  createdAt
  decidedAt
  requestedBy {
    id
    name
  }
  reviews {
    role
    decision
    comment
    createdAt
    reviewer {
      id
      name
    }
  }
  modelVersion {
    id
    version
    stage
    model {
      id
      name
      goal {
        id
        title
      }
    }
  }
  comments(first: 10) {
    totalCount
    nodes {
      ...DashComment
    }
  }
}
fragment DashDrift on DriftFlag {
  id
  kind
  severity
  status
  description
  metric
  observed
  expected
  createdAt
  acknowledgedAt
  resolvedAt
  resolution
  origin
  raisedBy {
    id
    name
  }
  modelVersion {
    id
    version
    model {
      id
      name
    }
  }
  comments(first: 10) {
    totalCount
    nodes {
      ...DashComment
    }
  }
}
fragment DashVersionOption on Model {
  id
  name
  versions(first: 10) {
    nodes {
      id
      version
      stage
    }
  }
}
fragment DashNotification on Notification {
  id
  reason
  read
  createdAt
  event {
    ...DashEvent
  }
}`) as unknown as TypedDocumentString<DashQueueQuery, DashQueueQueryVariables>;
export const DashReviewPromotionDocument = new TypedDocumentString(`
    mutation DashReviewPromotion($input: ReviewPromotionInput!) {
  reviewPromotion(input: $input) {
    promotionRequest {
      id
      status
      missingRoles
      toStage
      modelVersion {
        id
        version
        stage
        model {
          id
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashReviewPromotionMutation, DashReviewPromotionMutationVariables>;
export const DashRequestPromotionDocument = new TypedDocumentString(`
    mutation DashRequestPromotion($input: RequestPromotionInput!) {
  requestPromotion(input: $input) {
    promotionRequest {
      id
      status
      toStage
      missingRoles
      modelVersion {
        id
        version
        stage
        model {
          id
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashRequestPromotionMutation, DashRequestPromotionMutationVariables>;
export const DashAcknowledgeDriftDocument = new TypedDocumentString(`
    mutation DashAcknowledgeDrift($input: AcknowledgeDriftInput!) {
  acknowledgeDrift(input: $input) {
    driftFlag {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<DashAcknowledgeDriftMutation, DashAcknowledgeDriftMutationVariables>;
export const DashResolveDriftDocument = new TypedDocumentString(`
    mutation DashResolveDrift($input: ResolveDriftInput!) {
  resolveDrift(input: $input) {
    driftFlag {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<DashResolveDriftMutation, DashResolveDriftMutationVariables>;
export const DashFlagDriftDocument = new TypedDocumentString(`
    mutation DashFlagDrift($input: FlagDriftInput!) {
  flagDrift(input: $input) {
    driftFlag {
      id
      severity
      status
      modelVersion {
        id
        version
        model {
          id
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashFlagDriftMutation, DashFlagDriftMutationVariables>;
export const DashSubmitFeedbackDocument = new TypedDocumentString(`
    mutation DashSubmitFeedback($input: SubmitFeedbackInput!) {
  submitFeedback(input: $input) {
    feedback {
      id
      verdict
    }
  }
}
    `) as unknown as TypedDocumentString<DashSubmitFeedbackMutation, DashSubmitFeedbackMutationVariables>;
export const DashAddCommentDocument = new TypedDocumentString(`
    mutation DashAddComment($input: AddCommentInput!) {
  addComment(input: $input) {
    comment {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<DashAddCommentMutation, DashAddCommentMutationVariables>;
export const DashMyModelsDocument = new TypedDocumentString(`
    query DashMyModels($me: ID!) {
  modelSearch(first: 50, filter: {ownerId: $me}) {
    totalCount
    nodes {
      id
      name
      description
      goal {
        id
        title
      }
      productionVersion {
        id
        version
      }
      openDriftFlags {
        id
        severity
      }
      pendingPromotion {
        id
        toStage
        modelVersion {
          id
          version
        }
      }
      comments(first: 50) {
        nodes {
          id
          isQuestion
          answeredAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashMyModelsQuery, DashMyModelsQueryVariables>;
export const DashUnreadDocument = new TypedDocumentString(`
    query DashUnread {
  viewer {
    id
    unreadNotificationCount
  }
}
    `) as unknown as TypedDocumentString<DashUnreadQuery, DashUnreadQueryVariables>;
export const DashInboxDocument = new TypedDocumentString(`
    query DashInbox {
  viewer {
    id
    unreadNotificationCount
    notifications(first: 50) {
      totalCount
      nodes {
        ...DashNotification
      }
    }
  }
}
    fragment DashEvent on LifecycleEvent {
  id
  type
  occurredAt
  summary
  origin
  actor {
    id
    name
  }
  goal {
    id
    title
  }
  model {
    id
    name
  }
  modelVersion {
    id
    version
  }
}
fragment DashNotification on Notification {
  id
  reason
  read
  createdAt
  event {
    ...DashEvent
  }
}`) as unknown as TypedDocumentString<DashInboxQuery, DashInboxQueryVariables>;
export const DashNotificationsDocument = new TypedDocumentString(`
    subscription DashNotifications {
  notifications {
    ...DashNotification
  }
}
    fragment DashEvent on LifecycleEvent {
  id
  type
  occurredAt
  summary
  origin
  actor {
    id
    name
  }
  goal {
    id
    title
  }
  model {
    id
    name
  }
  modelVersion {
    id
    version
  }
}
fragment DashNotification on Notification {
  id
  reason
  read
  createdAt
  event {
    ...DashEvent
  }
}`) as unknown as TypedDocumentString<DashNotificationsSubscription, DashNotificationsSubscriptionVariables>;
export const DashMarkNotificationsReadDocument = new TypedDocumentString(`
    mutation DashMarkNotificationsRead($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    unreadNotificationCount
  }
}
    `) as unknown as TypedDocumentString<DashMarkNotificationsReadMutation, DashMarkNotificationsReadMutationVariables>;
export const DashExplanationDocument = new TypedDocumentString(`
    query DashExplanation($versionId: ID!, $subjectKey: String!) {
  node(id: $versionId) {
    __typename
    ... on ModelVersion {
      id
      explanation(subjectKey: $subjectKey) {
        id
        subjectKey
        prediction
        score
        updatedAt
        attributions {
          feature
          value
          contribution
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashExplanationQuery, DashExplanationQueryVariables>;
export const DashDisputeOutcomeDocument = new TypedDocumentString(`
    mutation DashDisputeOutcome($input: DisputeOutcomeInput!) {
  disputeOutcome(input: $input) {
    feedback {
      id
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<DashDisputeOutcomeMutation, DashDisputeOutcomeMutationVariables>;