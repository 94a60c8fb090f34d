import { Comment } from '../domain/comment/comment.entity';
import { DriftFlag } from '../domain/drift/drift-flag.entity';
import { LifecycleEvent, OutboxEntry } from '../domain/event/lifecycle-event.entity';
import { Experiment } from '../domain/experiment/experiment.entity';
import { Feedback } from '../domain/feedback/feedback.entity';
import { Run } from '../domain/experiment/run.entity';
import { Goal } from '../domain/goal/goal.entity';
import { Kpi } from '../domain/goal/kpi.entity';
import { KpiObservation } from '../domain/goal/kpi-observation.entity';
import { Model } from '../domain/model/model.entity';
import { ModelVersion } from '../domain/model/model-version.entity';
import { SlackDelivery, SlackFollow, SlackInboundEvent, SlackThread } from '../domain/notification/slack.entities';
import { PromotionRequest } from '../domain/promotion/promotion-request.entity';
import { Review } from '../domain/promotion/review.entity';
import { ApiToken } from '../domain/user/api-token.entity';
import { User } from '../domain/user/user.entity';

/** Every entity, listed once so that start-up needs no folder scan. */
export const entities = [
  User, ApiToken, Goal, Kpi, KpiObservation, Experiment, Run, Model, ModelVersion, Comment,
  PromotionRequest, Review, DriftFlag, Feedback, LifecycleEvent, OutboxEntry,
  SlackFollow, SlackDelivery, SlackThread, SlackInboundEvent,
];
