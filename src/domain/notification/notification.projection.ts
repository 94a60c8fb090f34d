import type { EntityManager } from '@mikro-orm/knex';
import type { LifecycleEventType } from '../aggregates';
import { Comment } from '../comment/comment.entity';
import type { RecordedEvent } from '../event/event.types';
import type { Projection } from '../event/projections';
import { fromGlobalId } from '../ids';
import { nodeTypeNamed } from '../node-registry';
import { ownerOf } from '../owner';
import { Notification, NotificationReason } from './notification.entity';

/** At most this many earlier participants of a conversation are told of a new comment in it. */
export const MAX_FOLLOWERS = 50;

/** The owner of the object a global ID names, or null. */
async function ownerOfId(em: EntityManager, globalId: string): Promise<number | null> {
  const ref = fromGlobalId(globalId);
  const type = ref ? nodeTypeNamed(ref.type) : undefined;
  return ref && type ? ownerOf(em, type, ref.id) : null;
}

/**
 * Who follows an object: the people who have commented on it. Read as plain rows, not entities:
 * up to 200 comments taken into the unit of work cost their hydration and then every later flush
 * of the transaction, which walks each managed entity (a quarter of `addComment`'s CPU).
 */
async function followersOf(em: EntityManager, globalId: string): Promise<number[]> {
  const ref = fromGlobalId(globalId);
  if (!ref) return [];
  const authors: { author: number }[] = await em
    .createQueryBuilder(Comment)
    .select('author')
    .where({ subjectType: ref.type, subjectId: ref.id })
    .orderBy({ id: 'desc' })
    .limit(MAX_FOLLOWERS * 4)
    .execute('all');
  return [...new Set(authors.map((c) => c.author))].slice(0, MAX_FOLLOWERS);
}

/** The event types that can notify someone (live subscribers look up only these). */
export const NOTIFYING: ReadonlySet<LifecycleEventType> = new Set<LifecycleEventType>([
  'COMMENT_ADDED',
  'QUESTION_ANSWERED',
  'DRIFT_FLAGGED',
  'OWNERSHIP_TRANSFERRED',
  'OUTCOME_DISPUTED',
]);

/** Who an event concerns and why, the first reason winning; never the person who acted. */
async function recipients(em: EntityManager, event: RecordedEvent): Promise<Map<number, NotificationReason>> {
  const found = new Map<number, NotificationReason>();
  if (!NOTIFYING.has(event.type)) return found;
  const add = (userId: number | null | undefined, reason: NotificationReason) => {
    if (userId && userId !== event.actorId && !found.has(userId)) found.set(userId, reason);
  };
  switch (event.type) {
    case 'COMMENT_ADDED':
      for (const id of event.data.mentions) add(fromGlobalId(id)?.id, NotificationReason.MENTIONED);
      add(await ownerOfId(em, event.data.on.id), event.data.isQuestion ? NotificationReason.QUESTION_ON_OWNED : NotificationReason.FOLLOWED_ACTIVITY);
      for (const id of await followersOf(em, event.data.on.id)) add(id, NotificationReason.FOLLOWED_ACTIVITY);
      break;
    case 'QUESTION_ANSWERED':
      add(fromGlobalId(event.data.askedBy)?.id, NotificationReason.FOLLOWED_ACTIVITY);
      break;
    case 'OWNERSHIP_TRANSFERRED':
      add(fromGlobalId(event.data.to)?.id, NotificationReason.OWNERSHIP_TRANSFERRED);
      break;
    case 'DRIFT_FLAGGED':
      add(await ownerOf(em, nodeTypeNamed(event.subjectType)!, event.subjectId), NotificationReason.FOLLOWED_ACTIVITY);
      break;
    case 'OUTCOME_DISPUTED':
      add(await ownerOf(em, nodeTypeNamed(event.subjectType)!, event.subjectId), NotificationReason.OUTCOME_DISPUTED);
      break;
    default:
      break;
  }
  return found;
}

/** Writes the notifications an event causes, in its transaction, so that they exist exactly when it does. */
export const notificationProjection: Projection = {
  name: 'notifications',
  async project(em: EntityManager, event: RecordedEvent): Promise<void> {
    const found = await recipients(em, event);
    for (const [recipient, reason] of found) em.create(Notification, { recipient, event: event.id, reason });
    if (found.size) await em.flush();
  },
};
