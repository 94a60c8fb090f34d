import type { EntityManager } from '@mikro-orm/knex';
import type { LifecycleEventType } from '../aggregates';
import { Origin } from '../enums';
import type { RecordedEvent } from '../event/event.types';
import type { Projection } from '../event/projections';
import { fromGlobalId } from '../ids';
import { nodeTypeNamed } from '../node-registry';
import { Notification } from '../notification/notification.entity';
import { DeliveryKind, DeliveryStatus, SlackDelivery, SlackFollow } from './slack.entities';

/** Events after which a promotion request's first message is redrawn. */
const REFRESHES_REQUEST = new Set<LifecycleEventType>(['PROMOTION_REVIEWED', 'PROMOTION_APPROVED', 'PROMOTION_REJECTED', 'PROMOTION_CANCELLED']);

const hasConversation = (type: string) => Boolean(nodeTypeNamed(type)?.conversationStartedBy);

/**
 * The object whose conversation (a thread in each channel) an event belongs to, as
 * `PromotionRequest:12`: its subject when that has conversations, the object a comment is on, or
 * the request behind a stage change; null when none.
 */
export function conversationOf(event: RecordedEvent): string | null {
  const ref = hasConversation(event.subjectType)
    ? { type: event.subjectType, id: event.subjectId }
    : event.type === 'COMMENT_ADDED'
      ? fromGlobalId(event.data.on.id)
      : event.type === 'STAGE_CHANGED'
        ? fromGlobalId(event.data.promotionRequestId)
        : null;
  return ref && hasConversation(ref.type) ? `${ref.type}:${ref.id}` : null;
}

/** Whether the event opens its subject's conversation (a thread's first message). */
export function startsConversation(event: Pick<RecordedEvent, 'type' | 'subjectType'>): boolean {
  return nodeTypeNamed(event.subjectType)?.conversationStartedBy === event.type;
}

/** Queues a direct message for each person the event notified who is linked to Slack. */
async function directMessages(em: EntityManager, event: RecordedEvent): Promise<void> {
  const notified = await em.find(Notification, { event: event.id, recipient: { slackUserId: { $ne: null } } }, { populate: ['recipient'] });
  const now = new Date();
  for (const { recipient } of notified) {
    em.create(SlackDelivery, {
      channelId: recipient.getEntity().slackUserId!,
      event: event.id,
      kind: DeliveryKind.DIRECT,
      threadKey: null,
      status: DeliveryStatus.PENDING,
      notBefore: now,
    });
  }
}

/**
 * Queues the Slack messages an event causes, in the event's own transaction: one per channel that
 * follows its goal or model (plus a refresh of the request's first message after a review).
 * Comments that came from Slack are already there, so they are not echoed back.
 */
export const slackProjection: Projection = {
  name: 'slack',
  async project(em: EntityManager, event: RecordedEvent): Promise<void> {
    await directMessages(em, event);
    if (event.type === 'COMMENT_ADDED' && event.origin === Origin.SLACK) return;
    const subjects = [
      ...(event.goalId ? [{ subjectType: 'Goal', subjectId: event.goalId }] : []),
      ...(event.modelId ? [{ subjectType: 'Model', subjectId: event.modelId }] : []),
    ];
    if (!subjects.length) return;
    const follows = await em.find(SlackFollow, { $or: subjects }, { fields: ['channelId'] });
    const channels = [...new Set(follows.map((f) => f.channelId))];
    const threadKey = conversationOf(event);
    const now = new Date();
    for (const channelId of channels) {
      em.create(SlackDelivery, { channelId, event: event.id, kind: DeliveryKind.EVENT, threadKey, status: DeliveryStatus.PENDING, notBefore: now });
      if (REFRESHES_REQUEST.has(event.type)) {
        em.create(SlackDelivery, {
          channelId,
          event: event.id,
          kind: DeliveryKind.REFRESH,
          threadKey,
          status: DeliveryStatus.PENDING,
          notBefore: now,
        });
      }
    }
  },
};
