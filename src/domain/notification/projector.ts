import type { EntityManager } from '@mikro-orm/knex';
import { Origin } from '../enums';
import { fromGlobalId } from '../ids';
import { LifecycleEvent, LifecycleEventType } from '../event/lifecycle-event.entity';
import { DeliveryKind, DeliveryStatus, SlackDelivery, SlackFollow } from './slack.entities';

const THREADED = new Set(['PromotionRequest', 'DriftFlag']);
const REFRESHES_REQUEST = new Set<string>([
  LifecycleEventType.PROMOTION_REVIEWED, LifecycleEventType.PROMOTION_APPROVED,
  LifecycleEventType.PROMOTION_REJECTED, LifecycleEventType.PROMOTION_CANCELLED,
]);

/** The request or flag an event is about, whose Slack thread it belongs in (`PromotionRequest:12`). */
export function threadKeyOf(event: Pick<LifecycleEvent, 'type' | 'subjectType' | 'subjectId' | 'data'>): string | null {
  if (THREADED.has(event.subjectType)) return `${event.subjectType}:${event.subjectId}`;
  const ref = event.type === LifecycleEventType.COMMENT_ADDED
    ? (event.data.on as { id?: string } | undefined)?.id
    : event.type === LifecycleEventType.STAGE_CHANGED ? (event.data.promotionRequestId as string | undefined) : undefined;
  const parsed = ref ? fromGlobalId(ref) : null;
  return parsed && THREADED.has(parsed.type) ? `${parsed.type}:${parsed.id}` : null;
}

/**
 * Queues the Slack messages an event causes, in the event's own transaction: one per channel that
 * follows its goal or model (plus a refresh of the request's first message after a review).
 * Comments that came from Slack are already there, so they are not echoed back.
 */
export async function projectToSlack(em: EntityManager, event: LifecycleEvent): Promise<void> {
  if (event.type === LifecycleEventType.COMMENT_ADDED && event.origin === Origin.SLACK) return;
  const subjects = [
    ...(event.goalId ? [{ subjectType: 'Goal', subjectId: event.goalId }] : []),
    ...(event.modelId ? [{ subjectType: 'Model', subjectId: event.modelId }] : []),
  ];
  if (!subjects.length) return;
  const follows = await em.find(SlackFollow, { $or: subjects }, { fields: ['channelId'] });
  const channels = [...new Set(follows.map((f) => f.channelId))];
  const threadKey = threadKeyOf(event);
  const now = new Date();
  for (const channelId of channels) {
    em.create(SlackDelivery, { channelId, event, kind: DeliveryKind.EVENT, threadKey, status: DeliveryStatus.PENDING, notBefore: now });
    if (REFRESHES_REQUEST.has(event.type)) {
      em.create(SlackDelivery, { channelId, event, kind: DeliveryKind.REFRESH, threadKey, status: DeliveryStatus.PENDING, notBefore: now });
    }
  }
}
