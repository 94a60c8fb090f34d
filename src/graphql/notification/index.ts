import { Notification } from '../../domain/notification/notification.entity';
import type { GraphQLModule } from '../module';
import { NotificationResolver, UserNotificationResolver } from './notification.resolver';
import { NotificationType } from './notification.type';

export const notificationApi: GraphQLModule = {
  resolvers: [NotificationResolver, UserNotificationResolver],
  records: [[Notification, NotificationType]],
};
