import { requireViewer, type ServiceContext } from '../context';
import { badInput, notFound } from '../errors';
import { dbId } from '../ids';
import { write } from '../unit-of-work';
import { Notification } from './notification.entity';
import { notificationRepository } from './notification.repository';

export interface MarkNotificationsReadInput {
  /** Empty or absent: all of the viewer's. */
  notificationIds?: string[] | null;
}

/** At most this many notifications named in one call. */
export const MAX_MARKED = 100;

export const notificationService = {
  /** The viewer's own only: a notification of someone else's is NOT_FOUND, and then none is marked. Returns the unread count left. */
  async markRead(ctx: ServiceContext, input: MarkNotificationsReadInput): Promise<number> {
    const viewer = requireViewer(ctx);
    const ids = [...new Set((input.notificationIds ?? []).map((id) => dbId('Notification', id)))];
    if (ids.length > MAX_MARKED) throw badInput(`notificationIds may name at most ${MAX_MARKED} notifications.`, 'notificationIds');
    await write(ctx, async (uow) => {
      const mine = { recipient: viewer.id, readAt: null };
      if (ids.length) {
        const owned = await uow.em.count(Notification, { id: { $in: ids }, recipient: viewer.id });
        if (owned !== ids.length) throw notFound('Notification', 'in notificationIds');
      }
      await uow.em.nativeUpdate(Notification, ids.length ? { ...mine, id: { $in: ids } } : mine, { readAt: new Date() });
    });
    return notificationRepository.unreadCount(ctx.reader, viewer.id);
  },
};
