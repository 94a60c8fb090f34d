import { registerEnumType } from 'type-graphql';
import { DriftKind, DriftStatus, Severity } from '../../domain/drift/drift-flag.entity';
import { LifecycleEventType } from '../../domain/aggregates';
import { FeedbackKind, FeedbackVerdict } from '../../domain/feedback/feedback.entity';
import { PromotionStatus } from '../../domain/promotion/promotion-request.entity';
import { ReviewDecision } from '../../domain/promotion/review.entity';

/** One line per event type; the description test names a type left out. */
const LIFECYCLE_EVENT_DESCRIPTIONS: { readonly [T in LifecycleEventType]?: { description: string } } = {
  USER_CREATED: { description: 'A user was created.' },
  USER_UPDATED: { description: "A user's name, roles or Slack link changed." },
  GOAL_CREATED: { description: 'A goal was created.' },
  GOAL_UPDATED: { description: 'A goal changed; the data lists the changes.' },
  KPI_ADDED: { description: 'A KPI was added to a goal.' },
  KPI_RECORDED: { description: 'A value was recorded for a KPI.' },
  EXPERIMENT_CREATED: { description: 'An experiment was created under a goal.' },
  RUN_LOGGED: { description: 'A run was logged for an experiment.' },
  RUN_UPDATED: { description: "A run's status or metrics changed." },
  MODEL_REGISTERED: { description: 'A model was registered under a goal.' },
  MODEL_UPDATED: { description: "A model's description changed." },
  MODEL_VERSION_CREATED: { description: 'A new version of a model was created.' },
  MODEL_VERSION_UPDATED: { description: "A model version's description, artifact or card changed." },
  PROMOTION_REQUESTED: { description: 'Someone asked to move a model version to another stage.' },
  PROMOTION_REVIEWED: { description: 'A reviewer approved or rejected a promotion request.' },
  PROMOTION_APPROVED: { description: 'Every required role approved a promotion request.' },
  PROMOTION_REJECTED: { description: 'A promotion request was rejected.' },
  PROMOTION_CANCELLED: { description: 'A promotion request was cancelled.' },
  STAGE_CHANGED: { description: 'A model version moved to another stage; the subject is the version.' },
  DRIFT_FLAGGED: { description: 'Drift was flagged on a model version.' },
  DRIFT_ACKNOWLEDGED: { description: 'A drift flag was acknowledged.' },
  QUESTION_ANSWERED: { description: 'A question (a comment asked as one) was marked answered; the subject is the comment.' },
  MONITOR_CREATED: { description: 'A monitor was created on a KPI or a version metric.' },
  MONITOR_UPDATED: { description: 'A monitor changed, was paused or resumed; the data lists the changes.' },
  MONITOR_DELETED: { description: 'A monitor was deleted; its flags stay.' },
  OWNERSHIP_TRANSFERRED: { description: 'A goal, model or experiment was handed to another owner; the data names both.' },
  DRIFT_RESOLVED: { description: 'A drift flag was resolved.' },
  FEEDBACK_SUBMITTED: { description: 'A business user judged a model against its goal.' },
  PREDICTION_EXPLANATIONS_RECORDED: { description: 'A pipeline recorded or replaced explained outcomes for a model version; the data counts both.' },
  OUTCOME_DISPUTED: { description: "Someone disputed one explained outcome; the model's owner is notified." },
  COMMENT_ADDED: { description: 'A comment was added to a discussable object.' },
  TOKEN_CREATED: { description: 'An API token was issued to a user or service account; the token itself is never recorded.' },
  TOKENS_REVOKED: { description: "A user's API tokens were revoked; the data says how many." },
  METRICS_LOGGED: { description: "Metric points were appended to a run's history." },
  KPI_VALUES_RECORDED: { description: 'A batch of values was recorded for a KPI; the data counts those recorded and skipped.' },
  DEPLOYMENT_RECORDED: { description: 'A deployment of a model version was reported; the subject is the deployment.' },
};

registerEnumType(PromotionStatus, {
  name: 'PromotionStatus',
  description: 'Where a promotion request stands; only a PENDING request can be reviewed or cancelled.',
  valuesConfig: {
    PENDING: { description: 'Awaiting the approvals of its required roles.' },
    APPROVED: { description: 'Every required role approved; the version moved to the requested stage.' },
    REJECTED: { description: 'A reviewer rejected it; the version stayed where it was.' },
    CANCELLED: { description: 'Withdrawn by its requester or an ADMIN, or overtaken by another stage change.' },
  },
});
registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
  description: "A reviewer's answer to a promotion request.",
  valuesConfig: {
    APPROVE: { description: 'Counts as the approval of the first missing role the reviewer holds.' },
    REJECT: { description: 'Rejects the whole request at once.' },
  },
});
registerEnumType(DriftKind, {
  name: 'DriftKind',
  description: 'What drifted.',
  valuesConfig: {
    DATA: { description: 'The input data: its distribution moved away from the training data.' },
    CONCEPT: { description: 'The relation between inputs and outcome changed.' },
    PERFORMANCE: { description: "The model's own metrics got worse." },
    BUSINESS: { description: 'The business KPI the model serves got worse.' },
  },
});
registerEnumType(Severity, {
  name: 'Severity',
  description: 'How urgent a drift flag is, from LOW to CRITICAL; lists sort and filter in that order.',
  valuesConfig: {
    LOW: { description: 'Worth a look.' },
    MEDIUM: { description: 'Needs attention soon.' },
    HIGH: { description: 'Needs attention now.' },
    CRITICAL: { description: 'The model should not keep serving as it is.' },
  },
});
registerEnumType(DriftStatus, {
  name: 'DriftStatus',
  description: 'Where a drift flag stands: OPEN, perhaps ACKNOWLEDGED, then RESOLVED.',
  valuesConfig: {
    OPEN: { description: 'Raised; nobody has taken it on yet.' },
    ACKNOWLEDGED: { description: 'Someone has taken it on.' },
    RESOLVED: { description: 'Dealt with; the resolution says how.' },
  },
});
registerEnumType(FeedbackVerdict, {
  name: 'FeedbackVerdict',
  description: 'Whether a model answers the business question of its goal, as a business user judges it.',
  valuesConfig: {
    MEETS_GOAL: { description: 'It does.' },
    PARTIALLY_MEETS: { description: 'In part.' },
    MISSES_GOAL: { description: 'It does not.' },
  },
});
registerEnumType(FeedbackKind, {
  name: 'FeedbackKind',
  description: 'What feedback is about.',
  valuesConfig: {
    GENERAL: { description: 'The model against its goal.' },
    OUTCOME: { description: 'One explained outcome the model produced, disputed (`disputeOutcome`).' },
  },
});
registerEnumType(LifecycleEventType, {
  name: 'LifecycleEventType',
  description: 'What happened; the event subject is the object the type names.',
  valuesConfig: LIFECYCLE_EVENT_DESCRIPTIONS,
});

export { DriftKind, DriftStatus, FeedbackKind, FeedbackVerdict, LifecycleEventType, PromotionStatus, ReviewDecision, Severity };
