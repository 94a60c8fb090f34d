import type { types } from '@slack/bolt';
import type { EntityManager } from '@mikro-orm/knex';
import { LifecycleEventType, type LifecycleEvent } from '../../../src/domain/event/lifecycle-event.entity';
import { toGlobalId } from '../../../src/domain/ids';
import { ModelVersion } from '../../../src/domain/model/model-version.entity';
import { PromotionRequest, PromotionStatus } from '../../../src/domain/promotion/promotion-request.entity';
import { missingRoles } from '../../../src/domain/promotion/promotion.service';
import { Review, ReviewDecision } from '../../../src/domain/promotion/review.entity';
import { User } from '../../../src/domain/user/user.entity';
import { requestRef } from '../refs';

type KnownBlock = types.KnownBlock;

export interface Message {
  text: string;
  blocks?: KnownBlock[];
}

const ICONS: Partial<Record<LifecycleEventType, string>> = {
  PROMOTION_REQUESTED: ':rocket:', PROMOTION_REVIEWED: ':memo:', PROMOTION_APPROVED: ':white_check_mark:',
  PROMOTION_REJECTED: ':x:', PROMOTION_CANCELLED: ':heavy_multiplication_x:', STAGE_CHANGED: ':arrow_right:',
  DRIFT_FLAGGED: ':warning:', DRIFT_ACKNOWLEDGED: ':eyes:', DRIFT_RESOLVED: ':white_check_mark:',
  FEEDBACK_SUBMITTED: ':speech_balloon:', COMMENT_ADDED: ':speech_balloon:', KPI_RECORDED: ':chart_with_upwards_trend:',
  MODEL_VERSION_CREATED: ':package:', RUN_LOGGED: ':test_tube:', GOAL_CREATED: ':dart:', GOAL_UPDATED: ':dart:',
};

/**
 * Text people typed, made inert for Slack's mrkdwn: `&`, `<` and `>` are escaped as Slack asks, so
 * a comment cannot mention @channel or forge a link.
 */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One event as a person reads it: its summary, with an icon. */
export function eventMessage(event: LifecycleEvent): Message {
  return { text: `${ICONS[event.type] ?? ':information_source:'} ${escape(event.summary)}` };
}

/**
 * A promotion request's first message: what is asked, who reviewed as which role, what is
 * missing, and the state; the Approve and Reject buttons only while it is PENDING.
 */
export async function requestMessage(em: EntityManager, requestId: number): Promise<Message> {
  const request = await em.findOneOrFail(PromotionRequest, requestId, { refresh: true });
  const version = await em.findOneOrFail(ModelVersion, request.modelVersion.id, { populate: ['model'] });
  const reviews = await em.find(Review, { promotionRequest: request.id }, { orderBy: { id: 'asc' }, refresh: true });
  const people = new Map((await em.find(User, { id: { $in: [request.requestedBy.id, ...reviews.map((r) => r.reviewer.id)] } })).map((u) => [u.id, u.name]));
  const missing = missingRoles(request, reviews);
  const title = `${requestRef(request.id)}: ${escape(version.model.getEntity().name)} v${version.version} ${request.fromStage} → ${request.toStage}`;
  const state = request.status === PromotionStatus.PENDING ? `PENDING — waiting for ${missing.join(', ')}` : request.status;
  const reviewLines = reviews.map((r) => `${r.decision === ReviewDecision.APPROVE ? ':white_check_mark:' : ':x:'} ${people.get(r.reviewer.id)} ${r.decision === ReviewDecision.APPROVE ? 'approved' : 'rejected'} as ${r.role}${r.comment ? `: ${escape(r.comment)}` : ''}`);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `:rocket: *${title}*\nRequested by ${people.get(request.requestedBy.id)}${request.justification ? `: ${escape(request.justification)}` : ''}` } },
    { type: 'section', fields: [
      { type: 'mrkdwn', text: `*Needs*\n${request.requiredRoles.join(', ') || 'nobody'}` },
      { type: 'mrkdwn', text: `*Status*\n${state}` },
    ] },
  ];
  if (reviewLines.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: reviewLines.join('\n') }] });
  if (request.status === PromotionStatus.PENDING) {
    const value = toGlobalId('PromotionRequest', request.id);
    blocks.push({ type: 'actions', block_id: 'promotion_review', elements: [
      { type: 'button', action_id: 'promotion_approve', style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value },
      { type: 'button', action_id: 'promotion_reject', style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value },
    ] });
  }
  return { text: `${title} (${state})`, blocks };
}
