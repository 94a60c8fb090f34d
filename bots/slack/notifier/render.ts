import type { types } from '@slack/bolt';
import type { LifecycleEventType } from '../../../src/domain/aggregates';
import type { RecordedEvent } from '../../../src/domain/event/event.types';
import { toGlobalId } from '../../../src/domain/ids';
import { PromotionStatus } from '../../../src/domain/promotion/promotion-request.entity';
import type { RequestDetails } from '../../../src/domain/promotion/promotion.repository';
import { ReviewDecision } from '../../../src/domain/promotion/review.entity';
import { requestRef } from '../refs';

type KnownBlock = types.KnownBlock;

export interface Message {
  text: string;
  blocks?: KnownBlock[];
}

const INFO = ':information_source:';

/** Each event type's icon: the compiler asks for one for every new event type. */
const ICONS: Record<LifecycleEventType, string> = {
  USER_CREATED: INFO,
  USER_UPDATED: INFO,
  TOKEN_CREATED: ':key:',
  TOKENS_REVOKED: ':no_entry:',
  GOAL_CREATED: ':dart:',
  GOAL_UPDATED: ':dart:',
  KPI_ADDED: INFO,
  KPI_RECORDED: ':chart_with_upwards_trend:',
  KPI_VALUES_RECORDED: ':chart_with_upwards_trend:',
  EXPERIMENT_CREATED: INFO,
  RUN_LOGGED: ':test_tube:',
  RUN_UPDATED: INFO,
  METRICS_LOGGED: ':chart_with_upwards_trend:',
  MODEL_REGISTERED: INFO,
  MODEL_UPDATED: INFO,
  MODEL_VERSION_CREATED: ':package:',
  MODEL_VERSION_UPDATED: INFO,
  PROMOTION_REQUESTED: ':rocket:',
  PROMOTION_REVIEWED: ':memo:',
  PROMOTION_APPROVED: ':white_check_mark:',
  PROMOTION_REJECTED: ':x:',
  PROMOTION_CANCELLED: ':heavy_multiplication_x:',
  STAGE_CHANGED: ':arrow_right:',
  DRIFT_FLAGGED: ':warning:',
  DRIFT_ACKNOWLEDGED: ':eyes:',
  DRIFT_RESOLVED: ':white_check_mark:',
  FEEDBACK_SUBMITTED: ':speech_balloon:',
  COMMENT_ADDED: ':speech_balloon:',
  DEPLOYMENT_RECORDED: ':ship:',
  QUESTION_ANSWERED: ':white_check_mark:',
  OWNERSHIP_TRANSFERRED: ':handshake:',
  MONITOR_CREATED: ':satellite_antenna:',
  MONITOR_UPDATED: ':satellite_antenna:',
  MONITOR_DELETED: ':satellite_antenna:',
  PREDICTION_EXPLANATIONS_RECORDED: ':mag:',
  OUTCOME_DISPUTED: ':raised_hand:',
};

/**
 * Text people typed, made inert for Slack's mrkdwn: `&`, `<` and `>` are escaped as Slack asks, so
 * a comment cannot mention @channel or forge a link.
 */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Block Kit's limits: a section's text, a field's text, a header's plain text. */
export const BLOCK_LIMITS = { section: 3000, field: 2000, header: 150 } as const;

/** Text cut to `max` characters (with an ellipsis), so that a long name never makes a message undeliverable. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One event as a person reads it: its summary, with an icon. */
export function eventMessage(event: RecordedEvent): Message {
  return { text: `${ICONS[event.type]} ${escape(event.summary)}` };
}

/**
 * A promotion request's first message: what is asked, who reviewed as which role, what is
 * missing, and the state; the Approve and Reject buttons only while it is PENDING.
 */
export function requestMessage({ request, modelName, version, requesterName, reviews, missingRoles: missing }: RequestDetails): Message {
  const title = `${requestRef(request.dbId)}: ${escape(modelName)} v${version} ${request.fromStage} → ${request.toStage}`;
  const state = request.status === PromotionStatus.PENDING ? `PENDING — waiting for ${missing.join(', ')}` : request.status;
  const reviewLines = reviews.map(
    (r) =>
      `${r.decision === ReviewDecision.APPROVE ? ':white_check_mark:' : ':x:'} ${escape(r.reviewerName)} ${r.decision === ReviewDecision.APPROVE ? 'approved' : 'rejected'} as ${r.role}${r.comment ? `: ${escape(r.comment)}` : ''}`,
  );
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: fit(
          `:rocket: *${title}*\nRequested by ${escape(requesterName)}${request.justification ? `: ${escape(request.justification)}` : ''}`,
          BLOCK_LIMITS.section,
        ),
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Needs*\n${request.requiredRoles.join(', ') || 'nobody'}` },
        { type: 'mrkdwn', text: `*Status*\n${state}` },
      ],
    },
  ];
  if (reviewLines.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fit(reviewLines.join('\n'), BLOCK_LIMITS.section) }] });
  if (request.status === PromotionStatus.PENDING) {
    const value = toGlobalId('PromotionRequest', request.dbId);
    blocks.push({
      type: 'actions',
      block_id: 'promotion_review',
      elements: [
        { type: 'button', action_id: 'promotion_approve', style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value },
        { type: 'button', action_id: 'promotion_reject', style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value },
      ],
    });
  }
  return { text: `${title} (${state})`, blocks };
}
