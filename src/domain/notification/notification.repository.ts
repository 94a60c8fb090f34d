import { NEWEST_FIRST, type ListQuery, type Reader, type RowOf } from '../../db/reader';
import { Notification } from './notification.entity';

/** Reads about notifications; each is only ever read by its recipient. */
export const notificationRepository = {
  /** A person's notifications, newest first. */
  of(userId: number, unreadOnly: boolean): ListQuery<Notification> {
    return { entity: Notification, where: unreadOnly ? { recipientId: userId, readAt: null } : { recipientId: userId }, order: NEWEST_FIRST };
  },

  unreadCount(reader: Reader, userId: number): Promise<number> {
    return reader.count(Notification, { recipientId: userId, readAt: null });
  },

  /** What an event brought one person: none or one notification. */
  forEvent(reader: Reader, userId: number, eventId: number): Promise<RowOf<Notification> | null> {
    return reader.first(Notification, { recipientId: userId, eventId }, NEWEST_FIRST);
  },
};
